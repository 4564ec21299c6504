import { type Clock, systemClock } from '../core/clock.ts';
import type { Issue } from '../core/issues.ts';
import { linkValue, type PlannedRecord, setPath, WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../pipedrive/retry-policy.ts';
import { diffRecord } from '../verify/diff-record.ts';
import { BatchedReads, READ_BATCH } from './batched-reads.ts';
import type { Destination, ResolvedRecord } from './destination.ts';
import type { Journal, JournalEntry } from './journal.ts';
import { runPipeline } from './pipeline.ts';
import { type Concurrency, DEFAULT_CONCURRENCY } from './write-concurrency.ts';
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
  /** Records of the entity planned so far: all of them, except while `stream` is still being read. */
  count(entity: WriteEntity): number;
  /**
   * Every record in one stream, parents before children, planned as it is read: a migration starts writing
   * while the rest is still being planned (`count` grows as it goes). Without it, `records` per entity.
   */
  stream?(): Iterable<PlannedRecord>;
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
  /** The entity a record was just settled of, and how far that entity is. */
  readonly entity: WriteEntity;
  readonly done: number;
  readonly total: number;
  /**
   * How far the whole run is: entities are written at once (a pipeline, not phases), so a progress bar
   * shows this rather than one entity's count.
   */
  readonly overall: {
    readonly done: number;
    readonly total: number;
    /** False while records are still being planned (a streamed source): `total` is the count so far. */
    readonly totalFinal: boolean;
  };
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
  /**
   * Records being written at once, at most: a number (`--concurrency N`), or a bound asked again as places
   * free up (`writeConcurrency`, the default of `ferry migrate`). Default 32 when neither is given.
   */
  readonly concurrency?: Concurrency | undefined;
  /** Records read ahead and not yet settled, at most (default 2,000): memory stays bounded. */
  readonly window?: number | undefined;
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

const DEFAULT_WINDOW = 2_000;
/**
 * Records a delta reads ahead of the pipeline, so the current Pipedrive records its updates compare
 * against go out in full batches (`getMany`, 100 ids a call) rather than one get per update.
 */
const DELTA_READ_AHEAD = 2 * READ_BATCH;

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
 * Writes planned records exactly once as a pipeline (`runPipeline`): a record is sent as soon as the records
 * it links to are settled — a deal once its own person and organization have ids, not once every person
 * has — so the requests in flight never drain at entity boundaries. Each goes through `writeOnce`: announced in the
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
  /** Records settled so far, per entity (for progress). */
  private readonly done = Object.fromEntries(WRITE_ORDER.map((entity) => [entity, 0])) as Record<
    WriteEntity,
    number
  >;

  /** A delta's reads before its updates, batched. */
  private readonly reads: BatchedReads;
  /** The Pipedrive record each record read ahead will compare against (released once it is settled). */
  private readonly readFor = new Map<PlannedRecord, { entity: WriteEntity; id: string }>();

  constructor(options: ExecuteOptions) {
    this.options = options;
    this.reads = new BatchedReads({ destination: options.destination, signal: options.signal });
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
    const entities = this.options.entities ?? WRITE_ORDER;
    this.entities = entities;
    this.planning = this.options.source.stream !== undefined;
    this.report(entities[0] ?? 'organization');
    try {
      await runPipeline({
        items: this.recordsOf(entities),
        keyOf: (record) => `${record.entity}:${record.identity}`,
        parentsOf: (record) => record.links.map((link) => `${link.entity}:${link.identity}`),
        window: this.options.window ?? DEFAULT_WINDOW,
        concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
        signal: this.options.signal,
        work: (record) => this.write(record),
      });
      // The last record settled before the stream was found to be over: say the total is final.
      this.report(entities.at(-1) ?? 'organization');
    } catch (error) {
      // Pipedrive kept failing: stop with the journal consistent, and say why.
      if (error instanceof WritesKeptFailingError) return this.result('stopped', error.message);
      throw error;
    }
    return this.result(this.options.signal?.aborted ? 'stopped' : 'completed');
  }

  /**
   * Every entity's records, in link order (the order parents come before their children). A delta reads
   * `DELTA_READ_AHEAD` records ahead and asks for the Pipedrive records its updates will compare against,
   * so those reads go out in batches before the updates need them.
   */
  private *recordsOf(entities: readonly WriteEntity[]): Generator<PlannedRecord> {
    const records = this.sourceRecords(entities);
    if (this.options.mode !== 'delta') {
      yield* records;
      return;
    }
    const ahead: PlannedRecord[] = [];
    for (const record of records) {
      this.wantCurrent(record);
      ahead.push(record);
      if (ahead.length >= DELTA_READ_AHEAD) yield ahead.shift()!;
    }
    yield* ahead;
  }

  private *sourceRecords(entities: readonly WriteEntity[]): Generator<PlannedRecord> {
    const { source } = this.options;
    if (source.stream) {
      for (const record of source.stream()) if (entities.includes(record.entity)) yield record;
      this.planning = false;
      return;
    }
    for (const entity of entities) yield* source.records(entity);
  }

  /** A record that will be updated (in Pipedrive already, its source changed) has its current record read. */
  private wantCurrent(record: PlannedRecord): void {
    const mapped = this.options.journal.mapped(record.entity, record.identity);
    if (!mapped || mapped.contentHash === record.contentHash) return;
    this.reads.want(record.entity, mapped.pipedriveId);
    this.readFor.set(record, { entity: record.entity, id: mapped.pipedriveId });
  }

  /**
   * One record, once the records it links to are settled: unchanged when it is in Pipedrive already
   * (updated in a delta when its source changed), else created — after looking up whether an earlier
   * attempt whose outcome is unknown landed.
   */
  private async write(record: PlannedRecord): Promise<void> {
    try {
      await this.writeOne(record);
    } finally {
      const read = this.readFor.get(record);
      if (read) {
        this.readFor.delete(record);
        this.reads.release(read.entity, read.id);
      }
    }
  }

  private async writeOne(record: PlannedRecord): Promise<void> {
    const mapped = this.options.journal.mapped(record.entity, record.identity);
    if (mapped) {
      if (this.options.mode === 'delta' && mapped.contentHash !== record.contentHash) {
        await this.update(record);
      } else this.settleUnchanged(record, mapped.pipedriveId);
      return;
    }
    // A create an earlier run left open (a crash between intent and outcome) is looked up first.
    await this.create(record, this.options.journal.openEntry(record.entity, record.identity, 'create'));
  }

  private result(status: ExecuteResult['status'], stoppedBy?: string): ExecuteResult {
    this.countPlanned();
    return { status, stats: this.stats, problems: this.problems, writes: this.writes.tally, stoppedBy };
  }

  /** The records planned so far (a streamed source plans while the run writes). */
  private countPlanned(): void {
    this.plannedInAll = 0;
    for (const entity of this.entities) {
      this.stats[entity].planned = this.options.source.count(entity);
      this.plannedInAll += this.stats[entity].planned;
    }
  }

  private report(entity: WriteEntity): void {
    this.countPlanned();
    this.options.onProgress?.({
      entity,
      done: this.done[entity],
      total: this.stats[entity].planned,
      overall: { done: this.doneInAll, total: this.plannedInAll, totalFinal: !this.planning },
      stats: this.stats,
    });
  }

  private settleUnchanged(record: PlannedRecord, pipedriveId: string): void {
    this.stats[record.entity].unchanged += 1;
    this.options.journal.recordOutcomes(record.rows, 'migrated', {
      entity: record.entity,
      pipedriveId,
      runId: this.options.runId,
    });
    this.finishOne(record.entity);
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

  private async create(record: PlannedRecord, open: JournalEntry | undefined): Promise<void> {
    const { journal, destination, signal } = this.options;
    const resolved = this.resolve(record);
    if (resolved.kind === 'skip') {
      if (open !== undefined) journal.settle(open.id, 'skipped', { message: resolved.reason });
      this.skip(record, resolved.reason);
      return;
    }
    const outcome = await writeOnce(this.writes, {
      what: `${record.entity} ${record.identity}`,
      entity: record.entity,
      identity: record.identity,
      operation: 'create',
      contentHash: record.contentHash,
      // An entry an earlier run left open is looked up by identity before anything is sent.
      open: open ? { entry: open } : undefined,
      send: () => destination.create(resolved.record, signal),
      resolve: (entry) => this.findCreated(resolved.record, entry.intentAt),
      settleDone: (entryId, id, how) => this.settleCreated(record, resolved.record, entryId, id, how),
    });
    if (outcome.kind === 'refused') this.fail(record, outcome.message);
    else this.finishOne(record.entity);
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

  private async update(record: PlannedRecord): Promise<void> {
    const { journal, destination, signal } = this.options;
    const resolved = this.resolve(record);
    if (resolved.kind === 'skip') {
      this.skip(record, resolved.reason);
      return;
    }
    let mapped = journal.mapped(record.entity, record.identity)!;
    // Read in a batch with the other updates read ahead (see recordsOf); its pre-image is journaled below.
    const current = await this.reads.take(record.entity, mapped.pipedriveId);
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
      this.finishOne(record.entity);
      return;
    }
    if (this.settleOpenUpdate(record, current)) {
      mapped = journal.mapped(record.entity, record.identity)!;
      if (mapped.contentHash === record.contentHash) {
        this.settleUpdated(record, mapped.pipedriveId);
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
      this.finishOne(record.entity);
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
        this.settleUpdated(record, pipedriveId);
      },
    });
    if (outcome.kind === 'refused') this.fail(record, outcome.message);
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

  private settleUpdated(record: PlannedRecord, pipedriveId: string): void {
    this.options.journal.recordOutcomes(record.rows, 'updated', {
      entity: record.entity,
      pipedriveId,
      runId: this.options.runId,
    });
    this.stats[record.entity].updated += 1;
    this.finishOne(record.entity);
  }

  /** A record whose required parent is not in Pipedrive: its rows are skipped, with the reason. */
  private skip(record: PlannedRecord, reason: string): void {
    this.options.journal.recordOutcomes(record.rows, 'skipped', {
      entity: record.entity,
      reason,
      runId: this.options.runId,
    });
    this.stats[record.entity].skipped += 1;
    this.finishOne(record.entity);
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

  private fail(record: PlannedRecord, message: string): void {
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
    this.finishOne(record.entity);
  }

  private finishOne(entity: WriteEntity): void {
    this.done[entity] += 1;
    this.doneInAll += 1;
    const done = this.done[entity];
    if (this.doneInAll % 25 === 0 || done === this.options.source.count(entity)) this.report(entity);
  }

  private entities: readonly WriteEntity[] = WRITE_ORDER;
  private doneInAll = 0;
  private plannedInAll = 0;
  /** A streamed source is still planning: the records planned so far are not yet the run's total. */
  private planning = false;
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
