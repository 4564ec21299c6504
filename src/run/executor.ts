import { type Clock, systemClock } from '../core/clock.ts';
import { isFerryError } from '../core/errors.ts';
import type { Issue } from '../core/issues.ts';
import { linkValue, type PlannedRecord, setPath, WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import { type Destination, isUncertain, type LookupCandidate, type ResolvedRecord } from './destination.ts';
import type { Journal } from './journal.ts';

/** Supplies the planned records of each entity, streamed so a large run stays in bounded memory. */
export interface RecordSource {
  records(entity: WriteEntity): Iterable<PlannedRecord>;
  count(entity: WriteEntity): number;
}

export interface EntityStats {
  planned: number;
  created: number;
  adopted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  editedInPipedrive: number;
}

export interface RunProgress {
  readonly entity: WriteEntity;
  readonly done: number;
  readonly total: number;
  readonly stats: Readonly<Record<WriteEntity, EntityStats>>;
}

export interface ExecuteOptions {
  readonly journal: Journal;
  readonly destination: Destination;
  readonly source: RecordSource;
  readonly runId: number;
  /** `create` writes what is missing; `delta` also updates records whose source changed. */
  readonly mode: 'create' | 'delta';
  readonly entities?: readonly WriteEntity[];
  /** Writes in flight at once; the rate scheduler below paces them. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  /** Wait before looking up a write whose outcome is unknown, so a slow commit has landed. */
  readonly uncertainGraceMs?: number;
  readonly maxAttempts?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
  /** Decides whether a Pipedrive record was edited since Ferry wrote it (delta never overwrites such edits). */
  readonly isEditedInPipedrive?: (
    written: Record<string, unknown>,
    current: Record<string, unknown>,
  ) => boolean;
}

export interface ExecuteResult {
  readonly status: 'completed' | 'stopped';
  readonly stats: Record<WriteEntity, EntityStats>;
  readonly problems: readonly Issue[];
}

const BATCH_SIZE = 500;

const emptyStats = (): EntityStats => ({
  planned: 0,
  created: 0,
  adopted: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  editedInPipedrive: 0,
});

/**
 * Writes planned records exactly once, in dependency order. Every write is announced in the journal before
 * it is sent and settled after; a write whose outcome is unknown is looked up by identity before any retry,
 * so a crash, a lost response or a re-run never duplicates a record. Config errors (401/403, budget stop)
 * end the run with the work so far kept; running again resumes.
 */
export async function executeRecords(options: ExecuteOptions): Promise<ExecuteResult> {
  const execution = new Execution(options);
  return execution.run();
}

class Execution {
  private readonly options: ExecuteOptions;
  private readonly clock: Clock;
  private readonly stats = Object.fromEntries(WRITE_ORDER.map((entity) => [entity, emptyStats()])) as Record<
    WriteEntity,
    EntityStats
  >;
  private readonly problems: Issue[] = [];
  private done = 0;

  constructor(options: ExecuteOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  async run(): Promise<ExecuteResult> {
    for (const entity of this.options.entities ?? WRITE_ORDER) {
      this.done = 0;
      const total = this.options.source.count(entity);
      this.stats[entity].planned = total;
      this.report(entity, total);
      let batch: PlannedRecord[] = [];
      for (const record of this.options.source.records(entity)) {
        if (this.options.signal?.aborted) return this.result('stopped');
        batch.push(record);
        if (batch.length >= BATCH_SIZE) {
          await this.processBatch(entity, batch, total);
          batch = [];
        }
      }
      if (batch.length > 0) await this.processBatch(entity, batch, total);
      if (this.options.signal?.aborted) return this.result('stopped');
    }
    return this.result('completed');
  }

  private result(status: ExecuteResult['status']): ExecuteResult {
    return { status, stats: this.stats, problems: this.problems };
  }

  private report(entity: WriteEntity, total: number): void {
    this.options.onProgress?.({ entity, done: this.done, total, stats: this.stats });
  }

  private async processBatch(
    entity: WriteEntity,
    batch: readonly PlannedRecord[],
    total: number,
  ): Promise<void> {
    const { journal } = this.options;
    const toCreate: { record: PlannedRecord; entryId?: number }[] = [];
    const toLookUp: { record: PlannedRecord; entryId: number; since: string }[] = [];
    const toUpdate: PlannedRecord[] = [];
    const open = new Map(journal.unresolved(entity).map((entry) => [entry.identity, entry]));
    for (const record of batch) {
      const mapped = journal.mapped(entity, record.identity);
      if (mapped) {
        if (this.options.mode === 'delta' && mapped.contentHash !== record.contentHash) toUpdate.push(record);
        else this.settleUnchanged(record, mapped.pipedriveId);
        continue;
      }
      const unresolved = open.get(record.identity);
      if (unresolved) toLookUp.push({ record, entryId: unresolved.id, since: unresolved.intentAt });
      else toCreate.push({ record });
    }
    if (toLookUp.length > 0) toCreate.push(...(await this.adoptExisting(entity, toLookUp)));
    await this.pool(toCreate, (item) => this.create(item.record, item.entryId, total));
    await this.pool(toUpdate, (record) => this.update(record, total));
  }

  private settleUnchanged(record: PlannedRecord, pipedriveId: string): void {
    this.stats[record.entity].unchanged += 1;
    this.options.journal.recordOutcomes(record.rows, 'migrated', {
      entity: record.entity,
      pipedriveId,
      runId: this.options.runId,
    });
    this.done += 1;
  }

  /** Looks up records whose earlier write has no known outcome; adopts those found, returns the rest to create. */
  private async adoptExisting(
    entity: WriteEntity,
    open: readonly { record: PlannedRecord; entryId: number; since: string }[],
  ): Promise<{ record: PlannedRecord; entryId: number }[]> {
    const candidates: (LookupCandidate & { entryId: number; planned: PlannedRecord })[] = [];
    const notResolvable: { record: PlannedRecord; entryId: number }[] = [];
    for (const item of open) {
      const resolved = this.resolve(item.record);
      if (resolved.kind === 'skip') notResolvable.push(item);
      else
        candidates.push({
          record: resolved.record,
          since: item.since,
          entryId: item.entryId,
          planned: item.record,
        });
    }
    const found = await this.options.destination.find(entity, candidates, this.options.signal);
    const rest: { record: PlannedRecord; entryId: number }[] = [...notResolvable];
    for (const candidate of candidates) {
      const id = found.get(candidate.record.identity);
      if (id === undefined) {
        rest.push({ record: candidate.planned, entryId: candidate.entryId });
        continue;
      }
      this.options.journal.recordCreated({
        entryId: candidate.entryId,
        runId: this.options.runId,
        entity,
        identity: candidate.record.identity,
        pipedriveId: id,
        contentHash: candidate.planned.contentHash,
        written: candidate.record.body,
        detail: 'adopted: found in Pipedrive after a write with an unknown outcome',
      });
      this.options.journal.recordOutcomes(candidate.planned.rows, 'migrated', {
        entity,
        pipedriveId: id,
        runId: this.options.runId,
      });
      this.stats[entity].adopted += 1;
      this.done += 1;
    }
    return rest;
  }

  private resolve(
    record: PlannedRecord,
  ): { kind: 'ok'; record: ResolvedRecord } | { kind: 'skip'; reason: string; missing: string } {
    const body = structuredClone(record.payload) as Record<string, unknown>;
    for (const link of record.links) {
      const id = this.options.journal.idOf(link.entity, link.identity);
      if (id === undefined) {
        if (link.required) {
          return {
            kind: 'skip',
            reason: `its ${link.entity} (${link.identity}) is not in Pipedrive`,
            missing: `${link.entity}:${link.identity}`,
          };
        }
        continue;
      }
      setPath(body, link.field, linkValue(link.field, id));
    }
    return {
      kind: 'ok',
      record: { entity: record.entity, identity: record.identity, body, upload: record.upload },
    };
  }

  private async create(
    record: PlannedRecord,
    existingEntryId: number | undefined,
    total: number,
  ): Promise<void> {
    const { journal, destination, runId } = this.options;
    const resolved = this.resolve(record);
    if (resolved.kind === 'skip') {
      if (existingEntryId !== undefined)
        journal.settle(existingEntryId, 'skipped', { message: resolved.reason });
      this.skip(record, resolved.reason, total);
      return;
    }
    const maxAttempts = this.options.maxAttempts ?? 4;
    let entryId = existingEntryId;
    for (let attempt = 1; ; attempt += 1) {
      if (entryId === undefined) {
        entryId = await journal.intent({
          runId,
          entity: record.entity,
          identity: record.identity,
          operation: 'create',
          contentHash: record.contentHash,
        });
      } else {
        await journal.retry(entryId);
      }
      try {
        const id = await destination.create(resolved.record, this.options.signal);
        journal.recordCreated({
          entryId,
          runId,
          entity: record.entity,
          identity: record.identity,
          pipedriveId: id,
          contentHash: record.contentHash,
          written: resolved.record.body,
        });
        journal.recordOutcomes(record.rows, 'migrated', { entity: record.entity, pipedriveId: id, runId });
        this.stats[record.entity].created += 1;
        this.finishOne(record.entity, total);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (this.options.signal?.aborted) {
          // Interrupted mid-request: the outcome is unknown until the next run looks it up.
          journal.settle(entryId, 'uncertain', { message });
          throw error;
        }
        if (isUncertain(error)) {
          journal.settle(entryId, 'uncertain', { message });
          if (await this.lookUpAfterUncertain(record, resolved.record, entryId)) {
            this.finishOne(record.entity, total);
            return;
          }
        } else {
          journal.settle(entryId, 'failed', { message });
          const failure = isFerryError(error) ? error.failure : 'internal';
          if (failure === 'config' || failure === 'internal') throw error;
          if (failure !== 'transient') {
            this.fail(record, message, total);
            return;
          }
        }
        if (attempt >= maxAttempts) {
          this.fail(record, `gave up after ${attempt} attempts: ${message}`, total);
          return;
        }
        await this.clock.sleep(Math.min(30_000, 500 * 2 ** attempt), this.options.signal);
      }
    }
  }

  /** After an unknown outcome: wait for the write to land, then look for it; adopt it if it is there. */
  private async lookUpAfterUncertain(planned: PlannedRecord, record: ResolvedRecord, entryId: number) {
    const { journal, runId } = this.options;
    await this.clock.sleep(this.options.uncertainGraceMs ?? 2_000, this.options.signal);
    const entry = journal.entry(entryId);
    const since = entry?.intentAt ?? new Date(this.clock.now() - 60_000).toISOString();
    const found = await this.options.destination.find(
      planned.entity,
      [{ record, since }],
      this.options.signal,
    );
    const id = found.get(planned.identity);
    if (id === undefined) return false;
    journal.recordCreated({
      entryId,
      runId,
      entity: planned.entity,
      identity: planned.identity,
      pipedriveId: id,
      contentHash: planned.contentHash,
      written: record.body,
      detail: 'adopted: found in Pipedrive after a write with an unknown outcome',
    });
    journal.recordOutcomes(planned.rows, 'migrated', { entity: planned.entity, pipedriveId: id, runId });
    this.stats[planned.entity].adopted += 1;
    return true;
  }

  private async update(record: PlannedRecord, total: number): Promise<void> {
    const { journal, destination, runId } = this.options;
    const mapped = journal.mapped(record.entity, record.identity)!;
    const resolved = this.resolve(record);
    if (resolved.kind === 'skip') {
      this.skip(record, resolved.reason, total);
      return;
    }
    const current = await destination.get(record.entity, mapped.pipedriveId, this.options.signal);
    if (current === null || current.is_deleted === true) {
      this.editedProblem(
        record,
        mapped.pipedriveId,
        'was deleted in Pipedrive after migration; not recreated',
      );
      this.finishOne(record.entity, total);
      return;
    }
    const edited = this.options.isEditedInPipedrive ?? defaultIsEdited;
    if (mapped.written && edited(mapped.written, current)) {
      this.editedProblem(
        record,
        mapped.pipedriveId,
        'was edited in Pipedrive after migration; not overwritten',
      );
      this.finishOne(record.entity, total);
      return;
    }
    const entryId = await journal.intent({
      runId,
      entity: record.entity,
      identity: record.identity,
      operation: 'update',
      pipedriveId: mapped.pipedriveId,
      contentHash: record.contentHash,
      preImage: current,
    });
    try {
      // An update is idempotent (the same PATCH twice leaves the same record), so it is simply retried once.
      await retryOnce(() => destination.update(record.entity, mapped.pipedriveId, resolved.record.body));
      journal.recordUpdated({
        entryId,
        entity: record.entity,
        identity: record.identity,
        contentHash: record.contentHash,
        written: resolved.record.body,
      });
      journal.recordOutcomes(record.rows, 'updated', {
        entity: record.entity,
        pipedriveId: mapped.pipedriveId,
        runId,
      });
      this.stats[record.entity].updated += 1;
      this.finishOne(record.entity, total);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      journal.settle(entryId, isUncertain(error) ? 'uncertain' : 'failed', { message });
      if (isFerryError(error) && error.failure === 'config') throw error;
      this.fail(record, message, total);
    }
  }

  /** A record whose required parent is not in Pipedrive: its rows are skipped, with the reason. */
  private skip(record: PlannedRecord, reason: string, total: number): void {
    this.options.journal.recordOutcomes(record.rows, 'skipped', {
      entity: record.entity,
      reason,
      runId: this.options.runId,
    });
    this.stats[record.entity].skipped += 1;
    this.finishOne(record.entity, total);
  }

  private editedProblem(record: PlannedRecord, pipedriveId: string, what: string): void {
    const { journal, runId } = this.options;
    this.stats[record.entity].editedInPipedrive += 1;
    const first = record.rows[0];
    this.problems.push({
      code: 'edited_in_pipedrive',
      severity: 'warning',
      message: `${record.entity} ${pipedriveId} (${record.identity}) ${what}.`,
      file: first?.file,
      sourceKey: first?.sourceKey,
      fix: 'Review the record in Pipedrive; change it there or re-run the delta after reverting the edit.',
    });
    journal.recordOutcomes(record.rows, 'skipped', {
      entity: record.entity,
      pipedriveId,
      reason: what,
      runId,
    });
  }

  private fail(record: PlannedRecord, message: string, total: number): void {
    this.stats[record.entity].failed += 1;
    this.options.journal.recordOutcomes(record.rows, 'failed', {
      entity: record.entity,
      reason: message,
      runId: this.options.runId,
    });
    const first = record.rows[0];
    this.problems.push({
      code: 'write_failed',
      severity: 'error',
      message: `${record.entity} ${record.identity}: ${message}`,
      file: first?.file,
      sourceKey: first?.sourceKey,
    });
    this.finishOne(record.entity, total);
  }

  private finishOne(entity: WriteEntity, total: number): void {
    this.done += 1;
    if (this.done % 25 === 0 || this.done === total) this.report(entity, total);
  }

  /** Runs `work` over items with bounded concurrency; stops taking new items once aborted. */
  private async pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    const concurrency = Math.max(1, this.options.concurrency ?? 8);
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (next < items.length && failure === undefined && !this.options.signal?.aborted) {
        const item = items[next]!;
        next += 1;
        try {
          await work(item);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    // Aborting is not a failure: the run ends as 'stopped' and resumes next time.
    if (failure !== undefined && !this.options.signal?.aborted) throw failure;
  }
}

async function retryOnce(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!isFerryError(error) || (error.failure !== 'transient' && !isUncertain(error))) throw error;
    await action();
  }
}

/** Default edit detection: any top-level or custom field Ferry wrote now holds another value. */
export function defaultIsEdited(written: Record<string, unknown>, current: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(written)) {
    if (key === 'custom_fields' && value && typeof value === 'object') {
      const currentCustom = (current.custom_fields ?? {}) as Record<string, unknown>;
      for (const [field, fieldValue] of Object.entries(value as Record<string, unknown>)) {
        if (!sameValue(fieldValue, currentCustom[field] ?? current[field])) return true;
      }
      continue;
    }
    if (!(key in current)) continue;
    if (!sameValue(value, current[key])) return true;
  }
  return false;
}

function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (expected === null || expected === undefined)
    return actual === null || actual === undefined || actual === '';
  if (typeof expected === 'number' && typeof actual === 'string') return Number(actual) === expected;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return (
      expected.length === actual.length && expected.every((item, index) => sameValue(item, actual[index]))
    );
  }
  if (typeof expected === 'object' && actual && typeof actual === 'object') {
    return Object.entries(expected as Record<string, unknown>).every(([key, value]) =>
      sameValue(value, (actual as Record<string, unknown>)[key]),
    );
  }
  return String(expected) === String(actual);
}
