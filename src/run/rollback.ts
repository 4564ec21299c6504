import { isFerryError } from '../core/errors.ts';
import type { Issue } from '../core/issues.ts';
import { WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import type { PipedriveRequester } from '../pipedrive/api-types.ts';
import { ENTITY_ENDPOINTS } from '../plan/estimate-cost.ts';
import { diffRecord } from '../verify/diff-record.ts';
import type { Destination } from './destination.ts';
import type { IdMapEntry, Journal, JournalEntry } from './journal.ts';
import { listPages } from './list-pages.ts';

export type RollbackScope = 'records' | 'schema' | 'all';

/** What a rollback will do, shown before it asks for confirmation. */
export interface RollbackPlan {
  readonly deletes: readonly IdMapEntry[];
  readonly restores: readonly JournalEntry[];
  readonly schema: readonly { entity: string; identity: string; pipedriveId: string }[];
}

export interface RollbackResult {
  readonly deleted: number;
  readonly restored: number;
  readonly schemaRemoved: number;
  readonly leftAlone: readonly Issue[];
  readonly failed: readonly Issue[];
  /** Ferry records still in Pipedrive after the rollback (0 when the account is back). */
  readonly remaining: number;
}

const SCHEMA_ENTITIES = [
  'leadLabel',
  'activityType',
  'stage',
  'pipeline',
  'dealField',
  'personField',
  'organizationField',
] as const;
const SCHEMA_PATHS: Readonly<Record<(typeof SCHEMA_ENTITIES)[number], (id: string) => string>> = {
  leadLabel: (id) => `/api/v1/leadLabels/${id}`,
  activityType: (id) => `/api/v1/activityTypes/${id}`,
  stage: (id) => `/api/v2/stages/${id}`,
  pipeline: (id) => `/api/v2/pipelines/${id}`,
  dealField: (id) => `/api/v2/dealFields/${id}`,
  personField: (id) => `/api/v2/personFields/${id}`,
  organizationField: (id) => `/api/v2/organizationFields/${id}`,
};

/** The rollback's work list from the journal: records created (optionally by one run), updates to undo, schema. */
export function planRollback(
  journal: Journal,
  options: { runId?: number | undefined; scope: RollbackScope },
): RollbackPlan {
  const inRun = (entry: { runId: number }) => options.runId === undefined || entry.runId === options.runId;
  const records =
    options.scope === 'schema' ? [] : WRITE_ORDER.flatMap((entity) => journal.idMap(entity)).filter(inRun);
  const restores =
    options.scope === 'schema'
      ? []
      : journal
          .entries({ operation: 'update', state: 'done' })
          .filter(inRun)
          .filter(
            (entry) =>
              !records.some((record) => record.entity === entry.entity && record.identity === entry.identity),
          );
  const schema =
    options.scope === 'records'
      ? []
      : SCHEMA_ENTITIES.flatMap((entity) => journal.idMap(entity))
          .filter(inRun)
          .map((entry) => ({
            entity: entry.entity,
            identity: entry.identity,
            pipedriveId: entry.pipedriveId,
          }));
  return { deletes: records, restores, schema };
}

/**
 * `ferry rollback`: reverses the journal. Restores the pre-update image of records a delta updated, deletes
 * created records children first (files, notes, activities, leads, deals, persons, organizations), then
 * removes the schema parts Ferry created. Each delete is journaled, so a rollback killed midway resumes.
 * Records edited in Pipedrive since Ferry wrote them are reported and left alone unless `force`.
 */
export async function rollback(input: {
  journal: Journal;
  destination: Destination;
  client: PipedriveRequester;
  runId: number;
  plan: RollbackPlan;
  force: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}): Promise<RollbackResult> {
  const { journal, destination, runId, plan } = input;
  const leftAlone: Issue[] = [];
  const failed: Issue[] = [];
  let deleted = 0;
  let restored = 0;
  let schemaRemoved = 0;
  const total = plan.deletes.length + plan.restores.length + plan.schema.length;
  let done = 0;
  const tick = () => {
    done += 1;
    input.onProgress?.(done, total);
  };

  for (const entry of plan.restores) {
    if (input.signal?.aborted) break;
    const entity = entry.entity as WriteEntity;
    const id = entry.pipedriveId!;
    const written = journal.mapped(entity, entry.identity)?.written;
    const body = preImageBody(written ?? {}, (entry.preImage ?? {}) as Record<string, unknown>);
    const current = await destination.get(entity, id, input.signal);
    // A rollback killed after its PATCH finds the pre-image already back: record the restore, send nothing.
    const alreadyRestored = current !== null && diffRecord(body, current).length === 0;
    if (current && written && !input.force && !alreadyRestored && diffRecord(written, current).length > 0) {
      leftAlone.push(
        editedIssue(entity, id, entry.identity, 'was edited in Pipedrive after the delta; not restored'),
      );
      tick();
      continue;
    }
    const intent = await journal.intent({
      runId,
      entity,
      identity: entry.identity,
      operation: 'restore',
      pipedriveId: id,
    });
    try {
      if (!alreadyRestored) await destination.update(entity, id, body, input.signal);
      journal.recordRestored({
        restoreEntryId: intent,
        updateEntryId: entry.id,
        entity,
        identity: entry.identity,
        written: body,
        message: `restored by rollback run ${runId}`,
      });
      restored += 1;
    } catch (error) {
      journal.settle(intent, 'failed', { message: messageOf(error) });
      if (isFerryError(error) && error.failure === 'config') throw error;
      failed.push(failure(entity, id, entry.identity, error));
    }
    tick();
  }

  for (const entity of [...WRITE_ORDER].reverse()) {
    const entries = plan.deletes.filter((candidate) => candidate.entity === entity);
    if (entries.length === 0) continue;
    // One list call per 500 records tells what is still there and whether it was edited (no GET per record).
    const current = new Map<string, Record<string, unknown>>();
    const path = ENTITY_ENDPOINTS[entity].readBack.replace(/^GET /, '');
    for await (const page of listPages(input.client, path, {}, input.signal)) {
      for (const record of page) current.set(String(record.id), record);
    }
    await inPool(entries, 6, input.signal, async (entry) => {
      const record = current.get(entry.pipedriveId);
      if (!record || record.is_deleted === true || record.active_flag === false) {
        journal.forget(entity, entry.identity);
        tick();
        return;
      }
      if (
        !input.force &&
        entry.written &&
        entity !== 'file' &&
        diffRecord(entry.written, record).length > 0
      ) {
        leftAlone.push(
          editedIssue(
            entity,
            entry.pipedriveId,
            entry.identity,
            'was edited in Pipedrive after migration; not deleted',
          ),
        );
        tick();
        return;
      }
      const intent = await journal.intent({
        runId,
        entity,
        identity: entry.identity,
        operation: 'delete',
        pipedriveId: entry.pipedriveId,
        preImage: record,
      });
      try {
        await destination.delete(entity, entry.pipedriveId, input.signal);
        journal.settle(intent, 'done');
        journal.forget(entity, entry.identity);
        deleted += 1;
      } catch (error) {
        if ((error as { status?: number }).status === 404) {
          journal.settle(intent, 'done', { message: 'already gone' });
          journal.forget(entity, entry.identity);
        } else {
          journal.settle(intent, 'failed', { message: messageOf(error) });
          if (isFerryError(error) && error.failure === 'config') throw error;
          failed.push(failure(entity, entry.pipedriveId, entry.identity, error));
        }
      }
      tick();
    });
  }

  // The schema goes only once the record deletes went through: live records still use its fields, and
  // without the identity field the next rollback would take each of them for a record edited in Pipedrive
  // and leave it alone. After a failed delete the schema waits for the re-run.
  const schemaToRemove = failed.length > 0 ? [] : plan.schema;
  if (schemaToRemove.length < plan.schema.length) {
    leftAlone.push({
      code: 'schema_in_use',
      severity: 'warning',
      message: `The Pipedrive fields, pipelines and stages Ferry created were kept: ${failed.length} record(s) could not be deleted yet. Run the rollback again.`,
    });
  }
  for (const entity of SCHEMA_ENTITIES) {
    for (const part of schemaToRemove.filter((candidate) => candidate.entity === entity)) {
      if (input.signal?.aborted) break;
      const intent = await journal.intent({
        runId,
        entity,
        identity: part.identity,
        operation: 'delete',
        pipedriveId: part.pipedriveId,
      });
      try {
        await input.client.request({
          method: 'DELETE',
          path: SCHEMA_PATHS[entity](part.pipedriveId),
          ...(input.signal ? { signal: input.signal } : {}),
        });
        journal.settle(intent, 'done');
        journal.forget(entity, part.identity);
        schemaRemoved += 1;
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404 || status === 410) {
          journal.settle(intent, 'done', { message: 'already gone' });
          journal.forget(entity, part.identity);
        } else {
          journal.settle(intent, 'failed', { message: messageOf(error) });
          if (isFerryError(error) && error.failure === 'config') throw error;
          leftAlone.push({
            code: 'schema_in_use',
            severity: 'warning',
            message: `${entity} '${part.identity}' was not removed: ${messageOf(error)}`,
          });
        }
      }
      tick();
    }
  }
  const remaining = WRITE_ORDER.reduce((sum, entity) => sum + journal.idMap(entity).length, 0);
  return { deleted, restored, schemaRemoved, leftAlone, failed, remaining };
}

/** Runs `work` over items, `size` at a time; stops taking new items once aborted. */
async function inPool<T>(
  items: readonly T[],
  size: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

/** The pre-update values of exactly the fields the delta wrote. */
function preImageBody(
  written: Record<string, unknown>,
  preImage: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(written)) {
    if (key === 'custom_fields') {
      const before = (preImage.custom_fields ?? {}) as Record<string, unknown>;
      body.custom_fields = Object.fromEntries(
        Object.keys(written.custom_fields as Record<string, unknown>).map((field) => [
          field,
          before[field] ?? null,
        ]),
      );
    } else body[key] = preImage[key] ?? null;
  }
  return body;
}

function editedIssue(entity: string, id: string, identity: string, what: string): Issue {
  return {
    code: 'edited_in_pipedrive',
    severity: 'warning',
    message: `${entity} ${id} (${identity}) ${what}. Use --force to roll it back anyway.`,
    sourceKey: identity,
  };
}

function failure(entity: string, id: string, identity: string, error: unknown): Issue {
  return {
    code: 'rollback_failed',
    severity: 'error',
    message: `${entity} ${id} (${identity}): ${messageOf(error)}`,
    sourceKey: identity,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
