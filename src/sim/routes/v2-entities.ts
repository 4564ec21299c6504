import type { SimContext } from '../context.ts';
import { applyCustomV2, renderCustomV2 } from '../fields.ts';
import { ok, type SimHttpError, schemaError, v2NotFound } from '../http.ts';
import { pageV2, v2Limit } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { Rec } from '../state.ts';
import { anyTimeToMs, rfc3339 } from '../time.ts';
import { validateShape } from '../validation.ts';
import { pathId, queryBool, queryIds, queryInt, queryUpdatedRange, sortParams, v2Body } from './common.ts';
import { activityEntity } from './v2/activity.ts';
import { dealEntity } from './v2/deal.ts';
import type { ListFilter, Mode, V2Entity } from './v2/entity.ts';
import { organizationEntity } from './v2/organization.ts';
import { personEntity } from './v2/person.ts';

export type { V2Entity } from './v2/entity.ts';

export const V2_ENTITIES: readonly V2Entity[] = [
  personEntity,
  organizationEntity,
  dealEntity,
  activityEntity,
];

/** `include_fields` each entity accepts [SPEC-v2]; the counts below are computed, the rest come back null. */
const INCLUDE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  persons: [
    'next_activity_id',
    'last_activity_id',
    'open_deals_count',
    'related_open_deals_count',
    'closed_deals_count',
    'related_closed_deals_count',
    'participant_open_deals_count',
    'participant_closed_deals_count',
    'email_messages_count',
    'activities_count',
    'done_activities_count',
    'undone_activities_count',
    'files_count',
    'notes_count',
    'followers_count',
    'won_deals_count',
    'related_won_deals_count',
    'lost_deals_count',
    'related_lost_deals_count',
    'last_incoming_mail_time',
    'last_outgoing_mail_time',
    'marketing_status',
    'doi_status',
    'smart_bcc_email',
  ],
  organizations: [
    'next_activity_id',
    'last_activity_id',
    'open_deals_count',
    'related_open_deals_count',
    'closed_deals_count',
    'related_closed_deals_count',
    'email_messages_count',
    'people_count',
    'activities_count',
    'done_activities_count',
    'undone_activities_count',
    'files_count',
    'notes_count',
    'followers_count',
    'won_deals_count',
    'related_won_deals_count',
    'lost_deals_count',
    'related_lost_deals_count',
    'smart_bcc_email',
  ],
  deals: [
    'next_activity_id',
    'last_activity_id',
    'first_won_time',
    'products_count',
    'files_count',
    'notes_count',
    'followers_count',
    'email_messages_count',
    'activities_count',
    'done_activities_count',
    'undone_activities_count',
    'participants_count',
    'last_incoming_mail_time',
    'last_outgoing_mail_time',
    'smart_bcc_email',
    'source_lead_id',
  ],
  activities: ['attendees'],
};

/** Counts the simulator models; other include_fields (mail, followers, related_*) come back null. */
const COMPUTED_COUNTS: ReadonlySet<string> = new Set([
  'notes_count',
  'files_count',
  'activities_count',
  'done_activities_count',
  'undone_activities_count',
  'open_deals_count',
  'closed_deals_count',
  'won_deals_count',
  'lost_deals_count',
  'people_count',
]);

/** The link field that points at this entity from notes, files, activities and deals. */
const LINK_KEY: Readonly<Record<string, string>> = {
  persons: 'person_id',
  organizations: 'org_id',
  deals: 'deal_id',
};

/**
 * Adds the requested `include_fields` to rendered records. Counts are computed with one scan of the linked
 * collections per request (not per record), so a 500-record page stays cheap.
 */
