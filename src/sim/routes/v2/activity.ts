import { normalizeAddress } from '../../fields.ts';
import { badRequest } from '../../http.ts';
import type { Rec } from '../../state.ts';
import { normalizeTime, rfc3339 } from '../../time.ts';
import { arr, bool, int, obj, str } from '../../validation.ts';
import { requireActiveUser, requireLink } from '../common.ts';
import { addressShape, type V2Entity } from './entity.ts';

const PERSON_ID_READ_ONLY =
  '\'person_id\' is a read-only field. Add a primary participant to set \'person_id\' instead. For example: "participants": [{ "person_id": 1, "primary": true }]';

export const activityEntity: V2Entity = {
  path: 'activities',
  collection: 'activities',
  label: 'Activity',
  fieldEntity: null,
  sortBy: ['id', 'update_time', 'add_time', 'due_date'],
  shape: () =>
    obj({
      subject: str(),
      type: str(),
      owner_id: int(),
      deal_id: int({ nullable: true }),
      lead_id: str({ nullable: true }),
      org_id: int({ nullable: true }),
      project_id: int({ nullable: true }),
      due_date: str({ nullable: true, format: 'date' }),
      due_time: str({ nullable: true, format: 'time' }),
      duration: str({ nullable: true, format: 'time' }),
      busy: bool(),
      done: bool(),
      location: addressShape(true),
      participants: arr(obj({ person_id: int(), primary: bool() }, { required: ['person_id'] })),
      attendees: arr(
        obj(
          {
            email: str(),
            name: str({ nullable: true }),
            status: str({ nullable: true }),
            is_organizer: bool(),
            person_id: int({ nullable: true }),
            user_id: int({ nullable: true }),
          },
          { required: ['email'] },
        ),
      ),
      public_description: str({ nullable: true }),
      priority: int({ nullable: true }),
      note: str({ nullable: true }),
    }),
  defaults: (ctx, id) => ({
    id,
    subject: '',
    type: 'call',
    owner_id: ctx.meId,
    creator_user_id: ctx.meId,
    is_deleted: false,
    add_time: rfc3339(ctx.now),
    update_time: rfc3339(ctx.now),
    deal_id: null,
    lead_id: null,
    person_id: null,
    org_id: null,
    project_id: null,
    due_date: null,
    due_time: null,
    duration: null,
    busy: false,
    done: false,
    marked_as_done_time: null,
    location: null,
    participants: [],
    attendees: [],
    conference_meeting_client: null,
    conference_meeting_url: null,
    conference_meeting_id: null,
    public_description: null,
    priority: null,
    note: null,
  }),
  apply: (ctx, rec, body, mode) => {
    if (body.type !== undefined || mode === 'create') {
      const key = (body.type as string | undefined) ?? 'call';
      const type = [...ctx.state.int.activityTypes.values()].find(
        (t) => t.key_string === key && t.active_flag,
      );
      if (!type) throw badRequest(`Activity type '${key}' does not exist`);
      rec.type = key;
      if (mode === 'create' && body.subject === undefined) rec.subject = type.name;
    }
    if (body.subject !== undefined) rec.subject = body.subject;
    if (body.owner_id !== undefined) {
      requireActiveUser(ctx, body.owner_id);
      rec.owner_id = body.owner_id;
    }
    for (const [key, collection, label] of [
      ['deal_id', 'deals', 'Deal'],
      ['org_id', 'organizations', 'Organization'],
    ] as const) {
      if (body[key] !== undefined) {
        requireLink(ctx, collection, body[key], label);
        rec[key] = body[key];
      }
    }
    if (body.lead_id !== undefined) {
      if (body.lead_id !== null && !ctx.state.uuid.leads.has(body.lead_id as string))
        throw badRequest(`Lead with id ${String(body.lead_id)} was not found`);
      rec.lead_id = body.lead_id;
    }
    if (body.participants !== undefined) {
      const list = (body.participants as Rec[]).map((p) => ({
        person_id: p.person_id,
        primary: p.primary === true,
      }));
      for (const p of list) requireLink(ctx, 'persons', p.person_id, 'Person');
      if (list.filter((p) => p.primary).length > 1) throw badRequest('Only one participant can be primary');
      const first = list[0];
      if (first && !list.some((p) => p.primary)) first.primary = true;
      rec.participants = list;
      rec.person_id = list.find((p) => p.primary)?.person_id ?? null;
    }
    if (body.attendees !== undefined) rec.attendees = body.attendees;
    for (const key of ['due_time', 'duration'] as const) {
      if (body[key] !== undefined) rec[key] = body[key] === null ? null : normalizeTime(body[key] as string);
    }
    for (const key of ['due_date', 'busy', 'project_id', 'public_description', 'priority', 'note'] as const) {
      if (body[key] !== undefined) rec[key] = body[key];
    }
    if (body.location !== undefined)
      rec.location = body.location === null ? null : normalizeAddress(body.location as Rec);
    if (body.done !== undefined && body.done !== rec.done) {
      rec.done = body.done;
      rec.marked_as_done_time = body.done ? rfc3339(ctx.now) : null;
    }
  },
  filters: [
    { param: 'owner_id', kind: 'int', test: (r, v) => r.owner_id === v },
    { param: 'deal_id', kind: 'int', test: (r, v) => r.deal_id === v },
    { param: 'lead_id', kind: 'string', test: (r, v) => r.lead_id === v },
    { param: 'person_id', kind: 'int', test: (r, v) => r.person_id === v },
    { param: 'org_id', kind: 'int', test: (r, v) => r.org_id === v },
    { param: 'done', kind: 'bool', test: (r, v) => r.done === v },
  ],
  precheck: (body) => {
    if (body.person_id !== undefined) throw badRequest(PERSON_ID_READ_ONLY);
  },
  render: (ctx, _rec, out) => {
    if (!(ctx.query.get('include_fields') ?? '').split(',').includes('attendees')) delete out.attendees;
  },
};
