import type { StoreMigration } from './index.ts';

export const migration001: StoreMigration = {
  version: 1,
  name: 'workspace',
  sql: `
    CREATE TABLE workspace_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    -- One row per long-running command holding the workspace (see SqliteStore.acquireLock).
    CREATE TABLE workspace_lock (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      command     TEXT NOT NULL,
      pid         INTEGER NOT NULL,
      acquired_at TEXT NOT NULL
    );
  `,
};
