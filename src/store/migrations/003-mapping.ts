import type { StoreMigration } from './index.ts';

/** Tables of `ferry map`: the proposals Ferry made (to keep a person's edits) and the confirmation lock. */
export const migration003: StoreMigration = {
  version: 3,
  name: 'mapping',
  sql: `
    -- Every mapping Ferry proposed, as plain JSON of the Mapping it wrote. The newest one is the base
    -- for telling a person's edits apart from Ferry's own proposal on the next \`ferry map propose\`.
    CREATE TABLE mapping_proposals (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at    TEXT NOT NULL,
      mapping_json  TEXT NOT NULL,
      edits_json    TEXT NOT NULL DEFAULT '[]'   -- paths a person had changed and that were kept
    );
    -- The confirmed mapping.yaml: sha256 of its exact bytes, who confirmed it and when.
    CREATE TABLE mapping_lock (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      sha256        TEXT NOT NULL,
      path          TEXT NOT NULL,
      confirmed_by  TEXT NOT NULL,
      confirmed_at  TEXT NOT NULL
    );
  `,
};
