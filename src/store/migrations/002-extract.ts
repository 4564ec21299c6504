import type { StoreMigration } from './index.ts';

/** Tables of `ferry extract`: the export's files, rows (with delta state), column profiles and issues. */
export const migration002: StoreMigration = {
  version: 2,
  name: 'extract',
  sql: `
    CREATE TABLE extract_runs (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      source_dir   TEXT NOT NULL,
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
      summary_json TEXT
    );
    -- One row per table file of the export (latest extraction).
    CREATE TABLE source_files (
      file           TEXT PRIMARY KEY,
      object         TEXT,
      confidence     REAL NOT NULL,
      reason         TEXT NOT NULL,
      row_count      INTEGER NOT NULL,
      key_column     TEXT,
      format         TEXT NOT NULL,
      encoding       TEXT NOT NULL,
      delimiter      TEXT,
      header_line    INTEGER NOT NULL,
      columns_json   TEXT NOT NULL,
      quarantined    TEXT,
      present        INTEGER NOT NULL DEFAULT 1,
      last_run       INTEGER NOT NULL REFERENCES extract_runs(id)
    );
    CREATE TABLE source_columns (
      file         TEXT NOT NULL,
      idx          INTEGER NOT NULL,
      name         TEXT NOT NULL,
      profile_json TEXT NOT NULL,
      PRIMARY KEY (file, idx)
    );
    -- Every source row. values_json holds the non-empty cells; prev_* keep the values before the last
    -- change so a delta can tell what changed. state 'vanished' = gone from a newer export.
    CREATE TABLE source_rows (
      file              TEXT NOT NULL,
      source_key        TEXT NOT NULL,
      line              INTEGER NOT NULL,
      content_hash      TEXT NOT NULL,
      values_json       TEXT NOT NULL,
      state             TEXT NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'vanished')),
      first_run         INTEGER NOT NULL,
      changed_run       INTEGER NOT NULL,
      prev_content_hash TEXT,
      prev_values_json  TEXT,
      PRIMARY KEY (file, source_key)
    );
    CREATE INDEX source_rows_by_line ON source_rows (file, line);
    -- What each extract run found new, changed or vanished: the delta pickup list.
    CREATE TABLE source_row_changes (
      run_id     INTEGER NOT NULL REFERENCES extract_runs(id),
      file       TEXT NOT NULL,
      source_key TEXT NOT NULL,
      change     TEXT NOT NULL CHECK (change IN ('new', 'changed', 'vanished')),
      PRIMARY KEY (run_id, file, source_key)
    );
    CREATE TABLE extract_file_deltas (
      run_id    INTEGER NOT NULL REFERENCES extract_runs(id),
      file      TEXT NOT NULL,
      new       INTEGER NOT NULL,
      changed   INTEGER NOT NULL,
      vanished  INTEGER NOT NULL,
      unchanged INTEGER NOT NULL,
      PRIMARY KEY (run_id, file)
    );
    -- Issues of the latest extraction (replaced on every run).
    CREATE TABLE extract_issues (
      id         INTEGER PRIMARY KEY,
      run_id     INTEGER NOT NULL REFERENCES extract_runs(id),
      code       TEXT NOT NULL,
      severity   TEXT NOT NULL,
      message    TEXT NOT NULL,
      file       TEXT,
      line       INTEGER,
      source_key TEXT,
      field      TEXT,
      fix        TEXT
    );
    CREATE INDEX extract_issues_by_file ON extract_issues (file, line);
  `,
};
