import type { ColumnArtefact } from '../../model.ts';
import { normalizeHeader } from '../headers.ts';
import { classifyValue } from '../value-kinds.ts';

/**
 * What a sample of a file's rows says about each column, for choosing the file's key and the columns of a
 * natural key. Pure: names and cells in, evidence out.
 */
export interface ColumnEvidence {
  readonly name: string;
  readonly index: number;
  /** Share of sampled rows with a value, in [0,1]. */
  readonly fill: number;
  /** How many sampled rows have a value. */
  readonly filled: number;
  /** Every non-empty value differs from every other (trimmed). */
  readonly unique: boolean;
  /** Share of the values shaped like identifiers: integers, codes, GUIDs. */
  readonly keyShape: number;
  /** Share of the values that are one short token of letters or digits (`SHA`, `jkowalski`, `AB-12`). */
  readonly codeShape: number;
  /** 1, 2, 3 … (or 0, 1, 2 …) in file order: a row counter, i.e. row position, not an identity. */
  readonly counter: boolean;
  /** One value in every row (an export artefact such as 'SYSTEM' or the run's user). */
  readonly constant: boolean;
  /** Timestamps all within a day of each other: when the export ran, not when anything happened. */
  readonly stamp: boolean;
  /** Hexadecimal row versions (they change whenever the row is touched). */
  readonly rowVersion: boolean;
  /** An earlier column whose values this one repeats in every sampled row. */
  readonly copyOf?: string | undefined;
}

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const ROW_VERSION = /^(0x)?[0-9a-f]{16}$/i;
const CODE = /^[\p{L}\d][\p{L}\d._-]{0,11}$/u;
const ID_WORDS = new Set(['id', 'key', 'number', 'ref', 'reference', 'code', 'guid', 'uuid', 'identifier']);

/** Whether the header reads like an identifier ('Contact ID', 'Nº Cliente', 'Case #', 'client_ref'). */
export function isIdNamedHeader(header: string): boolean {
  const tokens = normalizeHeader(header)
    .split(' ')
    .filter((t) => t !== '' && !/^\d+$/.test(t));
  if (tokens.length === 0) return false;
  return ID_WORDS.has(tokens.at(-1)!) || ID_WORDS.has(tokens[0]!);
}

/** `2024.100`, `2024-0041`, `24/0041`: a year (or series) and a number, which read as decimals or phones. */
const YEAR_SERIAL = /^((19|20)\d{2}|\d{2})[.\-/]\d{3,6}$/;
/** A code in any script (`Ż-0012`, `ÄR-7`): letters, at most one separator, a digit. */
const CODE_ANY_SCRIPT = /^\p{L}{0,8}[-_#/]?[\p{L}\d]*\d[\p{L}\d\-_/.]*$/u;

/** A value shaped like a record identifier. */
export function isKeyShaped(value: string): boolean {
  const trimmed = value.trim();
  if (GUID.test(trimmed) || YEAR_SERIAL.test(trimmed)) return true;
  const kind = classifyValue(trimmed).kind;
  if (kind === 'integer' || kind === 'id') return true;
  // The value classes read letters as ASCII: a code with Polish, German or Nordic letters is text to them.
  return (
    kind === 'text' && trimmed.length <= 40 && /[^\x00-\x7f]/.test(trimmed) && CODE_ANY_SCRIPT.test(trimmed)
  );
}

/** Evidence for every column from sampled rows (cells by column index, '' when empty). */
export function columnEvidence(
  names: readonly string[],
  rows: readonly (readonly string[])[],
): ColumnEvidence[] {
  const normalised = names.map((_, index) => rows.map((row) => (row[index] ?? '').trim().toLowerCase()));
  return names.map((name, index) => {
    const values = rows.map((row) => (row[index] ?? '').trim());
    const filled = values.filter((value) => value !== '');
    const distinct = new Set(filled);
    const keyShaped = filled.filter(isKeyShaped).length;
    return {
      name,
      index,
      fill: rows.length === 0 ? 0 : filled.length / rows.length,
      filled: filled.length,
      unique: filled.length > 0 && distinct.size === filled.length,
      keyShape: filled.length === 0 ? 0 : keyShaped / filled.length,
      codeShape: filled.length === 0 ? 0 : filled.filter((v) => CODE.test(v)).length / filled.length,
      counter: isCounter(values),
      constant: rows.length >= 3 && filled.length === rows.length && distinct.size === 1,
      stamp: isStamp(filled),
      rowVersion:
        filled.length > 0 && filled.filter((v) => ROW_VERSION.test(v)).length / filled.length >= 0.8,
      copyOf: copiedColumn(normalised, index, names),
    };
  });
}

/** The first earlier column holding the same value in every row. */
function copiedColumn(
  columns: readonly (readonly string[])[],
  index: number,
  names: readonly string[],
): string | undefined {
  const own = columns[index] ?? [];
  // Three different values at least: two flag columns agreeing on a few rows is chance, not a copy.
  if (new Set(own.filter((v) => v !== '')).size < 3) return undefined;
  for (let other = 0; other < index; other += 1) {
    const values = columns[other] ?? [];
    if (own.every((value, row) => value === values[row])) return names[other];
  }
  return undefined;
}

function isCounter(values: readonly string[]): boolean {
  // Two rows numbered 1, 2 already say "position": a re-sorted export would number them the other way.
  if (values.length < 2) return false;
  const first = Number(values[0]);
  if (first !== 0 && first !== 1) return false;
  return values.every((value, i) => /^\d+$/.test(value) && Number(value) === first + i);
}

/** Date-times (with a time of day) spanning less than a day across at least two rows. */
function isStamp(values: readonly string[]): boolean {
  if (values.length < 2) return false;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (classifyValue(value).kind !== 'datetime') return false;
    const at = Date.parse(value.includes('T') || /^\d{4}-/.test(value) ? value : value.replace(/-/g, '/'));
    if (Number.isNaN(at)) return false;
    min = Math.min(min, at);
    max = Math.max(max, at);
  }
  return max - min < 86_400_000;
}

/** Whether a column is an artefact of the export rather than data (left out of natural keys and content). */
export function isArtefact(evidence: ColumnEvidence): boolean {
  return evidence.counter || evidence.stamp || evidence.constant || evidence.rowVersion;
}

/**
 * Which artefact of the export a column is, if any: for telling data from artefacts in a mapping, three
 * rows at least (two rows numbered 1, 2 are kept out of a natural key, but not called a decoy).
 */
export function artefactOf(evidence: ColumnEvidence): ColumnArtefact | undefined {
  if (evidence.filled < 3) return undefined;
  if (evidence.counter) return 'counter';
  if (evidence.stamp) return 'stamp';
  if (evidence.constant) return 'constant';
  if (evidence.rowVersion) return 'row_version';
  return undefined;
}

export { ID_WORDS };
