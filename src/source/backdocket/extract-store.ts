import type { Issue, IssueExample } from '../../core/issues.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';
import type { ColumnProfile, ExtractedFile, SourceRow } from '../model.ts';
import type { RowSink } from './extract-file.ts';
import { InlineRowWriter, type RowWriter, type ThreadRowWriter } from './row-writer.ts';

/** New, changed, vanished and unchanged rows of one file compared with the previous extraction. */
export interface FileDelta {
  readonly new: number;
  readonly changed: number;
  readonly vanished: number;
  readonly unchanged: number;
}

interface PendingRow {
  readonly row: Pick<SourceRow, 'sourceKey' | 'line' | 'contentHash'>;
  readonly json: string;
}

/**
 * Writes one file's rows into the store. First extraction of a file: plain inserts, committed every
 * BATCH_ROWS rows (by the writer thread when one is given). Later
 * extractions: rows are compared with the stored content hashes and only the differences are written,
 * at the end of the file in one go, so a file that fails half-way leaves the store as it was.
 */
export class StoreRowSink implements RowSink {
  readonly needsAllValues = false;
  // Previous extraction of this file, compactly (a no-op re-run of a 1M-row export must stay small):
  // key → index into typed arrays of hash prefix (52 bits), line and seen flag.
  private readonly previous = new Map<string, number>();
  private previousHash = new Float64Array(0);
  private previousLine = new Int32Array(0);
  private seen = new Uint8Array(0);
  /** Appends the rows of a first extraction. */
  private readonly writer: RowWriter | null;
  private changes: PendingRow[] = [];
  private moved: { key: string; line: number }[] = [];
  private counts = { new: 0, changed: 0, unchanged: 0 };
  /** No row of this file was extracted before this run. */
  readonly firstExtraction: boolean;

  constructor(
    private readonly store: SqliteStore,
    private readonly file: string,
    private readonly runId: number,
    /** The writer thread to hand first-extraction rows to (started on first use). */
    threadWriter?: () => ThreadRowWriter,
  ) {
    const db = store.db;
    const count = db
      .prepare("SELECT count(*) FROM source_rows WHERE file = ? AND state = 'present'")
      .pluck()
      .get(file) as number;
    this.previousHash = new Float64Array(count);
    this.previousLine = new Int32Array(count);
    this.seen = new Uint8Array(count);
    let index = 0;
    for (const r of db
      .prepare(
        "SELECT source_key AS k, content_hash AS h, line AS l FROM source_rows WHERE file = ? AND state = 'present'",
      )
      .iterate(file) as Iterable<{ k: string; h: string; l: number }>) {
      if (index >= count) break;
      this.previous.set(r.k, index);
      this.previousHash[index] = hashPrefix(r.h);
      this.previousLine[index] = r.l;
      index += 1;
    }
    this.firstExtraction =
      (db.prepare('SELECT 1 FROM source_rows WHERE file = ? LIMIT 1').get(file) ?? null) === null;
    this.writer = this.firstExtraction
      ? (threadWriter?.().target(file, runId) ?? new InlineRowWriter(store, file, runId))
      : null;
  }

  row(row: SourceRow, json: string): void {
    if (this.writer) {
      this.counts.new += 1;
      this.writer.add(row.sourceKey, row.line, row.contentHash, json);
      return;
    }
    const index = this.previous.get(row.sourceKey);
    if (index === undefined) {
      this.counts.new += 1;
      this.changes.push({
        row: { sourceKey: row.sourceKey, line: row.line, contentHash: row.contentHash },
        json,
      });
      return;
    }
    this.seen[index] = 1;
    if (this.previousHash[index] !== hashPrefix(row.contentHash)) {
      this.counts.changed += 1;
      this.changes.push({
        row: { sourceKey: row.sourceKey, line: row.line, contentHash: row.contentHash },
        json,
      });
    } else {
      this.counts.unchanged += 1;
      if (this.previousLine[index] !== row.line) this.moved.push({ key: row.sourceKey, line: row.line });
    }
  }

