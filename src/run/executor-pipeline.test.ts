/**
 * The executor as a pipeline, against a destination whose answers the test releases one by one (and a
 * manual clock for the waits of writeOnce): a deal is sent once its own person has an id, not once every
 * person has; never before; a failed parent skips its child with the reason; an uncertain parent holds its
 * children until it is resolved, and they are sent with the id it was found under.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import type { PlannedRecord, WriteEntity } from '../core/records.ts';
import { departureHook } from '../pipedrive/departure.ts';
import { PipedriveError } from '../pipedrive/pipedrive-client.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import type { Destination, LookupCandidate, ResolvedRecord } from './destination.ts';
import { type ExecuteResult, executeRecords, type RecordSource } from './executor.ts';
import { Journal } from './journal.ts';

let journal: Journal;
let store: SqliteStore;

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pipeline-'));
  store = SqliteStore.open({ path: join(dir, 'w.db') });
  journal = new Journal(store);
});

interface Pending {
  readonly record: ResolvedRecord;
  readonly answer: (id: string) => void;
  readonly fail: (error: unknown) => void;
}

/** A destination that holds each create until the test answers it. */
class HeldDestination implements Destination {
  readonly pending = new Map<string, Pending>();
  readonly sent: ResolvedRecord[] = [];
  /** Identity → id that a look-up finds (a write that landed though its answer was lost). */
  readonly landed = new Map<string, string>();
  lookups: string[] = [];
  private lookupGate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => {};

  /** Announces the departure as the client does once the scheduler admits a write, then holds it. */
  async create(record: ResolvedRecord): Promise<string> {
    await departureHook()?.();
    this.sent.push(record);
    return new Promise((resolve, reject) => {
      this.pending.set(record.identity, { record, answer: resolve, fail: reject });
    });
  }

  async find(_entity: WriteEntity, candidates: readonly LookupCandidate[]): Promise<Map<string, string>> {
    this.lookups.push(...candidates.map((candidate) => candidate.record.identity));
    await this.lookupGate;
    const found = new Map<string, string>();
    for (const candidate of candidates) {
      const id = this.landed.get(candidate.record.identity);
      if (id) found.set(candidate.record.identity, id);
    }
    return found;
  }

