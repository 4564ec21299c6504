import type Database from 'better-sqlite3';
import type { RowOutcome, RowRef, RunKind, RunStatus, WriteEntity } from '../core/records.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

/** `add-options`: options added to a custom field that already existed (schema apply). */
export type JournalOperation = 'create' | 'update' | 'delete' | 'restore' | 'add-options';
export type JournalState = 'intent' | 'done' | 'failed' | 'uncertain' | 'skipped';

export interface JournalEntry {
  readonly id: number;
  readonly runId: number;
  readonly entity: string;
  readonly identity: string;
  readonly operation: JournalOperation;
  readonly state: JournalState;
  readonly pipedriveId: string | null;
  readonly contentHash: string | null;
  readonly preImage: unknown;
  /** What an update, restore or option change meant to write: resolves it when its outcome is unknown. */
  readonly intended: unknown;
  readonly detail: string | null;
  readonly attempts: number;
  readonly intentAt: string;
}

export interface MappedRecord {
  readonly pipedriveId: string;
  readonly contentHash: string | null;
  readonly runId: number;
  /** The payload Ferry last wrote, ids resolved. */
  readonly written: Record<string, unknown> | undefined;
}

/** A record Ferry wrote: its identity, its Pipedrive id and when Ferry last wrote it (created or updated; ISO). */
export interface WrittenEntry {
  readonly identity: string;
  readonly pipedriveId: string;
  readonly writtenAt: string;
}

export interface IdMapEntry extends WrittenEntry {
  readonly entity: string;
  readonly runId: number;
  readonly written: Record<string, unknown> | undefined;
}

interface IdMapRow {
  entity: string;
  identity: string;
  pipedrive_id: string;
  run_id: number;
  written: string | null;
  created_at: string;
  updated_at: string | null;
}

function toIdMapEntry(row: IdMapRow): IdMapEntry {
  return {
    entity: row.entity,
    identity: row.identity,
    pipedriveId: row.pipedrive_id,
    runId: row.run_id,
    written: row.written === null ? undefined : (JSON.parse(row.written) as Record<string, unknown>),
    writtenAt: row.updated_at ?? row.created_at,
  };
}

export interface RunRecord {
  readonly id: number;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly mappingHash: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly summary: unknown;
  readonly error: string | null;
}

interface JournalRow {
  id: number;
  run_id: number;
  entity: string;
  identity: string;
  operation: JournalOperation;
  state: JournalState;
  pipedrive_id: string | null;
  content_hash: string | null;
  pre_image: string | null;
  intended: string | null;
  detail: string | null;
  attempts: number;
  intent_at: string;
}

const toEntry = (row: JournalRow): JournalEntry => ({
  id: row.id,
  runId: row.run_id,
  entity: row.entity,
  identity: row.identity,
  operation: row.operation,
  state: row.state,
  pipedriveId: row.pipedrive_id,
  contentHash: row.content_hash,
  preImage: row.pre_image === null ? null : JSON.parse(row.pre_image),
  intended: row.intended === null ? null : JSON.parse(row.intended),
  detail: row.detail,
  attempts: row.attempts,
  intentAt: row.intent_at,
});

/**
 * The write-ahead journal, id map and row outcomes in the workspace store. `intent()` (and `retry()`)
 * commits at once, with whatever else is pending, so the intent is durable before the request it announces
 * leaves — with no wait for the end of the turn, which would put a varying delay between the moment the
 * rate scheduler let the request go and its departure, and bunch arrivals at the gateway into 429s.
 * Other writes are committed together at the end of the event loop's turn or with the next intent: an
 * answer's outcome and the next record's intent share one commit. Commits were most of the journal's cost
 * at three per record. An outcome lost to a crash in between is safe: an entry still marked
 * 'intent' is looked up by identity before any retry. One connection commits in program order, so a record
 * that links to another is never durable without the other's id. `commit()` makes everything durable now
 * (the store also commits when it closes).
 */
export class Journal {
  private readonly store: SqliteStore;
  private readonly now: () => string;

  constructor(store: SqliteStore, now: () => string = () => new Date().toISOString()) {
    this.store = store;
    this.now = now;
  }

