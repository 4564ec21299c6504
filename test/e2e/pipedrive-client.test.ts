import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import {
  BudgetExhaustedError,
  PipedriveClient,
  PipedriveError,
  RateScheduler,
  tokenCostOf,
} from '../../src/pipedrive/index.ts';
import { accountAmbiguities, readAccountSnapshot, targetSchemaOf } from '../../src/run/account-schema.ts';
import { createSimulator, type SimServer, startSimServer } from '../../src/sim/index.ts';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

function inProcess(options: Parameters<typeof createSimulator>[0] = {}) {
  const sim = createSimulator({ token: TOKEN, ...options });
  const calls: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return sim.fetch(new Request(input, init));
  };
  return { sim, calls, fetchFn };
}

async function caught(promise: Promise<unknown>): Promise<PipedriveError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PipedriveError);
    return error as PipedriveError;
  }
  throw new Error('expected the request to fail');
}

describe('PipedriveClient against the simulator over a real socket', () => {
  let server: SimServer;
  let client: PipedriveClient;
  beforeAll(async () => {
    server = await startSimServer({ port: 0, seed: 'client', token: TOKEN, rateLimits: false });
    client = new PipedriveClient({
      baseUrl: server.url,
      token: TOKEN,
      scheduler: new RateScheduler({ burstLimit: 40 }),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates, reads and pages to the end in both styles', async () => {
    for (let i = 0; i < 7; i += 1)
      await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: `P${i}` } });
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.request<{ name: string }[]>({
        method: 'GET',
        path: '/api/v2/persons',
        query: { limit: 3, cursor },
      });
      names.push(...page.data.map((person) => person.name));
      cursor = (page.additionalData as { next_cursor?: string | null }).next_cursor ?? undefined;
    } while (cursor);
    expect(names).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    const first = await client.request<{ id: number }>({
      method: 'POST',
      path: '/api/v1/notes',
      body: { content: 'n', person_id: 1 },
    });
    expect(first.data.id).toBeGreaterThan(0);
    const notes = await client.request<unknown[]>({
      method: 'GET',
      path: '/api/v1/notes',
      query: { start: 0, limit: 500 },
    });
    expect(notes.data).toHaveLength(1);
  });

  it('classifies a validation error as terminal with Pipedrive’s code and message', async () => {
    const error = await caught(
      client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'x', nope: 1 } }),
    );
    expect(error.failure).toBe('terminal');
    expect(error.status).toBe(400);
    expect(error.pipedriveCode).toBe('ERR_SCHEMA_VALIDATION_FAILED');
    expect((await caught(client.request({ method: 'GET', path: '/api/v2/deals/999999' }))).status).toBe(404);
  });

  it('turns a rejected token into a config error that says what to do, without the token', async () => {
    const bad = new PipedriveClient({
      baseUrl: server.url,
      token: 'ffffffffffffffffffffffffffffffffffffffff',
    });
    const error = await caught(bad.request({ method: 'GET', path: '/api/v1/users/me' }));
    expect(error.failure).toBe('config');
    expect(error.message).toContain('PIPEDRIVE_API_TOKEN');
    const everything = `${error.message} ${String(error)} ${JSON.stringify(error)} ${error.stack}`;
    expect(everything).not.toContain('ffffffffffffffffffffffffffffffffffffffff');
    expect(everything).not.toContain(TOKEN);
  });
});

