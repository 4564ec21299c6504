import { type Clock, systemClock } from '../core/clock.ts';
import type { Issue } from '../core/issues.ts';
import { linkValue, type PlannedRecord, setPath, WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../pipedrive/retry-policy.ts';
import { diffRecord } from '../verify/diff-record.ts';
import type { Destination, LookupCandidate, ResolvedRecord } from './destination.ts';
import type { Journal, JournalEntry } from './journal.ts';
import { forEachInPool } from './work-pool.ts';
import {
  emptyTally,
  type Landed,
  type WriteContext,
  type WriteHow,
  WritesKeptFailingError,
  type WriteTally,
  writeOnce,
} from './write-once.ts';

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
  /** How failed writes are retried and when an unknown outcome is looked up (the client's policy). */
  readonly retry?: RetryPolicy;
  /** Seeded jitter for tests. */
  readonly random?: () => number;
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
  /** How the writes went: sent, sent again, unknown outcomes and those found to have landed. */
  readonly writes: WriteTally;
  /** Why the run stopped before the end when Pipedrive kept failing (retries spent); a re-run resumes. */
  readonly stoppedBy?: string | undefined;
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
 * Writes planned records exactly once, in dependency order, each through `writeOnce`: announced in the
 * journal before it is sent and settled after; a passing failure retried within the policy's bounds; a
 * write whose outcome is unknown looked up by identity (a create) or compared with what it meant to write
 * (an update) before any retry, so a crash, a lost response or a re-run never duplicates a record nor takes
 * Ferry's own update for a person's edit. Retries spent stop the run ('stopped', with the reason); config
 * errors (401/403, budget stop) end it. Either way the work so far is kept and running again resumes.
 */
export async function executeRecords(options: ExecuteOptions): Promise<ExecuteResult> {
  const execution = new Execution(options);
  return execution.run();
}

class Execution {
  private readonly options: ExecuteOptions;
  private readonly stats = Object.fromEntries(WRITE_ORDER.map((entity) => [entity, emptyStats()])) as Record<
    WriteEntity,
    EntityStats
  >;
  private readonly problems: Issue[] = [];
  private readonly writes: WriteContext;
  private done = 0;

  constructor(options: ExecuteOptions) {
    this.options = options;
    const clock: Clock = options.clock ?? systemClock;
    this.writes = {
      journal: options.journal,
      runId: options.runId,
      policy: options.retry ?? DEFAULT_RETRY_POLICY,
      clock,
      signal: options.signal,
      random: options.random,
      tally: emptyTally(),
    };
  }

  async run(): Promise<ExecuteResult> {
    try {
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
    } catch (error) {
      // Pipedrive kept failing: stop with the journal consistent, and say why.
      if (error instanceof WritesKeptFailingError) return this.result('stopped', error.message);
      throw error;
    }
    return this.result('completed');
  }

  private result(status: ExecuteResult['status'], stoppedBy?: string): ExecuteResult {
    return { status, stats: this.stats, problems: this.problems, writes: this.writes.tally, stoppedBy };
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
    const toCreate: { record: PlannedRecord; open?: JournalEntry }[] = [];
    const toLookUp: { record: PlannedRecord; entry: JournalEntry }[] = [];
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
      if (unresolved) toLookUp.push({ record, entry: unresolved });
      else toCreate.push({ record });
    }
    // Creates a crash or a lost answer left open are looked up together (one list per entity or parent).
    if (toLookUp.length > 0) toCreate.push(...(await this.adoptExisting(entity, toLookUp)));
    await this.pool(toCreate, (item) => this.create(item.record, item.open, total));
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

  /**
   * Looks up records whose earlier write has no known outcome; adopts those found, returns the rest to
   * create (their entries already looked up, so they are sent without another look).
   */
  private async adoptExisting(
    entity: WriteEntity,
    open: readonly { record: PlannedRecord; entry: JournalEntry }[],
  ): Promise<{ record: PlannedRecord; open: JournalEntry }[]> {
    const candidates: (LookupCandidate & { entry: JournalEntry; planned: PlannedRecord })[] = [];
    const rest: { record: PlannedRecord; open: JournalEntry }[] = [];
    for (const item of open) {
      const resolved = this.resolve(item.record);
      if (resolved.kind === 'skip') rest.push({ record: item.record, open: item.entry });
      else
        candidates.push({
          record: resolved.record,
          since: item.entry.intentAt,
          entry: item.entry,
          planned: item.record,
        });
    }
    this.writes.tally.unknown += candidates.length;
    const found = await this.options.destination.find(
      entity,
      candidates,
      this.options.signal,
      this.taken(entity),
    );
    for (const candidate of candidates) {
      const id = found.get(candidate.record.identity);
      if (id === undefined) {
        rest.push({ record: candidate.planned, open: candidate.entry });
        continue;
      }
      this.writes.tally.foundLanded += 1;
      this.settleCreated(candidate.planned, candidate.record, candidate.entry.id, id, 'found');
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

  private async create(record: PlannedRecord, open: JournalEntry | undefined, total: number): Promise<void> {
    const { journal, destination, signal } = this.options;
    const resolved = this.resolve(record);
    if (resolved.kind === 'skip') {
      if (open !== undefined) journal.settle(open.id, 'skipped', { message: resolved.reason });
      this.skip(record, resolved.reason, total);
      return;
    }
    const outcome = await writeOnce(this.writes, {
      what: `${record.entity} ${record.identity}`,
      entity: record.entity,
      identity: record.identity,
      operation: 'create',
      contentHash: record.contentHash,
      // An open entry reaching here was looked up in `adoptExisting` and not found: it is sent again.
      open: open ? { entry: open, resolved: true } : undefined,
      send: () => destination.create(resolved.record, signal),
      resolve: (entry) => this.findCreated(resolved.record, entry.intentAt),
      settleDone: (entryId, id, how) => this.settleCreated(record, resolved.record, entryId, id, how),
    });
    if (outcome.kind === 'refused') this.fail(record, outcome.message, total);
    else this.finishOne(record.entity, total);
  }

  /** A Pipedrive id that already stands for another of Ferry's records is never adopted for this one. */
  private taken(entity: WriteEntity): (pipedriveId: string) => boolean {
    return (pipedriveId) => this.options.journal.identityOfId(entity, pipedriveId) !== undefined;
  }

  /** Whether a create whose outcome is unknown landed: the record found by its BackDocket identity. */
  private async findCreated(record: ResolvedRecord, since: string): Promise<Landed<string>> {
    const found = await this.options.destination.find(
      record.entity,
      [{ record, since }],
      this.options.signal,
      this.taken(record.entity),
    );
    const id = found.get(record.identity);
    return id === undefined ? { landed: false } : { landed: true, result: id };
  }

  /** A create is done (answered, or found after an unknown outcome): id map, journal and rows at once. */
  private settleCreated(
    planned: PlannedRecord,
    record: ResolvedRecord,
    entryId: number,
    pipedriveId: string,
    how: WriteHow,
  ): void {
    const { journal, runId } = this.options;
    journal.recordCreated({
      entryId,
      runId,
      entity: planned.entity,
      identity: planned.identity,
      pipedriveId,
      contentHash: planned.contentHash,
      written: record.body,
      ...(how === 'sent'
        ? {}
        : { detail: 'adopted: found in Pipedrive after a write with an unknown outcome' }),
    });
    journal.recordOutcomes(planned.rows, 'migrated', { entity: planned.entity, pipedriveId, runId });
    if (how === 'sent') this.stats[planned.entity].created += 1;
    else this.stats[planned.entity].adopted += 1;
  }

  private async update(record: PlannedRecord, total: number): Promise<void> {
    const { journal, destination, signal } = this.options;
    const resolved = this.resolve(record);
    if (resolved.kind === 'skip') {
      this.skip(record, resolved.reason, total);
      return;
    }
    let mapped = journal.mapped(record.entity, record.identity)!;
    const current = await destination.get(record.entity, mapped.pipedriveId, signal);
    if (current === null || current.is_deleted === true) {
      journal.settleOpen(
        record.entity,
        record.identity,
        'update',
        'failed',
        'the record was deleted in Pipedrive',
      );
      this.editedProblem(
        record,
        mapped.pipedriveId,
        'was deleted in Pipedrive after migration; not recreated',
      );
      this.finishOne(record.entity, total);
      return;
    }
    if (this.settleOpenUpdate(record, current)) {
      mapped = journal.mapped(record.entity, record.identity)!;
      if (mapped.contentHash === record.contentHash) {
        this.settleUpdated(record, mapped.pipedriveId, total);
        return;
      }
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
    const body = resolved.record.body;
    const { pipedriveId } = mapped;
    const outcome = await writeOnce(this.writes, {
      what: `${record.entity} ${record.identity}`,
      entity: record.entity,
      identity: record.identity,
      operation: 'update',
      pipedriveId,
      contentHash: record.contentHash,
      preImage: current,
      intended: body,
      send: () => destination.update(record.entity, pipedriveId, body, signal),
      resolve: async () => {
        const now = await destination.get(record.entity, pipedriveId, signal);
        return now !== null && now.is_deleted !== true && holdsValues(now, body)
          ? { landed: true, result: undefined }
          : { landed: false };
      },
      settleDone: (entryId) => {
        journal.recordUpdated({
          entryId,
          entity: record.entity,
          identity: record.identity,
          contentHash: record.contentHash,
          written: body,
        });
        this.settleUpdated(record, pipedriveId, total);
      },
    });
    if (outcome.kind === 'refused') this.fail(record, outcome.message, total);
  }

  /**
   * An update an earlier run sent whose outcome is unknown (a crash, a lost answer): when Pipedrive holds
   * the values it meant to write, it landed. It is Ferry's own write, not a person's edit: recorded as done,
   * and what Ferry remembers writing becomes those values. Otherwise it never landed and is closed as such.
   * Returns true when one landed.
   */
  private settleOpenUpdate(record: PlannedRecord, current: Record<string, unknown>): boolean {
    const { journal } = this.options;
    const open = journal.openEntry(record.entity, record.identity, 'update');
    if (!open) return false;
    this.writes.tally.unknown += 1;
    const intended = open.intended as Record<string, unknown> | null;
    if (intended && open.contentHash && holdsValues(current, intended)) {
      journal.recordUpdated({
        entryId: open.id,
        entity: record.entity,
        identity: record.identity,
        contentHash: open.contentHash,
        written: intended,
      });
      journal.settleOpen(record.entity, record.identity, 'update', 'failed', 'superseded by a later attempt');
      this.writes.tally.foundLanded += 1;
      return true;
    }
    journal.settleOpen(
      record.entity,
      record.identity,
      'update',
      'failed',
      'not applied: Pipedrive does not hold its values (looked up after an unknown outcome)',
    );
    return false;
  }

  private settleUpdated(record: PlannedRecord, pipedriveId: string, total: number): void {
    this.options.journal.recordOutcomes(record.rows, 'updated', {
      entity: record.entity,
      pipedriveId,
      runId: this.options.runId,
    });
    this.stats[record.entity].updated += 1;
    this.finishOne(record.entity, total);
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

  /** Runs `work` over items with bounded concurrency; stops taking new items once aborted or failed. */
  private pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    return forEachInPool(
      items,
      { concurrency: this.options.concurrency ?? 8, signal: this.options.signal },
      work,
    );
  }
}

/**
 * Whether a Pipedrive record holds every value of `intended` (an update's body), compared as `ferry verify`
 * compares them: then the update landed.
 */
export function holdsValues(current: Record<string, unknown>, intended: Record<string, unknown>): boolean {
  return diffRecord(intended, current).length === 0;
}

/**
 * Default edit detection: a field Ferry wrote now holds another value, compared as `ferry verify` compares
 * (times, money, HTML and custom fields normalised). A stricter comparison took Pipedrive's own spelling of
 * a value (a due time of `09:30` read back as `09:30:00`) for a person's edit, and left the record stale.
 */
export function defaultIsEdited(written: Record<string, unknown>, current: Record<string, unknown>): boolean {
  return diffRecord(written, current).length > 0;
}
