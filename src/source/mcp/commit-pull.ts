import { hash } from 'node:crypto';
import type { Issue } from '../../core/issues.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';
import { ColumnStats } from '../backdocket/column-stats.ts';
import { detectObject } from '../backdocket/detect-object.ts';
import { CHILD_OBJECTS, KEYS_KEPT_MAX } from '../backdocket/extract-file.ts';
import { type FileDelta, iterateRows, vanishFile } from '../backdocket/extract-store.ts';
import { conceptsOf } from '../backdocket/headers.ts';
import { columnEvidence } from '../backdocket/keys/key-evidence.ts';
import { decideKeyPlan } from '../backdocket/keys/key-plan.ts';
import { RowKeyer } from '../backdocket/keys/row-keys.ts';
import { checksReadDistinct, type QualityFile } from '../backdocket/quality/index.ts';
import type { PullJournal, WrittenState } from './pull-journal.ts';

/** Rows read to choose a table's key (as many as the export reader samples). */
const KEY_SAMPLE_ROWS = 500;

const SENSITIVE_CONCEPTS = new Set(['ssn', 'date_of_birth', 'diagnosis']);

/** How one table of the pull is written. */
export interface TableToWrite {
  readonly table: string;
  readonly stream: string;
  readonly parentColumn: string | null;
  /**
   * `full`: the pull read the whole table (rows it lacks have vanished); `changed`: a modified-since pull
   * of the table's listing (rows it lacks are unchanged); `changed-children`: rows nested in records of
   * such a pull (a re-read parent's rows it lacks have vanished, other parents' rows are unchanged).
   */
  readonly mode: 'full' | 'changed' | 'changed-children';
}

/**
 * Writes the pulled tables into `source_rows` with the same meaning as the export reader gives it (a
 * first extraction inserts; a later one records new, changed and vanished rows and keeps the previous
 * values), vanishes the tables the source no longer has, and records the pull as 'written' — all in one
 * transaction, so a crash leaves the store as it was or with the whole pull in it.
 */
export function writePulledTables(input: {
  store: SqliteStore;
  journal: PullJournal;
  runId: number;
  tables: readonly TableToWrite[];
  /** Ids of the records a modified-since pull read again, per listing. */
  refetched: ReadonlyMap<string, ReadonlySet<string>>;
  vanishTables: readonly string[];
  documents: WrittenState['documents'];
}): WrittenState {
  const { store, journal, runId } = input;
  const db = store.db;
  const written: {
    delta: WrittenState['delta'];
    issues: Issue[];
    tables: Record<string, WrittenState['tables'][string]>;
  } = { delta: {}, issues: [], tables: {} };
  db.transaction(() => {
    for (const table of input.tables) {
      const result = writeTable({
        store,
        journal,
        runId,
        table,
        refetched: input.refetched.get(table.stream) ?? new Set(),
      });
      written.delta[table.table] = result.delta;
      written.issues.push(...result.issues);
      written.tables[table.table] = {
        stream: table.stream,
        parentColumn: table.parentColumn,
        keyColumn: result.keyColumn,
        columns: result.columns,
      };
    }
    for (const table of input.vanishTables) written.delta[table] = vanishFile(store, table, runId);
    journal.setWritten(runId, { ...written, vanished: input.vanishTables, documents: input.documents });
  })();
  return { ...written, vanished: input.vanishTables, documents: input.documents };
}

interface Previous {
  readonly hash: string;
  readonly line: number;
  readonly present: boolean;
}

