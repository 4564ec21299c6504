import { existsSync, readFileSync } from 'node:fs';
import { isMappingConfirmed, readMappingLock } from '../mapping/mapping-lock.ts';
import { sqliteMappingStore } from '../mapping/sqlite-mapping-store.ts';
import { loadInventory } from '../source/backdocket/index.ts';
import type { RunRecord } from './journal.ts';
import type { WorkspaceSession } from './session.ts';

export interface WorkspaceStatus {
  readonly source: string;
  readonly extract: {
    readonly files: number;
    readonly rows: number;
    readonly unrecognised: readonly string[];
  };
  readonly mapping: {
    readonly exists: boolean;
    readonly confirmed: boolean;
    readonly changedSinceConfirm: boolean;
    readonly confirmedAt: string | null;
  };
  readonly validation: { readonly at: string; readonly errors: number; readonly warnings: number } | null;
  readonly schemaApplied: boolean;
  readonly runs: readonly RunRecord[];
  readonly uncertainWrites: number;
  readonly migratedRecords: number;
  readonly verified: { readonly at: string; readonly ok: boolean } | null;
  readonly next: string;
}

/** Where the workspace stands and what to do next; reads only the workspace (no Pipedrive calls). */
export function readWorkspaceStatus(session: WorkspaceSession): WorkspaceStatus {
  const { workspace, store, journal } = session;
  const inventory = loadInventory(store);
  const mappingExists = existsSync(workspace.mappingPath);
  const mappingStore = sqliteMappingStore(store);
  const lock = readMappingLock(mappingStore);
  const confirmed =
    mappingExists && isMappingConfirmed(mappingStore, readFileSync(workspace.mappingPath, 'utf8'));
  const validation = parse<{ at: string; counts: { error: number; warning: number } }>(
    store.getMeta('validation'),
  );
  const verification = parse<{ checkedAt: string; ok: boolean }>(store.getMeta('verification'));
  const runs = journal.runs();
  const uncertainWrites = store.db
    .prepare("SELECT count(*) AS n FROM journal WHERE state IN ('intent', 'uncertain')")
    .get() as { n: number };
  const migrated = store.db
    .prepare(
      "SELECT count(*) AS n FROM id_map WHERE entity IN ('organization','person','deal','lead','activity','note','file')",
    )
    .get() as { n: number };
  const schemaApplied = runs.some((run) => run.kind === 'schema' && run.status === 'completed');
  const fullDone = runs.some(
    (run) => (run.kind === 'full' || run.kind === 'delta') && run.status === 'completed',
  );
  const unfinished = runs.find((run) => run.status !== 'completed' && run.kind !== 'schema');
  const next =
    inventory.length === 0
      ? 'ferry extract'
      : !mappingExists
        ? 'ferry map propose'
        : !confirmed
          ? 'review mapping.yaml, then ferry map confirm'
          : !validation
            ? 'ferry validate'
            : !schemaApplied
              ? 'ferry schema apply'
              : unfinished
                ? `ferry migrate ${unfinished.kind === 'sample' ? '--sample N' : `--${unfinished.kind}`} (resumes run ${unfinished.id})`
                : !runs.some((run) => run.kind === 'sample') && !fullDone
                  ? 'ferry migrate --sample 20, then ferry verify'
                  : !fullDone
                    ? 'ferry migrate --full'
                    : !verification
                      ? 'ferry verify'
                      : 'ferry report';
  return {
    source: workspace.sourceUrl ?? workspace.sourceDir,
    extract: {
      files: inventory.length,
      rows: inventory.reduce((sum, file) => sum + file.rowCount, 0),
      unrecognised: inventory.filter((file) => file.detection.object === null).map((file) => file.file),
    },
    mapping: {
      exists: mappingExists,
      confirmed,
      changedSinceConfirm: Boolean(lock) && !confirmed,
      confirmedAt: lock?.confirmedAt ?? null,
    },
    validation: validation
      ? { at: validation.at, errors: validation.counts.error, warnings: validation.counts.warning }
      : null,
    schemaApplied,
    runs,
    uncertainWrites: uncertainWrites.n,
    migratedRecords: migrated.n,
    verified: verification ? { at: verification.checkedAt, ok: verification.ok } : null,
    next,
  };
}

function parse<T>(text: string | undefined): T | undefined {
  return text ? (JSON.parse(text) as T) : undefined;
}
