/**
 * Rollback in-process against the simulator: restores go several at a time through the client's scheduler,
 * writes with an unknown outcome are resolved rather than reported, a resumed rollback does not restore what
 * it already deleted, and anything left (a schema part, a pre-image) makes the result incomplete and says so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { createSimulator, type Simulator } from '../sim/index.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { Journal } from './journal.ts';
import { PipedriveDestination } from './pipedrive-destination.ts';
import { planRollback, rollback } from './rollback.ts';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

let sim: Simulator;
let journal: Journal;
let client: PipedriveClient;
let inFlight: number;
let mostInFlight: Record<string, number>;
/** Requests (method + path template) refused with a 400, to make a write fail for good. */
let refuse: RegExp | undefined;

beforeEach(() => {
  // Answers take longer than the scheduler's spacing (2 s / 120 requests), so writes overlap when allowed to.
  sim = createSimulator({
    token: TOKEN,
    seed: 'rollback-unit',
    plan: 'ultimate',
    rateLimits: false,
    faults: 'latency=150±0',
  });
  journal = new Journal(
    SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-rollback-')), 'w.db') }),
  );
  inFlight = 0;
  mostInFlight = {};
  refuse = undefined;
  client = new PipedriveClient({
    baseUrl: 'http://sim.test',
    token: TOKEN,
    timeoutMs: 2_000,
    scheduler: new RateScheduler({ burstLimit: 1_000 }),
    retry: { resolveAfterMs: 0, baseDelayMs: 1 },
    fetch: async (input, init) => {
      const method = init?.method ?? 'GET';
      const path = new URL(String(input)).pathname.replace(/\/\d+$/, '/{id}');
      if (refuse?.test(`${method} ${path}`))
        return Response.json({ success: false, error: 'Refused by the test' }, { status: 400 });
      inFlight += 1;
      mostInFlight[method] = Math.max(mostInFlight[method] ?? 0, inFlight);
      try {
        return await sim.fetch(new Request(input, init));
      } finally {
        inFlight -= 1;
      }
    },
  });
});

const destination = () => new PipedriveDestination({ client, identityKeys: {} });

/** Persons Ferry created (in the id map), each then updated by a delta (an update entry with its pre-image). */
async function migratedAndUpdated(count: number): Promise<number> {
  const runId = journal.startRun('full');
  const deltaRun = journal.startRun('delta');
  for (let i = 0; i < count; i += 1) {
    const identity = `contact:${i}`;
    const created = await client.request<{ id: number }>({
      method: 'POST',
      path: '/api/v2/persons',
      body: { name: `Before ${i}` },
    });
    const id = String(created.data.id);
    const entryId = await journal.intent({ runId, entity: 'person', identity, operation: 'create' });
    journal.recordCreated({
      entryId,
      runId,
      entity: 'person',
      identity,
      pipedriveId: id,
      contentHash: 'h0',
      written: { name: `Before ${i}` },
    });
    const preImage = (
      await client.request<Record<string, unknown>>({ method: 'GET', path: `/api/v2/persons/${id}` })
    ).data;
    const body = { name: `After ${i}` };
    const update = await journal.intent({
      runId: deltaRun,
      entity: 'person',
      identity,
      operation: 'update',
      pipedriveId: id,
      preImage,
      intended: body,
    });
    await client.request({ method: 'PATCH', path: `/api/v2/persons/${id}`, body });
    journal.recordUpdated({ entryId: update, entity: 'person', identity, contentHash: 'h1', written: body });
  }
  return deltaRun;
}

const names = () =>
  (sim.snapshot() as { entities: { persons: { name: string; is_deleted: boolean }[] } }).entities.persons
    .filter((person) => !person.is_deleted)
    .map((person) => person.name)
    .sort();

