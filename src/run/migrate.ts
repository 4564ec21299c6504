import { join } from 'node:path';
import type { Clock } from '../core/clock.ts';
import { FerryError } from '../core/errors.ts';
import type { Issue } from '../core/issues.ts';
import type { RunKind, WriteEntity } from '../core/records.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import type { PipedriveRequester } from '../pipedrive/api-types.ts';
import { type RetryPolicy, retryPolicyOf } from '../pipedrive/retry-policy.ts';
import { assembleSchemaPlan } from '../plan/schema-plan.ts';
import { iterateRows } from '../source/backdocket/index.ts';
import { type EntityStats, executeRecords, type RunProgress } from './executor.ts';
import { PipedriveDestination } from './pipedrive-destination.ts';
import { planMigration } from './record-source.ts';
import { type PlanningInputs, readPlanningInputs, type WorkspaceSession } from './session.ts';
import { writeConcurrency } from './write-concurrency.ts';
import type { WriteTally } from './write-once.ts';

export interface MigrateOptions {
  readonly session: WorkspaceSession;
  readonly mapping: Mapping;
  readonly mappingHash: string;
  readonly client: PipedriveRequester;
  readonly mode: 'sample' | 'full' | 'delta';
  readonly sampleSize?: number | undefined;
  /**
   * Records written at once, at most; by default it follows the client's scheduler (the account's rate ×
   * Pipedrive's answer time), so a faster plan has more writes under way.
   */
  readonly concurrency?: number | undefined;
  readonly clock?: Clock | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
  /** How failed writes are retried (default: the client's policy when it has one, else the default). */
  readonly retry?: RetryPolicy | undefined;
}

export interface MigrateResult {
  readonly runId: number;
  readonly kind: RunKind;
  readonly status: 'completed' | 'stopped';
  readonly resumed: boolean;
  readonly stats: Readonly<Record<WriteEntity, EntityStats>>;
  readonly problems: readonly Issue[];
  readonly sampleClaims: readonly string[] | undefined;
  /** How the writes went: sent, sent again, unknown outcomes and those found to have landed. */
  readonly writes: WriteTally;
  /** Writes of this run whose outcome is still unknown (the next run looks them up first). */
  readonly uncertain: number;
  /** Why the run stopped before the end, when Pipedrive kept failing. */
  readonly stoppedBy?: string | undefined;
}

/**
 * `ferry migrate`: plans the records from the confirmed mapping and the extracted rows, then writes them
 * exactly once through the journal. An unfinished run of the same kind is resumed, not restarted.
 * Refuses to start while the schema checklist still has missing parts (run `ferry schema apply`).
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { session, mapping, client } = options;
  const inputs = await readPlanningInputs({
    session,
    mapping,
    client,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  assertSchemaReady(mapping, inputs);
  const kind: RunKind = options.mode;
  const unfinished = session.journal.unfinishedRun([kind]);
  const resumed = unfinished !== undefined;
  const runId =
    unfinished?.id ??
    session.journal.startRun(kind, {
      mappingHash: options.mappingHash,
      settings: { sampleSize: options.sampleSize },
    });
  if (unfinished) session.journal.reopenRun(runId);
  // Records are planned once, as the executor reads them: the first writes go out while the rest is planned.
  const planned = planMigration({
    stream: true,
    mapping,
    planner: inputs.plannerOptions,
    readRows: (file) => iterateRows(session.store, file),
    ledgerDir: join(session.workspace.stateDir, 'ledgers'),
    sampleSize: options.mode === 'sample' ? (options.sampleSize ?? 20) : undefined,
    // Validate reports the rows' issues; kept here for the whole run, they only cost memory.
    keepIssues: false,
  });
  // Rows that become no record are known once planning has passed them: recorded when the run ends.
  const recordSettledRows = () => {
    for (const settled of groupSettled(planned.settledRows)) {
      session.journal.recordOutcomes(settled.rows, settled.outcome, { reason: settled.reason, runId });
    }
  };
  try {
    const destination = new PipedriveDestination({ client, identityKeys: inputs.identityKeys });
    const result = await executeRecords({
      journal: session.journal,
      destination,
      source: planned.source,
      runId,
      mode: options.mode === 'delta' ? 'delta' : 'create',
      concurrency: writeConcurrency(client, options.concurrency),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      retry: options.retry ?? retryPolicyOf(client),
    });
    recordSettledRows();
    const uncertain = session.journal.openCount({ runId });
    session.journal.finishRun(
      runId,
      result.status,
      { stats: result.stats, problems: result.problems.length, writes: result.writes, uncertain },
      result.stoppedBy,
    );
    return {
      runId,
      kind,
      status: result.status,
      resumed,
      stats: result.stats,
      problems: result.problems,
      sampleClaims: planned.sampleClaims,
      writes: result.writes,
      uncertain,
      stoppedBy: result.stoppedBy,
    };
  } catch (error) {
    recordSettledRows();
    session.journal.finishRun(runId, 'failed', null, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function assertSchemaReady(mapping: Mapping, inputs: PlanningInputs): void {
  const plan = assembleSchemaPlan(mapping, inputs.snapshot);
  const missing = plan.items.filter((item) => item.state === 'create');
  if (missing.length > 0) {
    throw new FerryError(
      'blocked',
      `The Pipedrive account is missing ${missing.length} part(s) of the schema this mapping needs ` +
        `(e.g. ${missing
          .slice(0, 3)
          .map((item) => `${item.kind} '${item.name}'`)
          .join(', ')}). Run \`ferry schema plan\` to review and \`ferry schema apply\` to create them.`,
      { code: 'E_SCHEMA_MISSING' },
    );
  }
}

/** Groups settled rows by outcome and reason so they are written in a few transactions. */
function groupSettled(rows: ReturnType<typeof planMigration>['settledRows']) {
  const groups = new Map<
    string,
    { outcome: (typeof rows)[number]['outcome']; reason: string; rows: (typeof rows)[number]['row'][] }
  >();
  for (const settled of rows) {
    const key = `${settled.outcome}\u0000${settled.reason}`;
    const group = groups.get(key) ?? { outcome: settled.outcome, reason: settled.reason, rows: [] };
    group.rows.push(settled.row);
    groups.set(key, group);
  }
  return [...groups.values()];
}
