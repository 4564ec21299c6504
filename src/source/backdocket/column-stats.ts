import type { ColumnProfile, ColumnReference, KindShare, ValueKind } from '../model.ts';
import { classifyValue, isCompactDate, isPlaceholderDate, looksLikeExcelSerial } from './value-kinds.ts';

/** Beyond this many distinct values a column stops collecting them (distinctCount becomes a floor). */
export const DISTINCT_CAP = 100_000;
const KIND_CACHE_CAP = 20_000;
/** Share of a column's values that must be eight-digit calendar days for it to be a column of dates. */
const COMPACT_DATE_SHARE = 0.9;
/** Lines remembered per notable value shape, so issues can point at rows. */
export const LINES_PER_SHAPE = 500;

/** Shape of a value notable for the data-quality checks, beyond its kind. */
export type ValueMark =
  | 'embedded_newline'
  | 'html'
  | 'multi_value'
  | 'placeholder_date'
  | 'excel_serial'
  | 'scientific'
  | 'formula'
  | 'trailing_space'
  | 'short_zip'
  | 'sensitive_text';

interface Tally {
  count: number;
  readonly lines: number[];
  readonly examples: string[];
}

const HTML =
  /<\/?(br|p|div|span|b|i|u|strong|em|font|ul|li|ol|table|tr|td|a)\b[^>]*>|&(nbsp|amp|lt|gt|quot|#\d+);/i;
const MULTI_VALUE = /\S\s*[;|]\s*\S/;
// Medical or identity details written into free text (the column itself is not a DOB/SSN column).
const SENSITIVE_TEXT =
  /\b(dx|diagnos(is|ed|es)|icd-?10|ssn|social security|dob|date of birth)\b|\b\d{3}-\d{2}-\d{4}\b/i;

/**
 * Everything extraction learns about one column while the rows stream past; `profile()` turns it into
 * the ColumnProfile contract. Pure: fed values, no I/O.
 */
export class ColumnStats {
  readonly name: string;
  readonly originalName: string;
  readonly index: number;
  nonEmpty = 0;
  maxLength = 0;
  readonly distinct = new Set<string | number>();
  distinctCapped = false;
  readonly samples: string[] = [];
  /** `kind` or `kind|format` → tally. */
  readonly shapes = new Map<string, Tally>();
  readonly marks = new Map<ValueMark, Tally>();
  private readonly cache = new Map<string, string>();
  /** Set by the extractor for sensitive columns so samples never show values. */
  masked = false;
  /** Set by the extractor for the key column: its distinct values are the file's keys, kept there. */
  trackDistinct = true;
  /** Set by the extractor for ZIP columns: 3–4 digit values lost a leading zero in Excel. */
  zip = false;

  constructor(options: { name: string; originalName: string; index: number }) {
    this.name = options.name;
    this.originalName = options.originalName;
    this.index = options.index;
  }

  add(value: string, line: number): void {
    if (
      value === '' ||
      ((isSpace(value.charCodeAt(0)) || isSpace(value.charCodeAt(value.length - 1))) && value.trim() === '')
    )
      return;
    this.nonEmpty += 1;
    if (value.length > this.maxLength) this.maxLength = value.length;
    if (!this.trackDistinct) {
      if (this.samples.length < 5 && !this.samples.includes(value)) this.samples.push(value.slice(0, 80));
    } else if (!this.distinctCapped) {
      const key = value.length > 64 ? fnv53(value) : value;
      // One hash look-up per value: add, and tell a new value by the grown size.
      const size = this.distinct.size;
      if (size < DISTINCT_CAP) {
        if (this.distinct.add(key).size > size && this.samples.length < 5)
          this.samples.push(value.length > 80 ? `${value.slice(0, 77)}…` : value);
      } else if (!this.distinct.has(key)) this.distinctCapped = true;
    }
    // Only short values are cached: do not hash a long text for a look-up that cannot hit.
    const cacheable = value.length <= 64;
    let shape = cacheable ? this.cache.get(value) : undefined;
    if (shape === undefined) {
      shape = this.shapeOf(value);
      if (cacheable && this.cache.size < KIND_CACHE_CAP) this.cache.set(value, shape);
    }
    tally(this.shapes, shape, line, value);
    if (this.zip && /^\d{3,4}$/.test(value.trim())) tally(this.marks, 'short_zip', line, value);
    if (value.length > 3) this.markValue(value, line, shape);
  }

  private shapeOf(value: string): string {
    const trimmed = value.trim();
    const cls = classifyValue(trimmed);
    if (cls.kind === 'integer' && looksLikeExcelSerial(trimmed)) return 'integer|serial-range';
    if (cls.kind === 'integer' && isCompactDate(trimmed)) return 'integer|compact-date';
    if (cls.kind === 'date' && isPlaceholderDate(trimmed)) return `date|${cls.format}|placeholder`;
    return cls.format === undefined ? cls.kind : `${cls.kind}|${cls.format}`;
  }

  private markValue(value: string, line: number, shape: string): void {
    if (value.includes('\n') || value.includes('\r')) tally(this.marks, 'embedded_newline', line, value);
    if (value.length > 8 && (value.includes('<') || value.includes('&')) && HTML.test(value))
      tally(this.marks, 'html', line, value);
    if (value.length < 200 && (value.includes(';') || value.includes('|')) && MULTI_VALUE.test(value)) {
      tally(this.marks, 'multi_value', line, value);
    }
    if (shape.endsWith('placeholder')) tally(this.marks, 'placeholder_date', line, value);
    if (shape === 'number|scientific') tally(this.marks, 'scientific', line, value);
    if (value.startsWith('=')) tally(this.marks, 'formula', line, value);
    if (value.length > 8 && shape === 'text' && SENSITIVE_TEXT.test(value))
      tally(this.marks, 'sensitive_text', line, value);
    if (isSpace(value.charCodeAt(0)) || isSpace(value.charCodeAt(value.length - 1)))
      tally(this.marks, 'trailing_space', line, value);
  }

  /** Marks a value by an outside observation (XLSX formula cells, serials seen in a date column…). */
  mark(mark: ValueMark, line: number, value: string): void {
    tally(this.marks, mark, line, value);
  }

  /** Count of non-empty values of a kind (all formats). */
  countKind(kind: ValueKind): number {
    let total = 0;
    for (const [shape, t] of this.shapes)
      if (shape === kind || shape.startsWith(`${kind}|`)) total += t.count;
    return total;
  }

  shareOf(kind: ValueKind): number {
    return this.nonEmpty === 0 ? 0 : this.countKind(kind) / this.nonEmpty;
  }

  profile(
    rowCount: number,
    options: { distinctCount?: number; references?: readonly ColumnReference[] } = {},
  ): ColumnProfile {
    return {
      name: this.name,
      originalName: this.originalName,
      index: this.index,
      fillRate: rowCount === 0 ? 0 : round(this.nonEmpty / rowCount),
      distinctCount: options.distinctCount ?? this.distinct.size,
      kinds: this.kindShares(),
      samples: this.masked ? this.samples.map(() => '•••') : [...this.samples],
      maxLength: this.maxLength,
      references: options.references ?? [],
    };
  }

  /** Kinds with their shares; dates keep one entry per format so mixed formats stay visible. */
  kindShares(): KindShare[] {
    if (this.nonEmpty === 0) return [];
    const byKey = new Map<string, { kind: ValueKind; format: string | undefined; count: number }>();
    const dateLike = this.shareOf('date') + this.shareOf('datetime') >= 0.5;
    // Eight digits that are all calendar days (`20151122`) are a column of dates; a few among other
    // numbers are numbers.
    const compactDates =
      (this.shapes.get('integer|compact-date')?.count ?? 0) / this.nonEmpty >= COMPACT_DATE_SHARE;
    for (const [shape, t] of this.shapes) {
      const [kind, format] = shape.split('|') as [ValueKind, string | undefined];
      let entry: { kind: ValueKind; format: string | undefined };
      if (kind === 'date' || kind === 'datetime') entry = { kind, format };
      else if (format === 'serial-range' && dateLike) entry = { kind: 'date', format: 'excel-serial' };
      else if (format === 'compact-date' && compactDates) entry = { kind: 'date', format: 'YYYYMMDD' };
      else entry = { kind, format: kind === 'number' || kind === 'money' ? format : undefined };
      const key = `${entry.kind}|${entry.format ?? ''}`;
      const current = byKey.get(key);
      if (current) current.count += t.count;
      else byKey.set(key, { ...entry, count: t.count });
    }
    return [...byKey.values()]
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind))
      .map((entry) => ({
        kind: entry.kind,
        share: round(entry.count / this.nonEmpty),
        ...(entry.format !== undefined ? { format: entry.format } : {}),
      }));
  }

  /** Lines and examples of values of a shape prefix (e.g. `date|M/D/YY`). */
  linesOf(shapePrefix: string): { count: number; lines: number[]; examples: string[] } {
    const result = { count: 0, lines: [] as number[], examples: [] as string[] };
    for (const [shape, t] of this.shapes) {
      if (shape !== shapePrefix && !shape.startsWith(`${shapePrefix}|`)) continue;
      result.count += t.count;
      result.lines.push(...t.lines);
      result.examples.push(...t.examples);
    }
    result.lines.sort((a, b) => a - b);
    return result;
  }

  /** Drops per-value memory once the file is done, keeping what cross-file checks need. */
  release(keepDistinct: boolean): void {
    this.cache.clear();
    if (!keepDistinct) this.distinct.clear();
  }
}

function tally<K>(map: Map<K, Tally>, key: K, line: number, value: string): void {
  let t = map.get(key);
  if (!t) {
    t = { count: 0, lines: [], examples: [] };
    map.set(key, t);
  }
  t.count += 1;
  if (t.lines.length < LINES_PER_SHAPE) t.lines.push(line);
  if (t.examples.length < 5 && !t.examples.includes(value))
    t.examples.push(value.length > 60 ? `${value.slice(0, 57)}…` : value);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 160;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

/** 53-bit FNV-1a-style hash: distinct counting of long values without keeping them. */
function fnv53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822507);
  }
  return (h2 >>> 0) * 2097152 + ((h1 >>> 0) & 0x1fffff);
}
