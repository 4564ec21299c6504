/**
 * The executor against the in-process simulator, on the cases where resolving an unknown outcome could go
 * wrong: a delta update a crash left open that had landed (Ferry's own write, not a person's edit), and two
 * documents of the same name and size on one deal (the file found after a lost answer must not be the other
 * one's).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import type { PlannedRecord, WriteEntity } from '../core/records.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { createSimulator, type Simulator } from '../sim/index.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { executeRecords, type RecordSource } from './executor.ts';
import { Journal } from './journal.ts';
import { PipedriveDestination } from './pipedrive-destination.ts';
import { concurrencyFollowing } from './write-concurrency.ts';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

let sim: Simulator;
let journal: Journal;
let client: PipedriveClient;
let dir: string;
/** Fault specs for the next requests of a method, one per request (then none). */
let script: Record<string, string[]>;
let sent: string[];

beforeEach(() => {
  const clock = new ManualClock();
  sim = createSimulator({ token: TOKEN, seed: 'executor-unit', rateLimits: false, clock });
  dir = mkdtempSync(join(tmpdir(), 'ferry-executor-'));
  journal = new Journal(SqliteStore.open({ path: join(dir, 'w.db') }));
  script = {};
  sent = [];
  client = new PipedriveClient({
    baseUrl: 'http://sim.test',
    token: TOKEN,
    clock,
    scheduler: new RateScheduler({ burstLimit: 1_000, clock }),
    retry: { resolveAfterMs: 0 },
    fetch: (input, init) => {
      const method = init?.method ?? 'GET';
      sent.push(`${method} ${new URL(String(input)).pathname}`);
      sim.setFaults(script[method]?.shift() ?? '');
      return sim.fetch(new Request(input, init));
    },
  });
});

function sourceOf(records: readonly PlannedRecord[]): RecordSource {
  return {
    records: (entity: WriteEntity) => records.filter((record) => record.entity === entity),
    count: (entity: WriteEntity) => records.filter((record) => record.entity === entity).length,
  };
}

const execute = (records: readonly PlannedRecord[], mode: 'create' | 'delta', runId: number) =>
  executeRecords({
    journal,
    destination: new PipedriveDestination({ client, identityKeys: {} }),
    source: sourceOf(records),
    runId,
    mode,
    clock: new ManualClock(),
  });

function person(name: string, contentHash: string): PlannedRecord {
  return {
    entity: 'person',
    identity: 'contact:1',
    payload: { name },
    links: [],
    rows: [{ file: 'contacts.csv', sourceKey: '1' }],
    contentHash,
  };
}

describe('executeRecords resolves unknown outcomes without mistaking them', () => {
  it('a delta update a crash left open, which had landed, is Ferry’s own write: recorded, not called an edit', async () => {
    const full = journal.startRun('full');
    expect((await execute([person('Cypress Chiropractic', 'h1')], 'create', full)).stats.person.created).toBe(
      1,
    );
    const id = journal.idOf('person', 'contact:1')!;
    // The delta's PATCH landed, then the process died before its outcome was written.
    const delta = journal.startRun('delta');
    const before = (
      await client.request<Record<string, unknown>>({ method: 'GET', path: `/api/v2/persons/${id}` })
    ).data;
    await journal.intent({
      runId: delta,
      entity: 'person',
      identity: 'contact:1',
      operation: 'update',
      pipedriveId: id,
      contentHash: 'h2',
      preImage: before,
      intended: { name: 'Cypress Chiropractic v2' },
    });
    await client.request({
      method: 'PATCH',
      path: `/api/v2/persons/${id}`,
      body: { name: 'Cypress Chiropractic v2' },
    });
    sent = [];
    const resumed = await execute([person('Cypress Chiropractic v2', 'h2')], 'delta', delta);
    expect(resumed.problems).toEqual([]);
    expect(resumed.stats.person).toMatchObject({ updated: 1, editedInPipedrive: 0 });
    expect(sent.filter((request) => request.startsWith('PATCH'))).toEqual([]);
    // What Ferry remembers writing is what Pipedrive holds: verify agrees, and a rollback restores it.
    expect(journal.mapped('person', 'contact:1')).toMatchObject({
      contentHash: 'h2',
      written: { name: 'Cypress Chiropractic v2' },
    });
    expect(journal.entries({ operation: 'update', state: 'done' })).toHaveLength(1);
  });

  it('an open update that had not landed is sent (once), and the pre-image is the record before it', async () => {
    const full = journal.startRun('full');
    await execute([person('Before', 'h1')], 'create', full);
    const delta = journal.startRun('delta');
    await journal.intent({
      runId: delta,
      entity: 'person',
      identity: 'contact:1',
      operation: 'update',
      pipedriveId: journal.idOf('person', 'contact:1')!,
      contentHash: 'h2',
      intended: { name: 'After' },
    });
    sent = [];
    const resumed = await execute([person('After', 'h2')], 'delta', delta);
    expect(resumed.stats.person).toMatchObject({ updated: 1, editedInPipedrive: 0 });
    expect(sent.filter((request) => request.startsWith('PATCH'))).toHaveLength(1);
    const done = journal.entries({ operation: 'update', state: 'done' });
    expect(done).toHaveLength(1);
    expect(done[0]?.preImage).toMatchObject({ name: 'Before' });
  });

  it('two documents of the same name and size on one deal stay two files when an upload’s answer is a 5xx', async () => {
    const file = join(dir, 'scan.pdf');
    writeFileSync(file, '%PDF-1.4 the same bytes');
    const deal: PlannedRecord = {
      entity: 'deal',
      identity: 'claim:1',
      payload: { title: 'Doe v. Acme' },
      links: [],
      rows: [{ file: 'claims.csv', sourceKey: '1' }],
      contentHash: 'd',
    };
    const document = (key: string): PlannedRecord => ({
      entity: 'file',
      identity: `document:${key}`,
      payload: {},
      links: [{ field: 'deal_id', entity: 'deal', identity: 'claim:1', required: true }],
      rows: [{ file: 'documents.csv', sourceKey: key }],
      contentHash: key,
      upload: { path: file, fileName: 'scan.pdf', size: 23 },
    });
    // POSTs: the deal, the first upload, then the second upload answered 5xx without the work being done.
    script.POST = ['', '', '5xx=1'];
    const result = await execute([deal, document('1'), document('2')], 'create', journal.startRun('full'));
    expect(result.stats.file).toMatchObject({ created: 2, adopted: 0 });
    const files = (sim.snapshot() as { entities: { files: { id: number; active_flag: boolean }[] } }).entities
      .files;
    expect(files.filter((candidate) => candidate.active_flag !== false)).toHaveLength(2);
    expect(new Set([journal.idOf('file', 'document:1'), journal.idOf('file', 'document:2')]).size).toBe(2);
  });
});

