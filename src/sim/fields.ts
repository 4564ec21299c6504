import { SimHttpError, schemaError, v1Error } from './http.ts';
import { FIELD_ENTITIES, type FieldDef, type FieldEntity, type Rec, type SimState } from './state.ts';
import { isDate, normalizeTime, rfc3339, v1Time } from './time.ts';

/** [key, name, field_type, v1 key?, subfields?] — the system fields every account has. */
type StandardField = readonly [string, string, string, string?, (readonly string[])?];

const STANDARD_FIELDS: Readonly<Record<FieldEntity, readonly StandardField[]>> = {
  deal: [
    ['id', 'ID', 'int'],
    ['title', 'Title', 'varchar'],
    ['creator_user_id', 'Creator', 'user'],
    ['owner_id', 'Owner', 'user', 'user_id'],
    ['value', 'Value', 'monetary', 'value', ['value', 'currency']],
    ['currency', 'Currency', 'varchar_options'],
    ['probability', 'Probability', 'double'],
    ['org_id', 'Organization', 'org'],
    ['pipeline_id', 'Pipeline', 'double'],
    ['person_id', 'Contact person', 'people'],
    ['stage_id', 'Stage', 'stage'],
    ['status', 'Status', 'status'],
    ['add_time', 'Deal created', 'date'],
    ['update_time', 'Update time', 'date'],
    ['stage_change_time', 'Last stage change', 'date'],
    ['close_time', 'Deal closed on', 'date'],
    ['won_time', 'Won time', 'date'],
    ['lost_time', 'Lost time', 'date'],
    ['lost_reason', 'Lost reason', 'varchar'],
    ['expected_close_date', 'Expected close date', 'date'],
    ['visible_to', 'Visible to', 'visible_to'],
    ['label_ids', 'Label', 'set', 'label'],
    ['origin', 'Source origin', 'varchar'],
    ['channel', 'Source channel', 'enum'],
  ],
  person: [
    ['id', 'ID', 'int'],
    ['name', 'Name', 'varchar'],
    ['first_name', 'First name', 'varchar'],
    ['last_name', 'Last name', 'varchar'],
    ['owner_id', 'Owner', 'user'],
    ['org_id', 'Organization', 'org'],
    ['emails', 'Email', 'varchar', 'email'],
    ['phones', 'Phone', 'phone', 'phone'],
    ['label_ids', 'Labels', 'set', 'label'],
    ['visible_to', 'Visible to', 'visible_to'],
    ['marketing_status', 'Marketing status', 'enum'],
    ['add_time', 'Person created', 'date'],
    ['update_time', 'Update time', 'date'],
    ['picture_id', 'Profile picture', 'picture'],
  ],
  organization: [
    ['id', 'ID', 'int'],
    ['name', 'Name', 'varchar'],
    ['owner_id', 'Owner', 'user'],
    ['address', 'Address', 'address'],
    ['label_ids', 'Labels', 'set', 'label'],
    ['visible_to', 'Visible to', 'visible_to'],
    ['add_time', 'Organization created', 'date'],
    ['update_time', 'Update time', 'date'],
    ['picture_id', 'Profile picture', 'picture'],
  ],
  activity: [
    ['id', 'ID', 'int'],
    ['subject', 'Subject', 'varchar'],
    ['type', 'Type', 'varchar_options'],
    ['due_date', 'Due date', 'date'],
    ['due_time', 'Due time', 'time'],
    ['duration', 'Duration', 'time'],
    ['owner_id', 'Assigned to user', 'user', 'user_id'],
    ['deal_id', 'Deal', 'deal'],
    ['lead_id', 'Lead', 'lead'],
    ['person_id', 'Contact person', 'people'],
    ['org_id', 'Organization', 'org'],
    ['note', 'Note', 'text'],
    ['done', 'Done', 'boolean'],
    ['busy', 'Free/busy', 'boolean', 'busy_flag'],
    ['location', 'Location', 'address'],
    ['public_description', 'Public description', 'text'],
    ['priority', 'Priority', 'enum'],
    ['add_time', 'Add time', 'date'],
    ['update_time', 'Update time', 'date'],
    ['marked_as_done_time', 'Marked as done time', 'date'],
  ],
};

