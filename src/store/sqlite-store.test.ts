import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryError } from '../core/errors.ts';
import { SqliteStore } from './sqlite-store.ts';

describe('SqliteStore', () => {
  it('opens in WAL mode at the latest schema version and keeps meta', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-store-')), 'ferry.db');
    const store = SqliteStore.open({ path });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.setMeta('k', 'v');
    store.close();
    const again = SqliteStore.open({ path });
    expect(again.getMeta('k')).toBe('v');
    expect(again.version).toBeGreaterThanOrEqual(1);
    again.close();
  });

  it('refuses a workspace written by a newer Ferry', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-store-')), 'ferry.db');
    const store = SqliteStore.open({ path });
    store.db.pragma('user_version = 999');
    store.close();
    expect(() => SqliteStore.open({ path })).toThrow(FerryError);
  });

  it('refuses a second live holder of the workspace lock and frees it on release', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-store-')), 'ferry.db');
    const store = SqliteStore.open({ path });
    store.db
      .prepare("INSERT INTO workspace_lock (id, command, pid, acquired_at) VALUES (1, 'migrate', 1, 'x')")
      .run();
    expect(() => store.acquireLock('verify')).toThrow(/Another Ferry command \(migrate, pid 1/);
    store.db.prepare('DELETE FROM workspace_lock').run();
    const release = store.acquireLock('migrate');
    release();
    expect(store.db.prepare('SELECT count(*) AS n FROM workspace_lock').get()).toEqual({ n: 0 });
    store.close();
  });
});
