import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { FerryError } from '../../core/errors.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';

/** Rows written per transaction. */
export const BATCH_ROWS = 4000;
/** A batch is also sent once its values reach this many characters: rows of long notes are large. */
const BATCH_CHARS = 4 * 1024 * 1024;
/** Batches handed to the writer thread and not yet committed, beyond which extraction waits. */
const BATCHES_IN_FLIGHT = 3;
/** A writer that commits nothing for this long has stopped (a thread that died cannot say so itself). */
const STALLED_MS = 120_000;

/** Appends a file's rows to `source_rows` during its first extraction, in transactions of BATCH_ROWS. */
export interface RowWriter {
  add(sourceKey: string, line: number, contentHash: string, json: string): void;
  /** Returns once every row added so far is committed. */
  drain(): void;
  /** Drops rows not yet committed; committed ones are the caller's to delete. */
  discard(): void;
  close(): void;
}

/**
 * A writer on the extraction's own thread (in-memory stores, which another thread cannot open).
 * Rows are inserted at once inside an open transaction: holding them in a batch array made them outlive
 * the young generation and swell the heap.
 */
export class InlineRowWriter implements RowWriter {
  private pending = 0;
  private readonly insert: Statement;

  constructor(
    private readonly store: SqliteStore,
    private readonly file: string,
    private readonly runId: number,
  ) {
    this.insert = store.db.prepare(INSERT_ROW);
  }

  add(sourceKey: string, line: number, contentHash: string, json: string): void {
    if (this.pending === 0) this.store.db.exec('BEGIN');
    this.insert.run(this.file, sourceKey, line, contentHash, json, this.runId, this.runId);
    this.pending += 1;
    if (this.pending >= BATCH_ROWS) this.drain();
  }

  drain(): void {
    if (this.pending === 0) return;
    this.store.db.exec('COMMIT');
    this.pending = 0;
  }

  discard(): void {
    if (this.pending > 0 && this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
    this.pending = 0;
  }

  close(): void {}
}

const INSERT_ROW =
  'INSERT INTO source_rows (file, source_key, line, content_hash, values_json, first_run, changed_run) VALUES (?, ?, ?, ?, ?, ?, ?)';

// The writer thread: its own connection to the workspace file, one transaction per batch. Plain
// CommonJS so it runs without the TypeScript loader; the driver path comes from the parent.
const WRITER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const { driver, path, state, errors } = workerData;
const fail = (error) => {
  if (Atomics.load(state, 1) === 0) errors.postMessage(String(error && error.message ? error.message : error));
  Atomics.store(state, 1, 1);
};
let write = null;
try {
  const Database = require(driver);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 20000');
  const insert = db.prepare(${JSON.stringify(INSERT_ROW)});
  write = db.transaction((file, runId, rows) => {
    for (let i = 0; i < rows.length; i += 4) insert.run(file, rows[i], rows[i + 1], rows[i + 2], rows[i + 3], runId, runId);
  });
} catch (error) {
  fail(error);
}
parentPort.on('message', ({ file, runId, rows }) => {
  try {
    if (Atomics.load(state, 1) === 0) write(file, runId, rows);
  } catch (error) {
    fail(error);
  }
  Atomics.sub(state, 0, 1);
  Atomics.notify(state, 0);
});
Atomics.notify(state, 0);
`;

/**
 * Hands batches of rows to a thread that inserts them on its own connection, so SQLite's work runs
 * beside reading and profiling instead of after it. Waits synchronously (Atomics) when BATCHES_IN_FLIGHT
 * batches are pending, which bounds memory; `drain` waits for all of them.
 */
export class ThreadRowWriter implements RowWriter {
  private readonly worker: Worker;
  /** [0]: batches in flight; [1]: 1 once the writer failed (the message is on `errors`). */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly errors: MessagePort;
  /** Why the thread stopped, when it could not say so itself (it died, or stopped answering). */
  private failure: string | undefined;
  private batch: (string | number)[] = [];
  private batchChars = 0;
  private file = '';
  private runId = 0;

  constructor(path: string) {
    const channel = new MessageChannel();
    this.errors = channel.port1;
    this.worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        state: this.state,
        errors: channel.port2,
      },
      transferList: [channel.port2],
      // A small young generation keeps the thread's few batches from adding much to the peak RSS; the old
      // generation has room for BATCHES_IN_FLIGHT batches of BATCH_CHARS with plenty to spare.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 },
    });
    this.worker.on('error', (error) => {
      this.failure = error instanceof Error ? error.message : String(error);
      Atomics.store(this.state, 1, 1);
    });
    this.worker.unref();
  }

  /** Starts the rows of another file (each file's writer is this one writer, retargeted). */
  target(file: string, runId: number): this {
    this.file = file;
    this.runId = runId;
    this.batch = [];
    this.batchChars = 0;
    return this;
  }

  add(sourceKey: string, line: number, contentHash: string, json: string): void {
    this.batch.push(sourceKey, line, contentHash, json);
    this.batchChars += json.length + sourceKey.length;
    if (this.batch.length >= BATCH_ROWS * 4 || this.batchChars >= BATCH_CHARS) this.send();
  }

  drain(): void {
    this.send();
    this.waitBelow(1);
  }

  discard(): void {
    this.batch = [];
    this.batchChars = 0;
    try {
      this.waitBelow(1);
    } catch {
      // The writer failed: nothing more reaches the store, and the caller deletes what did.
    }
  }

  close(): void {
    void this.worker.terminate();
    this.errors.close();
  }

  private send(): void {
    if (this.batch.length === 0) return;
    this.waitBelow(BATCHES_IN_FLIGHT);
    Atomics.add(this.state, 0, 1);
    this.worker.postMessage({ file: this.file, runId: this.runId, rows: this.batch });
    this.batch = [];
    this.batchChars = 0;
  }

  private waitBelow(limit: number): void {
    let last = Atomics.load(this.state, 0);
    let since = Date.now();
    for (;;) {
      const pending = Atomics.load(this.state, 0);
      if (pending < limit || Atomics.load(this.state, 1) === 1) break;
      if (pending !== last) {
        last = pending;
        since = Date.now();
      } else if (Date.now() - since > STALLED_MS) {
        this.failure ??= 'the writer thread stopped answering';
        Atomics.store(this.state, 1, 1);
        break;
      }
      Atomics.wait(this.state, 0, pending, 1000);
    }
    if (Atomics.load(this.state, 1) === 1) {
      const failure = receiveMessageOnPort(this.errors) ?? {
        message: this.failure ?? 'the writer thread stopped',
      };
      Atomics.store(this.state, 0, 0);
      throw new FerryError('internal', `Writing extracted rows to the workspace failed: ${failure.message}`, {
        code: 'E_STORE_WRITE',
      });
    }
  }
}
