/**
 * The read-back against the in-process simulator: what it finds (every record Ferry wrote, a deleted one
 * missing, records others made in the window), that its calls are in flight together, and what they cost.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { createSimulator, type Simulator } from '../sim/index.ts';
import { ReadLimiter, readBackEntity, timeSlices, type WrittenRecord } from './read-back.ts';

const TOKEN = 'feedbeeffeedbeeffeedbeeffeedbeeffeedbeef';

let clock: ManualClock;
let sim: Simulator;
let client: PipedriveClient;
let sent: string[];

beforeEach(() => {
  clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  sim = createSimulator({ token: TOKEN, seed: 'read-back', rateLimits: false, clock });
  sent = [];
  client = new PipedriveClient({
    baseUrl: 'http://sim.test',
    token: TOKEN,
    clock,
    scheduler: new RateScheduler({ burstLimit: 100_000, clock }),
    fetch: (input, init) => {
      const url = new URL(String(input));
      if ((init?.method ?? 'GET') === 'GET') sent.push(`${url.pathname}?${url.searchParams}`);
      return sim.fetch(new Request(input, init));
    },
  });
});

/** Creates records one after another, `gapMs` apart, as a migration would; returns what the journal keeps. */
async function write(count: number, path: string, body: (n: number) => object, gapMs = 40) {
  const written: WrittenRecord[] = [];
  for (let n = 0; n < count; n += 1) {
    clock.advance(gapMs);
    const { data } = await client.request<{ id: number }>({ method: 'POST', path, body: body(n) });
    written.push({ pipedriveId: String(data.id), writtenAt: new Date(clock.now()).toISOString() });
  }
  return written;
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describe('readBackEntity', () => {
  it('reads a v2 entity in time slices all in flight together, finds every record once and a deleted one by id', async () => {
    const opensAt = iso(clock.now());
    const written = await write(2_000, '/api/v2/persons', (n) => ({ name: `Person ${n}` }));
    // Someone deletes one of Ferry's persons, and makes one of their own during the migration.
    await client.request({ method: 'DELETE', path: `/api/v2/persons/${written[7]!.pipedriveId}` });
    await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'Made by hand' } });
    sent = [];
    const limiter = new ReadLimiter(8);
    const counter = { requests: 0, tokens: 0 };
    const records = await readBackEntity({
      client,
      limiter,
      entity: 'person',
      written,
      updatedSince: opensAt,
      counter,
    });
    const ids = records.map((record) => String(record.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2_000);
    expect(ids).toContain(String(written.length + 1));
    expect(ids).not.toContain(written[7]!.pipedriveId);
    // Five slices of ~450 of Ferry's writes (one call each, all at once), then one `ids=` call for the
    // deleted person the window no longer returns.
    expect(sent.filter((call) => call.includes('updated_since'))).toHaveLength(5);
    expect(sent.filter((call) => call.includes('ids='))).toEqual([
      expect.stringContaining(`ids=${written[7]!.pipedriveId}`),
    ]);
    expect(limiter.busiest).toBe(5);
    expect(counter).toEqual({ requests: 6, tokens: 60 });
  });

  it('reads a v1 entity by offset pages in flight together, and follows the last page when others wrote more', async () => {
    const [person] = await write(1, '/api/v2/persons', () => ({ name: 'Client' }));
    const opensAt = iso(clock.now());
    const written = await write(1_200, '/api/v1/notes', (n) => ({
      content: `Note ${n}`,
      person_id: Number(person!.pipedriveId),
    }));
    // 400 notes someone else added to the account in the same window.
    await write(400, '/api/v1/notes', (n) => ({
      content: `Other ${n}`,
      person_id: Number(person!.pipedriveId),
    }));
    sent = [];
    const limiter = new ReadLimiter(8);
    const counter = { requests: 0, tokens: 0 };
    const records = await readBackEntity({
      client,
      limiter,
      entity: 'note',
      written,
      updatedSince: opensAt,
      counter,
    });
    expect(records).toHaveLength(1_600);
    const starts = sent.map((call) => new URLSearchParams(call.split('?')[1]).get('start'));
    // The three pages Ferry's 1,200 notes fill, together; then the one the last of them said was there.
    expect(starts.at(-1)).toBe('1500');
    expect(starts.map(Number).sort((a, b) => a - b)).toEqual([0, 500, 1000, 1500]);
    expect(limiter.busiest).toBe(3);
    expect(counter).toEqual({ requests: 4, tokens: 80 });
  });

  it('lets an entity under way finish before reads not yet started take the slots', async () => {
    const limiter = new ReadLimiter(1);
    const order: string[] = [];
    const read = (name: string, urgent = false) =>
      limiter.run(async () => {
        order.push(name);
        await Promise.resolve();
      }, urgent);
    await Promise.all([
      read('deal slice 1').then(() => read('deal ids', true)),
      read('activity slice 1'),
      read('activity slice 2'),
    ]);
    expect(order).toEqual(['deal slice 1', 'deal ids', 'activity slice 1', 'activity slice 2']);
  });

  it('follows a bound that rises as answers slow down (the scheduler’s rate × answer time)', async () => {
    let bound = 2;
    const limiter = new ReadLimiter(() => bound);
    let running = 0;
    const answers: (() => void)[] = [];
    const reads = Array.from({ length: 10 }, () =>
      limiter.run(
        () =>
          new Promise<void>((resolve) => {
            running += 1;
            answers.push(() => {
              running -= 1;
              resolve();
            });
          }),
      ),
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    expect(running).toBe(2);
    // Answers came slower: the scheduler lets more requests fly, and the reads follow once one settles.
    bound = 6;
    answers.shift()?.();
    await settle();
    await settle();
    expect(running).toBe(6);
    while (answers.length > 0) {
      answers.shift()?.();
      await settle();
      await settle();
    }
    await Promise.all(reads);
    expect(running).toBe(0);
  });
});

describe('timeSlices', () => {
  it('cover the window from its opening, each time in exactly one slice, about 450 writes each', () => {
    const opens = Date.UTC(2026, 2, 1, 9);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_600_000 }), { maxLength: 3_000 }), (offsets) => {
        const times = offsets.map((offset) => opens + offset);
        const slices = timeSlices(
          times.map((time) => new Date(time).toISOString()),
          iso(opens),
        ).map((slice) => ({
          since: Date.parse(slice.updated_since),
          until: slice.updated_until ? Date.parse(slice.updated_until) : Number.POSITIVE_INFINITY,
        }));
        expect(slices[0]!.since).toBe(opens);
        expect(slices.at(-1)!.until).toBe(Number.POSITIVE_INFINITY);
        for (let i = 1; i < slices.length; i += 1) expect(slices[i]!.since).toBe(slices[i - 1]!.until);
        for (const time of times) {
          expect(slices.filter((slice) => slice.since <= time && time < slice.until)).toHaveLength(1);
        }
        expect(slices.length).toBeLessThanOrEqual(Math.max(1, Math.ceil(times.length / 450)));
      }),
      { numRuns: 60 },
    );
  });
});
