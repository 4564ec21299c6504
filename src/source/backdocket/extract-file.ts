import { hash } from 'node:crypto';
import { FerryError } from '../../core/errors.ts';
import type { Issue } from '../../core/issues.ts';
import type { ExtractedFile, ObjectDetection, SourceRow } from '../model.ts';
import { ColumnStats } from './column-stats.ts';
import { detectObject } from './detect-object.ts';
import { repairMojibake } from './encoding.ts';
import { conceptsOf, dedupeHeaders } from './headers.ts';
import { artefactOf, type ColumnEvidence, columnEvidence } from './keys/key-evidence.ts';
import { decideKeyPlan, type KeyPlan } from './keys/key-plan.ts';
import { type RowKey, RowKeyer } from './keys/row-keys.ts';
import { checksReadDistinct } from './quality/index.ts';
import { type FileSource, openTable, type RawRecord, type TableFormat } from './table-reader.ts';

/** Receives a file's rows as they are read (the store, or an array for extractInMemory). */
export interface RowSink {
  /** false: `row.values` is left empty (the store keeps the JSON; building the object would be waste). */
  readonly needsAllValues?: boolean;
  row(row: SourceRow, valuesJson: string): void;
  /**
   * Forgets the rows received so far: the file is read again with keys the first reading showed it needs
   * (another key column, or duplicates told apart by content).
   */
  restart(): void;
}

/** How extraction should key a file, from what it knew before reading it. */
export interface ExtractFileOptions {
  readonly signal?: AbortSignal | undefined;
  /** The previous extraction's key column: kept while it still qualifies, so identities survive a re-export. */
  readonly preferredKey?: string | null | undefined;
  /** Columns ruled out as keys (other files point at another column). */
  readonly excludedKeys?: ReadonlySet<string> | undefined;
}

/** What extraction knows about one file after reading it. */
export interface FileExtraction {
  readonly extracted: ExtractedFile;
  readonly format: TableFormat;
  readonly stats: readonly ColumnStats[];
  readonly keys: ReadonlySet<string>;
  readonly issues: Issue[];
  readonly headerLine: number;
  /** How rows were keyed, and the evidence of the first rows that decided it. */
  readonly keyPlan: KeyPlan;
  readonly evidence: readonly ColumnEvidence[];
}

/** Rows read before the key is decided: the evidence for it. */
const KEY_SAMPLE_ROWS = 500;
/** A file is read at most this many times (a key column the whole file disproves, duplicates to tell apart). */
const MAX_PASSES = 4;

/** Files with more rows than this are not considered as targets of references (memory bound). */
export const KEYS_KEPT_MAX = 250_000;
/** Objects no other file points at: their keys are not kept for the reference checks (memory). */
export const CHILD_OBJECTS: ReadonlySet<string> = new Set([
  'note',
  'task',
  'event',
  'billing_entry',
  'status_history',
  'claim_contact',
  'claim_staff',
  'check_approval',
]);

/** Row-level issues per (code, file, column) beyond which only a summary is kept. */
export const ROW_ISSUE_CAP = 500;

const TOTAL_ROW = /^(grand\s+|sub-?\s*)?totals?\b|^(sum|count|record count|total records)\s*[:=]?/i;
const FOOTER =
  /^(page\s+\d+\s+(of|\/)\s+\d+|report\s+(generated|run|printed|created)\b|(generated|printed|exported|run)\s+(on|by|at)\b|end of report|\d+\s+records?(\s+(found|listed|total))?\.?$|confidential\b|\*\*\* ?end)/i;
const SENSITIVE_CONCEPTS = new Set(['ssn', 'date_of_birth', 'diagnosis']);
/** The values of rows handed to a sink that keeps only the JSON (`needsAllValues: false`). */
const NO_VALUES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Reads one table file: finds the header under title rows, drops blank rows, totals and footers (and
 * says so), de-duplicates headers, repairs mojibake, keys and hashes every row and profiles every column.
 */