  private get db() {
    return this.store.db;
  }

  private transaction: ((work: () => void) => void) | undefined;
  /** The open transaction is the journal's (not a caller's), so it may commit it. */
  private ownsOpenTransaction = false;
  /** Writes nested in an atomic one commit with it, never inside it. */
  private depth = 0;
  private endOfTurnCommit: Promise<void> | undefined;

  /** Runs `work` all or nothing (one wrapper for the journal's life, not one per record). */
  private atomically(work: () => void): void {
    this.transaction ??= this.db.transaction((inner: () => void) => inner());
    this.write(() => this.transaction?.(work));
  }

  /** Runs `work` in the open transaction, committed at the end of this turn of the event loop. */
  private write<T>(work: () => T): T {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.ownsOpenTransaction = true;
    }
    this.depth += 1;
    try {
      return work();
    } finally {
      this.depth -= 1;
      void this.durable().catch(() => {
        // An intent awaiting this commit sees the failure; an outcome alone waits for the next commit.
      });
    }
  }

  /** Runs `work` and commits it with everything before it, now. */
  private durably<T>(work: () => T): T {
    const result = this.write(work);
    this.commit();
    return result;
  }

  /**
   * Resolves once everything written so far is committed: at the end of this turn of the event loop, so
   * the writes of workers whose answers arrived together share one commit, and no write lock is held
   * while the run waits (for the network, or for the rate limit).
   */
  private durable(): Promise<void> {
    this.endOfTurnCommit ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.endOfTurnCommit = undefined;
        try {
          this.commit();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    return this.endOfTurnCommit;
  }

  /** Makes every write so far durable. */
  commit(): void {
    if (this.depth > 0) return;
    if (this.ownsOpenTransaction && this.db.inTransaction) this.db.exec('COMMIT');
    this.ownsOpenTransaction = false;
  }

  /** Statements are prepared once per journal: a run writes two journal rows per record. */
  private readonly statements = new Map<string, Database.Statement>();

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  startRun(kind: RunKind, options: { mappingHash?: string | null; settings?: unknown } = {}): number {
    const result = this.durably(() =>
      this.statement(
        "INSERT INTO runs (kind, status, mapping_hash, options, started_at) VALUES (?, 'running', ?, ?, ?)",
      ).run(kind, options.mappingHash ?? null, JSON.stringify(options.settings ?? {}), this.now()),
    );
    return Number(result.lastInsertRowid);
  }

  /** The newest run of these kinds that did not complete, to resume instead of starting afresh. */
  unfinishedRun(kinds: readonly RunKind[]): RunRecord | undefined {
    const placeholders = kinds.map(() => '?').join(',');
    const row = this.statement(
      `SELECT * FROM runs WHERE kind IN (${placeholders}) AND status != 'completed' ORDER BY id DESC LIMIT 1`,
    ).get(...kinds) as Record<string, unknown> | undefined;
    return row ? toRun(row) : undefined;
  }

  reopenRun(runId: number): void {
    this.durably(() =>
      this.statement("UPDATE runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?").run(
        runId,
      ),
    );
  }

  finishRun(runId: number, status: RunStatus, summary: unknown, error?: string): void {
    this.durably(() =>
      this.statement('UPDATE runs SET status = ?, finished_at = ?, summary = ?, error = ? WHERE id = ?').run(
        status,
        this.now(),
        JSON.stringify(summary),
        error ?? null,
        runId,
      ),
    );
  }

  runs(): RunRecord[] {
    return (this.statement('SELECT * FROM runs ORDER BY id').all() as Record<string, unknown>[]).map(toRun);
  }

  getRun(runId: number): RunRecord | undefined {
    const row = this.statement('SELECT * FROM runs WHERE id = ?').get(runId) as
      | Record<string, unknown>
      | undefined;
    return row ? toRun(row) : undefined;
  }

  /**
   * Records the intent to write and commits it now; resolves with the entry id, the intent durable, so the
   * request it announces may be sent.
   */
  async intent(input: {
    runId: number;
    entity: string;
    identity: string;
    operation: JournalOperation;
    contentHash?: string | null;
    pipedriveId?: string | null;
    preImage?: unknown;
    intended?: unknown;
  }): Promise<number> {
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    const result = this.write(() =>
      this.statement(
        `INSERT INTO journal (run_id, entity, identity, operation, state, pipedrive_id, content_hash, pre_image, intended, attempts, intent_at)
           VALUES (?, ?, ?, ?, 'intent', ?, ?, ?, ?, 1, ?)`,
      ).run(
        input.runId,
        input.entity,
        input.identity,
        input.operation,
        input.pipedriveId ?? null,
        input.contentHash ?? null,
        json(input.preImage),
        json(input.intended),
        this.now(),
      ),
    );
    this.commit();
    return Number(result.lastInsertRowid);
  }

  /** Marks an entry as about to be sent again, committed now (like an intent). */
  async retry(entryId: number): Promise<void> {
    this.durably(() =>
      this.statement(
        "UPDATE journal SET state = 'intent', attempts = attempts + 1, intent_at = ?, detail = NULL WHERE id = ?",
      ).run(this.now(), entryId),
    );
  }

  settle(
    entryId: number,
    state: Exclude<JournalState, 'intent'>,
    detail?: { pipedriveId?: string; message?: string },
  ) {
    this.write(() =>
      this.statement(
        'UPDATE journal SET state = ?, pipedrive_id = COALESCE(?, pipedrive_id), detail = ?, outcome_at = ? WHERE id = ?',
      ).run(state, detail?.pipedriveId ?? null, detail?.message ?? null, this.now(), entryId),
    );
  }

  /** A create or adoption finished: settle the entry and remember the id, atomically. */
  recordCreated(input: {
    entryId: number;
    runId: number;
    entity: string;
    identity: string;
    pipedriveId: string;
    contentHash: string | null;
    written?: unknown;
    detail?: string;
  }): void {
    this.atomically(() => {
      this.settle(input.entryId, 'done', {
        pipedriveId: input.pipedriveId,
        ...(input.detail ? { message: input.detail } : {}),
      });
      this.statement(
        `INSERT INTO id_map (entity, identity, pipedrive_id, run_id, content_hash, written, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(entity, identity) DO UPDATE SET pipedrive_id = excluded.pipedrive_id, content_hash = excluded.content_hash,
             written = excluded.written, updated_at = excluded.created_at`,
      ).run(
        input.entity,
        input.identity,
        input.pipedriveId,
        input.runId,
        input.contentHash,
        input.written === undefined ? null : JSON.stringify(input.written),
        this.now(),
      );
    });
  }

  recordUpdated(input: {
    entryId: number;
    entity: string;
    identity: string;
    contentHash: string;
    written: unknown;
  }): void {
    this.atomically(() => {
      this.settle(input.entryId, 'done');
      this.statement(
        'UPDATE id_map SET content_hash = ?, written = ?, updated_at = ? WHERE entity = ? AND identity = ?',
      ).run(input.contentHash, JSON.stringify(input.written), this.now(), input.entity, input.identity);
    });
  }

  /**
   * A rollback put back the record a delta had updated. Atomically: the restore is done, the update is
   * marked undone, and the id map holds what is now in Pipedrive (the restored values) with the content hash
   * from before the delta — so a later rollback does not take the record for one edited in Pipedrive, and a
   * later delta writes the change again.
   */
  recordRestored(input: {
    restoreEntryId: number;
    updateEntryId: number;
    entity: string;
    identity: string;
    written: unknown;
    message: string;
  }): void {
    this.atomically(() => {
      this.settle(input.restoreEntryId, 'done');
      this.settle(input.updateEntryId, 'skipped', { message: input.message });
      const before = this.statement(
        `SELECT content_hash FROM journal WHERE entity = ? AND identity = ? AND operation IN ('create', 'update')
             AND state = 'done' AND id < ? ORDER BY id DESC LIMIT 1`,
      ).get(input.entity, input.identity, input.updateEntryId) as { content_hash: string | null } | undefined;
      this.statement(
        'UPDATE id_map SET content_hash = ?, written = ?, updated_at = ? WHERE entity = ? AND identity = ?',
      ).run(
        before?.content_hash ?? null,
        JSON.stringify(input.written),
        this.now(),
        input.entity,
        input.identity,
      );
    });
  }

  /** Puts a part back into the id map: a delete that was answered but did not take, to be retried. */
  remember(input: { entity: string; identity: string; pipedriveId: string; runId: number }): void {
    this.write(() =>
      this.statement(
        `INSERT INTO id_map (entity, identity, pipedrive_id, run_id, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(entity, identity) DO UPDATE SET pipedrive_id = excluded.pipedrive_id`,
      ).run(input.entity, input.identity, input.pipedriveId, input.runId, this.now()),
    );
  }

  forget(entity: string, identity: string): void {
    this.write(() =>
      this.statement('DELETE FROM id_map WHERE entity = ? AND identity = ?').run(entity, identity),
    );
  }

  /** The identity a Pipedrive id stands for in the id map, if any. */
  identityOfId(entity: string, pipedriveId: string): string | undefined {
    const row = this.statement('SELECT identity FROM id_map WHERE entity = ? AND pipedrive_id = ?').get(
      entity,
      pipedriveId,
    ) as { identity: string } | undefined;
    return row?.identity;
  }

  idOf(entity: string, identity: string): string | undefined {
    const row = this.statement('SELECT pipedrive_id FROM id_map WHERE entity = ? AND identity = ?').get(
      entity,
      identity,
    ) as { pipedrive_id: string } | undefined;
    return row?.pipedrive_id;
  }

  mapped(entity: string, identity: string): MappedRecord | undefined {
    const row = this.statement(
      'SELECT pipedrive_id, content_hash, run_id, written FROM id_map WHERE entity = ? AND identity = ?',
    ).get(entity, identity) as
      | { pipedrive_id: string; content_hash: string | null; run_id: number; written: string | null }
      | undefined;
    return row
      ? {
          pipedriveId: row.pipedrive_id,
          contentHash: row.content_hash,
          runId: row.run_id,
          written: row.written === null ? undefined : JSON.parse(row.written),
        }
      : undefined;
  }

  idMap(entity?: string): IdMapEntry[] {
    const rows = (
      entity
        ? this.statement('SELECT * FROM id_map WHERE entity = ? ORDER BY rowid').all(entity)
        : this.statement('SELECT * FROM id_map ORDER BY rowid').all()
    ) as IdMapRow[];
    return rows.map(toIdMapEntry);
  }

  /**
   * One entity's id map, `size` entries at a time in identity order (the primary key's: each slice is a seek,
   * not a scan). Each slice is a query of its own (no cursor stays open between them), so a caller may give
   * the event loop back between slices.
   */
  *idMapSlices(entity: string, size: number): Generator<IdMapEntry[]> {
    let after = '';
    for (;;) {
      const rows = this.statement(
        'SELECT * FROM id_map WHERE entity = ? AND identity > ? ORDER BY identity LIMIT ?',
      ).all(entity, after, size) as IdMapRow[];
      if (rows.length === 0) return;
      after = (rows.at(-1) as IdMapRow).identity;
      yield rows.map(toIdMapEntry);
    }
  }

  /** One entity's records without the bodies Ferry wrote: what a read-back needs before it compares. */
  writtenRecords(entity: string): WrittenEntry[] {
    return (
      this.statement(
        'SELECT identity, pipedrive_id, created_at, updated_at FROM id_map WHERE entity = ? ORDER BY rowid',
      ).all(entity) as Pick<IdMapRow, 'identity' | 'pipedrive_id' | 'created_at' | 'updated_at'>[]
    ).map((row) => ({
      identity: row.identity,
      pipedriveId: row.pipedrive_id,
      writtenAt: row.updated_at ?? row.created_at,
    }));
  }

  /** Entries left open by a crash (intent) or settled as uncertain: to be looked up before any retry. */
  unresolved(entity: string, operation: JournalOperation = 'create'): JournalEntry[] {
    return (
      this.statement(
        "SELECT * FROM journal WHERE entity = ? AND operation = ? AND state IN ('intent', 'uncertain') ORDER BY id",
      ).all(entity, operation) as JournalRow[]
    ).map(toEntry);
  }

  /** The newest open entry (intent or uncertain) of one record's operation, if an earlier attempt left one. */
  openEntry(entity: string, identity: string, operation: JournalOperation): JournalEntry | undefined {
    const row = this.statement(
      `SELECT * FROM journal WHERE entity = ? AND operation = ? AND identity = ? AND state IN ('intent', 'uncertain')
         ORDER BY id DESC LIMIT 1`,
    ).get(entity, operation, identity) as JournalRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  /** Every open entry of a record's operation but the newest: superseded attempts, settled with it. */
  settleOpen(
    entity: string,
    identity: string,
    operation: JournalOperation,
    state: Exclude<JournalState, 'intent'>,
    message: string,
  ): void {
    this.write(() =>
      this.statement(
        `UPDATE journal SET state = ?, detail = ?, outcome_at = ? WHERE entity = ? AND operation = ? AND identity = ?
           AND state IN ('intent', 'uncertain')`,
      ).run(state, message, this.now(), entity, operation, identity),
    );
  }

  /** How many writes have an unknown outcome (intent or uncertain), for the summary of a stopped command. */
  openCount(filter: { runId?: number } = {}): number {
    const row = (
      filter.runId === undefined
        ? this.statement("SELECT count(*) AS n FROM journal WHERE state IN ('intent', 'uncertain')").get()
        : this.statement(
            "SELECT count(*) AS n FROM journal WHERE run_id = ? AND state IN ('intent', 'uncertain')",
          ).get(filter.runId)
    ) as { n: number };
    return row.n;
  }

  entry(entryId: number): JournalEntry | undefined {
    const row = this.statement('SELECT * FROM journal WHERE id = ?').get(entryId) as JournalRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  entries(
    filter: { runId?: number; state?: JournalState; operation?: JournalOperation } = {},
  ): JournalEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.runId !== undefined) {
      where.push('run_id = ?');
      params.push(filter.runId);
    }
    if (filter.state) {
      where.push('state = ?');
      params.push(filter.state);
    }
    if (filter.operation) {
      where.push('operation = ?');
      params.push(filter.operation);
    }
    const sql = `SELECT * FROM journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return (this.statement(sql).all(...params) as JournalRow[]).map(toEntry);
  }

  /** Sets the outcome of source rows; a later run's outcome replaces an earlier one. */
  recordOutcomes(
    rows: readonly RowRef[],
    outcome: RowOutcome,
    detail: { entity?: WriteEntity | string; pipedriveId?: string; reason?: string; runId?: number } = {},
  ): void {
    const statement = this.statement(
      `INSERT INTO row_outcomes (file, source_key, outcome, entity, pipedrive_id, reason, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(file, source_key) DO UPDATE SET outcome = excluded.outcome, entity = excluded.entity,
         pipedrive_id = excluded.pipedrive_id, reason = excluded.reason, run_id = excluded.run_id`,
    );
    this.atomically(() => {
      for (const row of rows) {
        statement.run(
          row.file,
          row.sourceKey,
          outcome,
          detail.entity ?? null,
          detail.pipedriveId ?? null,
          detail.reason ?? null,
          detail.runId ?? null,
        );
      }
    });
  }

  outcomeCounts(): { file: string; outcome: RowOutcome; count: number }[] {
    return this.statement(
      'SELECT file, outcome, count(*) AS count FROM row_outcomes GROUP BY file, outcome ORDER BY file, outcome',
    ).all() as { file: string; outcome: RowOutcome; count: number }[];
  }
}

function toRun(row: Record<string, unknown>): RunRecord {
  return {
    id: row.id as number,
    kind: row.kind as RunKind,
    status: row.status as RunStatus,
    mappingHash: (row.mapping_hash as string | null) ?? null,
    startedAt: row.started_at as string,
    finishedAt: (row.finished_at as string | null) ?? null,
    summary: row.summary ? JSON.parse(row.summary as string) : null,
    error: (row.error as string | null) ?? null,
  };
}
