import type { SimContext } from '../context.ts';
import { parseCustomV1Flat, renderCustomV1Flat } from '../fields.ts';
import { ok, SimHttpError, v1Error } from '../http.ts';
import { pageV1 } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { Rec } from '../state.ts';
import { anyTimeToMs, isDate, isoMs, parseRfc3339, parseV1Time, v1Time } from '../time.ts';
import { forbidden, isAdmin, isObj, queryInt, requireActiveUser, v1Body } from './common.ts';

const LEAD_NOT_FOUND = () =>
  new SimHttpError(404, {
    success: false,
    error: 'requested lead not found',
    error_info: 'Object was not found.',
    data: null,
    additional_data: null,
  });

const v1NotFound = (what: string) => v1Error(404, `${what} not found`, 'Object was not found.');

/** v1 lead shape: deal custom fields flat at the top level, unset ones left out [SPEC-v1]. */
export function renderLead(ctx: { state: SimContext['state'] }, rec: Rec): Rec {
  const { custom_fields: custom, ...rest } = rec;
  const out: Rec = { ...rest };
  renderCustomV1Flat(ctx.state, 'deal', (custom ?? {}) as Rec, out);
  return out;
}

function intOrNull(value: unknown, field: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw v1Error(400, `${field} must be an integer`);
}

function requireV1Link(
  ctx: SimContext,
  collection: 'persons' | 'organizations' | 'deals',
  id: number | null,
  label: string,
) {
  if (id === null) return;
  const rec = ctx.state.int[collection].get(id);
  if (!rec || rec.is_deleted === true) throw v1Error(400, `${label} with id ${id} was not found`);
}

function applyLead(ctx: SimContext, rec: Rec, body: Rec, mode: 'create' | 'update'): void {
  if (mode === 'create' || body.title !== undefined) {
    if (typeof body.title !== 'string' || body.title.trim() === '')
      throw v1Error(400, 'Title must be given.');
    rec.title = body.title;
  }
  for (const [key, collection, label] of [
    ['person_id', 'persons', 'Person'],
    ['organization_id', 'organizations', 'Organization'],
  ] as const) {
    if (body[key] !== undefined) {
      const id = intOrNull(body[key], key);
      requireV1Link(ctx, collection, id, label);
      rec[key] = id;
    }
  }
  if (rec.person_id === null && rec.organization_id === null)
    throw v1Error(400, 'A lead always has to be linked to a person or an organization or both.');
  if (body.owner_id !== undefined) {
    const id = intOrNull(body.owner_id, 'owner_id');
    requireActiveUser(ctx, id);
    rec.owner_id = id ?? ctx.meId;
  }
  if (body.value !== undefined) {
    if (body.value === null) rec.value = null;
    else {
      const v = body.value as Rec;
      if (!isObj(v) || typeof v.amount !== 'number' || typeof v.currency !== 'string')
        throw v1Error(400, 'value must be an object with both amount (number) and currency (string)');
      rec.value = { amount: v.amount, currency: v.currency };
    }
  }
  if (body.label_ids !== undefined) {
    const ids = body.label_ids as unknown[];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !ctx.state.uuid.leadLabels.has(id)))
      throw v1Error(400, 'label_ids must be an array of existing lead label ids');
    rec.label_ids = ids;
  }
  if (body.expected_close_date !== undefined) {
    if (
      body.expected_close_date !== null &&
      !(typeof body.expected_close_date === 'string' && isDate(body.expected_close_date))
    )
      throw v1Error(400, 'expected_close_date must be a date YYYY-MM-DD');
    rec.expected_close_date = body.expected_close_date;
  }
  if (body.visible_to !== undefined) {
    if (body.visible_to !== null && !['1', '3'].includes(String(body.visible_to)))
      throw v1Error(400, 'visible_to must be one of "1", "3"');
    rec.visible_to = body.visible_to === null ? null : String(body.visible_to);
  }
  for (const key of ['was_seen', 'channel', 'channel_id', 'origin_id'] as const) {
    if (body[key] !== undefined) rec[key] = body[key];
  }
  if (body.is_archived !== undefined) rec.is_archived = body.is_archived === true;
  const custom = parseCustomV1Flat(ctx.state, 'deal', body, rec.custom_fields as Rec);
  for (const [key, value] of Object.entries(custom)) {
    if (value === null) delete (rec.custom_fields as Rec)[key];
    else (rec.custom_fields as Rec)[key] = value;
  }
}