describe('a delta reads the records it updates in batches', () => {
  const client250 = (n: number, name: string, contentHash: string): PlannedRecord => ({
    entity: 'person',
    identity: `contact:${n}`,
    payload: { name },
    links: [],
    rows: [{ file: 'contacts.csv', sourceKey: String(n) }],
    contentHash,
  });

  it('250 updated persons: 3 ids= reads instead of 250 gets, the same updates, edits and deletions found, pre-images journaled', async () => {
    const count = 250;
    const numbers = Array.from({ length: count }, (_, n) => n);
    const created = await execute(
      numbers.map((n) => client250(n, `Client ${n}`, `h1-${n}`)),
      'create',
      journal.startRun('full'),
    );
    expect(created.stats.person.created).toBe(count);
    // A person deletes one record and edits another in Pipedrive before the delta.
    await client.request({
      method: 'DELETE',
      path: `/api/v2/persons/${journal.idOf('person', 'contact:7')}`,
    });
    await client.request({
      method: 'PATCH',
      path: `/api/v2/persons/${journal.idOf('person', 'contact:8')}`,
      body: { name: 'Renamed by a person' },
    });
    sent = [];
    const delta = await execute(
      numbers.map((n) => client250(n, `Client ${n} v2`, `h2-${n}`)),
      'delta',
      journal.startRun('delta'),
    );
    expect(delta.stats.person).toMatchObject({ updated: count - 2, editedInPipedrive: 2, failed: 0 });
    const gets = sent.filter((request) => request.startsWith('GET'));
    // Three list calls of up to 100 ids each; no single get per record.
    expect(gets).toEqual(['GET /api/v2/persons', 'GET /api/v2/persons', 'GET /api/v2/persons']);
    expect(sent.filter((request) => request.startsWith('PATCH'))).toHaveLength(count - 2);
    const persons = (sim.snapshot() as { entities: { persons: { id: number; name: string }[] } }).entities
      .persons;
    const nameOf = (n: number) =>
      persons.find((candidate) => String(candidate.id) === journal.idOf('person', `contact:${n}`))?.name;
    expect(nameOf(0)).toBe('Client 0 v2');
    expect(nameOf(249)).toBe('Client 249 v2');
    expect(nameOf(8)).toBe('Renamed by a person');
    expect(delta.problems.map((problem) => problem.message).sort()).toEqual([
      expect.stringContaining('(contact:7) was deleted in Pipedrive'),
      expect.stringContaining('(contact:8) was edited in Pipedrive'),
    ]);
    // Every update's pre-image (the record before it) was journaled with its intent.
    const done = journal.entries({ operation: 'update', state: 'done' });
    expect(done).toHaveLength(count - 2);
    for (const entry of done) {
      expect(entry.preImage).toMatchObject({
        name: (entry.intended as { name: string }).name.replace(' v2', ''),
      });
    }
  });
});

describe('records written at once follow the account', () => {
  it('twice the requests the scheduler lets fly, never under the default nor over the cap', () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 120, clock });
    const bound = concurrencyFollowing(() => scheduler.maxInFlight);
    // Ultimate (120 per 2 s) at answers of 400 ms: 60/s × 0.4 s, with headroom, a few spare.
    for (let i = 0; i < 40; i += 1) scheduler.latency.record(400);
    expect(scheduler.maxInFlight).toBe(52);
    expect(bound()).toBe(104);
    // A slow account needs more under way; the bound is asked again and follows.
    for (let i = 0; i < 300; i += 1) scheduler.latency.record(1_000);
    expect(bound()).toBe(248);
    for (let i = 0; i < 300; i += 1) scheduler.latency.record(10_000);
    expect(bound()).toBe(512);
    // A small plan with quick answers keeps the default.
    expect(concurrencyFollowing(() => 4)()).toBe(32);
  });
});
