import Database from 'better-sqlite3';
import type { PlannedRecord, WriteEntity } from '../core/records.ts';
import type { RecordSpill } from './record-source.ts';

/** Inserts per transaction: one commit per record would make the planning pass several times slower. */
const RECORDS_PER_COMMIT = 10_000;
/** Records read back per query: no cursor stays open while the executor works between pages. */
const RECORDS_PER_PAGE = 500;

/**
 * Planned records kept in a private temporary SQLite database (deleted when the connection closes or the
 * process ends) between the planning pass and the writes, so a migration plans each record once and
 * memory stays at SQLite's page cache however many records the export makes. Records are stored as the
 * JSON they are sent as.
 * @example spill.add(record); for (const again of spill.records('person')) …; spill.close()
 */
export class SqliteRecordSpill implements RecordSpill {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string]>;
  private readonly page: Database.Statement<[string, number, number]>;
  private pending = 0;

  constructor() {
    // An empty file name: a temporary on-disk database, private to this connection.
    this.db = new Database('');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(
      'CREATE TABLE records (seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, record TEXT NOT NULL)',
    );
    this.db.exec('CREATE INDEX records_entity ON records (entity, seq)');
    this.insert = this.db.prepare('INSERT INTO records (entity, record) VALUES (?, ?)');
    this.page = this.db.prepare(
      'SELECT seq, record FROM records WHERE entity = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
  }

  add(record: PlannedRecord): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    this.insert.run(record.entity, JSON.stringify(record));
    this.pending += 1;
    if (this.pending >= RECORDS_PER_COMMIT) this.commit();
  }

  /** The entity's records in the order they were added. */
  *records(entity: WriteEntity): Generator<PlannedRecord> {
    this.commit();
    let after = 0;
    for (;;) {
      const rows = this.page.all(entity, after, RECORDS_PER_PAGE) as { seq: number; record: string }[];
      for (const row of rows) yield JSON.parse(row.record) as PlannedRecord;
      if (rows.length < RECORDS_PER_PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.pending = 0;
  }
}