describe('PipedriveClient faults and limits (in-process simulator)', () => {
  it('retries a 5xx read, but never retries a write whose answer was lost — it is uncertain and exists', async () => {
    const { sim, calls, fetchFn } = inProcess({ seed: 'faults', rateLimits: false });
    const clock = new ManualClock();
    const client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      fetch: fetchFn,
      clock,
      scheduler: new RateScheduler({ burstLimit: 1000, clock }),
    });
    sim.setFaults('lost=1');
    const error = await caught(
      client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'Lost Answer' } }),
    );
    expect(error.uncertain).toBe(true);
    expect(calls.filter((call) => call === 'POST /api/v2/persons')).toHaveLength(1);
    const state = sim.snapshot() as { entities: { persons: { name: string }[] } };
    expect(state.entities.persons.map((person) => person.name)).toContain('Lost Answer');

    sim.setFaults('5xx=1');
    const write = await caught(
      client.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'B' } }),
    );
    expect(write.uncertain).toBe(true);
    expect(calls.filter((call) => call === 'POST /api/v2/persons')).toHaveLength(2);
    const readsBefore = calls.filter((call) => call === 'GET /api/v2/persons').length;
    const read = await caught(client.request({ method: 'GET', path: '/api/v2/persons' }));
    expect(read.failure).toBe('transient');
    // Every attempt the retry policy allows, and then a stop that says to run again.
    expect(calls.filter((call) => call === 'GET /api/v2/persons').length - readsBefore).toBe(
      client.retryPolicy.maxAttempts,
    );
    expect(read.message).toMatch(/run the same command again/);
  });

  it('waits out burst 429s (Retry-After) when another integration shares the token, and succeeds', async () => {
    const clock = new ManualClock();
    const { sim } = inProcess({ seed: 'burst', plan: 'lite', clock });
    const fetchFn: typeof fetch = (input, init) => sim.fetch(new Request(input, init));
    // Two clients on one token each pace to the whole limit, so together they overrun it.
    const clients = [0, 1].map(
      () =>
        new PipedriveClient({
          baseUrl: 'http://sim.test',
          token: TOKEN,
          fetch: fetchFn,
          clock,
          scheduler: new RateScheduler({ burstLimit: 20, clock, maxInFlight: 4 }),
        }),
    );
    await Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < 40; i += 1) await client.request({ method: 'GET', path: '/api/v1/users/me' });
      }),
    );
    const limited = clients.reduce((sum, client) => sum + client.stats().rateLimited, 0);
    expect(limited).toBeGreaterThan(0);
    const state = sim.snapshot() as { counters: { byStatus: Record<string, number> } };
    expect(state.counters.byStatus['200']).toBe(80);
  });

  it('pauses at an exhausted daily budget until the simulated day changes, then resumes', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 22, 0, 0));
    const { fetchFn } = inProcess({ seed: 'budget', clock, dailyBudget: 30, rateLimits: true });
    const pauses: Date[] = [];
    const scheduler = new RateScheduler({ burstLimit: 40, clock, onPause: (until) => pauses.push(until) });
    const client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      fetch: fetchFn,
      clock,
      scheduler,
    });
    for (let i = 0; i < 10; i += 1)
      await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: `B${i}` } });
    expect(pauses.length).toBeGreaterThan(0);
    expect(new Date(clock.now()).getUTCDate()).toBeGreaterThan(5);

    const stopping = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      fetch: inProcess({ seed: 'budget2', clock, dailyBudget: 10 }).fetchFn,
      clock,
      scheduler: new RateScheduler({ burstLimit: 40, clock, dailyBudget: 10, onBudgetExhausted: 'stop' }),
    });
    await stopping.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'S1' } });
    await stopping.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'S2' } });
    await expect(
      stopping.request({ method: 'POST', path: '/api/v2/persons', body: { name: 'S3' } }),
    ).rejects.toBeInstanceOf(BudgetExhaustedError);
  });

  it('resolves custom fields by name on accounts whose keys differ', async () => {
    const keys: string[] = [];
    for (const seed of ['account-a', 'account-b']) {
      const { fetchFn } = inProcess({ seed, rateLimits: false });
      const client = new PipedriveClient({ baseUrl: 'http://sim.test', token: TOKEN, fetch: fetchFn });
      await client.request({
        method: 'POST',
        path: '/api/v2/dealFields',
        body: { field_name: 'Matter Type', field_type: 'enum', options: [{ label: 'Auto' }] },
      });
      const schema = targetSchemaOf(await readAccountSnapshot(client));
      const field = schema.customField('deal', 'matter  TYPE');
      expect(field?.options.map((option) => option.label)).toEqual(['Auto']);
      keys.push(field!.key);
    }
    expect(keys[0]).toMatch(/^[0-9a-f]{40}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('reports names the account holds twice, and which one Ferry will use', async () => {
    const { fetchFn } = inProcess({ seed: 'twice', rateLimits: false });
    const client = new PipedriveClient({ baseUrl: 'http://sim.test', token: TOKEN, fetch: fetchFn });
    const keys: string[] = [];
    for (const name of ['Matter Type', 'matter type ']) {
      const { data } = await client.request<{ field_code: string }>({
        method: 'POST',
        path: '/api/v2/dealFields',
        body: { field_name: name, field_type: 'varchar' },
      });
      keys.push(data.field_code);
    }
    for (let i = 0; i < 2; i += 1)
      await client.request({ method: 'POST', path: '/api/v2/pipelines', body: { name: 'Litigation' } });
    const snapshot = await readAccountSnapshot(client);
    const issues = accountAmbiguities(snapshot, [
      { id: 1, name: 'A', email: 'pat@firm.com', active: true },
      { id: 2, name: 'B', email: 'Pat@Firm.com', active: true },
    ]);
    expect(issues.map((issue) => issue.code)).toEqual([
      'schema_duplicate_name',
      'schema_duplicate_name',
      'schema_duplicate_name',
    ]);
    expect(issues[0]?.message).toContain(`Ferry uses ${keys[0]} and ignores ${keys[1]}`);
    expect(targetSchemaOf(snapshot).customField('deal', 'MATTER TYPE')?.key).toBe(keys[0]);
    expect(issues[1]?.message).toMatch(/2 pipelines are named 'Litigation'/);
    expect(issues[2]?.message).toMatch(/2 users are named 'pat@firm.com' \(user 1, user 2\)/);
  });

  it('knows the token cost of each operation from the spec', () => {
    expect(tokenCostOf('POST', '/api/v2/persons')).toBe(5);
    expect(tokenCostOf('GET', '/api/v2/persons/17')).toBe(1);
    expect(tokenCostOf('GET', '/api/v2/persons')).toBe(10);
    expect(tokenCostOf('POST', '/api/v1/notes')).toBe(10);
    expect(tokenCostOf('GET', '/v1/notes/7')).toBe(2);
    expect(tokenCostOf('DELETE', '/api/v2/deals/3')).toBe(3);
    expect(tokenCostOf('GET', '/api/v2/persons/search')).toBe(20);
  });
});
