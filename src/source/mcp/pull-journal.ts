import type { Issue } from '../../core/issues.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';
import type { DocumentAvailability } from './extract-mcp.ts';
import type { JsonValue, TableRow } from './records-to-tables.ts';

/** One journaled page of a listing. */
export interface PageEntry {
  readonly page: number;
  readonly request: Record<string, JsonValue>;
  readonly next: Record<string, JsonValue> | null;
  readonly records: number;
  readonly total: number | null;
  readonly idsHash: string;
}

/** A pull that has not finished: resumed by the next extract if its plan is unchanged. */
export interface OpenPull {
  readonly runId: number;
  readonly planHash: string;
  readonly since: string | null;
  readonly state: 'fetching' | 'written';
}

/** A row staged in the pull, in its order (page, position on the page, nested index). */
export interface StagedRow {
  readonly page: number;
  readonly pos: number;
  readonly sub: number;
  readonly recordId: string | null;
  readonly parentId: string | null;
  readonly parentColumn: string | null;
  readonly values: Record<string, string>;
}

/** What 'written' records: enough to finish the pull after a crash without the staged rows. */
export interface WrittenState {
  readonly delta: Record<string, { new: number; changed: number; vanished: number; unchanged: number }>;
  readonly issues: readonly Issue[];
  readonly tables: Record<
    string,
    { stream: string; parentColumn: string | null; keyColumn: string | null; columns: readonly string[] }
  >;
  /** Tables gone from the source in this pull. */
  readonly vanished: readonly string[];
  /** Whether the pull's documents could be downloaded (recorded with the inventory at the end). */
  readonly documents?: DocumentAvailability | undefined;
}

/**
 * The store side of a pull from an MCP server: the page journal, the staged rows, downloaded
 * documents and the pull's state. A page's rows and its journal entry are committed together, so a
 * killed pull resumes after its last stored page with nothing stored twice.
 */
export class PullJournal {
  constructor(private readonly store: SqliteStore) {}

  private get db() {
    return this.store.db;
  }

  /** The latest unfinished pull from this server, if any. */
  openPull(server: string): OpenPull | undefined {
    const row = this.db
      .prepare(
        "SELECT run_id, plan_hash, since, state FROM mcp_pulls WHERE server = ? AND state IN ('fetching', 'written') ORDER BY run_id DESC LIMIT 1",
      )
      .get(server) as
      | { run_id: number; plan_hash: string; since: string | null; state: OpenPull['state'] }
      | undefined;
    return row
      ? { runId: row.run_id, planHash: row.plan_hash, since: row.since, state: row.state }
      : undefined;
  }

  /** The last finished pull from this server: its start (a delta's modified-since) and table layout. */
  lastDone(server: string): { runId: number; startedAt: string; written: WrittenState | null } | undefined {
    const row = this.db
      .prepare(
        "SELECT run_id, started_at, written_json FROM mcp_pulls WHERE server = ? AND state = 'done' ORDER BY run_id DESC LIMIT 1",
      )
      .get(server) as { run_id: number; started_at: string; written_json: string | null } | undefined;
    return row
      ? {
          runId: row.run_id,
          startedAt: row.started_at,
          written: row.written_json ? (JSON.parse(row.written_json) as WrittenState) : null,
        }
      : undefined;
  }

  /** Starts a pull: an extract run (source = the server URL) and its journal. */
  start(input: {
    server: string;
    planJson: string;
    planHash: string;
    since: string | null;
    now: string;
  }): number {
    return this.db.transaction(() => {
      const runId = Number(
        this.db
          .prepare("INSERT INTO extract_runs (source_dir, started_at, status) VALUES (?, ?, 'running')")
          .run(input.server, input.now).lastInsertRowid,
      );
      this.db
        .prepare(
          "INSERT INTO mcp_pulls (run_id, server, plan_hash, plan_json, since, state, started_at) VALUES (?, ?, ?, ?, ?, 'fetching', ?)",
        )
        .run(runId, input.server, input.planHash, input.planJson, input.since, input.now);
      return runId;
    })();
  }