  /** Writes what is left and the delta; returns the counts. */
  finish(): FileDelta {
    this.writer?.drain();
    const db = this.store.db;
    const { file, runId } = this;
    const vanished: string[] = [];
    for (const [key, index] of this.previous) if (this.seen[index] !== 1) vanished.push(key);
    const change = db.prepare(
      'INSERT OR REPLACE INTO source_row_changes (run_id, file, source_key, change) VALUES (?, ?, ?, ?)',
    );
    const upsert = db.prepare(`
      INSERT INTO source_rows (file, source_key, line, content_hash, values_json, first_run, changed_run)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (file, source_key) DO UPDATE SET
        prev_content_hash = source_rows.content_hash, prev_values_json = source_rows.values_json,
        line = excluded.line, content_hash = excluded.content_hash, values_json = excluded.values_json,
        state = 'present', changed_run = excluded.changed_run`);
    const vanish = db.prepare(
      "UPDATE source_rows SET state = 'vanished', changed_run = ? WHERE file = ? AND source_key = ?",
    );
    const move = db.prepare('UPDATE source_rows SET line = ? WHERE file = ? AND source_key = ?');
    db.transaction(() => {
      // A file's first extraction lists no changes: every row is new (source_rows.first_run = run).
      if (this.firstExtraction) return;
      for (const { row, json } of this.changes) {
        upsert.run(file, row.sourceKey, row.line, row.contentHash, json, runId, runId);
        change.run(runId, file, row.sourceKey, this.previous.has(row.sourceKey) ? 'changed' : 'new');
      }
      for (const key of vanished) {
        vanish.run(runId, file, key);
        change.run(runId, file, key, 'vanished');
      }
      for (const { key, line } of this.moved) move.run(line, file, key);
    })();
    return { ...this.counts, vanished: vanished.length };
  }

  /** Forgets the rows received so far: the file is read again (with other keys). */
  restart(): void {
    this.abort();
    this.changes = [];
    this.moved = [];
    this.counts = { new: 0, changed: 0, unchanged: 0 };
    this.seen.fill(0);
  }

  /** Undoes a first extraction that failed half-way (later extractions wrote nothing yet). */
  abort(): void {
    this.writer?.discard();
    if (this.firstExtraction) {
      this.store.db
        .prepare('DELETE FROM source_rows WHERE file = ? AND first_run = ?')
        .run(this.file, this.runId);
    }
  }
}

/** The first 13 hex digits of a content hash as a number (52 bits: exact in a double). */
function hashPrefix(hex: string): number {
  return Number.parseInt(hex.slice(0, 13), 16);
}

/** Marks every row of a file that is no longer in the export as vanished. */
export function vanishFile(store: SqliteStore, file: string, runId: number): FileDelta {
  const db = store.db;
  let vanished = 0;
  db.transaction(() => {
    const keys = db
      .prepare("SELECT source_key FROM source_rows WHERE file = ? AND state = 'present'")
      .pluck()
      .all(file) as string[];
    const change = db.prepare(
      'INSERT OR REPLACE INTO source_row_changes (run_id, file, source_key, change) VALUES (?, ?, ?, ?)',
    );
    for (const key of keys) change.run(runId, file, key, 'vanished');
    vanished = db
      .prepare(
        "UPDATE source_rows SET state = 'vanished', changed_run = ? WHERE file = ? AND state = 'present'",
      )
      .run(runId, file).changes;
    db.prepare('UPDATE source_files SET present = 0, row_count = 0, last_run = ? WHERE file = ?').run(
      runId,
      file,
    );
  })();
  return { new: 0, changed: 0, vanished, unchanged: 0 };
}

export interface StoredFileMeta {
  readonly format: string;
  readonly encoding: string;
  readonly delimiter: string | null;
  readonly headerLine: number;
  readonly quarantined: string | null;
}

export function saveFile(
  store: SqliteStore,
  runId: number,
  extracted: ExtractedFile,
  meta: StoredFileMeta,
): void {
  const db = store.db;
  db.transaction(() => {
    db.prepare(`
      INSERT INTO source_files (file, object, confidence, reason, row_count, key_column, format, encoding, delimiter,
        header_line, columns_json, quarantined, present, last_run)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
      ON CONFLICT (file) DO UPDATE SET object = excluded.object, confidence = excluded.confidence,
        reason = excluded.reason, row_count = excluded.row_count, key_column = excluded.key_column,
        format = excluded.format, encoding = excluded.encoding, delimiter = excluded.delimiter,
        header_line = excluded.header_line, columns_json = excluded.columns_json,
        quarantined = excluded.quarantined, present = 1, last_run = excluded.last_run`).run(
      extracted.file,
      extracted.detection.object,
      extracted.detection.confidence,
      extracted.detection.reason,
      extracted.rowCount,
      extracted.keyColumn,
      meta.format,
      meta.encoding,
      meta.delimiter,
      meta.headerLine,
      JSON.stringify(extracted.columns.map((c) => c.name)),
      meta.quarantined,
      runId,
    );
    db.prepare('DELETE FROM source_columns WHERE file = ?').run(extracted.file);
    const column = db.prepare(
      'INSERT INTO source_columns (file, idx, name, profile_json) VALUES (?, ?, ?, ?)',
    );
    for (const profile of extracted.columns)
      column.run(extracted.file, profile.index, profile.name, JSON.stringify(profile));
  })();
}

