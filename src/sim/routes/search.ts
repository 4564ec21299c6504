import type { SimContext } from '../context.ts';
import { customFields, SEARCHABLE_FIELD_TYPES } from '../fields.ts';
import { ok, schemaError } from '../http.ts';
import { pageByOffset, v2Limit } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { FieldEntity, Rec } from '../state.ts';
import { anyTimeToMs } from '../time.ts';
import { queryBool, queryInt } from './common.ts';

/** What a search type looks at and how a hit is shown; declared per item type. */
interface SearchType {
  readonly type: 'person' | 'organization' | 'deal' | 'lead';
  readonly fieldEntity: FieldEntity;
  readonly fields: readonly string[];
  readonly records: (ctx: SimContext) => Iterable<Rec>;
  /** Text values per searchable field of a record. */
  readonly values: (rec: Rec, field: string) => string[];
  readonly item: (ctx: SimContext, rec: Rec, matchedCustom: string[]) => Rec;
  readonly filters?: readonly {
    param: string;
    test: (rec: Rec, v: number | string) => boolean;
    kind: 'int' | 'string';
  }[];
}

function customValues(ctx: SimContext, entity: FieldEntity, rec: Rec): { key: string; text: string }[] {
  const stored = (rec.custom_fields ?? {}) as Rec;
  const out: { key: string; text: string }[] = [];
  for (const def of customFields(ctx.state, entity)) {
    if (!SEARCHABLE_FIELD_TYPES.has(def.field_type)) continue;
    const v = stored[def.key];
    if (v === null || v === undefined) continue;
    const text = typeof v === 'object' ? String((v as Rec).value ?? '') : String(v);
    if (text !== '') out.push({ key: def.key, text });
  }
  return out;
}

function orgRef(ctx: SimContext, id: unknown): Rec | null {
  const org = typeof id === 'number' ? ctx.state.int.organizations.get(id) : undefined;
  return org ? { id: org.id, name: org.name, address: (org.address as Rec | null)?.value ?? null } : null;
}

function personRef(ctx: SimContext, id: unknown): Rec | null {
  const p = typeof id === 'number' ? ctx.state.int.persons.get(id) : undefined;
  return p ? { id: p.id, name: p.name } : null;
}

const live = (map: Map<unknown, Rec>) => [...map.values()].filter((r) => r.is_deleted !== true);