export async function extractFile(
  source: FileSource,
  sink: RowSink,
  options: ExtractFileOptions = {},
): Promise<FileExtraction> {
  const excluded = new Set(options.excludedKeys ?? []);
  let fixed: FixedKeys | undefined;
  for (let pass = 1; ; pass += 1) {
    const read = await readPass(source, sink, { ...options, excluded, fixed });
    const { keyer } = read;
    const plan = keyer.plan;
    const column = plan.keyColumn;
    const rows = read.extraction.extracted.rowCount;
    // The first rows chose the key; the whole file may disprove it (repeated or missing further down).
    const disproved =
      column !== null &&
      !fixed &&
      (keyer.duplicateRows > Math.max(2, rows * 0.01) || read.missingKeys > Math.max(2, rows * 0.01));
    const conflicts = keyer.conflicts();
    if (pass >= MAX_PASSES || (!disproved && (conflicts.size === 0 || fixed))) return read.extraction;
    sink.restart();
    if (disproved) {
      excluded.add(column);
      fixed = undefined;
    } else fixed = { plan, deferred: conflicts };
  }
}

/** A key plan fixed by an earlier reading of the file, with the key values rows of different content share. */
interface FixedKeys {
  readonly plan: KeyPlan;
  readonly deferred: ReadonlySet<string>;
}