/** Field types a custom field may be created with (v2 POST enum). */
export const CREATABLE_FIELD_TYPES = [
  'varchar',
  'text',
  'double',
  'phone',
  'date',
  'daterange',
  'time',
  'timerange',
  'set',
  'enum',
  'varchar_auto',
  'address',
  'monetary',
  'org',
  'people',
  'user',
] as const;

/** Custom field types the search endpoints look into [SPEC-v2 §8.1]. */
export const SEARCHABLE_FIELD_TYPES: ReadonlySet<string> = new Set([
  'address',
  'varchar',
  'text',
  'varchar_auto',
  'double',
  'monetary',
  'phone',
]);

export const ADDRESS_PARTS = [
  'country',
  'admin_area_level_1',
  'admin_area_level_2',
  'locality',
  'sublocality',
  'route',
  'street_number',
  'subpremise',
  'postal_code',
] as const;

export function seedStandardFields(state: SimState, now: number): void {
  for (const entity of FIELD_ENTITIES) {
    for (const [key, name, type, v1Key, subfields] of STANDARD_FIELDS[entity]) {
      const def = newFieldDef(state, { entity, key, name, type, custom: false, now });
      if (v1Key && v1Key !== key) def.v1_key = v1Key;
      if (subfields) def.subfields = [...subfields];
      state.fields[entity].push(def);
    }
  }
}

export function newFieldDef(
  state: SimState,
  input: { entity: FieldEntity; key: string; name: string; type: string; custom: boolean; now: number },
): FieldDef {
  return {
    id: state.nextId('field'),
    key: input.key,
    name: input.name,
    field_type: input.type,
    is_custom: input.custom,
    is_deleted: false,
    order_nr: state.fields[input.entity].length,
    options: input.type === 'enum' || input.type === 'set' ? [] : null,
    description: null,
    add_time: input.now,
    update_time: input.now,
    ui_visibility: { add_visible_flag: false, details_visible_flag: true },
    important_fields: { enabled: false, stage_ids: [] },
    required_fields: { enabled: false, stage_ids: [], statuses: {} },
  };
}

/** v2 field object (`/api/v2/dealFields`). */
export function renderFieldV2(def: FieldDef): Rec {
  return {
    field_name: def.name,
    field_code: def.key,
    description: def.description,
    field_type: def.field_type,
    options: def.options
      ? def.options.map((o) => ({ id: o.id, label: o.label, color: o.color ?? null }))
      : null,
    subfields: def.subfields ? def.subfields.map((code) => ({ field_code: code })) : null,
    is_custom_field: def.is_custom,
    is_optional_response_field: false,
    ui_visibility: def.ui_visibility,
    important_fields: def.important_fields,
    required_fields: def.required_fields,
  };
}

/** v1's field_type enum lacks v2's read-only system types; they show as the nearest v1 type. */
const V1_FIELD_TYPE: Readonly<Record<string, string>> = {
  int: 'double',
  varchar_options: 'enum',
  stage: 'enum',
  status: 'enum',
  boolean: 'enum',
  picture: 'varchar',
  deal: 'double',
  lead: 'varchar',
};

/** v1 field object (`/api/v1/dealFields`). */
export function renderFieldV1(def: FieldDef): Rec {
  return {
    id: def.id,
    key: def.v1_key ?? def.key,
    name: def.name,
    order_nr: def.order_nr,
    field_type: V1_FIELD_TYPE[def.field_type] ?? def.field_type,
    add_time: v1Time(def.add_time),
    update_time: v1Time(def.update_time),
    last_updated_by_user_id: 1,
    created_by_user_id: 1,
    active_flag: !def.is_deleted,
    edit_flag: def.is_custom,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: Boolean(def.ui_visibility.add_visible_flag),
    important_flag: Boolean(def.important_fields.enabled),
    bulk_edit_allowed: true,
    searchable_flag: def.is_custom && SEARCHABLE_FIELD_TYPES.has(def.field_type),
    filtering_allowed: true,
    sortable_flag: true,
    mandatory_flag: false,
    options: def.options ? def.options.map((o) => ({ id: o.id, label: o.label })) : null,
  };
}

export function customFields(state: SimState, entity: FieldEntity): FieldDef[] {
  return state.fields[entity].filter((f) => f.is_custom && !f.is_deleted);
}

