import { normalizeAddress } from '../../fields.ts';
import type { Rec } from '../../state.ts';
import { rfc3339 } from '../../time.ts';
import { obj, str } from '../../validation.ts';
import { defaultVisibleTo } from '../common.ts';
import {
  addressShape,
  applyAddTime,
  applyCommon,
  commonProps,
  customFieldsShape,
  nameMissing,
  timeProps,
  type V2Entity,
} from './entity.ts';

export const organizationEntity: V2Entity = {
  path: 'organizations',
  collection: 'organizations',
  label: 'Organization',
  fieldEntity: 'organization',
  sortBy: ['id', 'update_time', 'add_time'],
  shape: (ctx) =>
    obj({
      name: str(),
      address: addressShape(true),
      custom_fields: customFieldsShape,
      ...commonProps(ctx),
      ...timeProps(ctx),
    }),
  defaults: (ctx, id) => ({
    id,
    name: '',
    owner_id: ctx.meId,
    add_time: rfc3339(ctx.now),
    update_time: rfc3339(ctx.now),
    is_deleted: false,
    visible_to: defaultVisibleTo(ctx),
    label_ids: [],
    address: null,
    picture_id: null,
    custom_fields: {},
  }),
  apply: (ctx, rec, body, mode) => {
    if (body.name !== undefined || mode === 'create') {
      if (typeof body.name !== 'string' || body.name.trim() === '') throw nameMissing();
      rec.name = body.name.trim();
    }
    if (body.address !== undefined)
      rec.address = body.address === null ? null : normalizeAddress(body.address as Rec);
    applyCommon(ctx, rec, body);
    applyAddTime(ctx, rec, body);
  },
  filters: [{ param: 'owner_id', kind: 'int', test: (r, v) => r.owner_id === v }],
};