const SEARCH_TYPES: readonly SearchType[] = [
  {
    type: 'person',
    fieldEntity: 'person',
    fields: ['custom_fields', 'email', 'notes', 'phone', 'name'],
    records: (ctx) => live(ctx.state.int.persons),
    values: (rec, field) =>
      field === 'name'
        ? [String(rec.name)]
        : field === 'email'
          ? (rec.emails as Rec[]).map((e) => String(e.value))
          : field === 'phone'
            ? (rec.phones as Rec[]).map((e) => String(e.value))
            : [],
    item: (ctx, rec, custom) => ({
      id: rec.id,
      type: 'person',
      name: rec.name,
      phones: (rec.phones as Rec[]).map((e) => e.value),
      emails: (rec.emails as Rec[]).map((e) => e.value),
      visible_to: rec.visible_to,
      owner: { id: rec.owner_id },
      organization: orgRef(ctx, rec.org_id),
      custom_fields: custom,
      notes: [],
    }),
    filters: [{ param: 'organization_id', kind: 'int', test: (r, v) => r.org_id === v }],
  },
  {
    type: 'organization',
    fieldEntity: 'organization',
    fields: ['address', 'custom_fields', 'notes', 'name'],
    records: (ctx) => live(ctx.state.int.organizations),
    values: (rec, field) =>
      field === 'name'
        ? [String(rec.name)]
        : field === 'address' && rec.address
          ? [String((rec.address as Rec).value)]
          : [],
    item: (_ctx, rec, custom) => ({
      id: rec.id,
      type: 'organization',
      name: rec.name,
      address: (rec.address as Rec | null)?.value ?? null,
      visible_to: rec.visible_to,
      owner: { id: rec.owner_id },
      custom_fields: custom,
      notes: [],
    }),
  },
  {
    type: 'deal',
    fieldEntity: 'deal',
    fields: ['custom_fields', 'notes', 'title'],
    records: (ctx) => live(ctx.state.int.deals),
    values: (rec, field) => (field === 'title' ? [String(rec.title)] : []),
    item: (ctx, rec, custom) => {
      const stage = ctx.state.int.stages.get(rec.stage_id as number);
      return {
        id: rec.id,
        type: 'deal',
        title: rec.title,
        value: rec.value,
        currency: rec.currency,
        status: rec.status,
        visible_to: rec.visible_to,
        owner: { id: rec.owner_id },
        stage: stage ? { id: stage.id, name: stage.name } : null,
        person: personRef(ctx, rec.person_id),
        organization: orgRef(ctx, rec.org_id),
        custom_fields: custom,
        notes: [],
        is_archived: rec.is_archived === true,
      };
    },
    filters: [
      { param: 'person_id', kind: 'int', test: (r, v) => r.person_id === v },
      { param: 'organization_id', kind: 'int', test: (r, v) => r.org_id === v },
      { param: 'status', kind: 'string', test: (r, v) => r.status === v },
    ],
  },
  {
    type: 'lead',
    fieldEntity: 'deal',
    fields: ['custom_fields', 'notes', 'title'],
    records: (ctx) => ctx.state.uuid.leads.values(),
    values: (rec, field) => (field === 'title' ? [String(rec.title)] : []),
    item: (ctx, rec, custom) => ({
      id: rec.id,
      type: 'lead',
      title: rec.title,
      owner: { id: rec.owner_id },
      person: personRef(ctx, rec.person_id),
      organization: orgRef(ctx, rec.organization_id),
      phones: [],
      emails: [],
      custom_fields: custom,
      notes: [],
      value: (rec.value as Rec | null)?.amount ?? null,
      currency: (rec.value as Rec | null)?.currency ?? null,
      visible_to: Number(rec.visible_to ?? 3),
      is_archived: rec.is_archived === true,
    }),
    filters: [
      { param: 'person_id', kind: 'int', test: (r, v) => r.person_id === v },
      { param: 'organization_id', kind: 'int', test: (r, v) => r.organization_id === v },
    ],
  },
];

/** With `searchIndexDelayMs`, records written within the window are not in the index yet. */
function indexed(ctx: SimContext, rec: Rec): boolean {
  const delay = ctx.options.searchIndexDelayMs;
  if (delay <= 0) return true;
  return (anyTimeToMs(rec.update_time) ?? 0) <= ctx.now - delay;
}

/** Score of one text against the term: exact 1, prefix 0.8, substring 0.5 (case-insensitive), 0 none. */
function score(text: string, term: string, exact: boolean): number {
  const t = text.toLowerCase();
  if (t === term) return 1;
  if (exact) return 0;
  if (t.startsWith(term)) return 0.8;
  return t.includes(term) ? 0.5 : 0;
}

function readTerm(ctx: SimContext, exact: boolean): string {
  const term = (ctx.query.get('term') ?? '').trim();
  if (term.length < (exact ? 1 : 2))
    throw schemaError([`term: Parameter 'term' must be at least ${exact ? 1 : 2} characters long`]);
  return term.toLowerCase();
}