  /** Look-ups wait until `releaseLookups`. */
  holdLookups(): void {
    this.lookupGate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  releaseLookups(): void {
    this.openGate();
  }

  async answer(identity: string, id: string): Promise<void> {
    const pending = this.pending.get(identity);
    if (!pending) throw new Error(`${identity} was not sent`);
    this.pending.delete(identity);
    pending.answer(id);
    await settle();
  }

  async fail(identity: string, error: unknown): Promise<void> {
    const pending = this.pending.get(identity);
    if (!pending) throw new Error(`${identity} was not sent`);
    this.pending.delete(identity);
    pending.fail(error);
    await settle();
  }

  sentIdentities(): string[] {
    return this.sent.map((record) => record.identity);
  }

  update(): Promise<void> {
    throw new Error('not in these tests');
  }
  get(): Promise<Record<string, unknown> | null> {
    throw new Error('not in these tests');
  }
  getMany(): Promise<Map<string, Record<string, unknown>>> {
    throw new Error('not in these tests');
  }
  delete(): Promise<void> {
    throw new Error('not in these tests');
  }
}

/** Lets the executor's promise chains (journal, writeOnce, pipeline) run. */
const settle = async () => {
  for (let i = 0; i < 50; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

const person = (n: number): PlannedRecord => ({
  entity: 'person',
  identity: `contact:${n}`,
  payload: { name: `Client ${n}` },
  links: [],
  rows: [{ file: 'contacts.csv', sourceKey: String(n) }],
  contentHash: `p${n}`,
});

const deal = (n: number, personOf = n): PlannedRecord => ({
  entity: 'deal',
  identity: `claim:${n}`,
  payload: { title: `Claim ${n}` },
  links: [{ field: 'person_id', entity: 'person', identity: `contact:${personOf}`, required: true }],
  rows: [{ file: 'claims.csv', sourceKey: String(n) }],
  contentHash: `d${n}`,
});

function sourceOf(records: readonly PlannedRecord[]): RecordSource {
  return {
    records: (entity: WriteEntity) => records.filter((record) => record.entity === entity),
    count: (entity: WriteEntity) => records.filter((record) => record.entity === entity).length,
  };
}

function start(destination: Destination, records: readonly PlannedRecord[]): Promise<ExecuteResult> {
  return executeRecords({
    journal,
    destination,
    source: sourceOf(records),
    runId: journal.startRun('full'),
    mode: 'create',
    clock: new ManualClock(),
    retry: { maxAttempts: 5, withinMs: 60_000, baseDelayMs: 10, maxDelayMs: 100, resolveAfterMs: 2_000 },
    concurrency: 8,
  });
}

const uncertain = () =>
  new PipedriveError({
    failure: 'transient',
    message: 'POST /api/v2/persons: no answer within the timeout; the write may or may not have happened',
    uncertain: true,
    method: 'POST',
    path: '/api/v2/persons',
  });

describe('the executor as a pipeline', () => {
  it('sends a deal once its own person has an id, while other persons are still in flight', async () => {
    const destination = new HeldDestination();
    const run = start(destination, [person(1), person(2), person(3), deal(1), deal(2), deal(3)]);
    await settle();
    // The persons go out together; no deal before its person has an id.
    expect(destination.sentIdentities()).toEqual(['contact:1', 'contact:2', 'contact:3']);
    await destination.answer('contact:2', '102');
    expect(destination.sentIdentities()).toEqual(['contact:1', 'contact:2', 'contact:3', 'claim:2']);
    expect(destination.sent.at(-1)?.body).toMatchObject({ person_id: 102 });
    await destination.answer('contact:1', '101');
    await destination.answer('claim:2', '202');
    await destination.answer('claim:1', '201');
    await destination.answer('contact:3', '103');
    await destination.answer('claim:3', '203');
    const result = await run;
    expect(result.status).toBe('completed');
    expect(result.stats.deal.created).toBe(3);
    // Every deal was sent with its own person's id, and only after that person was answered.
    for (const record of destination.sent.filter((sent) => sent.entity === 'deal')) {
      const n = record.identity.split(':')[1];
      expect(record.body.person_id).toBe(Number(`10${n}`));
    }
  });

  it('skips a child whose parent was refused for good, with the reason, and sends its siblings', async () => {
    const destination = new HeldDestination();
    const run = start(destination, [person(1), person(2), deal(1), deal(2)]);
    await settle();
    await destination.fail(
      'contact:1',
      new PipedriveError({
        failure: 'terminal',
        status: 400,
        message: 'POST /api/v2/persons: 400 name is required',
        method: 'POST',
        path: '/api/v2/persons',
      }),
    );
    await destination.answer('contact:2', '102');
    await destination.answer('claim:2', '202');
    const result = await run;
    expect(destination.sentIdentities()).not.toContain('claim:1');
    expect(result.stats.person.failed).toBe(1);
    expect(result.stats.deal).toMatchObject({ created: 1, skipped: 1 });
    journal.commit();
    const outcome = store.db
      .prepare("SELECT outcome, reason FROM row_outcomes WHERE file = 'claims.csv' AND source_key = '1'")
      .get() as { outcome: string; reason: string };
    expect(outcome).toEqual({
      outcome: 'skipped',
      reason: 'its person (contact:1) is not in Pipedrive',
    });
  });

  it('holds the children of a parent whose outcome is unknown until it is looked up, then sends them with the id found', async () => {
    const destination = new HeldDestination();
    destination.holdLookups();
    const run = start(destination, [person(1), person(2), deal(1), deal(2)]);
    await settle();
    // contact:1's answer is lost; it landed in Pipedrive as 555.
    destination.landed.set('contact:1', '555');
    await destination.fail('contact:1', uncertain());
    await destination.answer('contact:2', '102');
    expect(destination.lookups).toEqual(['contact:1']);
    // claim:2 goes; claim:1 waits for its person's look-up.
    expect(destination.sentIdentities()).toEqual(['contact:1', 'contact:2', 'claim:2']);
    destination.releaseLookups();
    await settle();
    expect(destination.sentIdentities()).toEqual(['contact:1', 'contact:2', 'claim:2', 'claim:1']);
    expect(destination.sent.at(-1)?.body).toMatchObject({ person_id: 555 });
    await destination.answer('claim:2', '202');
    await destination.answer('claim:1', '201');
    const result = await run;
    expect(result.stats.person).toMatchObject({ created: 1, adopted: 1 });
    expect(result.writes).toMatchObject({ unknown: 1, foundLanded: 1 });
    // Never sent twice.
    expect(destination.sentIdentities().filter((identity) => identity === 'contact:1')).toHaveLength(1);
  });
});

describe('progress of a source that plans as the run writes', () => {
  /** Answers every create at once, with an id of its own. */
  class AnsweringDestination extends HeldDestination {
    override async create(record: ResolvedRecord): Promise<string> {
      await departureHook()?.();
      this.sent.push(record);
      return String(this.sent.length);
    }
  }

  it('says the total is only the count so far until the last record is planned, then gives the exact total', async () => {
    const records = Array.from({ length: 120 }, (_, n) => person(n + 1));
    let planned = 0;
    const streamed: RecordSource = {
      records: () => [],
      count: (entity) => (entity === 'person' ? planned : 0),
      *stream() {
        for (const record of records) {
          planned += 1;
          yield record;
        }
      },
    };
    const seen: { done: number; total: number; totalFinal: boolean }[] = [];
    const result = await executeRecords({
      journal,
      destination: new AnsweringDestination(),
      source: streamed,
      runId: journal.startRun('full'),
      mode: 'create',
      clock: new ManualClock(),
      window: 10,
      concurrency: 4,
      onProgress: (progress) => seen.push({ ...progress.overall }),
    });
    expect(result.stats.person.created).toBe(120);
    const early = seen.filter((progress) => progress.done <= 75);
    expect(early.length).toBeGreaterThan(0);
    // While planning goes on, the count so far is not presented as the run's total.
    for (const progress of early) {
      expect(progress.totalFinal).toBe(false);
      expect(progress.total).toBeLessThan(120);
    }
    expect(seen.at(-1)).toEqual({ done: 120, total: 120, totalFinal: true });
  });
});
