import { htmlToText } from '../mapping/transforms/index.ts';
/**
 * Field-level comparison of what Ferry wrote (the request body, ids resolved) with what Pipedrive returns.
 * Pure. Values are normalised before comparing, so a difference means the data differs, not its spelling:
 * money and numbers, dates and time zones, HTML (Pipedrive sanitises note content), phone formats,
 * v1 flat custom fields versus v2 nested ones, and e-mail/phone lists.
 */

export interface FieldDiff {
  /** Dotted field path, e.g. `title`, `emails`, `custom_fields.9dc8…`. */
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** Fields Pipedrive computes or that Ferry only uses to find records; never compared. */
const IGNORED_FIELDS = new Set(['add_time', 'update_time', 'visible_to', 'was_seen']);

/**
 * Compares every field of `expected` with `actual`; fields Pipedrive adds are not differences.
 * @example diffRecord({ title: 'A', value: 10 }, { id: 1, title: 'A', value: '10.00' }) // → []
 */
export function diffRecord(
  expected: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
) {
  const diffs: FieldDiff[] = [];
  for (const [field, value] of Object.entries(expected)) {
    if (IGNORED_FIELDS.has(field)) continue;
    if (field === 'custom_fields' && isPlainObject(value)) {
      for (const [key, customValue] of Object.entries(value)) {
        const actualValue = customFieldValue(actual, key);
        if (!sameValue(key, customValue, actualValue)) {
          diffs.push({ field: `custom_fields.${key}`, expected: customValue, actual: actualValue ?? null });
        }
      }
      continue;
    }
    const actualValue = actual[field];
    if (!sameValue(field, value, actualValue))
      diffs.push({ field, expected: value, actual: actualValue ?? null });
  }
  return diffs;
}

/** v2 keeps custom fields under `custom_fields`; v1 (leads) puts them at the top level. */
function customFieldValue(actual: Readonly<Record<string, unknown>>, key: string): unknown {
  const nested = actual.custom_fields;
  if (isPlainObject(nested) && key in nested) return nested[key];
  return actual[key];
}

export function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (isBlank(expected)) return isBlank(actual);
  if (isBlank(actual)) return false;
  if (field === 'emails' || field === 'phones' || field === 'email' || field === 'phone') {
    return sameContactList(field, expected, actual);
  }
  if (field === 'participants') return sameParticipants(expected, actual);
  if (field === 'content' || field === 'note' || field === 'public_description') {
    return visibleText(String(expected)) === visibleText(String(actual));
  }
  if (field === 'due_time' || field === 'duration') return normaliseTime(expected) === normaliseTime(actual);
  if (typeof expected === 'number' && typeof actual === 'boolean') return expected === Number(actual);
  if (typeof expected === 'number') return numberOf(actual) === expected;
  if (typeof expected === 'boolean') return expected === (actual === true || actual === 1 || actual === '1');
  if (typeof expected === 'string') return sameString(expected, actual);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const left = expected.map((item) => JSON.stringify(normaliseScalar(item))).sort();
    const right = actual.map((item) => JSON.stringify(normaliseScalar(item))).sort();
    return left.length === right.length && left.every((item, index) => item === right[index]);
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    return Object.entries(expected).every(([key, value]) => sameValue(key, value, actual[key]));
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

function sameString(expected: string, actual: unknown): boolean {
  if (typeof actual === 'number') return Number(expected) === actual;
  if (typeof actual !== 'string') return false;
  if (expected === actual) return true;
  const expectedTime = timestampOf(expected);
  const actualTime = timestampOf(actual);
  if (expectedTime !== undefined && actualTime !== undefined) return expectedTime === actualTime;
  return expected.trim() === actual.trim();
}

/** A timestamp in RFC 3339, v1 `YYYY-MM-DD HH:MM:SS` (UTC) or a plain date, as epoch ms. */
export function timestampOf(value: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    value.trim(),
  );
  if (!match) return undefined;
  const [, date, time, zone] = match;
  if (!time) return Date.parse(`${date}T00:00:00Z`);
  const parsed = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${zone ?? 'Z'}`);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000) * 1000;
}

function normaliseTime(value: unknown): string {
  const text = String(value ?? '').trim();
  return /^\d{2}:\d{2}$/.test(text) ? `${text}:00` : text;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (isPlainObject(value) && 'value' in value) return numberOf(value.value);
  return undefined;
}

function sameContactList(field: string, expected: unknown, actual: unknown): boolean {
  const key = field.startsWith('email') ? normaliseEmail : normalisePhone;
  const left = contactValues(expected).map(key).sort();
  const right = contactValues(actual).map(key).sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

function contactValues(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items
    .map((item) => (isPlainObject(item) ? item.value : item))
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

const normaliseEmail = (value: string) => value.trim().toLowerCase();
const normalisePhone = (value: string) => value.replace(/[^\d+]/g, '').replace(/^\+?1(?=\d{10}$)/, '+1');

function sameParticipants(expected: unknown, actual: unknown): boolean {
  const ids = (value: unknown) =>
    (Array.isArray(value) ? value : [])
      .map((item) => (isPlainObject(item) ? Number(item.person_id) : Number.NaN))
      .filter((id) => !Number.isNaN(id))
      .sort((a, b) => a - b);
  const left = ids(expected);
  const right = ids(actual);
  return left.length === right.length && left.every((id, index) => id === right[index]);
}

function normaliseScalar(value: unknown): unknown {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value;
}

/** Visible text of an HTML fragment, whitespace folded: what a reader sees, whatever the markup. */
function visibleText(html: string): string {
  return htmlToText(html).replace(/\s+/g, ' ').trim();
}

function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isPlainObject(value) && 'value' in value && isBlank(value.value) && Object.keys(value).length <= 2)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
