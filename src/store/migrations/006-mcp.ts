import type { StoreMigration } from './index.ts';

/**
 * Tables of an extraction from a BackDocket MCP server (src/source/mcp): one pull per extract run, the
 * journal of every stored page (where the next page starts), the pulled rows waiting for the end of the
 * pull, and downloaded documents. A killed pull resumes after its last stored page; the rows enter
 * `source_rows` only once every table was read, so nothing partial is ever presented as extracted.
 */
export const migration006: StoreMigration = {
  version: 6,
  name: 'mcp',
  sql: `
    CREATE TABLE mcp_pulls (
      run_id      INTEGER PRIMARY KEY REFERENCES extract_runs(id),
      server      TEXT NOT NULL,            -- the server URL (never a token)
      plan_hash   TEXT NOT NULL,            -- a changed read plan starts a new pull
      plan_json   TEXT NOT NULL,
      since       TEXT,                     -- modified-since value of a delta pull, null for a full pull
      -- fetching: pages being read; written: rows are in source_rows, profiles and checks still to do;
      -- done; abandoned: superseded by a new pull (its journal is kept for the record)
      state       TEXT NOT NULL CHECK (state IN ('fetching', 'written', 'done', 'abandoned')),
      -- set with 'written': per table new/changed/vanished/unchanged, the keying issues, and each table's
      -- stream and parent column (a later delta pull needs them for tables it pulls no row of)
      written_json TEXT,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      error       TEXT
    );
    -- Every page stored, in the transaction that stored its rows.
    CREATE TABLE mcp_pages (
      run_id       INTEGER NOT NULL REFERENCES mcp_pulls(run_id),
      stream       TEXT NOT NULL,           -- the table the listing feeds
      page         INTEGER NOT NULL,        -- 0-based
      request_json TEXT NOT NULL,           -- the arguments sent
      next_json    TEXT,                    -- the arguments of the next page; null after the last page
      records      INTEGER NOT NULL,
      total        INTEGER,                 -- the total the server stated, if any
      ids_hash     TEXT NOT NULL,           -- to tell a page that repeats
      fetched_at   TEXT NOT NULL,
      PRIMARY KEY (run_id, stream, page)
    );
    -- Rows of the pull in their order (page, position on the page, child index), until the pull ends.
    CREATE TABLE mcp_rows (
      run_id      INTEGER NOT NULL REFERENCES mcp_pulls(run_id),
      tbl         TEXT NOT NULL,
      stream      TEXT NOT NULL,
      page        INTEGER NOT NULL,
      pos         INTEGER NOT NULL,
      sub         INTEGER NOT NULL,
      record_id   TEXT,
      parent_id   TEXT,
      parent_col  TEXT,                     -- the column holding parent_id (rows of nested records)
      values_json TEXT NOT NULL,
      PRIMARY KEY (run_id, tbl, page, pos, sub)
    );
    CREATE INDEX mcp_rows_by_stream ON mcp_rows (run_id, stream, page);
    -- Documents downloaded into the workspace (or found unavailable), so a resumed pull skips them.
    CREATE TABLE mcp_documents (
      run_id      INTEGER NOT NULL REFERENCES mcp_pulls(run_id),
      tbl         TEXT NOT NULL,
      record_id   TEXT NOT NULL,
      path        TEXT,                     -- relative to the workspace's source-files folder
      bytes       INTEGER,
      state       TEXT NOT NULL CHECK (state IN ('downloaded', 'unavailable')),
      detail      TEXT,
      PRIMARY KEY (run_id, tbl, record_id)
    );
  `,
};