async function readPass(
  source: FileSource,
  sink: RowSink,
  options: ExtractFileOptions & { excluded: ReadonlySet<string>; fixed: FixedKeys | undefined },
): Promise<{ extraction: FileExtraction; keyer: RowKeyer; missingKeys: number }> {
  const signal = options.signal;
  const { format, records } = await openTable(source);
  const file = source.name;
  const issues: Issue[] = [];
  const capped = new CappedIssues(issues);
  for (const note of format.notes) {
    issues.push({ code: 'encoding_fallback', severity: 'info', file, message: `${file}: ${note}.` });
  }

  const head: RawRecord[] = [];
  let headerRecord: RawRecord | undefined;
  let stats: ColumnStats[] = [];
  let names: string[] = [];
  let keyJson: string[] = [];
  let detection: ObjectDetection = { object: null, confidence: 0, reason: 'empty file' };
  let keyColumn: string | null = null;
  let keyIndex = -1;
  let keyer: RowKeyer | undefined;
  let evidence: ColumnEvidence[] = [];
  let missingKeys = 0;
  let rowCount = 0;
  /** One row's repaired cells, reused row after row when the sink keeps no values. */
  const rowCells: string[] = [];
  /** Rows held back until the file is read (their key value is shared by rows of different content). */
  const held: {
    cells: string[];
    line: number;
    contentHash: string;
    values: Record<string, string>;
    valuesJson: string;
  }[] = [];
  const blankLines: number[] = [];
  let headerLine = 0;

  const begin = (candidates: RawRecord[]): RawRecord[] => {
    const index = findHeaderIndex(candidates);
    headerRecord = candidates[index];
    if (!headerRecord) return [];
    for (const title of candidates.slice(0, index)) {
      if (isBlank(title.cells)) continue;
      issues.push({
        code: 'report_artefact',
        severity: 'info',
        file,
        line: title.line,
        message: `${file}:${title.line}: title row above the header dropped ("${firstText(title.cells)}").`,
      });
    }
    headerLine = headerRecord.line;
    // A byte-order mark is no damage to the data, but a BOM left in the first header (or read as
    // Windows-1252: `ï»¿`) would rename the key column: strip it and say so.
    const firstHeader = headerRecord.cells[0] ?? '';
    const bomInText = /^(\ufeff|ï»¿)/.test(firstHeader);
    if (bomInText) headerRecord.cells[0] = firstHeader.replace(/^(\ufeff|ï»¿)+/, '');
    if (bomInText || (format.encoding.includes('BOM') && headerLine === 1)) {
      issues.push({
        code: 'encoding_damage',
        severity: 'info',
        file,
        line: headerLine,
        field: (headerRecord.cells[0] ?? '').trim(),
        message: `${file}:${headerLine}: byte-order mark before the first header removed.`,
      });
    }
    // Trailing unnamed header cells are dropped (Excel pads rows with commas) unless the first data
    // rows use those columns; then they are kept and named Column_N.
    const named = trimTrailingEmpty(
      headerRecord.cells.map((cell) => repairMojibake(cell.trim()) ?? cell.trim()),
    );
    let used = named.length;
    for (const row of candidates.slice(index + 1)) {
      for (let i = row.cells.length - 1; i >= used; i -= 1) {
        if (!isBlankCell(row.cells[i] as string)) {
          used = i + 1;
          break;
        }
      }
    }
    const raw = [
      ...named,
      ...Array.from(
        { length: Math.max(0, Math.min(used, headerRecord.cells.length) - named.length) },
        () => '',
      ),
    ];
    const deduped = dedupeHeaders(raw);
    names = deduped.names;
    keyJson = names.map((name) => JSON.stringify(name));
    for (const duplicate of new Set(deduped.duplicates)) {
      const renamed = names.filter((name, i) => raw[i] === duplicate && name !== duplicate);
      issues.push({
        code: 'duplicate_header',
        severity: 'warning',
        file,
        line: headerLine,
        field: duplicate,
        message: `${file}:${headerLine}: the header "${duplicate}" appears more than once; the later columns are named ${renamed.map((n) => `"${n}"`).join(', ')}.`,
        fix: 'Check which column the mapping should use.',
      });
    }
    stats = names.map(
      (name, index2) => new ColumnStats({ name, originalName: raw[index2] ?? '', index: index2 }),
    );
    for (const s of stats) {
      const concepts = conceptsOf(s.name);
      if (concepts.some((c) => SENSITIVE_CONCEPTS.has(c))) s.masked = true;
      if (concepts.includes('zip')) s.zip = true;
    }
    detection = detectObject(file, names);
    return candidates.slice(index + 1);
  };

  /** Decides how rows are keyed from the first rows (or keeps the plan an earlier reading fixed). */
  const decideKeys = (sample: readonly RawRecord[]): void => {
    const rows = sample
      .filter((r) => !isBlank(r.cells) && !artefactKind(r.cells, -1, names.length, headerRecord?.cells))
      .map((r) => r.cells.map((cell) => repairMojibake(cell) ?? cell));
    evidence = columnEvidence(names, rows);
    const plan =
      options.fixed?.plan ??
      decideKeyPlan({
        names,
        evidence,
        object: detection.object,
        preferred: options.preferredKey,
        excluded: options.excluded,
      });
    keyer = new RowKeyer(plan, names, options.fixed?.deferred);
    keyColumn = plan.keyColumn;
    keyIndex = keyColumn === null ? -1 : names.indexOf(keyColumn);
    const keyStats = stats[keyIndex];
    if (keyStats) keyStats.trackDistinct = false;
    if (keyColumn === null) {
      const left = names.filter((name) => !plan.naturalColumns.includes(name));
      issues.push({
        code: 'synthetic_key',
        severity: 'info',
        file,
        message: `${file}: no id column (${plan.reason}); each row's key is a hash of its values${left.length > 0 ? `, leaving out the export's own columns ${left.map((n) => `"${n}"`).join(', ')}` : ''}.`,
        fix: 'Rows whose values change between exports show up as vanished + new in a delta.',
      });
    }
  };

  const take = (record: RawRecord): void => {
    const cells = record.cells;
    const line = record.line;
    if (isBlank(cells)) {
      blankLines.push(line);
      return;
    }
    const artefact = artefactKind(cells, keyIndex, names.length, headerRecord?.cells);
    if (artefact) {
      issues.push({
        code: 'report_artefact',
        severity: 'info',
        file,
        line,
        message: `${file}:${line}: ${artefact} dropped ("${firstText(cells)}").`,
      });
      return;
    }
    const keepValues = sink.needsAllValues !== false;
    // Repaired cell values: the row's key reads them; sinks that want the values object keep a copy.
    const cellValues: string[] = keepValues ? new Array(names.length) : rowCells;
    // The stored JSON holds the non-empty cells in column order, built by hand (no object per row) from
    // pieces joined once: appending to a string made several short-lived string nodes per cell.
    const json: string[] = ['{'];
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i] as string;
      let value = cells[i] ?? '';
      if (value !== '') {
        const repaired = repairMojibake(value);
        if (repaired !== null) {
          capped.push({
            code: 'encoding_damage',
            severity: 'warning',
            file,
            line,
            field: name,
            message: `${file}:${line} [${name}]: mis-encoded text repaired${stats[i]?.masked ? '' : ` ("${clip(value)}" → "${clip(repaired)}")`}.`,
          });
          value = repaired;
        }
        if (json.length > 1) json.push(',');
        json.push(keyJson[i] as string, ':');
        pushJsonString(json, value);
        const formula = record.formulas?.get(i);
        if (formula !== undefined) stats[i]?.mark('formula', line, `=${formula}`);
        stats[i]?.add(value, line);
      }
      cellValues[i] = value;
    }
    let extras: [string, string][] | undefined;
    for (let i = names.length; i < cells.length; i += 1) {
      const extra = cells[i] ?? '';
      if (extra.trim() === '') continue;
      const name = `_extra_${i + 1}`;
      extras ??= [];
      extras.push([name, extra]);
      if (json.length > 1) json.push(',');
      json.push(JSON.stringify(name), ':', JSON.stringify(extra));
      capped.push({
        code: 'column_count_mismatch',
        severity: 'warning',
        file,
        line,
        field: name,
        message: `${file}:${line}: the row has more values than the header has columns; value ${i + 1} kept as "${name}".`,
        fix: 'Usually an unquoted delimiter inside a value: check this line.',
      });
    }
    json.push('}');
    const valuesJson = json.join('');
    const contentHash = hash('sha1', valuesJson);
    // The store keeps only the JSON; build the full values object only for sinks that keep rows.
    let values: Record<string, string> = NO_VALUES;
    if (keepValues) {
      values = {};
      for (let i = 0; i < names.length; i += 1) values[names[i] as string] = cellValues[i] as string;
      for (const [name, extra] of extras ?? []) values[name] = extra;
    }
    rowCount += 1;
    const keyed = (keyer as RowKeyer).keyOf(cellValues);
    if (keyed === undefined) {
      // Its key value is shared with other rows: keyed by content once the file is read.
      held.push({ cells: [...cellValues], line, contentHash, values, valuesJson });
      return;
    }
    emit({ line, contentHash, values, valuesJson }, keyed);
  };

  const emit = (
    row: { line: number; contentHash: string; values: Record<string, string>; valuesJson: string },
    keyed: RowKey,
  ): void => {
    const { line } = row;
    const sourceKey = keyed.key;
    if (keyed.missing) {
      missingKeys += 1;
      capped.push({
        code: 'missing_key',
        severity: 'warning',
        file,
        line,
        field: keyColumn ?? undefined,
        sourceKey,
        message: `${file}:${line}: "${keyColumn}" is empty; the row is keyed by a hash of its values.`,
      });
    }
    if (keyed.duplicateOf !== undefined) {
      capped.push({
        code: 'duplicate_key',
        severity: 'warning',
        file,
        line,
        field: keyColumn ?? undefined,
        sourceKey,
        message: `${file}:${line}: ${keyColumn ? `"${keyColumn}" ${JSON.stringify(keyed.duplicateOf)} is also the key of another row` : 'the row repeats another row'}; this row is kept as "${sourceKey}".`,
        fix: 'Check whether the export repeats rows; the row of each group that Ferry keeps under the plain key is chosen by content, not by order.',
      });
    }
    sink.row({ file, line, sourceKey, contentHash: row.contentHash, values: row.values }, row.valuesJson);
  };

  // Rows after the header wait here until there are enough of them to decide how rows are keyed.
  let sample: RawRecord[] | undefined;
  const flushSample = () => {
    if (!sample) return;
    decideKeys(sample);
    for (const record of sample) take(record);
    sample = undefined;
  };
  for await (const batch of records) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    for (const record of batch) {
      if (!headerRecord) {
        head.push(record);
        if (head.filter((r) => !isBlank(r.cells)).length < 12) continue;
        sample = begin(head);
        if (sample.length >= KEY_SAMPLE_ROWS) flushSample();
        continue;
      }
      if (sample) {
        sample.push(record);
        if (sample.length >= KEY_SAMPLE_ROWS) flushSample();
        continue;
      }
      take(record);
    }
  }
  if (!headerRecord && head.length > 0) sample = begin(head);
  if (headerRecord) flushSample();
  if (held.length > 0) {
    const keys = (keyer as RowKeyer).settle(held.map((row) => row.cells));
    for (const [i, row] of held.entries()) emit(row, keys[i] as RowKey);
  }

  if (!headerRecord) {
    throw new FerryError(
      'config',
      `${file}:1: the file is empty (no header row, no data). Export the table again, or remove the file from the export folder.`,
      { code: 'E_SOURCE_EMPTY', details: { file, line: 1 } },
    );
  }
  if (blankLines.length > 0) {
    issues.push({
      code: 'report_artefact',
      severity: 'info',
      file,
      line: blankLines[0],
      message: `${file}: ${blankLines.length} blank row(s) dropped (line${blankLines.length > 1 ? 's' : ''} ${listLines(blankLines)}).`,
    });
  }
  capped.flush(file);
  const extracted: ExtractedFile = {
    file,
    detection,
    rowCount,
    keyColumn,
    columns: stats.map((s, i) => {
      const profile = s.profile(rowCount, i === keyIndex ? { distinctCount: (keyer as RowKeyer).size } : {});
      const seen = evidence[i];
      // What the first rows said, where the whole file agrees (one value throughout for a constant).
      let artefact = i === keyIndex || !seen ? undefined : artefactOf(seen);
      if (artefact === 'constant' && (s.distinctCapped || s.distinct.size !== 1 || s.nonEmpty !== rowCount))
        artefact = undefined;
      return {
        ...profile,
        ...(artefact ? { artefact } : {}),
        ...(seen?.copyOf && i !== keyIndex ? { duplicateOf: seen.copyOf } : {}),
      };
    }),
  };
  // Only short, uncapped value sets that a cross-file check reads can be references (ids, codes, names),
  // statuses, staff or booleans: drop the rest now.
  for (const s of stats)
    s.release(
      !s.distinctCapped &&
        s.name !== keyColumn &&
        ((s.maxLength <= 40 && checksReadDistinct(s.name, s.distinct.size)) ||
          // Names (40 characters at most) and codes other files may point at (unique and filled, in a
          // parent-sized file), or that point elsewhere (their values repeat); the rest (addresses,
          // subjects) is read by no check.
          (s.maxLength <= (textShare(s) >= 0.5 ? 40 : 80) &&
            namingShare(s) >= 0.9 &&
            ((rowCount <= KEYS_KEPT_MAX && s.nonEmpty === rowCount && s.distinct.size === s.nonEmpty) ||
              s.distinct.size <= s.nonEmpty * 0.5))),
    );
  // Keys stay in memory for the reference checks only while they are few enough to be a parent table.
  const finalKeyer = keyer as RowKeyer;
  const keys =
    finalKeyer.size <= KEYS_KEPT_MAX && !CHILD_OBJECTS.has(detection.object ?? '')
      ? finalKeyer.keys()
      : new Set<string>();
  return {
    extraction: {
      extracted,
      format,
      stats,
      keys,
      issues,
      headerLine,
      keyPlan: finalKeyer.plan,
      evidence,
    },
    keyer: finalKeyer,
    missingKeys,
  };
}

