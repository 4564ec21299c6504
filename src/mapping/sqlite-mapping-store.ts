import { iterateRows, loadInventory } from '../source/backdocket/index.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';
import type { Mapping } from './mapping-schema.ts';
import type { MappingLock, MappingStore, StoredProposal } from './mapping-store.ts';

/**
 * The mapping's tables in the workspace store (migration 003: `mapping_lock`, one row; `mapping_proposals`,
 * one row per proposal) and the extraction it reads, behind the narrow `MappingStore`.
 * @example proposeWorkspaceMapping(workspace, sqliteMappingStore(session.store))
 */
export function sqliteMappingStore(store: SqliteStore): MappingStore {
  const db = store.db;
  return {
    readLock() {
      const row = db
        .prepare('SELECT sha256, path, confirmed_by, confirmed_at FROM mapping_lock WHERE id = 1')
        .get() as { sha256: string; path: string; confirmed_by: string; confirmed_at: string } | undefined;
      return row
        ? { sha256: row.sha256, path: row.path, confirmedBy: row.confirmed_by, confirmedAt: row.confirmed_at }
        : undefined;
    },
    writeLock(lock: MappingLock) {
      db.prepare(
        `INSERT INTO mapping_lock (id, sha256, path, confirmed_by, confirmed_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, path = excluded.path,
           confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`,
      ).run(lock.sha256, lock.path, lock.confirmedBy, lock.confirmedAt);
    },
    lastProposal() {
      const row = db
        .prepare('SELECT mapping_json, edits_json FROM mapping_proposals ORDER BY id DESC LIMIT 1')
        .get() as { mapping_json: string; edits_json: string } | undefined;
      return row
        ? { mapping: JSON.parse(row.mapping_json) as Mapping, edits: JSON.parse(row.edits_json) as string[] }
        : undefined;
    },
    addProposal(proposal: StoredProposal & { readonly createdAt: string }) {
      db.prepare('INSERT INTO mapping_proposals (created_at, mapping_json, edits_json) VALUES (?, ?, ?)').run(
        proposal.createdAt,
        JSON.stringify(proposal.mapping),
        JSON.stringify(proposal.edits),
      );
    },
    inventory: () => loadInventory(store),
    rows: () => iterateRows(store),
  };
}