function writeTable(input: {
  store: SqliteStore;
  journal: PullJournal;
  runId: number;
  table: TableToWrite;
  refetched: ReadonlySet<string>;
}): { delta: FileDelta; issues: Issue[]; keyColumn: string | null; columns: string[] } {
  const { store, journal, runId, table } = input;
  const db = store.db;
  const name = table.table;
  const stored = db.prepare('SELECT columns_json, key_column FROM source_files WHERE file = ?').get(name) as
    | { columns_json: string; key_column: string | null }
    | undefined;
  // Column order: first seen; a changed-only pull keeps the table's columns and adds new ones at the end.
  const names: string[] =
    table.mode === 'full' ? [] : stored ? (JSON.parse(stored.columns_json) as string[]) : [];
  const known = new Set(names);
  let idColumn: string | null = null;
  let rowsStaged = 0;
  for (const row of journal.stagedRows(runId, name)) {
    rowsStaged += 1;
    for (const column of Object.keys(row.values)) {
      if (!known.has(column)) {
        known.add(column);
        names.push(column);
      }
    }
    if (idColumn === null && row.recordId !== null)
      idColumn = Object.keys(row.values).find((column) => row.values[column] === row.recordId) ?? null;
  }
  const detection = detectObject(name, names);
  const cellsOf = (values: Readonly<Record<string, string>>) => names.map((column) => values[column] ?? '');
  const sample: string[][] = [];
  for (const row of journal.stagedRows(runId, name)) {
    if (sample.length >= KEY_SAMPLE_ROWS) break;
    sample.push(cellsOf(row.values));
  }
  // The server's record id names the key; otherwise the key is chosen by evidence, as for a file.
  const plan = decideKeyPlan({
    names,
    evidence: columnEvidence(names, sample),
    object: detection.object,
    preferred: stored?.key_column,
  });
  const keyColumn = rowsStaged === 0 && stored ? stored.key_column : (idColumn ?? plan.keyColumn);
  // A record without a key is keyed by its normalised values, whatever order the server lists them in.
  const keyer = new RowKeyer({ ...plan, keyColumn }, names);
  const naturalKey = plan.naturalColumns;
  const previous = new Map<string, Previous>();
  for (const row of db
    .prepare(
      'SELECT source_key AS k, content_hash AS h, line AS l, state AS s FROM source_rows WHERE file = ?',
    )
    .iterate(name) as Iterable<{ k: string; h: string; l: number; s: string }>) {
    previous.set(row.k, { hash: row.h, line: row.l, present: row.s === 'present' });
  }
  const firstExtraction = previous.size === 0;
  let nextLine =
    table.mode === 'full'
      ? 1
      : ((db.prepare('SELECT max(line) FROM source_rows WHERE file = ?').pluck().get(name) as
          | number
          | null) ?? 0) + 1;

  const insert = db.prepare(
    'INSERT INTO source_rows (file, source_key, line, content_hash, values_json, first_run, changed_run) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.prepare(`
    INSERT INTO source_rows (file, source_key, line, content_hash, values_json, first_run, changed_run)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (file, source_key) DO UPDATE SET
      prev_content_hash = source_rows.content_hash, prev_values_json = source_rows.values_json,
      line = excluded.line, content_hash = excluded.content_hash, values_json = excluded.values_json,
      state = 'present', changed_run = excluded.changed_run`);
  const move = db.prepare('UPDATE source_rows SET line = ? WHERE file = ? AND source_key = ?');
  const change = db.prepare(
    'INSERT OR REPLACE INTO source_row_changes (run_id, file, source_key, change) VALUES (?, ?, ?, ?)',
  );
  const vanish = db.prepare(
    "UPDATE source_rows SET state = 'vanished', changed_run = ? WHERE file = ? AND source_key = ?",
  );

  const issues: Issue[] = [];
  const counts = { new: 0, changed: 0, vanished: 0, unchanged: 0 };
  const seen = new Set<string>();
  for (const row of journal.stagedRows(runId, name)) {
    let sourceKey = keyColumn !== null ? (row.values[keyColumn] ?? '').trim() : '';
    if (sourceKey === '') {
      sourceKey = `h:${keyer.contentHash(cellsOf(row.values)).slice(0, 20)}`;
      if (keyColumn !== null && issues.filter((issue) => issue.code === 'missing_key').length < 500)
        issues.push({
          code: 'missing_key',
          severity: 'warning',
          file: name,
          field: keyColumn,
          message: `${name}: a record has no "${keyColumn}"; it is keyed by a hash of its values.`,
        });
    }
    if (seen.has(sourceKey)) {
      let n = 2;
      while (seen.has(`${sourceKey}~${n}`)) n += 1;
      issues.push({
        code: 'duplicate_key',
        severity: 'warning',
        file: name,
        sourceKey,
        field: keyColumn ?? undefined,
        message: `${name}: record ${sourceKey} came twice; the second is kept as "${sourceKey}~${n}".`,
        fix: 'Check whether the server lists the record twice.',
      });
      sourceKey = `${sourceKey}~${n}`;
    }
    seen.add(sourceKey);
    const json = valuesJson(names, row.values);
    const contentHash = hash('sha1', json);
    const before = previous.get(sourceKey);
    const line = table.mode === 'full' ? nextLine++ : (before?.line ?? nextLine++);
    if (firstExtraction) {
      insert.run(name, sourceKey, line, contentHash, json, runId, runId);
      counts.new += 1;
    } else if (!before?.present) {
      upsert.run(name, sourceKey, line, contentHash, json, runId, runId);
      change.run(runId, name, sourceKey, 'new');
      counts.new += 1;
    } else if (before.hash !== contentHash) {
      upsert.run(name, sourceKey, line, contentHash, json, runId, runId);
      change.run(runId, name, sourceKey, 'changed');
      counts.changed += 1;
    } else {
      counts.unchanged += 1;
      if (before.line !== line) move.run(line, name, sourceKey);
    }
  }
  // Rows the pull did not bring back: gone (a full read), or, when only changes were pulled, gone only if
  // they hang under a record that was read again.
  const parentOf = table.parentColumn
    ? db
        .prepare('SELECT json_extract(values_json, ?) FROM source_rows WHERE file = ? AND source_key = ?')
        .pluck()
    : undefined;
  for (const [key, before] of previous) {
    if (!before.present || seen.has(key)) continue;
    if (table.mode === 'changed') {
      counts.unchanged += 1;
      continue;
    }
    if (table.mode === 'changed-children') {
      const parent = parentOf
        ? String(parentOf.get(`$.${JSON.stringify(table.parentColumn)}`, name, key) ?? '')
        : '';
      if (!input.refetched.has(parent)) {
        counts.unchanged += 1;
        continue;
      }
    }
    vanish.run(runId, name, key);
    change.run(runId, name, key, 'vanished');
    counts.vanished += 1;
  }
  if (keyColumn === null && rowsStaged > 0) {
    issues.push({
      code: 'synthetic_key',
      severity: 'info',
      file: name,
      message: `${name}: the records have no id; each row's key is a hash of ${naturalKey.length === names.length ? 'all its values' : naturalKey.map((n) => `"${n}"`).join(' + ')}.`,
      fix: 'Rows whose key values change between pulls show up as vanished + new in a delta.',
    });
  }
  return { delta: counts, issues, keyColumn, columns: names };
}