export function replaceIssues(store: SqliteStore, runId: number, issues: readonly Issue[]): void {
  const db = store.db;
  const insert = db.prepare(
    'INSERT INTO extract_issues (run_id, code, severity, message, file, line, source_key, field, fix, examples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM extract_issues').run();
    for (const i of issues) {
      insert.run(
        runId,
        i.code,
        i.severity,
        i.message,
        i.file ?? null,
        i.line ?? null,
        i.sourceKey ?? null,
        i.field ?? null,
        i.fix ?? null,
        i.examples && i.examples.length > 0 ? JSON.stringify(i.examples) : null,
      );
    }
  })();
}

/**
 * The inventory of the latest extraction: files (present in the export), their detection and column
 * profiles. Quarantined files are listed with no columns.
 * @example loadInventory(store).map((f) => `${f.file} → ${f.detection.object}`)
 */
export function loadInventory(store: SqliteStore): ExtractedFile[] {
  const files = store.db
    .prepare(
      'SELECT file, object, confidence, reason, row_count, key_column FROM source_files WHERE present = 1 ORDER BY file',
    )
    .all() as {
    file: string;
    object: string | null;
    confidence: number;
    reason: string;
    row_count: number;
    key_column: string | null;
  }[];
  const columns = store.db
    .prepare('SELECT profile_json FROM source_columns WHERE file = ? ORDER BY idx')
    .pluck();
  return files.map((f) => ({
    file: f.file,
    detection: {
      object: f.object as ExtractedFile['detection']['object'],
      confidence: f.confidence,
      reason: f.reason,
    },
    rowCount: f.row_count,
    keyColumn: f.key_column,
    columns: (columns.all(f.file) as string[]).map((json) => JSON.parse(json) as ColumnProfile),
  }));
}

/**
 * Stored rows (present in the latest export), in file then line order; every column of the file is in
 * `values` (empty cells as '').
 * @example for (const row of iterateRows(store, 'claims.csv')) console.log(row.sourceKey, row.values['Status'])
 */
export function* iterateRows(store: SqliteStore, file?: string): Generator<SourceRow> {
  const db = store.db;
  const columnsOf = new Map<string, string[]>();
  for (const r of db.prepare('SELECT file, columns_json FROM source_files').all() as {
    file: string;
    columns_json: string;
  }[]) {
    columnsOf.set(r.file, JSON.parse(r.columns_json) as string[]);
  }
  // Pages of rows read with .all() (keyset on file, line), never an open cursor: callers write to the same
  // connection between rows (the run journal), which SQLite refuses while a statement is still stepping.
  // The keyset is a row-value comparison so SQLite seeks the (file, line) index to the page start; the
  // spelled-out OR form made every page scan the file from its first row (quadratic in its size).
  const page =
    file === undefined
      ? db.prepare(
          "SELECT file, source_key, line, content_hash, values_json FROM source_rows WHERE state = 'present' AND (file, line, source_key) > (?, ?, ?) ORDER BY file, line, source_key LIMIT 1000",
        )
      : db.prepare(
          "SELECT file, source_key, line, content_hash, values_json FROM source_rows WHERE file = ? AND state = 'present' AND (line, source_key) > (?, ?) ORDER BY line, source_key LIMIT 1000",
        );
  type StoredRow = {
    file: string;
    source_key: string;
    line: number;
    content_hash: string;
    values_json: string;
  };
  const rows = (function* () {
    let lastFile = '';
    let lastLine = -1;
    let lastKey = '';
    for (;;) {
      const batch = (
        file === undefined ? page.all(lastFile, lastLine, lastKey) : page.all(file, lastLine, lastKey)
      ) as StoredRow[];
      if (batch.length === 0) return;
      yield* batch;
      const last = batch.at(-1)!;
      lastFile = last.file;
      lastLine = last.line;
      lastKey = last.source_key;
    }
  })();
  for (const r of rows) {
    const sparse = JSON.parse(r.values_json) as Record<string, string>;
    const values: Record<string, string> = {};
    for (const name of columnsOf.get(r.file) ?? []) values[name] = sparse[name] ?? '';
    for (const [name, value] of Object.entries(sparse)) if (!(name in values)) values[name] = value;
    yield { file: r.file, line: r.line, sourceKey: r.source_key, contentHash: r.content_hash, values };
  }
}

