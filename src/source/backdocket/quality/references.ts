import type { Issue } from '../../../core/issues.ts';
import type { BackdocketObject } from '../../../core/objects.ts';
import type { ColumnReference, SharedValues, ValueKind } from '../../model.ts';
import type { ColumnStats } from '../column-stats.ts';
import { OBJECT_ID_CONCEPT } from '../detect-object.ts';
import { conceptsOf, normalizeHeader } from '../headers.ts';
import { coresOfKeys, referenceCore } from '../keys/key-core.ts';
import { isArtefact } from '../keys/key-evidence.ts';
import { normaliseKeyValue } from '../keys/row-keys.ts';
import { foldName } from './normalize.ts';
import { type QualityFile, type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

const ID_CONCEPTS: ReadonlySet<string> = new Set(Object.values(OBJECT_ID_CONCEPT));

/** Whether a column's name makes it likely to reference another file (an object's id concept, or id-named). */
export function mayReference(columnName: string): boolean {
  return conceptsOf(columnName).some((c) => ID_CONCEPTS.has(c)) || isIdNamed(columnName);
}

function isIdNamed(columnName: string): boolean {
  return /(^|\s)(id|number|key)$/.test(normalizeHeader(columnName));
}

/** file → column → references found for it. */
export type ReferenceMap = Map<string, Map<string, ColumnReference[]>>;

/** Share of a column's distinct values another file must hold for the column to reference it. */
export const INCLUSION = 0.95;
/** Kinds of value that name or identify a record (keys, codes, names, e-mails), unlike amounts or dates. */
const NAMING_KINDS: ReadonlySet<ValueKind> = new Set(['id', 'integer', 'text', 'email']);
const MAX_VALUE_LENGTH = 80;

/** A column (or two joined) whose values tell a file's rows apart: what other files may point at. */
interface Target {
  readonly file: QualityFile;
  readonly object: BackdocketObject | null;
  readonly column: string;
  readonly byKey: boolean;
  readonly values: ReadonlySet<string>;
  /** The numbers inside its padded or prefixed values (`C-001001` → `1001`), when they tell its rows apart. */
  readonly cores: ReadonlySet<string> | undefined;
  /** Its values as names in any order (`Harper, Sofia` = `Sofia Harper`), when they tell its rows apart. */
  readonly names: ReadonlySet<string> | undefined;
}

/**
 * Finds which columns point at other files' rows, by inclusion: a column whose distinct values are at
 * least 95% found in a column unique to another file (its key, another unique column such as a claim
 * number or a company name, or first + last name joined) references that file. Header words are only a
 * prior: a column named after an object's id is also taken as a reference to that object's key at a lower
 * overlap, so that its orphans can be reported.
 */
export function findReferences(input: QualityInput): ReferenceMap {
  const targets = collectTargets(input);
  const result: ReferenceMap = new Map();
  for (const from of input.files) {
    const perColumn = new Map<string, ColumnReference[]>();
    for (const stats of from.stats) {
      const values = childValues(from, stats);
      if (!values || values.size === 0) continue;
      const concepts = conceptsOf(stats.name);
      const refs: ColumnReference[] = [];
      for (const target of targets) {
        if (target.file === from && target.column === stats.name) continue;
        const idConcept = target.object ? OBJECT_ID_CONCEPT[target.object] : undefined;
        const named = target.byKey && idConcept !== undefined && concepts.includes(idConcept);
        const overlap = overlapOf(values, target, named ? 0 : INCLUSION);
        if (overlap === undefined) continue;
        if (
          (named && overlap > 0) ||
          (overlap >= INCLUSION && values.size >= Math.min(3, target.values.size))
        ) {
          refs.push({
            object: target.object,
            file: target.file.extracted.file,
            overlap,
            column: target.column,
            byKey: target.byKey,
          });
        }
      }
      if (refs.length === 0) continue;
      refs.sort((a, b) => b.overlap - a.overlap || Number(b.byKey) - Number(a.byKey));
      perColumn.set(stats.name, refs);
    }
    if (perColumn.size > 0) result.set(from.extracted.file, perColumn);
  }
  return result;
}

/**
 * For files keyed without knowledge of the others: the column other files point at, when it is not the
 * key the file was given (a claims file keyed by its claim number while every child names its claim id;
 * a companies file keyed by a hash while contacts name its companies). Returns file → that column.
 */
export function keysPointedAt(files: readonly QualityFile[], references: ReferenceMap): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const [file, columns] of references) {
    for (const refs of columns.values()) {
      for (const ref of refs) {
        if (ref.overlap < INCLUSION || ref.file === file || !ref.column || ref.column.includes(' + '))
          continue;
        const perColumn = counts.get(ref.file) ?? new Map<string, number>();
        perColumn.set(ref.column, (perColumn.get(ref.column) ?? 0) + 1);
        counts.set(ref.file, perColumn);
      }
    }
  }
  const out = new Map<string, string>();
  for (const file of files) {
    const perColumn = counts.get(file.extracted.file);
    if (!perColumn) continue;
    // A column of another file's keys is a reference, whoever else holds the same values.
    const own = references.get(file.extracted.file);
    for (const column of [...perColumn.keys()]) {
      const foreign = own?.get(column)?.some((r) => r.byKey !== false && r.overlap >= INCLUSION);
      if (foreign) perColumn.delete(column);
    }
    const [best, count] = [...perColumn].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
    const current = file.extracted.keyColumn;
    if (!best || best === current) continue;
    if ((perColumn.get(current ?? '') ?? 0) >= (count ?? 0)) continue;
    out.set(file.extracted.file, best);
  }
  return out;
}

