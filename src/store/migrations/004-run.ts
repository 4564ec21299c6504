import type { StoreMigration } from './index.ts';

/** Runs, the write-ahead journal, the id map and row outcomes (src/run/). */
export const migration004: StoreMigration = {
  version: 4,
  name: 'run',
  sql: `
    CREATE TABLE runs (
      id            INTEGER PRIMARY KEY,
      kind          TEXT NOT NULL,            -- schema | sample | full | delta | rollback
      status        TEXT NOT NULL,            -- running | completed | stopped | failed
      mapping_hash  TEXT,
      options       TEXT NOT NULL DEFAULT '{}',
      started_at    TEXT NOT NULL,
      finished_at   TEXT,
      summary       TEXT,
      error         TEXT
    );

    -- Write-ahead journal: an intent row is committed before each write to Pipedrive, its outcome after.
    -- An intent without an outcome (crash) or an 'uncertain' outcome is resolved by looking the record up
    -- by its BackDocket identity before any retry.
    CREATE TABLE journal (
      id            INTEGER PRIMARY KEY,
      run_id        INTEGER NOT NULL REFERENCES runs(id),
      entity        TEXT NOT NULL,
      identity      TEXT NOT NULL,
      operation     TEXT NOT NULL,            -- create | update | delete | restore
      state         TEXT NOT NULL,            -- intent | done | failed | uncertain | skipped
      pipedrive_id  TEXT,
      content_hash  TEXT,
      pre_image     TEXT,                     -- JSON of the Pipedrive record before an update
      detail        TEXT,                     -- error or skip reason
      attempts      INTEGER NOT NULL DEFAULT 0,
      intent_at     TEXT NOT NULL,
      outcome_at    TEXT
    );
    CREATE INDEX journal_by_identity ON journal(entity, identity);
    CREATE INDEX journal_by_run_state ON journal(run_id, state);

    -- What exists in Pipedrive because of Ferry: BackDocket identity → Pipedrive id.
    CREATE TABLE id_map (
      entity        TEXT NOT NULL,
      identity      TEXT NOT NULL,
      pipedrive_id  TEXT NOT NULL,
      run_id        INTEGER NOT NULL,
      content_hash  TEXT,
      written       TEXT,                     -- JSON of the payload last written (to spot edits made in Pipedrive)
      created_at    TEXT NOT NULL,
      updated_at    TEXT,
      PRIMARY KEY (entity, identity)
    );
    CREATE INDEX id_map_by_pipedrive ON id_map(entity, pipedrive_id);

    -- Row accountability: every source row ends in exactly one outcome.
    CREATE TABLE row_outcomes (
      file          TEXT NOT NULL,
      source_key    TEXT NOT NULL,
      outcome       TEXT NOT NULL,            -- migrated | updated | skipped | quarantined | failed
      entity        TEXT,
      pipedrive_id  TEXT,
      reason        TEXT,
      run_id        INTEGER,
      PRIMARY KEY (file, source_key)
    );
  `,
};
