import type { StoreMigration } from './index.ts';

/** Examples (file:line or table:id) of the extract issues that are about many rows, a column or a file. */
export const migration008: StoreMigration = {
  version: 8,
  name: 'issue-examples',
  sql: `
    ALTER TABLE extract_issues ADD COLUMN examples TEXT;   -- JSON: [{file, line?, sourceKey?}]
  `,
};