function includeFields(ctx: SimContext, entity: V2Entity): ((rec: Rec, out: Rec) => void) | undefined {
  const raw = ctx.query.get('include_fields');
  if (!raw) return undefined;
  const requested = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const allowed = INCLUDE_FIELDS[entity.path] ?? [];
  const bad = requested.filter((f) => !allowed.includes(f));
  if (bad.length)
    throw schemaError([`include_fields: Parameter 'include_fields' must be a list of ${allowed.join(', ')}`]);
  const link = LINK_KEY[entity.path];
  if (!link) return undefined;
  const counts = new Map<string, Map<unknown, number>>();
  const bump = (name: string, id: unknown) => {
    if (id === null || id === undefined) return;
    const m = counts.get(name) ?? new Map<unknown, number>();
    m.set(id, (m.get(id) ?? 0) + 1);
    counts.set(name, m);
  };
  const wants = (name: string) => requested.includes(name);
  if (wants('notes_count'))
    for (const n of ctx.state.int.notes.values()) if (n.active_flag !== false) bump('notes_count', n[link]);
  if (wants('files_count'))
    for (const f of ctx.state.int.files.values()) if (f.active_flag !== false) bump('files_count', f[link]);
  if (requested.some((f) => f.endsWith('activities_count'))) {
    for (const a of ctx.state.int.activities.values()) {
      if (a.is_deleted) continue;
      bump('activities_count', a[link]);
      bump(a.done ? 'done_activities_count' : 'undone_activities_count', a[link]);
    }
  }
  if (entity.path !== 'deals' && requested.some((f) => f.endsWith('deals_count'))) {
    for (const d of ctx.state.int.deals.values()) {
      if (d.is_deleted) continue;
      const id = d[link];
      bump(d.status === 'open' ? 'open_deals_count' : 'closed_deals_count', id);
      if (d.status === 'won') bump('won_deals_count', id);
      if (d.status === 'lost') bump('lost_deals_count', id);
    }
  }
  if (wants('people_count'))
    for (const p of ctx.state.int.persons.values()) if (!p.is_deleted) bump('people_count', p.org_id);
  return (rec, out) => {
    for (const name of requested) {
      out[name] = COMPUTED_COUNTS.has(name) ? (counts.get(name)?.get(rec.id) ?? 0) : (out[name] ?? null);
    }
  };
}

/** The v2 response shape of a stored record (custom_fields filled with every live field). */
export function renderV2(ctx: SimContext, entity: V2Entity, rec: Rec, only?: ReadonlySet<string>): Rec {
  const out: Rec = { ...rec };
  if (entity.fieldEntity)
    out.custom_fields = renderCustomV2(ctx.state, entity.fieldEntity, rec.custom_fields as Rec, only);
  entity.render?.(ctx, rec, out);
  return out;
}

export function entityByPath(path: string): V2Entity | undefined {
  return V2_ENTITIES.find((e) => e.path === path);
}

function notFound(entity: V2Entity): () => SimHttpError {
  return () => v2NotFound(entity.label);
}

/** Looks a record up for GET/PATCH/DELETE; soft-deleted ones count as missing unless `allowDeleted`. */
function findRecord(ctx: SimContext, entity: V2Entity, allowDeleted: boolean): Rec {
  const id = pathId(ctx, notFound(entity));
  const rec = ctx.state.int[entity.collection].get(id);
  if (!rec || (rec.is_deleted === true && !allowDeleted)) throw notFound(entity)();
  return rec;
}

function validateBody(ctx: SimContext, entity: V2Entity, body: Rec, mode: Mode): void {
  entity.precheck?.(body);
  const errors = validateShape(entity.shape(ctx, mode), body);
  if (errors.length > 0) throw schemaError(errors);
}

export function createV2(ctx: SimContext, entity: V2Entity, body: Rec): Rec {
  validateBody(ctx, entity, body, 'create');
  const id = ctx.state.nextId(entity.collection);
  const rec = entity.defaults(ctx, id);
  entity.apply(ctx, rec, body, 'create');
  if (entity.fieldEntity)
    applyCustomV2(ctx.state, entity.fieldEntity, body.custom_fields, rec.custom_fields as Rec);
  ctx.state.int[entity.collection].set(id, rec);
  return rec;
}

export function updateV2(ctx: SimContext, entity: V2Entity, rec: Rec, body: Rec): Rec {
  validateBody(ctx, entity, body, 'update');
  const draft: Rec = structuredClone(rec);
  entity.apply(ctx, draft, body, 'update');
  if (entity.fieldEntity)
    applyCustomV2(ctx.state, entity.fieldEntity, body.custom_fields, draft.custom_fields as Rec);
  draft.update_time = rfc3339(ctx.now);
  ctx.state.int[entity.collection].set(rec.id as number, draft);
  return draft;
}