function findLead(ctx: SimContext): Rec {
  const rec = ctx.state.uuid.leads.get(ctx.params.id ?? '');
  if (!rec) throw LEAD_NOT_FOUND();
  return rec;
}

function listLeads(ctx: SimContext, archived: boolean): Rec[] {
  const q = ctx.query;
  const owner = queryInt(q, 'owner_id');
  const person = queryInt(q, 'person_id');
  const org = queryInt(q, 'organization_id');
  const sinceRaw = q.get('updated_since');
  const since = sinceRaw ? parseRfc3339(sinceRaw) : undefined;
  if (sinceRaw && since === undefined) throw v1Error(400, 'updated_since must be an RFC 3339 datetime');
  const out: Rec[] = [];
  for (const rec of ctx.state.uuid.leads.values()) {
    if ((rec.is_archived === true) !== archived) continue;
    if (owner !== undefined && rec.owner_id !== owner) continue;
    if (person !== undefined && rec.person_id !== person) continue;
    if (org !== undefined && rec.organization_id !== org) continue;
    if (since !== undefined && (anyTimeToMs(rec.update_time) ?? 0) < since) continue;
    out.push(rec);
  }
  return sortV1(out, q.get('sort'));
}

/** v1 `sort=field ASC, field2 DESC`. */
function sortV1(items: Rec[], sort: string | null): Rec[] {
  if (!sort) return items;
  const keys = sort.split(',').map((part) => {
    const [field = 'id', dir = 'ASC'] = part.trim().split(/\s+/);
    return { field, sign: dir.toUpperCase() === 'DESC' ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const { field, sign } of keys) {
      const x = a[field] as string | number;
      const y = b[field] as string | number;
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}

/** Strips script tags and event-handler attributes ("subject to sanitization on the back-end"). */
export function sanitizeHtml(html: string): string {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/javascript:/gi, '');
}

const NOTE_PARENTS = ['deal_id', 'person_id', 'org_id', 'lead_id', 'project_id'] as const;

function renderNote(ctx: SimContext, rec: Rec): Rec {
  const org = rec.org_id === null ? null : ctx.state.int.organizations.get(rec.org_id as number);
  const person = rec.person_id === null ? null : ctx.state.int.persons.get(rec.person_id as number);
  const deal = rec.deal_id === null ? null : ctx.state.int.deals.get(rec.deal_id as number);
  const user = ctx.state.int.users.get(rec.user_id as number);
  return {
    ...rec,
    organization: org ? { name: org.name } : null,
    person: person ? { name: person.name } : null,
    deal: deal ? { title: deal.title } : null,
    user: user ? { email: user.email, name: user.name, icon_url: null, is_you: user.id === ctx.meId } : null,
  };
}

function applyNote(ctx: SimContext, rec: Rec, body: Rec, mode: 'create' | 'update'): void {
  if (mode === 'create' || body.content !== undefined) {
    if (typeof body.content !== 'string' || body.content.trim() === '')
      throw v1Error(400, 'Note content must be given.');
    rec.content = sanitizeHtml(body.content);
  }
  for (const key of NOTE_PARENTS) {
    if (body[key] === undefined) continue;
    if (key === 'lead_id') {
      const id = body.lead_id === null || body.lead_id === '' ? null : String(body.lead_id);
      if (id !== null && !ctx.state.uuid.leads.has(id))
        throw v1Error(400, `Lead with id ${id} was not found`);
      rec.lead_id = id;
      continue;
    }
    const id = intOrNull(body[key], key);
    if (key === 'deal_id') requireV1Link(ctx, 'deals', id, 'Deal');
    if (key === 'person_id') requireV1Link(ctx, 'persons', id, 'Person');
    if (key === 'org_id') requireV1Link(ctx, 'organizations', id, 'Organization');
    rec[key] = id;
  }
  if (NOTE_PARENTS.every((k) => rec[k] === null || rec[k] === undefined))
    throw v1Error(400, 'Note must be attached to a deal, person, organization, lead or project.');
  if (body.user_id !== undefined) {
    const id = intOrNull(body.user_id, 'user_id');
    if (id !== null && id !== rec.user_id) {
      if (!isAdmin(ctx)) throw forbidden('Only an admin can change the author of a note.');
      if (!ctx.state.int.users.has(id)) throw v1Error(400, `User with id ${id} was not found`);
      rec.user_id = id;
    }
  }
  if (body.add_time !== undefined && body.add_time !== null) {
    const ms = parseV1Time(String(body.add_time));
    if (ms === undefined) throw v1Error(400, 'add_time must be in the format YYYY-MM-DD HH:MM:SS (UTC)');
    rec.add_time = v1Time(ms);
  }
  for (const flag of [
    'pinned_to_deal_flag',
    'pinned_to_person_flag',
    'pinned_to_organization_flag',
    'pinned_to_lead_flag',
    'pinned_to_project_flag',
  ]) {
    if (body[flag] !== undefined) rec[flag] = body[flag] === true || body[flag] === 1 || body[flag] === '1';
  }
}

function findNote(ctx: SimContext): Rec {
  const id = Number(ctx.params.id);
  const rec = Number.isInteger(id) ? ctx.state.int.notes.get(id) : undefined;
  if (!rec || rec.active_flag === false) throw v1NotFound('Note');
  return rec;
}

/** `key_string` from a name: lower-case, non-alphanumerics to `_`, made unique. */
function keyString(ctx: SimContext, name: string): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'type';
  const taken = new Set([...ctx.state.int.activityTypes.values()].map((t) => t.key_string));
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

const LABEL_COLORS = [
  'blue',
  'brown',
  'dark-gray',
  'gray',
  'green',
  'orange',
  'pink',
  'purple',
  'red',
  'yellow',
];

export function renderUser(ctx: SimContext, user: Rec): Rec {
  return { ...user, is_you: user.id === ctx.meId };
}

export function v1EntityRoutes(): RouteDef[] {
  return [
    // Leads
    {
      method: 'GET',
      path: '/api/v1/leads',
      handler: (ctx) => {
        const { page, additional } = pageV1(listLeads(ctx, false), ctx.query);
        return ok(
          page.map((r) => renderLead(ctx, r)),
          additional,
        );
      },
    },
    {
      method: 'GET',
      path: '/api/v1/leads/archived',
      handler: (ctx) => {
        const { page, additional } = pageV1(listLeads(ctx, true), ctx.query);
        return ok(
          page.map((r) => renderLead(ctx, r)),
          additional,
        );
      },
    },
    { method: 'GET', path: '/api/v1/leads/{id}', handler: (ctx) => ok(renderLead(ctx, findLead(ctx))) },
    {
      method: 'POST',
      path: '/api/v1/leads',
      handler: (ctx) => {
        const body = v1Body(ctx);
        const now = isoMs(ctx.now);
        const rec: Rec = {
          id: ctx.state.nextUuid('leads'),
          title: '',
          owner_id: ctx.meId,
          creator_id: ctx.meId,
          label_ids: [],
          person_id: null,
          organization_id: null,
          source_name: 'API',
          origin: 'API',
          origin_id: null,
          channel: null,
          channel_id: null,
          is_archived: false,
          was_seen: false,
          value: null,
          expected_close_date: null,
          next_activity_id: null,
          add_time: now,
          update_time: now,
          visible_to: '3',
          cc_email: `${ctx.options.companyDomain}+lead@pipedrivemail.com`,
          source_deal_id: null,
          custom_fields: {},
        };
        applyLead(ctx, rec, body, 'create');
        ctx.state.uuid.leads.set(rec.id as string, rec);
        return ok(renderLead(ctx, rec), undefined, 201);
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/leads/{id}',
      handler: (ctx) => {
        const rec = findLead(ctx);
        if (rec.is_archived === true && v1Body(ctx).is_archived !== false)
          throw v1Error(400, 'Archived leads cannot be edited');
        const draft = structuredClone(rec);
        applyLead(ctx, draft, v1Body(ctx), 'update');
        draft.update_time = isoMs(ctx.now);
        ctx.state.uuid.leads.set(rec.id as string, draft);
        return ok(renderLead(ctx, draft));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/leads/{id}',
      handler: (ctx) => {
        const rec = findLead(ctx);
        ctx.state.uuid.leads.delete(rec.id as string);
        return ok({ id: rec.id });
      },
    },
    // Lead labels
    {
      method: 'GET',
      path: '/api/v1/leadLabels',
      handler: (ctx) => ok([...ctx.state.uuid.leadLabels.values()]),
    },
    {
      method: 'POST',
      path: '/api/v1/leadLabels',
      handler: (ctx) => {
        const body = v1Body(ctx);
        if (typeof body.name !== 'string' || body.name.trim() === '')
          throw v1Error(400, 'Name must be given.');
        if (!LABEL_COLORS.includes(body.color as string))
          throw v1Error(400, `color must be one of ${LABEL_COLORS.join(', ')}`);
        const now = isoMs(ctx.now);
        const rec: Rec = {
          id: ctx.state.nextUuid('leadLabels'),
          name: body.name,
          color: body.color,
          add_time: now,
          update_time: now,
        };
        ctx.state.uuid.leadLabels.set(rec.id as string, rec);
        return ok(rec);
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/leadLabels/{id}',
      handler: (ctx) => {
        const rec = ctx.state.uuid.leadLabels.get(ctx.params.id ?? '');
        if (!rec) throw v1NotFound('Lead label');
        const body = v1Body(ctx);
        if (body.color !== undefined && !LABEL_COLORS.includes(body.color as string))
          throw v1Error(400, `color must be one of ${LABEL_COLORS.join(', ')}`);
        if (body.name !== undefined) rec.name = body.name;
        if (body.color !== undefined) rec.color = body.color;
        rec.update_time = isoMs(ctx.now);
        return ok(rec);
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/leadLabels/{id}',
      handler: (ctx) => {
        const id = ctx.params.id ?? '';
        if (!ctx.state.uuid.leadLabels.delete(id)) throw v1NotFound('Lead label');
        return ok({ id });
      },
    },
    // Notes
    {
      method: 'GET',
      path: '/api/v1/notes',
      handler: (ctx) => {
        const q = ctx.query;
        const filters: [string, unknown][] = [];
        for (const key of ['user_id', 'deal_id', 'person_id', 'org_id', 'project_id'] as const) {
          const v = queryInt(q, key);
          if (v !== undefined) filters.push([key, v]);
        }
        if (q.get('lead_id')) filters.push(['lead_id', q.get('lead_id')]);
        const startDate = q.get('start_date');
        const endDate = q.get('end_date');
        const sinceRaw = q.get('updated_since');
        const since = sinceRaw ? parseRfc3339(sinceRaw) : undefined;
        if (sinceRaw && since === undefined) throw v1Error(400, 'updated_since must be an RFC 3339 datetime');
        const items: Rec[] = [];
        for (const rec of ctx.state.int.notes.values()) {
          if (rec.active_flag === false) continue;
          if (!filters.every(([k, v]) => rec[k] === v)) continue;
          const day = (rec.add_time as string).slice(0, 10);
          if (startDate && day < startDate) continue;
          if (endDate && day > endDate) continue;
          if (since !== undefined && (anyTimeToMs(rec.update_time) ?? 0) < since) continue;
          items.push(rec);
        }
        const { page, additional } = pageV1(sortV1(items, q.get('sort')), q);
        return ok(
          page.map((r) => renderNote(ctx, r)),
          additional,
        );
      },
    },
    { method: 'GET', path: '/api/v1/notes/{id}', handler: (ctx) => ok(renderNote(ctx, findNote(ctx))) },
    {
      method: 'POST',
      path: '/api/v1/notes',
      handler: (ctx) => {
        const now = v1Time(ctx.now);
        const rec: Rec = {
          id: 0,
          user_id: ctx.meId,
          deal_id: null,
          person_id: null,
          org_id: null,
          lead_id: null,
          project_id: null,
          content: '',
          add_time: now,
          update_time: now,
          active_flag: true,
          pinned_to_deal_flag: false,
          pinned_to_person_flag: false,
          pinned_to_organization_flag: false,
          pinned_to_lead_flag: false,
          pinned_to_project_flag: false,
          last_update_user_id: null,
        };
        applyNote(ctx, rec, v1Body(ctx), 'create');
        rec.id = ctx.state.nextId('notes');
        ctx.state.int.notes.set(rec.id as number, rec);
        return ok(renderNote(ctx, rec));
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/notes/{id}',
      handler: (ctx) => {
        const rec = findNote(ctx);
        const draft = structuredClone(rec);
        applyNote(ctx, draft, v1Body(ctx), 'update');
        draft.update_time = v1Time(ctx.now);
        draft.last_update_user_id = ctx.meId;
        ctx.state.int.notes.set(rec.id as number, draft);
        return ok(renderNote(ctx, draft));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/notes/{id}',
      handler: (ctx) => {
        const rec = findNote(ctx);
        rec.active_flag = false;
        rec.update_time = v1Time(ctx.now);
        return ok(true);
      },
    },
    // Users
    {
      method: 'GET',
      path: '/api/v1/users',
      handler: (ctx) => ok([...ctx.state.int.users.values()].map((u) => renderUser(ctx, u))),
    },
    {
      method: 'GET',
      path: '/api/v1/users/me',
      handler: (ctx) => {
        const me = ctx.state.int.users.get(ctx.meId) as Rec;
        return ok({
          ...renderUser(ctx, me),
          company_id: 1,
          company_name: 'Simulated Law Firm',
          company_domain: ctx.options.companyDomain,
          company_country: 'US',
          company_industry: 'Legal',
          language: { language_code: 'en', country_code: 'US' },
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/users/find',
      handler: (ctx) => {
        const term = (ctx.query.get('term') ?? '').toLowerCase();
        if (term === '') throw v1Error(400, 'term must be given');
        const byEmail =
          ctx.query.get('search_by_email') === '1' || ctx.query.get('search_by_email') === 'true';
        const found = [...ctx.state.int.users.values()].filter((u) =>
          byEmail
            ? String(u.email).toLowerCase().includes(term)
            : String(u.name).toLowerCase().includes(term) || String(u.email).toLowerCase().includes(term),
        );
        return ok(found.length ? found.map((u) => renderUser(ctx, u)) : null);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/users/{id}',
      handler: (ctx) => {
        const user = ctx.state.int.users.get(Number(ctx.params.id));
        if (!user)
          throw new SimHttpError(404, { success: false, error: 'User not found or not accessible.' });
        return ok(renderUser(ctx, user));
      },
    },
    // Activity types
    {
      method: 'GET',
      path: '/api/v1/activityTypes',
      handler: (ctx) => ok([...ctx.state.int.activityTypes.values()]),
    },
    {
      method: 'POST',
      path: '/api/v1/activityTypes',
      handler: (ctx) => {
        const body = v1Body(ctx);
        if (typeof body.name !== 'string' || body.name.trim() === '')
          throw v1Error(400, 'Name must be given.');
        if (typeof body.icon_key !== 'string' || body.icon_key === '')
          throw v1Error(400, 'icon_key must be given.');
        const now = v1Time(ctx.now);
        const id = ctx.state.nextId('activityTypes');
        const rec: Rec = {
          id,
          order_nr: ctx.state.int.activityTypes.size + 1,
          name: body.name,
          key_string: keyString(ctx, body.name),
          icon_key: body.icon_key,
          active_flag: true,
          color: (body.color as string | undefined) ?? null,
          is_custom_flag: true,
          add_time: now,
          update_time: now,
        };
        ctx.state.int.activityTypes.set(id, rec);
        return ok(rec);
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/activityTypes/{id}',
      handler: (ctx) => {
        const rec = ctx.state.int.activityTypes.get(Number(ctx.params.id));
        if (!rec || rec.active_flag === false) throw v1NotFound('Activity type');
        const body = v1Body(ctx);
        for (const key of ['name', 'icon_key', 'color', 'order_nr'] as const)
          if (body[key] !== undefined) rec[key] = body[key];
        rec.update_time = v1Time(ctx.now);
        return ok(rec);
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/activityTypes/{id}',
      handler: (ctx) => {
        const rec = ctx.state.int.activityTypes.get(Number(ctx.params.id));
        if (!rec || rec.active_flag === false) throw v1NotFound('Activity type');
        rec.active_flag = false;
        rec.update_time = v1Time(ctx.now);
        return ok(rec);
      },
    },
  ];
}
