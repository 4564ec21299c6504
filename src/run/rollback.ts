import { type Clock, systemClock } from '../core/clock.ts';
import type { Issue } from '../core/issues.ts';
import { WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import type { PipedriveRequester } from '../pipedrive/api-types.ts';
import { type RetryPolicy, retryPolicyOf } from '../pipedrive/retry-policy.ts';
import { ENTITY_ENDPOINTS } from '../plan/estimate-cost.ts';
import { diffRecord } from '../verify/diff-record.ts';
import { readAccountSnapshot } from './account-schema.ts';
import type { Destination } from './destination.ts';
import type { IdMapEntry, Journal, JournalEntry } from './journal.ts';
import { listPages } from './list-pages.ts';
import { forEachInPool } from './work-pool.ts';
import { type Concurrency, writeConcurrency } from './write-concurrency.ts';
import {
  emptyTally,
  type Landed,
  type WriteContext,
  WritesKeptFailingError,
  type WriteTally,
  writeOnce,
} from './write-once.ts';

export type RollbackScope = 'records' | 'schema' | 'all';

/** A schema part Ferry created, as the id map remembers it. */
export interface SchemaPart {
  readonly entity: string;
  readonly identity: string;
  readonly pipedriveId: string;
}

/** What a rollback will do, shown before it asks for confirmation. */
export interface RollbackPlan {
  readonly deletes: readonly IdMapEntry[];
  /** Updates to undo, newest first (a record a later delta updated again is put back step by step). */
  readonly restores: readonly JournalEntry[];
  readonly schema: readonly SchemaPart[];
}

export interface RollbackResult {
  readonly deleted: number;
  readonly restored: number;
  readonly schemaRemoved: number;
  readonly leftAlone: readonly Issue[];
  readonly failed: readonly Issue[];
  /** Planned records Ferry created that are still in Pipedrive after the rollback (0 when they are gone). */
  readonly remaining: number;
  /** Planned restores not done: the record holds the delta's values still. */
  readonly restoresLeft: number;
  /** Planned schema parts still in the account (read back after removing them). */
  readonly schemaLeft: number;
  /** Writes of this rollback whose outcome is unknown (the next run looks them up first). */
  readonly uncertain: number;
  /** How the writes went: sent, sent again, unknown outcomes and those found to have landed. */
  readonly writes: WriteTally;
  /** Why the rollback stopped before the end, when Pipedrive kept failing (retries spent). */
  readonly stoppedBy?: string | undefined;
  /** Nothing planned is left undone: every record deleted, every pre-image back, every schema part gone. */
  readonly complete: boolean;
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
type SchemaEntity = (typeof SCHEMA_ENTITIES)[number];

const SCHEMA_PATHS: Readonly<Record<SchemaEntity, (id: string) => string>> = {
  leadLabel: (id) => `/api/v1/leadLabels/${id}`,
  activityType: (id) => `/api/v1/activityTypes/${id}`,
  stage: (id) => `/api/v2/stages/${id}`,
  pipeline: (id) => `/api/v2/pipelines/${id}`,
  dealField: (id) => `/api/v2/dealFields/${id}`,
  personField: (id) => `/api/v2/personFields/${id}`,
  organizationField: (id) => `/api/v2/organizationFields/${id}`,
};

/**
 * The rollback's work list from the journal: records created (optionally by one run), updates to undo on
 * records that are still there, and the schema. A record a resumed rollback already deleted is no longer
 * in the id map, so its update is not planned (nor reported) as a restore.
 */
export function planRollback(
  journal: Journal,
  options: { runId?: number | undefined; scope: RollbackScope },
): RollbackPlan {
  const inRun = (entry: { runId: number }) => options.runId === undefined || entry.runId === options.runId;
  const records =
    options.scope === 'schema' ? [] : WRITE_ORDER.flatMap((entity) => journal.idMap(entity)).filter(inRun);
  const deleting = new Set(records.map((record) => `${record.entity}\u0000${record.identity}`));
  const restores =
    options.scope === 'schema'
      ? []
      : journal
          .entries({ operation: 'update', state: 'done' })
          .filter(inRun)
          .filter((entry) => !deleting.has(`${entry.entity}\u0000${entry.identity}`))
          .filter((entry) => journal.mapped(entry.entity, entry.identity) !== undefined)
          .reverse();
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

export interface RollbackInput {
  readonly journal: Journal;
  readonly destination: Destination;
  readonly client: PipedriveRequester;
  readonly runId: number;
  readonly plan: RollbackPlan;
  readonly force: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /**
   * Writes under way at once, at most (`--concurrency N`). By default the bound follows the client's rate
   * scheduler as migrate's does (`writeConcurrency`): the account's rate × Pipedrive's answer time.
   */
  readonly concurrency?: number | undefined;
  readonly retry?: RetryPolicy | undefined;
  readonly clock?: Clock | undefined;
}

/**
 * `ferry rollback`: reverses the journal. Restores the pre-update image of records a delta updated (newest
 * update first), deletes created records children first (files, notes, activities, leads, deals, persons,
 * organizations), then removes the schema parts Ferry created and reads the account back to check they are
 * gone. Every write goes through `writeOnce` at the account's rate, several at a time: journaled, retried
 * when Pipedrive fails for a passing reason, and resolved after an unknown outcome (a delete by reading
 * whether the record is gone, a restore by comparing the record with the pre-image) — so a rollback killed
 * anywhere resumes and finishes. Records edited in Pipedrive since Ferry wrote them are reported and left
 * alone unless `force`; the schema stays while any record or restore is left, since those need it.
 */
export async function rollback(input: RollbackInput): Promise<RollbackResult> {
  const run = new RollbackRun(input);
  return run.run();
}

class RollbackRun {
  private readonly input: RollbackInput;
  private readonly context: WriteContext;
  private readonly leftAlone: Issue[] = [];
  private readonly failed: Issue[] = [];
  private deleted = 0;
  private restored = 0;
  private schemaRemoved = 0;
  private restoresLeft = 0;
  private done = 0;
  private readonly total: number;
  private readonly concurrency: Concurrency;

  constructor(input: RollbackInput) {
    this.input = input;
    this.concurrency = writeConcurrency(input.client, input.concurrency);
    this.total = input.plan.deletes.length + input.plan.restores.length + input.plan.schema.length;
    this.context = {
      journal: input.journal,
      runId: input.runId,
      policy: input.retry ?? retryPolicyOf(input.client),
      clock: input.clock ?? systemClock,
      signal: input.signal,
      tally: emptyTally(),
    };
  }

  async run(): Promise<RollbackResult> {
    let stoppedBy: string | undefined;
    let schemaLeft = 0;
    try {
      await this.restoreAll();
      await this.deleteAll();
      schemaLeft = await this.removeSchema();
    } catch (error) {
      if (!(error instanceof WritesKeptFailingError)) throw error;
      stoppedBy = error.message;
      schemaLeft = this.schemaStillMapped();
    }
    const remaining = this.recordsStillMapped();
    return {
      deleted: this.deleted,
      restored: this.restored,
      schemaRemoved: this.schemaRemoved,
      leftAlone: this.leftAlone,
      failed: this.failed,
      remaining,
      restoresLeft: this.restoresLeft,
      schemaLeft,
      uncertain: this.input.journal.openCount({ runId: this.input.runId }),
      writes: this.context.tally,
      stoppedBy,
      complete:
        stoppedBy === undefined &&
        !this.input.signal?.aborted &&
        remaining === 0 &&
        this.restoresLeft === 0 &&
        schemaLeft === 0 &&
        this.failed.length === 0,
    };
  }

  private tick(): void {
    this.done += 1;
    this.input.onProgress?.(this.done, this.total);
  }

  private pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    return forEachInPool(items, { concurrency: this.concurrency, signal: this.input.signal }, work);
  }

  /** Restores, several records at a time; one record's restores one after the other, newest first. */
  private async restoreAll(): Promise<void> {
    const byRecord = new Map<string, JournalEntry[]>();
    for (const entry of this.input.plan.restores) {
      const key = `${entry.entity}\u0000${entry.identity}`;
      byRecord.set(key, [...(byRecord.get(key) ?? []), entry]);
    }
    await this.pool([...byRecord.values()], async (entries) => {
      for (const [index, entry] of entries.entries()) {
        if (this.input.signal?.aborted) return;
        const restored = await this.restoreOne(entry);
        this.tick();
        if (!restored) {
          // An older update cannot be undone over a newer one that is still in place.
          for (const _ of entries.slice(index + 1)) {
            this.restoresLeft += 1;
            this.tick();
          }
          return;
        }
      }
    });
  }

  /** Puts back the pre-update values of the fields one update wrote. Returns whether they are back. */
  private async restoreOne(entry: JournalEntry): Promise<boolean> {
    const { journal, destination, signal } = this.input;
    const entity = entry.entity as WriteEntity;
    const id = entry.pipedriveId as string;
    const written = journal.mapped(entity, entry.identity)?.written;
    const wroteKeys = (entry.intended ?? written ?? {}) as Record<string, unknown>;
    const body = preImageBody(wroteKeys, (entry.preImage ?? {}) as Record<string, unknown>);
    const current = await destination.get(entity, id, signal);
    if (current === null || current.is_deleted === true) {
      journal.settle(entry.id, 'skipped', { message: 'deleted in Pipedrive; nothing to restore' });
      this.leftAlone.push(
        editedIssue(
          entity,
          id,
          entry.identity,
          'was deleted in Pipedrive after the delta; nothing to restore',
        ),
      );
      return true;
    }
    const open = journal.openEntry(entity, entry.identity, 'restore');
    const settleRestored = (restoreEntryId: number) => {
      journal.recordRestored({
        restoreEntryId,
        updateEntryId: entry.id,
        entity,
        identity: entry.identity,
        written: body,
        message: `restored by rollback run ${this.input.runId}`,
      });
      this.restored += 1;
    };
    // A rollback killed after its PATCH finds the pre-image already back: recorded, nothing sent.
    if (diffRecord(body, current).length === 0) {
      settleRestored(
        open?.id ??
          (await journal.intent({
            runId: this.input.runId,
            entity,
            identity: entry.identity,
            operation: 'restore',
            pipedriveId: id,
            intended: body,
          })),
      );
      return true;
    }
    if (!this.input.force && written && diffRecord(written, current).length > 0) {
      this.leftAlone.push(
        editedIssue(entity, id, entry.identity, 'was edited in Pipedrive after the delta; not restored'),
      );
      this.restoresLeft += 1;
      return false;
    }
    const outcome = await writeOnce(this.context, {
      what: `restore of ${entity} ${id} (${entry.identity})`,
      entity,
      identity: entry.identity,
      operation: 'restore',
      pipedriveId: id,
      intended: body,
      open: open ? { entry: open } : undefined,
      send: () => destination.update(entity, id, body, signal),
      resolve: async () => {
        const now = await destination.get(entity, id, signal);
        return now !== null && diffRecord(body, now).length === 0
          ? { landed: true, result: undefined }
          : { landed: false };
      },
      settleDone: (entryId) => settleRestored(entryId),
    });
    if (outcome.kind === 'done') return true;
    this.failed.push(failure(entity, id, entry.identity, outcome.message));
    this.restoresLeft += 1;
    return false;
  }

  /** Deletes, children first; within an entity several at a time. */
  private async deleteAll(): Promise<void> {
    for (const entity of [...WRITE_ORDER].reverse()) {
      const entries = this.input.plan.deletes.filter((candidate) => candidate.entity === entity);
      if (entries.length === 0 || this.input.signal?.aborted) continue;
      const current = await this.listLive(entity);
      await this.pool(entries, async (entry) => {
        await this.deleteOne(entity, entry, current.get(entry.pipedriveId));
        this.tick();
      });
    }
  }

  /** One list call per 500 records tells what is still there and whether it was edited (no GET each). */
  private async listLive(entity: WriteEntity): Promise<Map<string, Record<string, unknown>>> {
    const current = new Map<string, Record<string, unknown>>();
    const path = ENTITY_ENDPOINTS[entity].readBack.replace(/^GET /, '');
    for await (const page of listPages(this.input.client, path, {}, this.input.signal)) {
      for (const record of page) if (!isGone(record)) current.set(String(record.id), record);
    }
    return current;
  }

  private async deleteOne(
    entity: WriteEntity,
    entry: IdMapEntry,
    record: Record<string, unknown> | undefined,
  ): Promise<void> {
    const { journal, destination, signal } = this.input;
    const open = journal.openEntry(entity, entry.identity, 'delete');
    const forget = () => journal.forget(entity, entry.identity);
    if (record === undefined) {
      // Gone already: deleted by an earlier attempt whose outcome was not recorded, or by a person.
      if (open) {
        journal.settle(open.id, 'done', { message: 'gone when looked up after an unknown outcome' });
        this.context.tally.unknown += 1;
        this.context.tally.foundLanded += 1;
      }
      forget();
      return;
    }
    if (
      !this.input.force &&
      entry.written &&
      entity !== 'file' &&
      diffRecord(entry.written, record).length > 0
    ) {
      this.leftAlone.push(
        editedIssue(
          entity,
          entry.pipedriveId,
          entry.identity,
          'was edited in Pipedrive after migration; not deleted',
        ),
      );
      return;
    }
    const outcome = await writeOnce(this.context, {
      what: `delete of ${entity} ${entry.pipedriveId} (${entry.identity})`,
      entity,
      identity: entry.identity,
      operation: 'delete',
      pipedriveId: entry.pipedriveId,
      preImage: record,
      // The list just showed it still there: an open delete never landed, so it is sent again at once.
      open: open ? { entry: open, resolved: true } : undefined,
      send: () => destination.delete(entity, entry.pipedriveId, signal),
      alreadyDone: alreadyGone,
      resolve: async () => {
        const now = await destination.get(entity, entry.pipedriveId, signal);
        return now === null || isGone(now) ? { landed: true, result: undefined } : { landed: false };
      },
      settleDone: (entryId, _result, how) => {
        journal.settle(entryId, 'done', how === 'already' ? { message: 'already gone' } : {});
        forget();
        this.deleted += 1;
      },
    });
    if (outcome.kind === 'refused')
      this.failed.push(failure(entity, entry.pipedriveId, entry.identity, outcome.message));
  }

  /**
   * Removes the schema parts once no planned record or restore is left (live records and restores need
   * their fields; without the identity field the next rollback would take each record for one edited in
   * Pipedrive), then reads the account back. Returns how many planned parts are still there.
   */
  private async removeSchema(): Promise<number> {
    const { plan } = this.input;
    if (plan.schema.length === 0 || this.input.signal?.aborted) return this.schemaStillMapped();
    const recordsLeft = this.recordsStillMapped();
    if (recordsLeft > 0 || this.restoresLeft > 0 || this.failed.length > 0) {
      this.leftAlone.push({
        code: 'schema_in_use',
        severity: 'warning',
        message:
          `The ${plan.schema.length} Pipedrive field(s), pipeline(s) and stage(s) Ferry created were kept: ` +
          `${recordsLeft} record(s) and ${this.restoresLeft} restore(s) are left, and they need them. ` +
          'Run the rollback again once those are resolved (--force also removes records edited in Pipedrive).',
      });
      return this.schemaStillMapped();
    }
    // One pool for every kind: the parts do not depend on each other (a stage whose pipeline goes first is
    // gone with it, and its own delete answers 404), so no kind waits for the slowest removal of another.
    const parts = SCHEMA_ENTITIES.flatMap((entity) =>
      plan.schema.filter((candidate) => candidate.entity === entity).map((part) => ({ entity, part })),
    );
    await this.pool(parts, async ({ entity, part }) => {
      await this.removePart(entity, part);
      this.tick();
    });
    if (this.input.signal?.aborted) return this.schemaStillMapped();
    return this.schemaStillThere();
  }

  private async removePart(entity: SchemaEntity, part: SchemaPart): Promise<void> {
    const { journal, client, signal } = this.input;
    const open = journal.openEntry(entity, part.identity, 'delete');
    const path = SCHEMA_PATHS[entity](part.pipedriveId);
    const outcome = await writeOnce(this.context, {
      what: `removal of ${entity} '${part.identity}'`,
      entity,
      identity: part.identity,
      operation: 'delete',
      pipedriveId: part.pipedriveId,
      open: open ? { entry: open } : undefined,
      send: async () => {
        await client.request({ method: 'DELETE', path, ...(signal ? { signal } : {}) });
      },
      alreadyDone: alreadyGone,
      resolve: async (): Promise<Landed<undefined>> =>
        (await this.partIsGone(entity, part)) ? { landed: true, result: undefined } : { landed: false },
      settleDone: (entryId, _result, how) => {
        journal.settle(entryId, 'done', how === 'already' ? { message: 'already gone' } : {});
        journal.forget(entity, part.identity);
        this.schemaRemoved += 1;
      },
    });
    if (outcome.kind === 'refused') {
      this.failed.push({
        code: 'schema_not_removed',
        severity: 'error',
        message: `${entity} '${part.identity}' was not removed: ${outcome.message}`,
        sourceKey: part.identity,
      });
    }
  }

  /** Whether a schema part is gone from the account (deleted parts read as 404, deleted or inactive). */
  private async partIsGone(entity: SchemaEntity, part: SchemaPart): Promise<boolean> {
    const { client, signal } = this.input;
    const opt = signal ? { signal } : {};
    if (entity === 'activityType' || entity === 'leadLabel') {
      const path = entity === 'activityType' ? '/api/v1/activityTypes' : '/api/v1/leadLabels';
      const { data } = await client.request<Record<string, unknown>[] | null>({
        method: 'GET',
        path,
        ...opt,
      });
      const found = (data ?? []).find((item) => String(item.id) === part.pipedriveId);
      return found === undefined || isGone(found);
    }
    try {
      const { data } = await client.request<Record<string, unknown> | null>({
        method: 'GET',
        path: SCHEMA_PATHS[entity](part.pipedriveId),
        ...opt,
      });
      return data === null || isGone(data);
    } catch (error) {
      if (alreadyGone(error).landed) return true;
      throw error;
    }
  }

  /**
   * Reads the account back: every planned part Ferry removed must be absent. One still there (a delete
   * that did not take) goes back into the id map, so a re-run removes it, and counts as left.
   */
  private async schemaStillThere(): Promise<number> {
    const snapshot = await readAccountSnapshot(this.input.client, this.input.signal);
    const present = new Set<string>([
      ...Object.entries(snapshot.fields).flatMap(([entity, fields]) =>
        fields.map((field) => `${entity}Field\u0000${field.key}`),
      ),
      ...snapshot.pipelines.map((pipeline) => `pipeline\u0000${pipeline.id}`),
      ...snapshot.stages.map((stage) => `stage\u0000${stage.id}`),
      ...snapshot.activityTypes.filter((type) => type.active).map((type) => `activityType\u0000${type.id}`),
      ...snapshot.leadLabels.map((label) => `leadLabel\u0000${label.id}`),
    ]);
    const { journal } = this.input;
    for (const part of this.input.plan.schema) {
      const removed = journal.idOf(part.entity, part.identity) === undefined;
      if (!removed || !present.has(`${part.entity}\u0000${part.pipedriveId}`)) continue;
      journal.remember({ ...part, runId: this.input.runId });
      this.failed.push({
        code: 'schema_not_removed',
        severity: 'error',
        message: `${part.entity} '${part.identity}' (${part.pipedriveId}) is still in Pipedrive after the rollback.`,
        sourceKey: part.identity,
      });
    }
    return this.schemaStillMapped();
  }

  private recordsStillMapped(): number {
    return this.input.plan.deletes.filter(
      (entry) => this.input.journal.idOf(entry.entity, entry.identity) !== undefined,
    ).length;
  }

  private schemaStillMapped(): number {
    return this.input.plan.schema.filter(
      (part) => this.input.journal.idOf(part.entity, part.identity) !== undefined,
    ).length;
  }
}

/** A record or part deleted in Pipedrive: soft-deleted, inactive, or gone from the list. */
function isGone(record: Record<string, unknown>): boolean {
  return record.is_deleted === true || record.active_flag === false;
}

/** A delete answered 404/410: whatever it deletes is gone already. */
function alreadyGone(error: unknown): Landed<undefined> {
  const status = (error as { status?: number }).status;
  return status === 404 || status === 410 ? { landed: true, result: undefined } : { landed: false };
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

function failure(entity: string, id: string, identity: string, message: string): Issue {
  return {
    code: 'rollback_failed',
    severity: 'error',
    message: `${entity} ${id} (${identity}): ${message}`,
    sourceKey: identity,
  };
}
