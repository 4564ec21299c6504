import Database from 'better-sqlite3';
import type { ClaimFeeds, FeedItem, FeedKind } from '../plan/claim-feeds.ts';

/** Inserts per transaction: one commit per row would make the feeder pass several times slower. */
const ROWS_PER_COMMIT = 10_000;

/**
 * Feeder rows by claim in a private temporary SQLite database (SQLite deletes its file when the connection
 * closes, or the process ends): memory stays at SQLite's page cache however many rows the export has.
 * Items are stored as JSON (V8's serializer is slower, and its buffers outside the heap are freed late
 * enough to cost more memory than they save).
 */
export class SqliteClaimFeeds implements ClaimFeeds {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, FeedKind, string]>;
  private pending = 0;
  private reads: { items: Database.Statement; claims: Database.Statement } | undefined;

  constructor() {
    // An empty file name: a temporary on-disk database, private to this connection.
    this.db = new Database('');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(
      'CREATE TABLE feed_items (seq INTEGER PRIMARY KEY, claim TEXT NOT NULL, kind TEXT NOT NULL, item TEXT NOT NULL)',
    );
    this.insert = this.db.prepare('INSERT INTO feed_items (claim, kind, item) VALUES (?, ?, ?)');
  }

  add(claimKey: string, item: FeedItem): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    // Only a deal's custom values can hold numbers JSON would change (NaN, Infinity, -0).
    this.insert.run(claimKey, item.kind, JSON.stringify(item, item.kind === 'deal' ? tagNumbers : undefined));
    this.pending += 1;
    if (this.pending >= ROWS_PER_COMMIT) this.commit();
  }

  items<K extends FeedKind>(claimKey: string, kind: K): Extract<FeedItem, { kind: K }>[] {
    const texts = this.readyToRead().items.all(claimKey, kind) as string[];
    const reviver = kind === 'deal' ? untagNumbers : undefined;
    return texts.map((text) => JSON.parse(text, reviver) as Extract<FeedItem, { kind: K }>);
  }

  claims(kind: FeedKind): string[] {
    // Read whole (keys only): callers read items while they walk the claims, which an open cursor forbids.
    return this.readyToRead().claims.all(kind) as string[];
  }

  close(): void {
    this.db.close();
  }

  private commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.pending = 0;
  }

  /** Rows are read once they have all been added: the index is built then, in one sort. */
  private readyToRead(): { items: Database.Statement; claims: Database.Statement } {
    this.commit();
    if (this.reads) return this.reads;
    this.db.exec('CREATE INDEX feed_items_claim ON feed_items (claim, kind)');
    this.reads = {
      items: this.db.prepare('SELECT item FROM feed_items WHERE claim = ? AND kind = ? ORDER BY seq').pluck(),
      claims: this.db
        .prepare('SELECT claim FROM feed_items GROUP BY claim HAVING max(kind = ?) ORDER BY min(seq)')
        .pluck(),
    };
    return this.reads;
  }
}

/** JSON replacer: numbers JSON has no text for (NaN, ±Infinity) or would turn into 0 (-0) become tags. */
function tagNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { [NUMBER_TAG]: Object.is(value, -0) ? '-0' : String(value) };
}

function untagNumbers(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const tag = (value as Record<string, unknown>)[NUMBER_TAG];
  return typeof tag === 'string' ? Number(tag) : value;
}

const NUMBER_TAG = '$ferryNumber';