function listV2(ctx: SimContext, entity: V2Entity, archived: boolean): Rec[] {
  const q = ctx.query;
  const { since, until } = queryUpdatedRange(q);
  const filters: { f: ListFilter; v: number | boolean | string }[] = [];
  for (const f of entity.filters) {
    const v =
      f.kind === 'int'
        ? queryInt(q, f.param)
        : f.kind === 'bool'
          ? queryBool(q, f.param)
          : (q.get(f.param) ?? undefined);
    if (v !== undefined && v !== '') filters.push({ f, v });
  }
  let statuses: Set<string> | undefined;
  if (entity.path === 'deals' && q.get('status')) {
    statuses = new Set((q.get('status') as string).split(',').map((s) => s.trim()));
    for (const s of statuses) {
      if (!['open', 'won', 'lost', 'deleted'].includes(s))
        throw schemaError([`status: Parameter 'status' must be a list of open, won, lost, deleted`]);
    }
  }
  const ids = queryIds(q);
  const source: Iterable<Rec> = ids
    ? ids.map((id) => ctx.state.int[entity.collection].get(id)).filter((r): r is Rec => r !== undefined)
    : ctx.state.int[entity.collection].values();
  const out: Rec[] = [];
  for (const rec of source) {
    if (rec.is_deleted === true) {
      if (!statuses?.has('deleted')) continue;
    } else if (statuses && !statuses.has(rec.status as string)) continue;
    if (archived ? rec.is_archived !== true : entity.listed && !entity.listed(rec, ctx)) continue;
    if (since !== undefined || until !== undefined) {
      const t = anyTimeToMs(rec.update_time) ?? 0;
      if (since !== undefined && t < since) continue;
      if (until !== undefined && t >= until) continue;
    }
    if (!filters.every(({ f, v }) => f.test(rec, v, ctx))) continue;
    out.push(rec);
  }
  return out;
}

function withIncludes(out: Rec, rec: Rec, include: ((rec: Rec, out: Rec) => void) | undefined): Rec {
  include?.(rec, out);
  return out;
}

function customFieldSelection(ctx: SimContext): Set<string> | undefined {
  const raw = ctx.query.get('custom_fields');
  if (!raw) return undefined;
  const keys = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (keys.length > 15) throw schemaError([`custom_fields: Parameter 'custom_fields' takes at most 15 keys`]);
  return new Set(keys);
}

/** Routes of the v2 CRUD entities, generated from V2_ENTITIES. */
export function v2EntityRoutes(): RouteDef[] {
  const routes: RouteDef[] = [];
  for (const entity of V2_ENTITIES) {
    const base = `/api/v2/${entity.path}`;
    const list = (archived: boolean) => (ctx: SimContext) => {
      const limit = v2Limit(ctx.query);
      const { sortBy, direction } = sortParams(ctx.query, entity.sortBy);
      const only = customFieldSelection(ctx);
      const include = includeFields(ctx, entity);
      const { page, nextCursor } = pageV2(listV2(ctx, entity, archived), {
        sortBy,
        direction,
        cursor: ctx.query.get('cursor'),
        limit,
      });
      return ok(
        page.map((r) => withIncludes(renderV2(ctx, entity, r, only), r, include)),
        { next_cursor: nextCursor },
      );
    };
    routes.push({ method: 'GET', path: base, handler: list(false) });
    if (entity.path === 'deals')
      routes.push({ method: 'GET', path: `${base}/archived`, handler: list(true) });
    routes.push({
      method: 'GET',
      path: `${base}/{id}`,
      handler: (ctx) => {
        const rec = findRecord(ctx, entity, ctx.options.deletedGet === 'found');
        return ok(
          withIncludes(
            renderV2(ctx, entity, rec, customFieldSelection(ctx)),
            rec,
            includeFields(ctx, entity),
          ),
        );
      },
    });
    routes.push({
      method: 'POST',
      path: base,
      handler: (ctx) => ok(renderV2(ctx, entity, createV2(ctx, entity, v2Body(ctx)))),
    });
    routes.push({
      method: 'PATCH',
      path: `${base}/{id}`,
      handler: (ctx) => {
        const rec = findRecord(ctx, entity, false);
        return ok(renderV2(ctx, entity, updateV2(ctx, entity, rec, v2Body(ctx))));
      },
    });
    routes.push({
      method: 'DELETE',
      path: `${base}/{id}`,
      handler: (ctx) => {
        const rec = findRecord(ctx, entity, false);
        rec.is_deleted = true;
        rec.update_time = rfc3339(ctx.now);
        return ok({ id: rec.id });
      },
    });
  }
  return routes;
}