/**
 * Share of a column's values found among a target's: as written, or else by the numbers inside them
 * (a reference `20012` to a key `M-020012`: a vendor's keys padded and prefixed, its references bare).
 */
function overlapOf(values: ReadonlySet<string>, target: Target, least: number): number | undefined {
  let best = inclusion(values, target.values, least);
  const alternatives: [ReadonlySet<string> | undefined, ReadonlySet<string> | undefined][] = [
    [target.cores, target.cores ? coresOf(values) : undefined],
    [target.names, target.names ? nameFormsOf(values) : undefined],
  ];
  for (const [targetForms, forms] of alternatives) {
    if ((best !== undefined && best >= INCLUSION) || !targetForms || !forms) continue;
    const overlap = inclusion(forms, targetForms, least);
    if (overlap !== undefined && (best === undefined || overlap > best)) best = overlap;
  }
  return best;
}

const nameForms = new WeakMap<ReadonlySet<string>, Set<string> | undefined>();

/**
 * A column's values as names whatever their order (`Harper, Sofia`, `sofia harper` → `harper sofia`), or
 * undefined when they are not names of two words or more.
 */
function nameFormsOf(values: ReadonlySet<string>): Set<string> | undefined {
  if (nameForms.has(values)) return nameForms.get(values);
  let out: Set<string> | undefined = new Set<string>();
  for (const value of values) {
    if (!/\p{L}/u.test(value) || /\d|@/.test(value) || !/[\s,]/.test(value.trim())) {
      out = undefined;
      break;
    }
    out.add(foldName(value));
  }
  nameForms.set(values, out);
  return out;
}

/** The name forms of a target's values, when every value is a name and no two rows share one. */
function namesOfTarget(values: ReadonlySet<string>): Set<string> | undefined {
  const forms = nameFormsOf(values);
  return forms && forms.size === values.size ? forms : undefined;
}

const referenceCores = new WeakMap<ReadonlySet<string>, Set<string> | undefined>();

/** The cores of a column's values (`1001`, `c 1001`), or undefined when some value is not a number. */
function coresOf(values: ReadonlySet<string>): Set<string> | undefined {
  if (referenceCores.has(values)) return referenceCores.get(values);
  let out: Set<string> | undefined = new Set<string>();
  for (const value of values) {
    const core = referenceCore(value);
    if (core === undefined) {
      out = undefined;
      break;
    }
    out.add(core);
  }
  referenceCores.set(values, out);
  return out;
}

/** Normalised distinct values per column, built once per search (a column is both a target and a child). */
const normalised = new WeakMap<ColumnStats, Set<string> | undefined>();

/** Normalised distinct values of a column that may reference another file, or undefined. */
function childValues(file: QualityFile, stats: ColumnStats): Set<string> | undefined {
  if (normalised.has(stats)) return normalised.get(stats);
  const values = readChildValues(file, stats);
  normalised.set(stats, values);
  return values;
}

