/**
 * The destination's batched read (a delta's look-ups before its updates) against the in-process simulator:
 * what it returns, and the requests and tokens it takes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { createSimulator, type Simulator } from '../sim/index.ts';
import { PipedriveDestination } from './pipedrive-destination.ts';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';

let sim: Simulator;
let client: PipedriveClient;
let destination: PipedriveDestination;
let reads: string[];

beforeEach(() => {
  const clock = new ManualClock();
  sim = createSimulator({ token: TOKEN, seed: 'get-many', rateLimits: false, clock });
  reads = [];
  client = new PipedriveClient({
    baseUrl: 'http://sim.test',
    token: TOKEN,
    clock,
    scheduler: new RateScheduler({ burstLimit: 100_000, clock }),
    fetch: (input, init) => {
      const url = new URL(String(input));
      if ((init?.method ?? 'GET') === 'GET') reads.push(`${url.pathname}?${url.searchParams}`);
      return sim.fetch(new Request(input, init));
    },
  });
  destination = new PipedriveDestination({ client, identityKeys: {} });
});

async function create(path: string, body: object): Promise<string> {
  const { data } = await client.request<{ id: number }>({ method: 'POST', path, body });
  return String(data.id);
}

describe('PipedriveDestination.getMany', () => {
  it('reads v2 records 100 ids a call, and leaves out a deleted one and one that never was', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 250; n += 1) ids.push(await create('/api/v2/persons', { name: `Person ${n}` }));
    await client.request({ method: 'DELETE', path: `/api/v2/persons/${ids[3]}` });
    const tokensBefore = client.stats().tokens;
    reads = [];
    const current = await destination.getMany('person', [...ids, ids[0]!, '99999']);
    expect(current.size).toBe(249);
    expect(current.has(ids[3]!)).toBe(false);
    expect(current.has('99999')).toBe(false);
    expect(current.get(ids[10]!)?.name).toBe('Person 10');
    expect(reads).toHaveLength(3);
    expect(reads.every((read) => read.startsWith('/api/v2/persons?ids='))).toBe(true);
    // Three list calls (10 tokens each) where 251 single gets would cost 251.
    expect(client.stats().tokens - tokensBefore).toBe(30);
  });

  it('reads v1 records (notes) one get each, and leaves out a deleted one', async () => {
    const person = await create('/api/v2/persons', { name: 'Client' });
    const notes: string[] = [];
    for (let n = 0; n < 3; n += 1)
      notes.push(await create('/api/v1/notes', { content: `Note ${n}`, person_id: Number(person) }));
    await client.request({ method: 'DELETE', path: `/api/v1/notes/${notes[1]}` });
    reads = [];
    const current = await destination.getMany('note', notes);
    expect([...current.keys()].sort()).toEqual([notes[0], notes[2]].sort());
    expect(current.get(notes[2]!)?.content).toBe('Note 2');
    expect(reads.sort()).toEqual(notes.map((id) => `/api/v1/notes/${id}?`).sort());
  });
});