/** v2 `custom_fields` as returned: every live custom field, null when unset (see docs/simulator.md). */
export function renderCustomV2(
  state: SimState,
  entity: FieldEntity,
  stored: Rec,
  only?: ReadonlySet<string>,
): Rec {
  const out: Rec = {};
  for (const def of customFields(state, entity)) {
    if (only && !only.has(def.key)) continue;
    out[def.key] = stored[def.key] ?? null;
  }
  return out;
}

const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks and normalises one v2 `custom_fields` value against its definition. Returns the stored value
 * (v2 shape) or a message naming the field.
 */
export function normalizeCustomV2(
  state: SimState,
  def: FieldDef,
  value: unknown,
): { value: unknown } | { error: string } {
  if (value === null) return { value: null };
  const bad = (what: string) => ({
    error: `custom_fields.${def.key}: ${what} (field "${def.name}", ${def.field_type})`,
  });
  switch (def.field_type) {
    case 'varchar':
    case 'varchar_auto':
    case 'phone':
      if (typeof value !== 'string') return bad('must be a string');
      if (value.length > 255) return bad('must be at most 255 characters');
      return { value };
    case 'text':
      if (typeof value !== 'string') return bad('must be a string');
      if (value.length > 65_535) return bad('must be at most 65535 characters');
      return { value };
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : bad('must be a number');
    case 'monetary': {
      if (!isObj(value) || typeof value.value !== 'number')
        return bad('must be {"value": number, "currency": string}');
      const currency = value.currency ?? state.int.users.get(1)?.default_currency ?? 'USD';
      if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
        return bad('currency must be a 3-letter code');
      return { value: { value: value.value, currency } };
    }
    case 'date':
      return typeof value === 'string' && isDate(value) ? { value } : bad('must be a date YYYY-MM-DD');
    case 'daterange':
      if (!isObj(value) || typeof value.value !== 'string' || !isDate(value.value))
        return bad('must be {"value": date, "until": date}');
      if (typeof value.until !== 'string' || !isDate(value.until))
        return bad('until must be a date YYYY-MM-DD');
      return { value: { value: value.value, until: value.until } };
    case 'time': {
      const raw = isObj(value) ? value.value : value;
      const time = typeof raw === 'string' ? normalizeTime(raw) : undefined;
      if (!time) return bad('must be a time HH:MM:SS');
      return { value: isObj(value) ? { ...value, value: time } : time };
    }
    case 'timerange': {
      if (!isObj(value)) return bad('must be {"value": time, "until": time}');
      const from = typeof value.value === 'string' ? normalizeTime(value.value) : undefined;
      const until = typeof value.until === 'string' ? normalizeTime(value.until) : undefined;
      if (!from || !until) return bad('must be {"value": time, "until": time}');
      return { value: { ...value, value: from, until } };
    }
    case 'enum':
      if (typeof value !== 'number' || !Number.isInteger(value)) return bad('must be an option id (integer)');
      if (!def.options?.some((o) => o.id === value)) return bad(`option id ${value} does not exist`);
      return { value };
    case 'set': {
      if (!Array.isArray(value) || value.length === 0)
        return bad('must be a non-empty array of option ids (send null to clear)');
      for (const id of value) {
        if (typeof id !== 'number' || !def.options?.some((o) => o.id === id))
          return bad(`option id ${String(id)} does not exist`);
      }
      return { value: [...new Set(value as number[])] };
    }
    case 'user':
      return typeof value === 'number' && state.int.users.has(value)
        ? { value }
        : bad('must be an existing user id');
    case 'org':
      return typeof value === 'number' && Number.isInteger(value)
        ? { value }
        : bad('must be an organization id');
    case 'people':
      return typeof value === 'number' && Number.isInteger(value) ? { value } : bad('must be a person id');
    case 'address': {
      if (!isObj(value) || typeof value.value !== 'string') return bad('must be {"value": string, …}');
      return { value: normalizeAddress(value) };
    }
    default:
      return { value };
  }
}

/** Address object with every part present (missing ones null), as v2 stores it. */
export function normalizeAddress(value: Rec): Rec {
  const out: Rec = { value: value.value };
  for (const part of ADDRESS_PARTS) out[part] = value[part] ?? null;
  out.formatted_address = value.formatted_address ?? value.value;
  return out;
}

