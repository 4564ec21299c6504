import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { FerryError } from '../core/errors.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';
import type { Mapping } from './mapping-schema.ts';

/**
 * The confirmation lock and the proposal history (store tables of migration 003). The one part of
 * `mapping/` that does I/O: everything else here is pure.
 */

export interface MappingLock {
  readonly sha256: string;
  readonly path: string;
  readonly confirmedBy: string;
  readonly confirmedAt: string;
}

/** sha256 of the exact file content: any edit, even a comment, needs a new confirmation. */
export function mappingHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Locks this content of mapping.yaml as confirmed. */
export function lockMapping(
  store: SqliteStore,
  options: { text: string; path: string; confirmedBy: string; now?: Date },
): MappingLock {
  const lock: MappingLock = {
    sha256: mappingHash(options.text),
    path: options.path,
    confirmedBy: options.confirmedBy,
    confirmedAt: (options.now ?? new Date()).toISOString(),
  };
  store.db
    .prepare(
      `INSERT INTO mapping_lock (id, sha256, path, confirmed_by, confirmed_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, path = excluded.path,
         confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`,
    )
    .run(lock.sha256, lock.path, lock.confirmedBy, lock.confirmedAt);
  return lock;
}

export function readMappingLock(store: SqliteStore): MappingLock | undefined {
  const row = store.db
    .prepare('SELECT sha256, path, confirmed_by, confirmed_at FROM mapping_lock WHERE id = 1')
    .get() as { sha256: string; path: string; confirmed_by: string; confirmed_at: string } | undefined;
  return row
    ? { sha256: row.sha256, path: row.path, confirmedBy: row.confirmed_by, confirmedAt: row.confirmed_at }
    : undefined;
}

/** True when `text` is exactly the confirmed mapping. */
export function isMappingConfirmed(store: SqliteStore, text: string): boolean {
  return readMappingLock(store)?.sha256 === mappingHash(text);
}

/**
 * Migrate calls this before any record moves. Throws FerryError('blocked') (exit 3) when mapping.yaml
 * is missing, was never confirmed, or changed since it was confirmed. Returns the confirmed hash.
 * @example const hash = assertMappingConfirmed(workspace, store)
 */
export function assertMappingConfirmed(
  workspace: { readonly mappingPath: string },
  store: SqliteStore,
): string {
  if (!existsSync(workspace.mappingPath)) {
    throw new FerryError(
      'blocked',
      `${workspace.mappingPath} does not exist. Run \`ferry map propose\`, review it, then \`ferry map confirm\`.`,
      {
        code: 'E_MAPPING_MISSING',
      },
    );
  }
  const text = readFileSync(workspace.mappingPath, 'utf8');
  const lock = readMappingLock(store);
  if (!lock) {
    throw new FerryError(
      'blocked',
      `The mapping (${workspace.mappingPath}) has not been confirmed. Review it, then run \`ferry map confirm\`.`,
      {
        code: 'E_MAPPING_UNCONFIRMED',
      },
    );
  }
  const hash = mappingHash(text);
  if (lock.sha256 !== hash) {
    throw new FerryError(
      'blocked',
      `${workspace.mappingPath} changed since it was confirmed (by ${lock.confirmedBy} at ${lock.confirmedAt}). Re-run \`ferry map confirm\` to lock the new version.`,
      { code: 'E_MAPPING_CHANGED', details: { confirmed: lock.sha256, current: hash } },
    );
  }
  return hash;
}

/** Stores Ferry's own proposal (before merging a person's edits) as the base for the next re-proposal. */
export function saveProposal(
  store: SqliteStore,
  options: { mapping: Mapping; edits: readonly string[]; now?: Date },
): void {
  store.db
    .prepare('INSERT INTO mapping_proposals (created_at, mapping_json, edits_json) VALUES (?, ?, ?)')
    .run(
      (options.now ?? new Date()).toISOString(),
      JSON.stringify(options.mapping),
      JSON.stringify(options.edits),
    );
}

export function loadLastProposal(store: SqliteStore): { mapping: Mapping; edits: string[] } | undefined {
  const row = store.db
    .prepare('SELECT mapping_json, edits_json FROM mapping_proposals ORDER BY id DESC LIMIT 1')
    .get() as { mapping_json: string; edits_json: string } | undefined;
  return row
    ? { mapping: JSON.parse(row.mapping_json) as Mapping, edits: JSON.parse(row.edits_json) as string[] }
    : undefined;
}