/** Share of a column's values that are plain text (names, phrases), as opposed to ids and codes. */
function textShare(stats: ColumnStats): number {
  return stats.kindShares().find((k) => k.kind === 'text')?.share ?? 0;
}

/** Share of a column's values that name or identify something (ids, codes, names, e-mails). */
function namingShare(stats: ColumnStats): number {
  return stats
    .kindShares()
    .filter((k) => k.kind === 'id' || k.kind === 'integer' || k.kind === 'text' || k.kind === 'email')
    .reduce((sum, k) => sum + k.share, 0);
}

/** Characters JSON.stringify writes as escapes (lone surrogates included: any surrogate takes the slow path). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value)` for a string, without copying the common value that needs no escape (the copy
 * was a third of the garbage per row). The content hash is over this text: it must stay byte-identical.
 */
export function jsonString(value: string): string {
  return JSON_ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Appends `jsonString(value)` to `pieces` without concatenating. */
function pushJsonString(pieces: string[], value: string): void {
  if (JSON_ESCAPED.test(value)) pieces.push(JSON.stringify(value));
  else pieces.push('"', value, '"');
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (!isBlankCell(cell)) return false;
  return true;
}

/** Whitespace-only test without allocating (this runs on every cell). */
function isBlankCell(cell: string): boolean {
  for (let i = 0; i < cell.length; i += 1) {
    const code = cell.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13 && code !== 160) return false;
  }
  return true;
}

function trimTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end -= 1;
  return cells.slice(0, end);
}

function firstText(cells: readonly string[]): string {
  return clip(cells.find((c) => c.trim() !== '')?.trim() ?? '');
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

export function listLines(lines: readonly number[], max = 20): string {
  const shown = lines.slice(0, max).join(', ');
  return lines.length > max ? `${shown} … (+${lines.length - max} more)` : shown;
}

/**
 * The header is the first row that is about as wide as the data under it and holds only labels (no
 * numbers, dates or e-mails): title rows above it have one or two cells.
 */
export function findHeaderIndex(records: readonly RawRecord[]): number {
  const widths = records.map((r) => r.cells.filter((c) => c.trim() !== '').length);
  const widest = Math.max(0, ...widths);
  const isLabelRow = (i: number) => {
    const cells = (records[i] as RawRecord).cells.filter((c) => c.trim() !== '');
    const labels = cells.filter(
      (c) => /[A-Za-zÀ-ÿ#]/.test(c) && !/^\s*[$(]?-?\d/.test(c) && !c.includes('@'),
    );
    return labels.length >= cells.length * 0.8;
  };
  // Strictest first: nearly as wide as the widest row; then half as wide; then any row of labels.
  for (const share of [0.8, 0.5, 0]) {
    for (let i = 0; i < records.length; i += 1) {
      const width = widths[i] ?? 0;
      if (width === 0 || (width < Math.max(2, widest * share) && widest > 1)) continue;
      if (isLabelRow(i)) return i;
    }
  }
  return Math.max(
    0,
    widths.findIndex((w) => w > 0),
  );
}

function artefactKind(
  cells: readonly string[],
  keyIndex: number,
  width: number,
  header: readonly string[] | undefined,
): string | null {
  if (
    header &&
    cells.length >= header.length &&
    header.every((h, i) => h.trim() === (cells[i] ?? '').trim())
  ) {
    return 'repeated header row';
  }
  // This runs on every row: find the first filled cell and count filled cells only as far as a rule
  // needs them, without building arrays.
  let firstIndex = -1;
  for (let i = 0; i < cells.length && firstIndex < 0; i += 1)
    if (!isEmptyTrimmed(cells[i] as string)) firstIndex = i;
  const first = firstIndex < 0 ? '' : (cells[firstIndex] as string).trim();
  if (TOTAL_ROW.test(first)) {
    const filled = countFilled(cells, Number.POSITIVE_INFINITY);
    if (
      (firstIndex <= 1 || filled <= 3) &&
      (keyIndex < 0 || keyIndex === firstIndex || (cells[keyIndex] ?? '').trim() === '') &&
      filled <= Math.max(2, width * 0.6)
    ) {
      return 'totals row';
    }
  }
  if (countFilled(cells, 3) <= 2 && cells.some((c) => !isEmptyTrimmed(c) && FOOTER.test(c.trim())))
    return 'report footer';
  return null;
}

/** `cell.trim() === ''`, without trimming the common case of a cell starting with a visible ASCII character. */
function isEmptyTrimmed(cell: string): boolean {
  if (cell.length === 0) return true;
  const code = cell.charCodeAt(0);
  if (code > 32 && code < 127) return false;
  return cell.trim() === '';
}

/** Filled (non-whitespace) cells, counted up to `limit`. */
function countFilled(cells: readonly string[], limit: number): number {
  let filled = 0;
  for (let i = 0; i < cells.length && filled < limit; i += 1)
    if (!isEmptyTrimmed(cells[i] as string)) filled += 1;
  return filled;
}

/** Keeps row-level issues per (code, field) under a cap and adds one summary for the rest. */
class CappedIssues {
  private readonly counts = new Map<string, { count: number; sample: Issue }>();
  constructor(private readonly into: Issue[]) {}

  push(issue: Issue): void {
    const key = `${issue.code}\u0000${issue.field ?? ''}`;
    const entry = this.counts.get(key);
    if (!entry) this.counts.set(key, { count: 1, sample: issue });
    else entry.count += 1;
    if ((entry?.count ?? 1) <= ROW_ISSUE_CAP) this.into.push(issue);
  }

  flush(file: string): void {
    for (const { count, sample } of this.counts.values()) {
      if (count <= ROW_ISSUE_CAP) continue;
      this.into.push({
        code: sample.code,
        severity: sample.severity,
        file,
        field: sample.field,
        message: `${file}${sample.field ? ` [${sample.field}]` : ''}: ${count - ROW_ISSUE_CAP} more ${sample.code} rows not listed (${count} in all).`,
      });
    }
  }
}
