import type { TransformIssue } from '../mapping/transforms/index.ts';
import { isPlainMoney } from './values.ts';

/** Entities with custom fields; leads use the deal fields (Pipedrive shares them). */
export type CustomFieldEntity = 'deal' | 'person' | 'organization';

/** A custom field as it exists in the target account. */
export interface TargetField {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly options: readonly { readonly id: number; readonly label: string }[];
}

/**
 * What the planner needs to know of the target account: names resolved to per-account keys and ids.
 * Built from the schema resolver's snapshot after `ferry schema apply`.
 */
export interface TargetSchema {
  customField(entity: CustomFieldEntity, name: string): TargetField | undefined;
  pipelineId(name: string): number | undefined;
  stageId(pipeline: string, stage: string): number | undefined;
  /** Activity type `key_string` for a type name (or key). */
  activityTypeKey(name: string): string | undefined;
  /** Lead label id (a UUID) for a label name. */
  leadLabelId(name: string): string | undefined;
}

export const IDENTITY_FIELD = 'BackDocket ID';
export const ORIGINAL_CREATE_DATE_FIELD = 'Original Create Date';
export const MATTER_TYPE_FIELD = 'Matter Type';
/** Deal field listing documents over the upload limit (name, path, size): the deal links to them instead. */
export const DOCUMENTS_NOT_UPLOADED_FIELD = 'Documents Not Uploaded';

/**
 * Encodes a transformed value for a custom field of the account, in the entity's API dialect:
 * v2 (`custom_fields`, nested objects) or v1 (leads: flat keys, `<key>_currency`). Enum and set values are
 * matched to option ids by label, case-insensitively.
 */
export function encodeCustomValue(
  field: TargetField,
  value: unknown,
  dialect: 'v1' | 'v2',
): { ok: true; entries: [string, unknown][] } | { ok: false; issue: TransformIssue } {
  if (value === null || value === undefined) return { ok: true, entries: [] };
  const option = (label: string) =>
    field.options.find((candidate) => candidate.label.trim().toLowerCase() === label.trim().toLowerCase())
      ?.id;
  switch (field.type) {
    case 'monetary': {
      const money = isPlainMoney(value) ? value : { amount: Number(value), currency: undefined };
      if (!Number.isFinite(money.amount)) return invalid(field, value);
      if (dialect === 'v2')
        return { ok: true, entries: [[field.key, { value: money.amount, currency: money.currency }]] };
      const entries: [string, unknown][] = [[field.key, money.amount]];
      if (money.currency) entries.push([`${field.key}_currency`, money.currency]);
      return { ok: true, entries };
    }
    case 'double': {
      const number = isPlainMoney(value)
        ? value.amount
        : typeof value === 'boolean'
          ? Number(value)
          : Number(value);
      return Number.isFinite(number) ? { ok: true, entries: [[field.key, number]] } : invalid(field, value);
    }
    case 'enum': {
      const label = labelOf(value);
      const id = option(label);
      if (id === undefined) return unknownOption(field, label);
      return { ok: true, entries: [[field.key, dialect === 'v2' ? id : String(id)]] };
    }
    case 'set': {
      const labels = Array.isArray(value) ? value.map(labelOf) : [labelOf(value)];
      const ids: number[] = [];
      for (const label of labels.filter((item) => item !== '')) {
        const id = option(label);
        if (id === undefined) return unknownOption(field, label);
        if (!ids.includes(id)) ids.push(id);
      }
      if (ids.length === 0) return { ok: true, entries: [] };
      return { ok: true, entries: [[field.key, dialect === 'v2' ? ids : ids.join(',')]] };
    }
    case 'address':
      return {
        ok: true,
        entries: [[field.key, dialect === 'v2' ? { value: String(value) } : String(value)]],
      };
    default: {
      const text = Array.isArray(value)
        ? value.join('; ')
        : isPlainMoney(value)
          ? String(value.amount)
          : String(value);
      return { ok: true, entries: [[field.key, text]] };
    }
  }
}

function labelOf(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value).trim();
}

function invalid(field: TargetField, value: unknown) {
  return {
    ok: false as const,
    issue: {
      code: 'invalid_value',
      severity: 'error' as const,
      message: `'${String(value)}' is not a valid value for the ${field.type} field '${field.name}'`,
    },
  };
}

function unknownOption(field: TargetField, label: string) {
  return {
    ok: false as const,
    issue: {
      code: 'unknown_option',
      severity: 'error' as const,
      message: `'${label}' is not an option of the Pipedrive field '${field.name}'; add the option (ferry schema apply) or map the value`,
    },
  };
}
