/**
 * Numbered schema migrations for the workspace store. Append only: never edit a released migration,
 * add the next number instead. Each stage owns its tables (see the file names).
 */
export interface StoreMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

import { migration001 } from './001-workspace.ts';
import { migration002 } from './002-extract.ts';
import { migration003 } from './003-mapping.ts';
import { migration004 } from './004-run.ts';
import { migration005 } from './005-write-intents.ts';
import { migration006 } from './006-mcp.ts';
import { migration008 } from './008-issue-examples.ts';

export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration008,
];