/** Rows per page of `iterateRowValues`. */
const VALUE_PAGE_ROWS = 5000;

/**
 * Stored rows of one file (present in the latest export) in line order, with only the named columns in
 * `values` (empty cells as ''): SQLite picks the values out of the stored JSON, so a check that reads two
 * columns of a wide file neither copies nor parses the rest. Paged like `iterateRows` (no open cursor).
 * @example for (const row of iterateRowValues(store, 'claims.csv', ['Status'])) console.log(row.values.Status)
 */
export function* iterateRowValues(
  store: SqliteStore,
  file: string,
  columns: readonly (string | undefined)[],
): Generator<SourceRow> {
  const names = [...new Set(columns.filter((c): c is string => c !== undefined))];
  // A JSON string literal is a valid quoted label of an SQLite JSON path (quotes and backslashes escaped).
  const picks = names.map((_, i) => `json_extract(values_json, ?) AS v${i}`).join(', ');
  const page = store.db
    .prepare(
      `SELECT source_key, line, content_hash${picks ? `, ${picks}` : ''} FROM source_rows
       WHERE file = ? AND state = 'present' AND (line, source_key) > (?, ?)
       ORDER BY line, source_key LIMIT ${VALUE_PAGE_ROWS}`,
    )
    .raw();
  const paths = names.map((name) => `$.${JSON.stringify(name)}`);
  let lastLine = -1;
  let lastKey = '';
  for (;;) {
    const batch = page.all(...paths, file, lastLine, lastKey) as (string | number | null)[][];
    for (const r of batch) {
      const values: Record<string, string> = {};
      for (let i = 0; i < names.length; i += 1)
        values[names[i] as string] = (r[3 + i] as string | null) ?? '';
      yield { file, sourceKey: r[0] as string, line: r[1] as number, contentHash: r[2] as string, values };
    }
    if (batch.length < VALUE_PAGE_ROWS) return;
    const last = batch.at(-1) as (string | number | null)[];
    lastLine = last[1] as number;
    lastKey = last[0] as string;
  }
}

/** Issues of the latest extraction, in file and line order. */
export function loadExtractIssues(store: SqliteStore): Issue[] {
  const rows = store.db
    .prepare(
      'SELECT code, severity, message, file, line, source_key, field, fix, examples FROM extract_issues ORDER BY id',
    )
    .all() as {
    code: string;
    severity: Issue['severity'];
    message: string;
    file: string | null;
    line: number | null;
    source_key: string | null;
    field: string | null;
    fix: string | null;
    examples: string | null;
  }[];
  return rows.map((r) => ({
    code: r.code,
    severity: r.severity,
    message: r.message,
    ...(r.file !== null ? { file: r.file } : {}),
    ...(r.line !== null ? { line: r.line } : {}),
    ...(r.source_key !== null ? { sourceKey: r.source_key } : {}),
    ...(r.field !== null ? { field: r.field } : {}),
    ...(r.fix !== null ? { fix: r.fix } : {}),
    ...(r.examples !== null ? { examples: JSON.parse(r.examples) as IssueExample[] } : {}),
  }));
}

/** Rows that a given extract run found new, changed or vanished (the delta pickup list). */
export function loadRowChanges(
  store: SqliteStore,
  runId: number,
): { file: string; sourceKey: string; change: 'new' | 'changed' | 'vanished' }[] {
  return (
    store.db
      .prepare(
        `SELECT file, source_key, change FROM source_row_changes WHERE run_id = ?
         UNION ALL
         SELECT file, source_key, 'new' FROM source_rows r WHERE first_run = ? AND changed_run = ?
           AND NOT EXISTS (SELECT 1 FROM source_row_changes c WHERE c.run_id = ? AND c.file = r.file AND c.source_key = r.source_key)
         ORDER BY 1, 2`,
      )
      .all(runId, runId, runId, runId) as {
      file: string;
      source_key: string;
      change: 'new' | 'changed' | 'vanished';
    }[]
  ).map((r) => ({ file: r.file, sourceKey: r.source_key, change: r.change }));
}