function runSearch(ctx: SimContext, types: readonly SearchType[], limitMax: number) {
  const exact = queryBool(ctx.query, 'exact_match') ?? false;
  const term = readTerm(ctx, exact);
  const limit = v2Limit(ctx.query, limitMax);
  const requested = ctx.query
    .get('fields')
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const hits: { result_score: number; item: Rec; id: unknown }[] = [];
  for (const st of types) {
    const fields = requested ? requested.filter((f) => st.fields.includes(f)) : st.fields;
    if (requested && types.length === 1) {
      const bad = requested.filter((f) => !st.fields.includes(f));
      if (bad.length)
        throw schemaError([`fields: Parameter 'fields' must be a list of ${st.fields.join(', ')}`]);
    }
    const filters = (st.filters ?? [])
      .map((f) => ({
        f,
        v: f.kind === 'int' ? queryInt(ctx.query, f.param) : (ctx.query.get(f.param) ?? undefined),
      }))
      .filter((x) => x.v !== undefined && x.v !== '');
    for (const rec of st.records(ctx)) {
      if (!indexed(ctx, rec)) continue;
      if (!filters.every(({ f, v }) => f.test(rec, v as number | string))) continue;
      let best = 0;
      for (const field of fields) {
        if (field === 'custom_fields') continue;
        for (const text of st.values(rec, field)) best = Math.max(best, score(text, term, exact));
      }
      const matchedCustom: string[] = [];
      if (fields.includes('custom_fields')) {
        for (const { text } of customValues(ctx, st.fieldEntity, rec)) {
          const s = score(text, term, exact);
          if (s > 0) matchedCustom.push(text);
          best = Math.max(best, s);
        }
      }
      if (best > 0) hits.push({ result_score: best, item: st.item(ctx, rec, matchedCustom), id: rec.id });
    }
  }
  hits.sort(
    (a, b) =>
      b.result_score - a.result_score || String(a.id).localeCompare(String(b.id), 'en', { numeric: true }),
  );
  const { page, nextCursor } = pageByOffset(hits, ctx.query.get('cursor'), limit);
  return ok(
    { items: page.map(({ result_score, item }) => ({ result_score, item })) },
    { next_cursor: nextCursor },
  );
}

export function searchRoutes(): RouteDef[] {
  const routes: RouteDef[] = SEARCH_TYPES.map((st) => ({
    method: 'GET' as const,
    path: `/api/v2/${st.type === 'person' ? 'persons' : st.type === 'organization' ? 'organizations' : `${st.type}s`}/search`,
    search: true,
    handler: (ctx: SimContext) => runSearch(ctx, [st], 500),
  }));
  routes.push({
    method: 'GET',
    path: '/api/v2/itemSearch',
    search: true,
    handler: (ctx) => {
      const wanted = ctx.query
        .get('item_types')
        ?.split(',')
        .map((s) => s.trim());
      return runSearch(
        ctx,
        SEARCH_TYPES.filter((st) => !wanted || wanted.includes(st.type)),
        100,
      );
    },
  });
  routes.push({
    method: 'GET',
    path: '/api/v2/itemSearch/field',
    search: true,
    handler: (ctx) => {
      const entityType = ctx.query.get('entity_type') ?? '';
      const st = SEARCH_TYPES.find((s) => s.type === entityType);
      if (!st)
        throw schemaError([
          `entity_type: Parameter 'entity_type' must be one of deal, lead, person, organization`,
        ]);
      const field = ctx.query.get('field') ?? '';
      if (!field) throw schemaError([`field: Parameter 'field' is required`]);
      const match = ctx.query.get('match') ?? 'exact';
      if (!['exact', 'beginning', 'middle'].includes(match))
        throw schemaError([`match: Parameter 'match' must be one of exact, beginning, middle`]);
      const term = ctx.query.get('term') ?? '';
      if (term.length < (match === 'exact' ? 1 : 2))
        throw schemaError([`term: Parameter 'term' is too short`]);
      const limit = v2Limit(ctx.query, 500);
      const hits: Rec[] = [];
      for (const rec of st.records(ctx)) {
        if (!indexed(ctx, rec)) continue;
        const stored = (rec.custom_fields ?? {}) as Rec;
        const raw = field in stored ? stored[field] : rec[field];
        const values = Array.isArray(raw)
          ? raw.map((v) => (typeof v === 'object' && v !== null ? String((v as Rec).value) : String(v)))
          : raw === null || raw === undefined
            ? []
            : [typeof raw === 'object' ? String((raw as Rec).value ?? '') : String(raw)];
        // `match` is case-sensitive on this endpoint [SPEC-v2].
        const found = values.find((v) =>
          match === 'exact' ? v === term : match === 'beginning' ? v.startsWith(term) : v.includes(term),
        );
        if (found !== undefined) {
          hits.push({
            result_score: found === term ? 1 : 0.5,
            item: { id: rec.id, type: st.type, name: rec.name ?? rec.title, [field]: found },
          });
        }
      }
      const { page, nextCursor } = pageByOffset(hits, ctx.query.get('cursor'), limit);
      return ok(page, { next_cursor: nextCursor });
    },
  });
  return routes;
}