describe('rollback', () => {
  it('restores the records a delta updated several at a time, through the scheduler', async () => {
    const deltaRun = await migratedAndUpdated(12);
    const plan = planRollback(journal, { runId: deltaRun, scope: 'records' });
    expect(plan.restores).toHaveLength(12);
    const result = await rollback({
      journal,
      destination: destination(),
      client,
      runId: journal.startRun('rollback'),
      plan,
      force: false,
      concurrency: 6,
    });
    expect(result).toMatchObject({ restored: 12, restoresLeft: 0, complete: true });
    expect(names()).toEqual(Array.from({ length: 12 }, (_, i) => `Before ${i}`).sort());
    // Six restores in flight at once (each a read, then a write), not one after the other.
    expect(mostInFlight.PATCH).toBeGreaterThanOrEqual(4);
  });

  it('resolves deletes and restores whose answers were lost or 5xx after committing: nothing reported failed', async () => {
    const deltaRun = await migratedAndUpdated(6);
    sim.setFaults('committed5xx=0.3,lost=0.2,latency=20±0');
    const restoring = await rollback({
      journal,
      destination: destination(),
      client,
      runId: journal.startRun('rollback'),
      plan: planRollback(journal, { runId: deltaRun, scope: 'records' }),
      force: false,
    });
    expect(restoring).toMatchObject({ restored: 6, failed: [], complete: true, uncertain: 0 });
    expect(restoring.writes.foundLanded).toBeGreaterThan(0);
    const deleting = await rollback({
      journal,
      destination: destination(),
      client,
      runId: journal.startRun('rollback'),
      plan: planRollback(journal, { scope: 'all' }),
      force: false,
    });
    expect(deleting).toMatchObject({ deleted: 6, failed: [], remaining: 0, complete: true });
    expect(names()).toEqual([]);
  });

  it('a resumed rollback plans no restore for a record it already deleted', async () => {
    await migratedAndUpdated(3);
    // The first attempt deleted contact:0 and died before anything else.
    journal.forget('person', 'contact:0');
    const plan = planRollback(journal, { scope: 'records' });
    expect(plan.restores).toEqual([]);
    const deltaOnly = planRollback(journal, { runId: 2, scope: 'records' });
    expect(deltaOnly.restores.map((entry) => entry.identity).sort()).toEqual(['contact:1', 'contact:2']);
  });

  it('is not complete while a schema part is left, and says which (then a re-run removes it)', async () => {
    const schemaRun = journal.startRun('schema');
    const field = await client.request<{ field_code: string }>({
      method: 'POST',
      path: '/api/v2/dealFields',
      body: { field_name: 'BackDocket ID', field_type: 'varchar' },
    });
    const entryId = await journal.intent({
      runId: schemaRun,
      entity: 'dealField',
      identity: 'BackDocket ID',
      operation: 'create',
    });
    journal.recordCreated({
      entryId,
      runId: schemaRun,
      entity: 'dealField',
      identity: 'BackDocket ID',
      pipedriveId: field.data.field_code,
      contentHash: null,
    });
    refuse = /^DELETE \/api\/v2\/dealFields/;
    const first = await rollback({
      journal,
      destination: destination(),
      client,
      runId: journal.startRun('rollback'),
      plan: planRollback(journal, { scope: 'all' }),
      force: false,
    });
    expect(first).toMatchObject({ schemaRemoved: 0, schemaLeft: 1, complete: false });
    expect(first.failed.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/dealField 'BackDocket ID' was not removed: .*400 Refused by the test/),
    ]);
    refuse = undefined;
    const second = await rollback({
      journal,
      destination: destination(),
      client,
      runId: journal.startRun('rollback'),
      plan: planRollback(journal, { scope: 'all' }),
      force: false,
    });
    expect(second).toMatchObject({ schemaRemoved: 1, schemaLeft: 0, complete: true });
  });

  it('keeps the schema and is not complete while a record edited in Pipedrive is left alone', async () => {
    await migratedAndUpdated(1);
    const schemaRun = journal.startRun('schema');
    const pipeline = await client.request<{ id: number }>({
      method: 'POST',
      path: '/api/v2/pipelines',
      body: { name: 'Auto' },
    });
    const entryId = await journal.intent({
      runId: schemaRun,
      entity: 'pipeline',
      identity: 'Auto',
      operation: 'create',
    });
    journal.recordCreated({
      entryId,
      runId: schemaRun,
      entity: 'pipeline',
      identity: 'Auto',
      pipedriveId: String(pipeline.data.id),
      contentHash: null,
    });
    await client.request({
      method: 'PATCH',
      path: `/api/v2/persons/${journal.idOf('person', 'contact:0')}`,
      body: { name: 'Edited by a person' },
    });
    const result = await rollback({
      journal,
      destination: destination(),
      client,
      runId: journal.startRun('rollback'),
      plan: planRollback(journal, { scope: 'all' }),
      force: false,
      clock: new ManualClock(),
    });
    expect(result).toMatchObject({ remaining: 1, schemaRemoved: 0, schemaLeft: 1, complete: false });
    expect(result.leftAlone.map((issue) => issue.code)).toEqual(['edited_in_pipedrive', 'schema_in_use']);
  });
});