/** Validates a whole `custom_fields` object for a v2 write; throws the 400 the API gives. */
export function applyCustomV2(state: SimState, entity: FieldEntity, input: unknown, target: Rec): void {
  if (input === undefined) return;
  if (!isObj(input)) throw schemaError(["custom_fields: Parameter 'custom_fields' must be an object"]);
  const errors: string[] = [];
  const next: Rec = {};
  for (const [key, value] of Object.entries(input)) {
    const def = state.fieldByKey(entity, key);
    if (!def?.is_custom) {
      errors.push(`custom_fields.${key}: Parameter '${key}' is not allowed for this request`);
      continue;
    }
    const result = normalizeCustomV2(state, def, value);
    if ('error' in result) errors.push(result.error);
    else next[key] = result.value;
  }
  if (errors.length > 0) throw schemaError(errors);
  for (const [key, value] of Object.entries(next)) {
    if (value === null) delete target[key];
    else target[key] = value;
  }
}

/** v1 flat rendering of stored (v2-shaped) custom values: enum "id", set "id,id", monetary key + key_currency, … */
export function renderCustomV1Flat(state: SimState, entity: FieldEntity, stored: Rec, out: Rec): void {
  for (const def of customFields(state, entity)) {
    const value = stored[def.key];
    if (value === undefined || value === null) continue;
    switch (def.field_type) {
      case 'enum':
        out[def.key] = String(value);
        break;
      case 'set':
        out[def.key] = (value as number[]).join(',');
        break;
      case 'monetary':
        out[def.key] = (value as Rec).value;
        out[`${def.key}_currency`] = (value as Rec).currency;
        break;
      case 'daterange':
      case 'timerange':
        out[def.key] = (value as Rec).value;
        out[`${def.key}_until`] = (value as Rec).until;
        break;
      case 'time':
        out[def.key] = isObj(value) ? value.value : value;
        break;
      case 'address': {
        const a = value as Rec;
        out[def.key] = a.value;
        for (const part of [...ADDRESS_PARTS, 'formatted_address'])
          out[`${def.key}_${part}`] = a[part] ?? null;
        break;
      }
      default:
        out[def.key] = value;
    }
  }
}

/**
 * Reads v1 flat custom values from a body (leads): top-level hash keys plus `_currency`/`_until` suffixes.
 * Unknown hash-like keys are refused; the returned object is in the stored (v2) shape.
 */
export function parseCustomV1Flat(state: SimState, entity: FieldEntity, body: Rec, existing: Rec): Rec {
  const next: Rec = {};
  const errors: string[] = [];
  for (const def of customFields(state, entity)) {
    if (!(def.key in body) && !(`${def.key}_currency` in body) && !(`${def.key}_until` in body)) continue;
    const raw = body[def.key];
    let v2: unknown = raw;
    if (raw !== null && raw !== undefined) {
      switch (def.field_type) {
        case 'enum':
          v2 = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
          break;
        case 'set':
          v2 =
            typeof raw === 'string'
              ? raw
                  .split(',')
                  .filter(Boolean)
                  .map((s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s))
              : raw;
          break;
        case 'double':
          v2 = typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
          break;
        case 'monetary': {
          const prev = existing[def.key] as Rec | undefined;
          const amount = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
          v2 = { value: amount, currency: body[`${def.key}_currency`] ?? prev?.currency ?? undefined };
          break;
        }
        case 'daterange':
        case 'timerange':
          v2 = { value: raw, until: body[`${def.key}_until`] };
          break;
        case 'address':
          v2 = typeof raw === 'string' ? { value: raw } : raw;
          break;
        case 'user':
        case 'org':
        case 'people':
          v2 = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
          break;
      }
    }
    const result = normalizeCustomV2(state, def, v2 ?? null);
    if ('error' in result) errors.push(result.error.replace(/^custom_fields\./, ''));
    else next[def.key] = result.value;
  }
  if (errors.length > 0) throw v1Error(400, `Invalid custom field value: ${errors.join('; ')}`);
  return next;
}

export function isHashKey(key: string): boolean {
  return /^[0-9a-f]{40}(_[a-z_0-9]+)?$/.test(key);
}

export function throwIfNotFound(found: boolean, message: string): void {
  if (!found)
    throw new SimHttpError(404, { success: false, error: message, data: null, additional_data: null });
}

export function fieldTimes(def: FieldDef): Rec {
  return { add_time: rfc3339(def.add_time), update_time: rfc3339(def.update_time) };
}
