import type { SimStateJson } from './support.ts';

type Rec = Record<string, unknown>;

const LINK_FIELDS = ['org_id', 'person_id', 'deal_id', 'lead_id', 'activity_id'] as const;
/** Fields the server sets at write time, and the record's own id: they differ between two equal runs. */
const VOLATILE =
  /^(id|add_time|update_time|close_time|won_time|lost_time|marked_as_done_time|url|file_name|remote_id)$/;

/**
 * A live record reduced to what two equal migrations must agree on: its identity, its own field values,
 * and its links expressed as the linked record's identity (ids differ between accounts).
 */
export interface Fingerprints {
  readonly identities: Record<string, string[]>;
  readonly records: Record<string, Record<string, unknown>>;
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
            : value;
      }
      records[`${collection}/${identity}`] = byFieldName(reduced, fieldNames);
    }
  }
  return { identities, records };
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
