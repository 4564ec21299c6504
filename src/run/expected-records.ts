import type { WriteEntity } from '../core/records.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

const META_KEY = 'planned_records';

interface PlannedRecords {
  readonly mappingHash: string;
  readonly extractRunId: number | null;
  readonly total: number;
}

/**
 * Keeps how many records a full run will write, as `ferry validate` or `ferry plan` counted them with this
 * mapping over the latest extract. A migration plans as it writes, so its own count grows until planning
 * ends; until then its progress shows this one (an estimate: rows may have been settled since).
 */
export function savePlannedRecords(
  store: SqliteStore,
  input: { mappingHash: string; records: Readonly<Record<WriteEntity, number>> },
): void {
  const saved: PlannedRecords = {
    mappingHash: input.mappingHash,
    extractRunId: latestExtractRun(store),
    total: Object.values(input.records).reduce((sum, count) => sum + count, 0),
  };
  store.setMeta(META_KEY, JSON.stringify(saved));
}

/** The records a full run will write, when they were counted with this mapping over the latest extract. */
export function expectedRecords(store: SqliteStore, mappingHash: string): number | undefined {
  const text = store.getMeta(META_KEY);
  if (!text) return undefined;
  const saved = JSON.parse(text) as PlannedRecords;
  const current = saved.mappingHash === mappingHash && saved.extractRunId === latestExtractRun(store);
  return current ? saved.total : undefined;
}

function latestExtractRun(store: SqliteStore): number | null {
  const row = store.db.prepare("SELECT max(id) AS id FROM extract_runs WHERE status = 'done'").get() as {
    id: number | null;
  };
  return row.id;
}
