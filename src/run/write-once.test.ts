/**
 * The write discipline against the in-process simulator, one fault at a time: every kind of failure ends in
 * exactly one record, a journal entry that says what happened, and nothing sent blindly twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { BudgetExhaustedError, RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { DEFAULT_RETRY_POLICY } from '../pipedrive/retry-policy.ts';
import { createSimulator, type Simulator } from '../sim/index.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { Journal } from './journal.ts';
import { listAll } from './list-pages.ts';
import {
  emptyTally,
  type WriteContext,
  type WriteSpec,
  WritesKeptFailingError,
  writeOnce,
} from './write-once.ts';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

let dir: string;
let store: SqliteStore;
let journal: Journal;
let sim: Simulator;
let client: PipedriveClient;
let clock: ManualClock;
/** Fault specs to apply to the next requests, one per request (then none). */
let script: string[];
let posts: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-write-once-'));
  store = SqliteStore.open({ path: join(dir, 'ferry.db') });
  journal = new Journal(store);
  clock = new ManualClock();
  sim = createSimulator({ token: TOKEN, seed: 'write-once', rateLimits: false, clock });
  script = [];
  posts = 0;
  client = new PipedriveClient({
    baseUrl: 'http://sim.test',
    token: TOKEN,
    clock,
    timeoutMs: 50,
    scheduler: new RateScheduler({ burstLimit: 1_000, clock }),
    fetch: (input, init) => {
      if (init?.method === 'POST') posts += 1;
      sim.setFaults(script.shift() ?? '');
      return sim.fetch(new Request(input, init));
    },
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function contextFor(overrides: Partial<WriteContext> = {}): WriteContext {
  return {
    journal,
    runId: journal.startRun('full'),
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 },
    clock,
    random: () => 0.5,
    tally: emptyTally(),
    ...overrides,
  };
}

/** Creating a person named `name`, found again by its name. */
function createPerson(name: string, extra: Partial<WriteSpec<string>> = {}): WriteSpec<string> {
  return {
    what: `person ${name}`,
    entity: 'person',
    identity: name,
    operation: 'create',
    send: async () =>
      String(
        (await client.request<{ id: number }>({ method: 'POST', path: '/api/v2/persons', body: { name } }))
          .data.id,
      ),
    resolve: async () => {
      for await (const person of listAll(client, '/api/v2/persons'))
        if (person.name === name) return { landed: true, result: String(person.id) };
      return { landed: false };
    },
    settleDone: (entryId, id) => journal.settle(entryId, 'done', { pipedriveId: id }),
    ...extra,
  };
}

const livePersons = (name: string) =>
  (
    sim.snapshot() as { entities: { persons: { name: string; is_deleted: boolean }[] } }
  ).entities.persons.filter((person) => person.name === name && !person.is_deleted);

describe('writeOnce', () => {
  it('a write committed but answered 5xx is found, not sent again', async () => {
    script = ['committed5xx=1'];
    const context = contextFor();
    const outcome = await writeOnce(context, createPerson('Ada'));
    expect(outcome).toMatchObject({ kind: 'done', how: 'found' });
    expect(livePersons('Ada')).toHaveLength(1);
    expect(posts).toBe(1);
    expect(context.tally).toMatchObject({ sent: 1, resent: 0, unknown: 1, foundLanded: 1 });
    expect(journal.entries({ state: 'done' })).toHaveLength(1);
  });

  it('answers lost (reset or silence) and bodies cut short are found too', async () => {
    for (const [name, fault] of [
      ['Lost', 'lost=1'],
      ['Cut', 'cut=1'],
    ] as const) {
      script = [fault];
      const outcome = await writeOnce(contextFor(), createPerson(name));
      expect(outcome, fault).toMatchObject({ kind: 'done', how: 'found' });
      expect(livePersons(name), fault).toHaveLength(1);
    }
  });

  it('a 5xx that did no work is looked up, not found, and sent again once', async () => {
    script = ['5xx=1', 'timeout=1'];
    const context = contextFor();
    const outcome = await writeOnce(context, createPerson('Grace'));
    // The 5xx did no work; the look-up's first read times out and is retried; then one more POST.
    expect(outcome).toMatchObject({ kind: 'done', how: 'sent' });
    expect(livePersons('Grace')).toHaveLength(1);
    expect(context.tally.resent).toBe(1);
    expect(journal.entries()[0]).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('429s without headers and Cloudflare blocks are waited out and sent again (they did nothing)', async () => {
    script = ['429=1', '403=1@1000', ''];
    const context = contextFor();
    const outcome = await writeOnce(context, createPerson('Linus'));
    expect(outcome).toMatchObject({ kind: 'done', how: 'sent' });
    expect(livePersons('Linus')).toHaveLength(1);
    expect(posts).toBe(3);
    expect(context.tally).toMatchObject({ sent: 1, unknown: 0 });
  });

  it('a refusal is data: the entry is failed with Pipedrive’s message, nothing is retried', async () => {
    const context = contextFor();
    const outcome = await writeOnce(
      context,
      createPerson('Bad', {
        send: async () => {
          await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'Bad', nope: 1 } });
          return 'never';
        },
      }),
    );
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect(posts).toBe(1);
    expect(journal.entries()[0]).toMatchObject({ state: 'failed' });
    expect(journal.entries()[0]?.detail).toMatch(/400/);
  });

  it('stops once the retries are spent, with the entry uncertain; the next run resolves it and finishes', async () => {
    script = Array(60).fill('5xx=1');
    const first = contextFor();
    const error = await writeOnce(first, createPerson('Edsger')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WritesKeptFailingError);
    expect((error as WritesKeptFailingError).failure).toBe('transient');
    expect((error as Error).message).toMatch(
      /person Edsger: .*50\d.*still failing after \d+ attempt\(s\).*run the same command again/s,
    );
    const open = journal.openEntry('person', 'Edsger', 'create');
    expect(open?.state).toBe('uncertain');

    // Pipedrive in fact committed the last attempt; the next run finds it and sends nothing.
    script = [];
    await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'Edsger' } });
    const sentBefore = posts;
    const second = contextFor();
    const outcome = await writeOnce(second, createPerson('Edsger', { open: { entry: open! } }));
    expect(outcome).toMatchObject({ kind: 'done', how: 'found' });
    expect(posts).toBe(sentBefore);
    expect(livePersons('Edsger')).toHaveLength(1);
    expect(journal.openEntry('person', 'Edsger', 'create')).toBeUndefined();
  });

  it('an intent a crash left open is looked up first: found → done; not found → sent on the same entry', async () => {
    const context = contextFor();
    const crashedAfterSend = await journal.intent({
      runId: context.runId,
      entity: 'person',
      identity: 'Barbara',
      operation: 'create',
    });
    await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'Barbara' } });
    const crashedBeforeSend = await journal.intent({
      runId: context.runId,
      entity: 'person',
      identity: 'Donald',
      operation: 'create',
    });
    const sent = posts;
    for (const name of ['Barbara', 'Donald'])
      await writeOnce(
        context,
        createPerson(name, { open: { entry: journal.openEntry('person', name, 'create')! } }),
      );
    expect(posts - sent).toBe(1);
    expect(livePersons('Barbara')).toHaveLength(1);
    expect(livePersons('Donald')).toHaveLength(1);
    expect(journal.entry(crashedAfterSend)).toMatchObject({ state: 'done', attempts: 1 });
    expect(journal.entry(crashedBeforeSend)).toMatchObject({ state: 'done', attempts: 2 });
    expect(context.tally).toMatchObject({ unknown: 2, foundLanded: 1 });
  });

  it('an abort mid-request leaves the entry uncertain (the next run looks it up)', async () => {
    const controller = new AbortController();
    script = ['timeout=1'];
    const context = contextFor({ signal: controller.signal });
    const transport = client;
    client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      clock,
      timeoutMs: 50,
      scheduler: transport.scheduler,
      fetch: (input, init) => {
        // The request is on its way (its answer will never come) when the run is stopped.
        sim.setFaults('timeout=1');
        const answer = sim.fetch(new Request(input, init));
        controller.abort(new Error('stop'));
        return answer;
      },
    });
    const sending = writeOnce(context, createPerson('Ken', { send: sendWith(controller.signal, 'Ken') }));
    await expect(sending).rejects.toBeDefined();
    expect(journal.openEntry('person', 'Ken', 'create')?.state).toBe('uncertain');
  });

  it('journals the intent as the request departs, before the transport sees it', async () => {
    const seen: (string | undefined)[] = [];
    client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      clock,
      timeoutMs: 50,
      scheduler: new RateScheduler({ burstLimit: 1_000, clock }),
      fetch: (input, init) => {
        // What a crash at this instant would leave: the intent, on disk.
        journal.commit();
        seen.push(journal.openEntry('person', 'Alan', 'create')?.state);
        return sim.fetch(new Request(input, init));
      },
    });
    const outcome = await writeOnce(contextFor(), createPerson('Alan'));
    expect(outcome.kind).toBe('done');
    expect(seen).toEqual(['intent']);
  });

  it('a write queued behind the scheduler and stopped there leaves no open entry', async () => {
    const controller = new AbortController();
    let waiting = 0;
    // One request at a time: Grace holds the only place, so Alan waits his turn and never departs. (The
    // real clock: the manual one runs through the wait after which an unanswered request stops holding it.)
    client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      timeoutMs: 60_000,
      scheduler: new RateScheduler({ burstLimit: 1_000, maxInFlight: 1 }),
      fetch: (input, init) => {
        // The first request (Grace's) is never answered.
        waiting += 1;
        return waiting === 1 ? new Promise<Response>(() => {}) : sim.fetch(new Request(input, init));
      },
    });
    const context = contextFor({ signal: controller.signal });
    const holding = writeOnce(context, createPerson('Grace', { send: sendWith(controller.signal, 'Grace') }));
    const queued = writeOnce(context, createPerson('Alan', { send: sendWith(controller.signal, 'Alan') }));
    await flush();
    expect(journal.openEntry('person', 'Grace', 'create')?.state).toBe('intent');
    expect(journal.openEntry('person', 'Alan', 'create')).toBeUndefined();
    controller.abort(new Error('stop'));
    await expect(queued).rejects.toBeDefined();
    expect(journal.openEntry('person', 'Alan', 'create')).toBeUndefined();
    expect(journal.entries().filter((entry) => entry.identity === 'Alan')).toEqual([]);
    expect(context.tally.sent).toBe(1);
    void holding.catch(() => {});
  });

  it('a budget stop before departure journals nothing', async () => {
    client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      clock,
      timeoutMs: 50,
      scheduler: new RateScheduler({ burstLimit: 1_000, clock, dailyBudget: 0, onBudgetExhausted: 'stop' }),
      fetch: (input, init) => {
        posts += 1;
        return sim.fetch(new Request(input, init));
      },
    });
    const error = await writeOnce(contextFor(), createPerson('Niklaus')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect(journal.entries().filter((entry) => entry.identity === 'Niklaus')).toEqual([]);
    expect(posts).toBe(0);
  });
});

/** Sends the person named `name` through the current client, stoppable by `signal`. */
function sendWith(signal: AbortSignal, name: string): () => Promise<string> {
  return async () =>
    String(
      (
        await client.request<{ id: number }>({
          method: 'POST',
          path: '/api/v2/persons',
          body: { name },
          signal,
        })
      ).data.id,
    );
}

/** Lets the journal's end-of-turn commits and the scheduler's promise chains run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