/** The stored JSON of a row: its non-empty cells in column order (what the export reader stores). */
function valuesJson(names: readonly string[], values: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const name of names) {
    const value = values[name];
    if (value === undefined || value === '') continue;
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * A table's profile from its stored rows, as the export reader profiles a file: detection, key, column
 * kinds and samples, and the keys the cross-table checks need.
 */
export function profileStoredTable(input: {
  store: SqliteStore;
  table: string;
  columns: readonly string[];
  keyColumn: string | null;
}): QualityFile {
  const { store, table, columns, keyColumn } = input;
  const names = [...columns];
  const stats = names.map((name, index) => new ColumnStats({ name, originalName: name, index }));
  for (const s of stats) {
    const concepts = conceptsOf(s.name);
    if (concepts.some((concept) => SENSITIVE_CONCEPTS.has(concept))) s.masked = true;
    if (concepts.includes('zip')) s.zip = true;
  }
  const keyIndex = keyColumn === null ? -1 : names.indexOf(keyColumn);
  const keyStats = stats[keyIndex];
  if (keyStats) keyStats.trackDistinct = false;
  const keys = new Set<string>();
  let rowCount = 0;
  for (const row of iterateRows(store, table)) {
    rowCount += 1;
    keys.add(row.sourceKey);
    for (const [index, name] of names.entries()) {
      const value = row.values[name] ?? '';
      if (value !== '') stats[index]?.add(value, row.line);
    }
  }
  const detection = detectObject(table, names);
  const extracted = {
    file: table,
    detection,
    rowCount,
    keyColumn,
    columns: stats.map((s, index) =>
      s.profile(rowCount, index === keyIndex ? { distinctCount: keys.size } : {}),
    ),
  };
  for (const s of stats)
    s.release(
      !s.distinctCapped &&
        s.maxLength <= 40 &&
        s.name !== keyColumn &&
        checksReadDistinct(s.name, s.distinct.size),
    );
  return {
    extracted,
    stats,
    keys: keys.size <= KEYS_KEPT_MAX && !CHILD_OBJECTS.has(detection.object ?? '') ? keys : new Set<string>(),
    headerLine: 0,
  };
}