function readChildValues(file: QualityFile, stats: ColumnStats): Set<string> | undefined {
  const isKey = stats.name === file.extracted.keyColumn;
  // The key is what it is (1, 2, 3 … ids are a key when they name the file's own id): only other columns
  // must look like references.
  if (!isKey) {
    if (stats.distinctCapped || stats.maxLength > MAX_VALUE_LENGTH) return undefined;
    const evidence = file.evidence?.find((e) => e.name === stats.name);
    if (evidence && isArtefact(evidence)) return undefined;
    const naming = stats
      .kindShares()
      .filter((k) => NAMING_KINDS.has(k.kind))
      .reduce((sum, k) => sum + k.share, 0);
    if (naming < 0.9) return undefined;
  }
  const raw: Iterable<string | number> = isKey ? file.keys : stats.distinct;
  const out = new Set<string>();
  for (const value of raw) {
    if (typeof value !== 'string' || (isKey && (value.startsWith('h:') || value.includes('~')))) continue;
    out.add(normaliseKeyValue(value));
  }
  out.delete('');
  return out;
}

/** The columns of each recognised file whose values are unique to a row: what references point at. */
function collectTargets(input: QualityInput): Target[] {
  const targets: Target[] = [];
  const named = hasNameColumns(input.files);
  for (const file of input.files) {
    // Files whose object is not known yet are targets too: what points at them helps decide it. Files
    // too large to be parents (their keys are not kept either) are not.
    const object = file.extracted.detection.object;
    const rows = file.extracted.rowCount;
    if (rows > TARGET_ROWS_MAX) continue;
    const keyStats = file.stats.find((s) => s.name === file.extracted.keyColumn);
    const keyValues = keyStats ? childValues(file, keyStats) : undefined;
    if (file.extracted.keyColumn && keyValues && keyValues.size > 0) {
      targets.push({
        file,
        object,
        column: file.extracted.keyColumn,
        byKey: true,
        values: keyValues,
        cores: coresOfKeys(keyValues),
        names: undefined,
      });
    }
    for (const stats of file.stats) {
      if (stats.name === file.extracted.keyColumn || stats.distinctCapped) continue;
      if (rows === 0 || stats.nonEmpty < rows || stats.distinct.size !== stats.nonEmpty) continue;
      const values = childValues(file, stats);
      if (!values || values.size !== stats.nonEmpty) continue;
      targets.push({
        file,
        object,
        column: stats.name,
        byKey: false,
        values,
        cores: coresOfKeys(values),
        names: namesOfTarget(values),
      });
    }
    if (!named) continue;
    for (const names of fullNames(input, file))
      targets.push({
        file,
        object,
        column: names.column,
        byKey: false,
        values: names.values,
        cores: undefined,
        names: undefined,
      });
  }
  return targets;
}

/** Files with more rows than this are not looked at as what other files point at (as for their keys). */
const TARGET_ROWS_MAX = 250_000;

/** Whether any file has a column of full names (text with a space) that could point at people. */
function hasNameColumns(files: readonly QualityFile[]): boolean {
  return files.some((file) =>
    file.extracted.columns.some(
      (c) =>
        c.maxLength <= 60 &&
        (c.kinds.find((k) => k.kind === 'text')?.share ?? 0) >= 0.9 &&
        c.samples.some((s) => /\S\s+\S/.test(s)),
    ),
  );
}

/**
 * Given and family names joined (both orders) when they tell the file's rows apart: the columns the
 * headers name first and last name, else neighbouring columns of single words that read like names.
 */
function fullNames(input: QualityInput, file: QualityFile): { column: string; values: Set<string> }[] {
  const columns = file.extracted.columns.map((c) => c.name);
  const first = columns.find((c) => conceptsOf(c).includes('first_name'));
  const last = columns.find((c) => conceptsOf(c).includes('last_name'));
  // Neighbouring single words are tried only in files that may hold people (not claims, notes, ledgers …).
  const people = ['contact', 'staff', null].includes(file.extracted.detection.object);
  const pairs: [string, string][] = first && last ? [[first, last]] : people ? namePairs(file) : [];
  const out: { column: string; values: Set<string> }[] = [];
  for (const [given, family] of pairs) {
    const values = new Set<string>();
    let rows = 0;
    for (const row of input.rows(file.extracted.file, [given, family])) {
      const a = (row.values[given] ?? '').trim();
      const b = (row.values[family] ?? '').trim();
      rows += 1;
      if (!a || !b) continue;
      values.add(normaliseKeyValue(`${a} ${b}`));
      values.add(normaliseKeyValue(`${b}, ${a}`));
    }
    // Names repeated by many rows cannot tell them apart.
    if (rows > 0 && values.size >= rows * 2 * 0.95) out.push({ column: `${given} + ${family}`, values });
  }
  return out;
}

