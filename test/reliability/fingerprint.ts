import type { SimStateJson } from './support.ts';

type Rec = Record<string, unknown>;

const LINK_FIELDS = ['org_id', 'person_id', 'deal_id', 'lead_id', 'activity_id'] as const;
/**
 * Fields the server sets at write time (and the local dates it derives from them, which change when a run
 * resumes on the next day), and the record's own id: they differ between two equal runs.
 */
const VOLATILE =
  /^(id|add_time|update_time|close_time|won_time|lost_time|local_(won|lost|close)_date|marked_as_done_time|url|file_name|remote_id)$/;

/**
 * A live record reduced to what two equal migrations must agree on: its identity, its own field values,
 * and its links expressed as the linked record's identity (ids differ between accounts). References to
 * the schema are given by name too (a stage as `pipeline/stage`, an option by its label), since schema ids
 * depend on the order parts were created in.
 */
export interface Fingerprints {
  readonly identities: Record<string, string[]>;
  readonly records: Record<string, Record<string, unknown>>;
  /** The live schema by name: a part created twice shows up twice, stages in their pipeline's order. */
  readonly schema: SchemaFingerprint;
}

export interface SchemaFingerprint {
  /** `entity: name (type)` of every live custom field, sorted. */
  readonly fields: string[];
  /** Live pipelines by name in order, each with its live stages in order. */
  readonly pipelines: string[];
  /** Active activity types and lead labels by name, sorted. */
  readonly activityTypes: string[];
  readonly leadLabels: string[];
}

export function fingerprints(state: SimStateJson): Fingerprints {
  const keyOf = (entity: string) =>
    state.fields[entity]?.find((field) => field.field_name === 'BackDocket ID' && !field.is_deleted)
      ?.field_code ?? '';
  const live = (collection: string) =>
    (state.entities[collection] ?? []).filter(
      (record) => record.is_deleted !== true && record.active_flag !== false,
    );
  const custom = (record: Rec, entity: string) =>
    (record.custom_fields as Rec | undefined)?.[keyOf(entity)] as string | undefined;
  const marker = (text: unknown) => /\[BackDocket ([^\]]+)\]/.exec(String(text ?? ''))?.[1];
  const identityById: Record<string, Map<unknown, string>> = {};
  const index = (collection: string, identityOf: (record: Rec) => string | undefined) => {
    identityById[collection] = new Map(live(collection).map((r) => [r.id, identityOf(r) ?? '(none)']));
  };
  index('organizations', (r) => custom(r, 'organization'));
  index('persons', (r) => custom(r, 'person'));
  index('deals', (r) => custom(r, 'deal'));
  index('leads', (r) => r[keyOf('deal')] as string | undefined);
  index('activities', (r) => marker(r.note));
  index('notes', (r) => marker(r.content));
  const linkTarget: Record<(typeof LINK_FIELDS)[number], string> = {
    org_id: 'organizations',
    person_id: 'persons',
    deal_id: 'deals',
    lead_id: 'leads',
    activity_id: 'activities',
  };
  const linkIdentity = (field: (typeof LINK_FIELDS)[number], value: unknown) => {
    const id = value && typeof value === 'object' ? (value as Rec).value : value;
    if (id === null || id === undefined || id === 0) return null;
    return identityById[linkTarget[field]]?.get(id) ?? `(dangling ${field} ${String(id)})`;
  };
  index('files', (r) => {
    const parent = r.deal_id ? linkIdentity('deal_id', r.deal_id) : linkIdentity('person_id', r.person_id);
    return `${parent}:${r.name ?? r.file_name}`;
  });
  // Custom field keys are per account (from the simulator's seed): compare by field name instead.
  const fieldNames = new Map(
    Object.values(state.fields)
      .flat()
      .map((field) => [field.field_code, field.field_name]),
  );
  const schema = schemaNames(state);
  const identities: Record<string, string[]> = {};
  const records: Record<string, Record<string, unknown>> = {};
  for (const [collection, byId] of Object.entries(identityById)) {
    identities[collection] = [...byId.values()].sort();
    for (const record of live(collection)) {
      const identity = byId.get(record.id) ?? '(none)';
      const reduced: Rec = {};
      for (const [field, value] of Object.entries(record)) {
        if (VOLATILE.test(field)) continue;
        reduced[field] = (LINK_FIELDS as readonly string[]).includes(field)
          ? linkIdentity(field as (typeof LINK_FIELDS)[number], value)
          : field === 'participants'
            ? ((value as Rec[] | null) ?? []).map((p) => linkIdentity('person_id', p.person_id))
            : schema.byName(field, value);
      }
      records[`${collection}/${identity}`] = byFieldName(reduced, fieldNames);
    }
  }
  return { identities, records, schema: schemaFingerprint(state) };
}

