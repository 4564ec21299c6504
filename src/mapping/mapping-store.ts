import type { ExtractedFile, SourceRow } from '../source/model.ts';
import type { Mapping } from './mapping-schema.ts';

/**
 * What the mapping keeps in and reads from a workspace, and nothing more: its confirmation lock, its
 * proposal history, and the extraction it proposes from. `map propose`, `map confirm` and the lock take
 * this, not the SQLite store; `sqliteMappingStore` adapts the workspace store, and tests may give a map.
 * @example const store: MappingStore = sqliteMappingStore(session.store)
 */
export interface MappingStore {
  /** The confirmed lock of mapping.yaml, if it was ever confirmed. */
  readLock(): MappingLock | undefined;
  writeLock(lock: MappingLock): void;
  /** Ferry's last proposal (before a person's edits), the base of the next three-way merge. */
  lastProposal(): StoredProposal | undefined;
  addProposal(proposal: StoredProposal & { readonly createdAt: string }): void;
  /** The latest extraction's files, detection and column profiles. */
  inventory(): ExtractedFile[];
  /** Every extracted row (enum options are read from them). */
  rows(): Iterable<SourceRow>;
}

export interface MappingLock {
  readonly sha256: string;
  readonly path: string;
  readonly confirmedBy: string;
  readonly confirmedAt: string;
}

export interface StoredProposal {
  readonly mapping: Mapping;
  readonly edits: readonly string[];
}
