import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { FerryError } from '../core/errors.ts';
import type { Mapping } from './mapping-schema.ts';
import type { MappingLock, MappingStore } from './mapping-store.ts';

/**
 * The confirmation lock and the proposal history, kept in a `MappingStore` (the workspace store's tables
 * of migration 003). With map-workspace.ts, the part of `mapping/` that does I/O.
 */

export type { MappingLock } from './mapping-store.ts';

/** sha256 of the exact file content: any edit, even a comment, needs a new confirmation. */
export function mappingHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Locks this content of mapping.yaml as confirmed. */
export function lockMapping(
  store: MappingStore,
  options: { text: string; path: string; confirmedBy: string; now?: Date },
): MappingLock {
  const lock: MappingLock = {
    sha256: mappingHash(options.text),
    path: options.path,
    confirmedBy: options.confirmedBy,
    confirmedAt: (options.now ?? new Date()).toISOString(),
  };
  store.writeLock(lock);
  return lock;
}

export function readMappingLock(store: MappingStore): MappingLock | undefined {
  return store.readLock();
}

/** True when `text` is exactly the confirmed mapping. */
export function isMappingConfirmed(store: MappingStore, text: string): boolean {
  return readMappingLock(store)?.sha256 === mappingHash(text);
}

/**
 * Migrate calls this before any record moves. Throws FerryError('blocked') (exit 3) when mapping.yaml
 * is missing, was never confirmed, or changed since it was confirmed. Returns the confirmed hash.
 * @example const hash = assertMappingConfirmed(workspace, store)
 */
export function assertMappingConfirmed(
  workspace: { readonly mappingPath: string },
  store: MappingStore,
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
  store: MappingStore,
  options: { mapping: Mapping; edits: readonly string[]; now?: Date },
): void {
  store.addProposal({
    mapping: options.mapping,
    edits: options.edits,
    createdAt: (options.now ?? new Date()).toISOString(),
  });
}

export function loadLastProposal(store: MappingStore): { mapping: Mapping; edits: string[] } | undefined {
  const last = store.lastProposal();
  return last ? { mapping: last.mapping, edits: [...last.edits] } : undefined;
}