  /** Takes up an unfinished pull again. */
  reopen(runId: number): void {
    this.db.prepare("UPDATE extract_runs SET status = 'running', finished_at = NULL WHERE id = ?").run(runId);
    this.db.prepare('UPDATE mcp_pulls SET error = NULL WHERE run_id = ?').run(runId);
  }

  /** Leaves a pull behind for good (its plan changed): its staged rows are dropped. */
  abandon(runId: number, reason: string, now: string): void {
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE mcp_pulls SET state = 'abandoned', finished_at = ?, error = ? WHERE run_id = ?")
        .run(now, reason, runId);
      this.db
        .prepare("UPDATE extract_runs SET status = 'failed', finished_at = ? WHERE id = ?")
        .run(now, runId);
      this.db.prepare('DELETE FROM mcp_rows WHERE run_id = ?').run(runId);
    })();
  }

  /** Records why the pull stopped; it stays open for the next extract to resume. */
  fail(runId: number, message: string, now: string): void {
    this.db.prepare('UPDATE mcp_pulls SET error = ? WHERE run_id = ?').run(message, runId);
    this.db
      .prepare("UPDATE extract_runs SET status = 'failed', finished_at = ? WHERE id = ?")
      .run(now, runId);
  }

  pages(runId: number, stream: string): PageEntry[] {
    return (
      this.db
        .prepare(
          'SELECT page, request_json, next_json, records, total, ids_hash FROM mcp_pages WHERE run_id = ? AND stream = ? ORDER BY page',
        )
        .all(runId, stream) as {
        page: number;
        request_json: string;
        next_json: string | null;
        records: number;
        total: number | null;
        ids_hash: string;
      }[]
    ).map((row) => ({
      page: row.page,
      request: JSON.parse(row.request_json) as Record<string, JsonValue>,
      next: row.next_json ? (JSON.parse(row.next_json) as Record<string, JsonValue>) : null,
      records: row.records,
      total: row.total,
      idsHash: row.ids_hash,
    }));
  }

  /** Ids of the listing's own records already stored (for the repeat guard of a resumed listing). */
  storedIds(runId: number, stream: string): string[] {
    return this.db
      .prepare(
        'SELECT record_id FROM mcp_rows WHERE run_id = ? AND stream = ? AND tbl = ? AND record_id IS NOT NULL',
      )
      .pluck()
      .all(runId, stream, stream) as string[];
  }

  /** Stores a page's rows and its journal entry in one transaction. */
  storePage(input: {
    runId: number;
    stream: string;
    entry: PageEntry;
    rows: readonly { pos: number; row: TableRow }[];
    now: string;
  }): void {
    const insertRow = this.db.prepare(
      'INSERT INTO mcp_rows (run_id, tbl, stream, page, pos, sub, record_id, parent_id, parent_col, values_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertPage = this.db.prepare(
      'INSERT INTO mcp_pages (run_id, stream, page, request_json, next_json, records, total, ids_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const { runId, stream, entry } = input;
    this.db.transaction(() => {
      for (const { pos, row } of input.rows) {
        insertRow.run(
          runId,
          row.table,
          stream,
          entry.page,
          pos,
          row.sub,
          row.recordId,
          row.parentId,
          row.parentColumn,
          JSON.stringify(row.values),
        );
      }
      insertPage.run(
        runId,
        stream,
        entry.page,
        JSON.stringify(entry.request),
        entry.next ? JSON.stringify(entry.next) : null,
        entry.records,
        entry.total,
        entry.idsHash,
        input.now,
      );
    })();
  }

  /** Forgets a listing's pages and rows, so the next extract reads it again from its first page. */
  resetStream(runId: number, stream: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM mcp_rows WHERE run_id = ? AND stream = ?').run(runId, stream);
      this.db.prepare('DELETE FROM mcp_pages WHERE run_id = ? AND stream = ?').run(runId, stream);
    })();
  }

  /** Tables with staged rows, each with its stream and parent column, in order of first appearance. */
  stagedTables(runId: number): { table: string; stream: string; parentColumn: string | null }[] {
    return this.db
      .prepare(
        'SELECT tbl AS "table", stream, max(parent_col) AS parentColumn, min(page * 1000000 + pos) AS first FROM mcp_rows WHERE run_id = ? GROUP BY tbl, stream ORDER BY stream, first, tbl',
      )
      .all(runId) as { table: string; stream: string; parentColumn: string | null }[];
  }

  /** A table's staged rows in pull order. */
  *stagedRows(runId: number, table: string): Generator<StagedRow> {
    const page = this.db.prepare(
      `SELECT page, pos, sub, record_id, parent_id, parent_col, values_json FROM mcp_rows
       WHERE run_id = ? AND tbl = ? AND (page, pos, sub) > (?, ?, ?) ORDER BY page, pos, sub LIMIT 2000`,
    );
    let last: [number, number, number] = [-1, -1, -1];
    for (;;) {
      const batch = page.all(runId, table, ...last) as {
        page: number;
        pos: number;
        sub: number;
        record_id: string | null;
        parent_id: string | null;
        parent_col: string | null;
        values_json: string;
      }[];
      for (const row of batch) {
        yield {
          page: row.page,
          pos: row.pos,
          sub: row.sub,
          recordId: row.record_id,
          parentId: row.parent_id,
          parentColumn: row.parent_col,
          values: JSON.parse(row.values_json) as Record<string, string>,
        };
      }
      if (batch.length < 2000) return;
      const end = batch.at(-1)!;
      last = [end.page, end.pos, end.sub];
    }
  }

  /** Documents already downloaded (or found unavailable) in this pull. */
  documents(
    runId: number,
  ): Map<string, { path: string | null; state: 'downloaded' | 'unavailable'; detail: string | null }> {
    const rows = this.db
      .prepare('SELECT tbl, record_id, path, state, detail FROM mcp_documents WHERE run_id = ?')
      .all(runId) as {
      tbl: string;
      record_id: string;
      path: string | null;
      state: 'downloaded' | 'unavailable';
      detail: string | null;
    }[];
    return new Map(
      rows.map((row) => [
        `${row.tbl}\u0000${row.record_id}`,
        { path: row.path, state: row.state, detail: row.detail },
      ]),
    );
  }

  recordDocument(input: {
    runId: number;
    table: string;
    recordId: string;
    path: string | null;
    bytes: number | null;
    state: 'downloaded' | 'unavailable';
    detail: string | null;
  }): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO mcp_documents (run_id, tbl, record_id, path, bytes, state, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(input.runId, input.table, input.recordId, input.path, input.bytes, input.state, input.detail);
  }

  setWritten(runId: number, written: WrittenState): void {
    this.db
      .prepare("UPDATE mcp_pulls SET state = 'written', written_json = ? WHERE run_id = ?")
      .run(JSON.stringify(written), runId);
  }

  written(runId: number): WrittenState | null {
    const json = this.db.prepare('SELECT written_json FROM mcp_pulls WHERE run_id = ?').pluck().get(runId) as
      | string
      | null
      | undefined;
    return json ? (JSON.parse(json) as WrittenState) : null;
  }

  /** The pull is complete: its staged rows are no longer needed (the page journal stays). */
  finish(runId: number, now: string): void {
    this.db
      .prepare("UPDATE mcp_pulls SET state = 'done', finished_at = ?, error = NULL WHERE run_id = ?")
      .run(now, runId);
    this.db.prepare('DELETE FROM mcp_rows WHERE run_id = ?').run(runId);
  }
}