/**
 * Writes under way follow the account: an Ultimate account (120 requests per 2 s, paced and enforced by the
 * simulator) whose answers take 300 ms needs ~18 requests in flight to reach its rate, more than the 8 a
 * rollback used to keep; `concurrency` still fixes the bound when given.
 */
describe('rollback at the account’s pace', () => {
  const COUNT = 120;
  let ultimate: Simulator;
  let paced: PipedriveClient;
  let deletesInFlight: number;
  let mostDeletesInFlight: number;
  let deletesById: Map<string, number>;

  beforeEach(async () => {
    ultimate = createSimulator({ token: TOKEN, seed: 'rollback-pace', plan: 'ultimate' });
    journal = new Journal(
      SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-rollback-pace-')), 'w.db') }),
    );
    deletesInFlight = 0;
    mostDeletesInFlight = 0;
    deletesById = new Map();
    paced = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      scheduler: new RateScheduler({ burstLimit: 120 }),
      retry: { resolveAfterMs: 0, baseDelayMs: 1 },
      fetch: async (input, init) => {
        if (init?.method !== 'DELETE') return ultimate.fetch(new Request(input, init));
        const id = new URL(String(input)).pathname.split('/').at(-1) as string;
        deletesById.set(id, (deletesById.get(id) ?? 0) + 1);
        deletesInFlight += 1;
        mostDeletesInFlight = Math.max(mostDeletesInFlight, deletesInFlight);
        try {
          return await ultimate.fetch(new Request(input, init));
        } finally {
          deletesInFlight -= 1;
        }
      },
    });
    // The migration being rolled back: persons Ferry created, seeded as one admin call (not rate limited).
    const seeded = await ultimate.fetch(
      new Request('http://sim.test/__sim/seed', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          persons: Array.from({ length: COUNT }, (_, i) => ({ name: `Client ${i}` })),
        }),
      }),
    );
    const ids = ((await seeded.json()) as { data: { persons: number[] } }).data.persons;
    const runId = journal.startRun('full');
    for (const [i, id] of ids.entries()) {
      const identity = `contact:${i}`;
      const entryId = await journal.intent({ runId, entity: 'person', identity, operation: 'create' });
      journal.recordCreated({
        entryId,
        runId,
        entity: 'person',
        identity,
        pipedriveId: String(id),
        contentHash: 'h0',
        written: { name: `Client ${i}` },
      });
    }
    ultimate.setFaults('latency=300±0');
  });

  const rollBack = (concurrency?: number) =>
    rollback({
      journal,
      destination: new PipedriveDestination({ client: paced, identityKeys: {} }),
      client: paced,
      runId: journal.startRun('rollback'),
      plan: planRollback(journal, { scope: 'records' }),
      force: false,
      concurrency,
    });

  const livePersons = () =>
    (ultimate.snapshot() as { entities: { persons: { is_deleted: boolean }[] } }).entities.persons.filter(
      (person) => !person.is_deleted,
    ).length;

  it('keeps more deletes in flight than the old fixed 8, and deletes every record exactly once', async () => {
    const result = await rollBack();
    expect(result).toMatchObject({ deleted: COUNT, remaining: 0, failed: [], complete: true });
    expect(livePersons()).toBe(0);
    expect(deletesById.size).toBe(COUNT);
    expect([...deletesById.values()].every((sends) => sends === 1)).toBe(true);
    expect(journal.entries({ operation: 'delete', state: 'done' })).toHaveLength(COUNT);
    expect(mostDeletesInFlight).toBeGreaterThan(8);
    // Paced under the account's limit, not over it: the simulator refused nothing.
    expect(paced.scheduler.stats.rateLimited).toBe(0);
  });

  it('never has more deletes in flight than a fixed --concurrency', async () => {
    // Quicker answers keep two at a time short; the scheduler alone would let ~8 fly.
    ultimate.setFaults('latency=50±0');
    const result = await rollBack(2);
    expect(result).toMatchObject({ deleted: COUNT, remaining: 0, complete: true });
    expect(livePersons()).toBe(0);
    expect(mostDeletesInFlight).toBe(2);
    expect([...deletesById.values()].every((sends) => sends === 1)).toBe(true);
  });
});
