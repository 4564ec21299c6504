import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FerryError } from '../core/errors.ts';
import { STORE_MIGRATIONS, type StoreMigration } from './migrations/index.ts';

/** The store format this build reads and writes; a newer workspace is refused rather than damaged. */
export const STORE_FORMAT = 'ferry-store';

export interface OpenStoreOptions {
  /** Path of the SQLite file, or `:memory:`. */
  readonly path: string;
  readonly migrations?: readonly StoreMigration[];
}

/**
 * The workspace store: SQLite in WAL mode, schema kept current by numbered migrations.
 * @example const store = SqliteStore.open({ path: '.ferry/ferry.db' }); store.db.prepare('…').all()
 */
export class SqliteStore {
  readonly db: Database.Database;
  readonly path: string;

  private constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
  }

  static open(options: OpenStoreOptions): SqliteStore {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const store = new SqliteStore(db, options.path);
    store.migrate(options.migrations ?? STORE_MIGRATIONS);
    return store;
  }

  /** Applies every migration newer than the store's `user_version`, each in its own transaction. */
  private migrate(migrations: readonly StoreMigration[]): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new FerryError(
        'config',
        `This workspace was written by a newer Ferry (store version ${current}, this Ferry knows ${latest}). ` +
          'Upgrade Ferry, or start a new workspace.',
        { code: 'E_STORE_TOO_NEW', details: { storeVersion: current, knownVersion: latest } },
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
    this.setMeta('format', STORE_FORMAT);
  }

  get version(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM workspace_meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /**
   * Takes the workspace for one long-running command. A lock left by a process that no longer exists is
   * taken over; a live one refuses, so two runs never write the same journal.
   */
  acquireLock(command: string): () => void {
    const take = this.db.transaction(() => {
      const held = this.db
        .prepare('SELECT command, pid, acquired_at FROM workspace_lock WHERE id = 1')
        .get() as { command: string; pid: number; acquired_at: string } | undefined;
      if (held && held.pid !== process.pid && isProcessAlive(held.pid)) {
        throw new FerryError(
          'config',
          `Another Ferry command (${held.command}, pid ${held.pid}, since ${held.acquired_at}) is using this workspace. ` +
            'Wait for it to finish, or stop it first.',
          { code: 'E_WORKSPACE_LOCKED' },
        );
      }
      this.db
        .prepare(
          `INSERT INTO workspace_lock (id, command, pid, acquired_at) VALUES (1, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET command = excluded.command, pid = excluded.pid, acquired_at = excluded.acquired_at`,
        )
        .run(command, process.pid, new Date().toISOString());
    });
    take();
    return () => {
      this.db.prepare('DELETE FROM workspace_lock WHERE id = 1 AND pid = ?').run(process.pid);
    };
  }

  close(): void {
    if (!this.db.open) return;
    // The journal gathers outcomes in an open transaction; closing would roll them back.
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
