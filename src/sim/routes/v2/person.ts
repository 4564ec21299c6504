import { rfc3339 } from '../../time.ts';
import { int, obj, str } from '../../validation.ts';
import { defaultVisibleTo, requireLink } from '../common.ts';
import {
  applyAddTime,
  applyCommon,
  commonProps,
  customFieldsShape,
  labelledItems,
  nameMissing,
  normalizeLabelled,
  splitName,
  timeProps,
  type V2Entity,
} from './entity.ts';

export const personEntity: V2Entity = {
  path: 'persons',
  collection: 'persons',
  label: 'Person',
  fieldEntity: 'person',
  sortBy: ['id', 'update_time', 'add_time'],
  shape: (ctx) =>
    obj({
      name: str(),
      first_name: str(),
      last_name: str(),
      org_id: int({ nullable: true }),
      emails: labelledItems,
      phones: labelledItems,
      marketing_status: str({ values: ['no_consent', 'unsubscribed', 'subscribed', 'archived'] }),
      custom_fields: customFieldsShape,
      ...commonProps(ctx),
      ...timeProps(ctx),
    }),
  defaults: (ctx, id) => ({
    id,
    name: '',
    first_name: '',
    last_name: '',
    owner_id: ctx.meId,
    org_id: null,
    add_time: rfc3339(ctx.now),
    update_time: rfc3339(ctx.now),
    emails: [],
    phones: [],
    is_deleted: false,
    visible_to: defaultVisibleTo(ctx),
    label_ids: [],
    picture_id: null,
    custom_fields: {},
  }),
  apply: (ctx, rec, body, mode) => {
    const hasName = typeof body.name === 'string' && body.name.trim() !== '';
    const hasParts = typeof body.first_name === 'string' || typeof body.last_name === 'string';
    if (mode === 'create' && !hasName && !(body.first_name && body.last_name)) throw nameMissing();
    if (mode === 'update' && body.name !== undefined && !hasName) throw nameMissing();
    if (hasName) {
      const { first, last } = splitName(body.name as string);
      rec.name = (body.name as string).trim();
      rec.first_name = body.first_name ?? first;
      rec.last_name = body.last_name ?? last;
    } else if (hasParts) {
      rec.first_name = body.first_name ?? rec.first_name;
      rec.last_name = body.last_name ?? rec.last_name;
      rec.name = `${rec.first_name as string} ${rec.last_name as string}`.trim();
    }
    if (body.org_id !== undefined) {
      requireLink(ctx, 'organizations', body.org_id, 'Organization');
      rec.org_id = body.org_id;
    }
    if (body.emails !== undefined) rec.emails = normalizeLabelled(body.emails, 'emails');
    if (body.phones !== undefined) rec.phones = normalizeLabelled(body.phones, 'phones');
    if (body.marketing_status !== undefined) rec.marketing_status = body.marketing_status;
    applyCommon(ctx, rec, body);
    applyAddTime(ctx, rec, body);
  },
  filters: [
    { param: 'owner_id', kind: 'int', test: (r, v) => r.owner_id === v },
    { param: 'org_id', kind: 'int', test: (r, v) => r.org_id === v },
    {
      param: 'deal_id',
      kind: 'int',
      test: (r, v, ctx) => ctx.state.int.deals.get(v as number)?.person_id === r.id,
    },
  ],
};