/** Neighbouring columns (one apart at most: a middle name between) of filled single-word text. */
function namePairs(file: QualityFile): [string, string][] {
  const wordy = file.extracted.columns.filter((c) => {
    const text = c.kinds.find((k) => k.kind === 'text')?.share ?? 0;
    const single = c.samples.filter((s) => s.trim() !== '' && !/\s/.test(s.trim())).length;
    return text >= 0.9 && c.fillRate >= 0.9 && c.maxLength <= 30 && single >= c.samples.length * 0.8;
  });
  const pairs: [string, string][] = [];
  for (const a of wordy) {
    for (const b of wordy) {
      const gap = b.index - a.index;
      if (gap >= 1 && gap <= 2) pairs.push([a.name, b.name]);
    }
  }
  return pairs.slice(0, 3);
}

/**
 * Share of `values` found in `target` (rounded to 4 places), or undefined when a first look at some of
 * them already shows the share cannot reach `least`.
 */
function inclusion(
  values: ReadonlySet<string>,
  target: ReadonlySet<string>,
  least: number,
): number | undefined {
  let hits = 0;
  let seen = 0;
  for (const value of values) {
    seen += 1;
    if (target.has(value)) hits += 1;
    // A first look decides most pairs: with 95% asked for, fewer than 80% of the first 40 values found
    // means the column does not point there (most columns point nowhere, and some hold 100,000 values).
    if (least > 0 && seen === Math.min(40, values.size) && hits < seen * Math.min(least, 0.8))
      return undefined;
  }
  return Math.round((hits / values.size) * 10000) / 10000;
}

/** Columns with at most this many distinct values are vocabularies (statuses, types, roles). */
const VOCABULARY_MAX = 60;

/**
 * Columns of few distinct text values whose values are (half at least, two at least) among another file's
 * column of few values: the same vocabulary, e.g. a status log's 'New Status' and the claims' 'Status'.
 * Returns file → column → the columns it shares values with.
 */
export function findSharedValues(files: readonly QualityFile[]): Map<string, Map<string, SharedValues[]>> {
  const vocabularies = files.flatMap((file) =>
    file.stats.flatMap((stats) => {
      if (stats.distinctCapped || stats.distinct.size < 2 || stats.distinct.size > VOCABULARY_MAX) return [];
      const text = stats.kindShares().find((k) => k.kind === 'text')?.share ?? 0;
      if (text < 0.9) return [];
      const values = new Set<string>();
      for (const value of stats.distinct) if (typeof value === 'string') values.add(normaliseKeyValue(value));
      return [{ file, column: stats.name, values }];
    }),
  );
  const out = new Map<string, Map<string, SharedValues[]>>();
  for (const child of vocabularies) {
    const shared: SharedValues[] = [];
    for (const parent of vocabularies) {
      if (parent.file === child.file) continue;
      let hits = 0;
      for (const value of child.values) if (parent.values.has(value)) hits += 1;
      const overlap = Math.round((hits / child.values.size) * 10000) / 10000;
      // Half at least: a history holds statuses no current row holds any more.
      if (hits >= 2 && overlap >= 0.5)
        shared.push({ file: parent.file.extracted.file, column: parent.column, overlap });
    }
    if (shared.length === 0) continue;
    const perColumn = out.get(child.file.extracted.file) ?? new Map<string, SharedValues[]>();
    perColumn.set(
      child.column,
      shared.sort((a, b) => b.overlap - a.overlap),
    );
    out.set(child.file.extracted.file, perColumn);
  }
  return out;
}

/**
 * Rows whose reference values are not among the referenced file's keys. A missing parent that several
 * child rows point at (a claim with its notes, tasks, events) means the parent file was filtered or
 * capped: those rows are reported as `truncated_export`; a lone dangling value is an `orphan_reference`.
 */