function schemaFingerprint(state: SimStateJson): SchemaFingerprint {
  const live = (collection: string) =>
    (state.entities[collection] ?? []).filter(
      (record) => record.is_deleted !== true && record.active_flag !== false,
    );
  const byOrder = (a: Rec, b: Rec) => Number(a.order_nr) - Number(b.order_nr) || Number(a.id) - Number(b.id);
  const fields = Object.entries(state.fields).flatMap(([entity, list]) =>
    (list as (Rec & { field_name: string })[])
      .filter((field) => field.is_deleted !== true && field.is_custom_field !== false)
      .map((field) => `${entity}: ${field.field_name} (${String(field.field_type)})`),
  );
  const stages = live('stages');
  const pipelines = live('pipelines')
    .sort(byOrder)
    .map(
      (pipeline) =>
        `${String(pipeline.name)}: ${stages
          .filter((stage) => stage.pipeline_id === pipeline.id)
          .sort(byOrder)
          .map((stage) => String(stage.name))
          .join(' → ')}`,
    );
  return {
    fields: fields.sort(),
    pipelines,
    activityTypes: live('activityTypes')
      .map((type) => String(type.name))
      .sort(),
    leadLabels: (state.entities.leadLabels ?? []).map((label) => String(label.name)).sort(),
  };
}

/**
 * Schema references by name: `stage_id` as `pipeline/stage`, `pipeline_id` as the pipeline, lead
 * `label_ids` as label names, and enum/set custom field values (option ids; v2 numbers or arrays, v1
 * strings) as option labels.
 */
function schemaNames(state: SimStateJson): { byName(field: string, value: unknown): unknown } {
  const pipelines = new Map((state.entities.pipelines ?? []).map((p) => [p.id, String(p.name)]));
  const stages = new Map(
    (state.entities.stages ?? []).map((stage) => [
      stage.id,
      `${pipelines.get(stage.pipeline_id)}/${String(stage.name)}`,
    ]),
  );
  const labels = new Map((state.entities.leadLabels ?? []).map((label) => [label.id, String(label.name)]));
  const options = new Map<string, Map<string, string>>();
  for (const field of Object.values(state.fields).flat() as (Rec & { field_code: string })[]) {
    const list = (field.options ?? []) as { id: number; label: string }[];
    if (list.length > 0) options.set(field.field_code, new Map(list.map((o) => [String(o.id), o.label])));
  }
  const optionLabels = (field: Map<string, string>, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((id) => field.get(String(id)) ?? `(option ${String(id)})`);
    if (typeof value === 'number') return field.get(String(value)) ?? `(option ${value})`;
    if (typeof value === 'string' && /^\d+(,\d+)*$/.test(value))
      return value.split(',').map((id) => field.get(id) ?? `(option ${id})`);
    return value;
  };
  const customValues = (values: Rec): Rec =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => {
        const field = options.get(key);
        return [key, field ? optionLabels(field, value) : value];
      }),
    );
  return {
    byName(field, value) {
      if (field === 'stage_id') return stages.get(value) ?? value;
      if (field === 'pipeline_id') return pipelines.get(value) ?? value;
      if (field === 'label_ids' && Array.isArray(value)) return value.map((id) => labels.get(id) ?? id);
      if (field === 'custom_fields' && value && typeof value === 'object') return customValues(value as Rec);
      // v1 leads carry custom fields at the top level.
      const optionsOfField = options.get(field);
      return optionsOfField ? optionLabels(optionsOfField, value) : value;
    },
  };
}

const CUSTOM_KEY = /^[0-9a-f]{40}(_currency|_until)?$/;

/** Renames 40-hex custom field keys (top level for v1 leads, inside `custom_fields` for v2) to field names. */
function byFieldName(record: Rec, fieldNames: ReadonlyMap<string, string>): Rec {
  const rename = (object: Rec): Rec =>
    Object.fromEntries(
      Object.entries(object).map(([key, value]) => {
        const match = CUSTOM_KEY.exec(key);
        const base = match ? key.slice(0, 40) : key;
        return [match ? `${fieldNames.get(base) ?? '(unknown field)'}${match[1] ?? ''}` : key, value];
      }),
    );
  const out = rename(record);
  if (out.custom_fields && typeof out.custom_fields === 'object')
    out.custom_fields = rename(out.custom_fields as Rec);
  return out;
}
