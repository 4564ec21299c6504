import type { StoreMigration } from './index.ts';

/**
 * Every write Ferry makes is journaled and resolved the same way (src/run/write-once.ts). An update or a
 * restore that a crash or a lost answer left without an outcome is resolved by comparing the record in
 * Pipedrive with what the write meant to put there, so the journal keeps that body. Open entries (intent,
 * uncertain) are what a resumed command looks up first, so they get an index of their own.
 */
export const migration005: StoreMigration = {
  version: 5,
  name: 'write-intents',
  sql: `
    ALTER TABLE journal ADD COLUMN intended TEXT;   -- JSON of the values an update or restore writes
    CREATE INDEX journal_open ON journal(entity, operation, identity) WHERE state IN ('intent', 'uncertain');
  `,
};