export function checkOrphans(input: QualityInput, references: ReferenceMap): Issue[] {
  const issues: Issue[] = [];
  const byFile = new Map(input.files.map((f) => [f.extracted.file, f]));
  interface Hit {
    readonly file: string;
    readonly column: string;
    readonly line: number;
    readonly sourceKey: string;
    readonly value: string;
  }
  // target file → missing value → rows pointing at it
  const missing = new Map<string, Map<string, Hit[]>>();
  const rowCounts = new Map<string, number>();
  for (const [file, columns] of references) {
    const from = byFile.get(file);
    if (!from) continue;
    const orphanColumns: { column: string; target: QualityFile; orphans: Set<string> }[] = [];
    for (const [column, refs] of columns) {
      // Orphans are values missing from the keys of the file a column names; references by name are
      // resolved (or not) when the records are planned.
      const ref = refs.find((r) => r.byKey !== false);
      const target = ref ? byFile.get(ref.file) : undefined;
      if (!ref || !target || ref.overlap >= 1) continue;
      const stats = from.stats.find((s) => s.name === column);
      const orphans = new Set<string>();
      const cores = coresOfKeys(target.keys);
      for (const value of stats?.distinct ?? []) {
        if (typeof value !== 'string' || target.keys.has(value.trim())) continue;
        const core = cores ? referenceCore(value) : undefined;
        if (core === undefined || !cores?.has(core)) orphans.add(value);
      }
      if (orphans.size > 0) orphanColumns.push({ column, target, orphans });
    }
    if (orphanColumns.length === 0) continue;
    for (const row of input.rows(
      file,
      orphanColumns.map((o) => o.column),
    )) {
      for (const { column, target, orphans } of orphanColumns) {
        const value = row.values[column] ?? '';
        if (!orphans.has(value)) continue;
        const targetFile = target.extracted.file;
        const perValue = missing.get(targetFile) ?? new Map<string, Hit[]>();
        missing.set(targetFile, perValue);
        const hits = perValue.get(value.trim()) ?? [];
        perValue.set(value.trim(), hits);
        hits.push({ file, column, line: row.line, sourceKey: row.sourceKey, value });
        const countKey = `${file}\u0000${column}`;
        rowCounts.set(countKey, (rowCounts.get(countKey) ?? 0) + 1);
      }
    }
  }
  const listed = new Map<string, number>();
  const allow = (hit: Hit, code: string) => {
    const key = `${code}\u0000${hit.file}\u0000${hit.column}`;
    const n = (listed.get(key) ?? 0) + 1;
    listed.set(key, n);
    return n <= ROWS_PER_CHECK;
  };
  for (const [targetFile, perValue] of missing) {
    const target = byFile.get(targetFile) as QualityFile;
    const object = target.extracted.detection.object;
    const parents = [...perValue.entries()].filter(([, hits]) => hits.length >= 3);
    const truncated = parents.length >= 2;
    for (const [value, hits] of perValue) {
      const isTruncation = truncated && hits.length >= 3;
      for (const hit of hits) {
        const code = isTruncation ? 'truncated_export' : 'orphan_reference';
        if (!allow(hit, code)) continue;
        issues.push({
          code,
          severity: 'warning',
          file: hit.file,
          line: hit.line,
          sourceKey: hit.sourceKey,
          field: hit.column,
          message: isTruncation
            ? `${hit.file}:${hit.line} [${hit.column}]: ${object} "${value}" is missing from ${targetFile}, as are other parents of several rows — the export looks filtered or capped.`
            : `${hit.file}:${hit.line} [${hit.column}]: "${hit.value}" is not a key of ${targetFile} (${object}).`,
          fix: isTruncation
            ? 'Export again as an administrator and compare the row count with the firm’s totals.'
            : 'Quarantine the row, import it unlinked, or add the missing record to the export.',
        });
      }
    }
    if (truncated) {
      const from = new Set(parents.flatMap(([, hits]) => hits.map((h) => h.file)));
      issues.push({
        code: 'truncated_export',
        severity: 'warning',
        file: targetFile,
        message: `${targetFile}: ${parents.length} ${object} key(s) referenced by several rows of ${[...from].join(', ')} are missing from this file (${target.keys.size} rows). The export may be permission-filtered or capped.`,
        fix: 'Export again as an administrator and compare the row count with the firm’s totals.',
      });
    }
  }
  for (const [key, n] of rowCounts) {
    const [file, column] = key.split('\u0000') as [string, string];
    issues.push({
      code: 'orphan_reference',
      severity: 'warning',
      file,
      field: column,
      message: `${file} [${column}]: ${n} row(s) point at keys missing from the referenced file${n > ROWS_PER_CHECK ? ` (first ${ROWS_PER_CHECK} listed)` : ''}.`,
    });
  }
  return issues;
}
