import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import {
  createSimulator,
  loadSimState,
  parseFaultSpec,
  saveSimState,
  startSimServer,
} from '../../src/sim/index.ts';
import { apiFor, simState } from './sim-helpers.ts';

describe('ferry sim: faults', () => {
  it('parses the --faults spec, with ± or +- for latency, and refuses bad parts', () => {
    expect(parseFaultSpec('5xx=0.03,timeout=0.01,reset=0.01,lost=0.02,latency=150±100')).toEqual({
      '5xx': 0.03,
      timeout: 0.01,
      reset: 0.01,
      lost: 0.02,
      latency: { mean: 150, jitter: 100 },
    });
    expect(parseFaultSpec('latency=80+-20').latency).toEqual({ mean: 80, jitter: 20 });
    expect(() => parseFaultSpec('5xx=2')).toThrow(/probability/);
    expect(() => parseFaultSpec('boom=0.1')).toThrow(/unknown fault/);
  });

  it('parses the harsher kinds, with a hold or block time after @, and refuses a time elsewhere', () => {
    expect(parseFaultSpec('429=0.02,403=0.01@2000,slow=0.01@3000,cut=0.01,committed5xx=0.01')).toEqual({
      '429': 0.02,
      '403': 0.01,
      blockMs: 2000,
      slow: 0.01,
      slowMs: 3000,
      cut: 0.01,
      committed5xx: 0.01,
    });
    expect(() => parseFaultSpec('5xx=0.1@100')).toThrow(/only slow and 403 take a duration/);
    expect(() => parseFaultSpec('slow=0.1@soon')).toThrow(/whole milliseconds/);
    expect(() => parseFaultSpec('5xx=0.5,committed5xx=0.6')).toThrow(/more than 1/);
  });

  it('429: refused without any rate-limit header or Retry-After, the work not done', async () => {
    const server = await startSimServer({ seed: 'f429', faults: '429=1', rateLimits: true });
    try {
      const r = await apiFor(server)('POST', '/api/v2/persons', { name: 'Refused' });
      expect(r.status).toBe(429);
      expect(r.body).toMatchObject({ success: false, error: 'Rate limit has been exceeded' });
      const limitHeaders = [...r.headers.keys()].filter((name) => /ratelimit|retry-after/i.test(name));
      expect(limitHeaders).toEqual([]);
      const state = await simState(server);
      expect(state.entities.persons).toEqual([]);
      expect(state.counters.faults).toEqual({ '429': 1 });
    } finally {
      await server.close();
    }
  });

  it('403: Cloudflare’s block page for this request and every one after it until the block ends', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5));
    const sim = createSimulator({ seed: 'f403', faults: '403=1@5000', rateLimits: false, clock });
    const get = async () =>
      sim.fetch(new Request('http://sim.test/api/v2/persons', { headers: { 'x-api-token': sim.token } }));
    const first = await get();
    expect(first.status).toBe(403);
    expect(await first.text()).toMatch(/Cloudflare/);
    sim.setFaults('');
    clock.advance(4_000);
    expect((await get()).status).toBe(403);
    clock.advance(1_001);
    expect((await get()).status).toBe(200);
    expect((sim.snapshot() as { counters: { faults: Record<string, number> } }).counters.faults).toEqual({
      '403': 2,
    });
  });

  it('committed5xx: the write is done though the answer is a 5xx; reads are unaffected', async () => {
    const server = await startSimServer({ seed: 'fc5xx', faults: 'committed5xx=1', rateLimits: false });
    const api = apiFor(server);
    try {
      const write = await api('POST', '/api/v2/persons', { name: 'Committed Anyway' });
      expect([500, 502, 503]).toContain(write.status);
      expect((await api('GET', '/api/v2/persons')).status).toBe(200);
      const state = await simState(server);
      expect(state.entities.persons.map((p: { name: string }) => p.name)).toEqual(['Committed Anyway']);
    } finally {
      await server.close();
    }
  });

  it('cut: headers and half the body, then the connection drops (socket and in-process); the write is done', async () => {
    const server = await startSimServer({ seed: 'fcut', faults: 'cut=1', rateLimits: false });
    try {
      const response = await fetch(`${server.url}/api/v2/persons`, {
        method: 'POST',
        headers: { 'x-api-token': server.token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Cut Short' }),
      });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      expect((await simState(server)).entities.persons.map((p: { name: string }) => p.name)).toEqual([
        'Cut Short',
      ]);
    } finally {
      await server.close();
    }
    const sim = createSimulator({ seed: 'fcut2', faults: 'cut=1', rateLimits: false });
    const answer = await sim.fetch(
      new Request('http://sim.test/api/v2/persons', { headers: { 'x-api-token': sim.token } }),
    );
    await expect(answer.text()).rejects.toThrow(TypeError);
  });

  it('slow: the write is done at once, the answer comes after the hold — later than a client waits', async () => {
    const server = await startSimServer({ seed: 'fslow', faults: 'slow=1@600', rateLimits: false });
    try {
      const impatient = fetch(`${server.url}/api/v2/persons`, {
        method: 'POST',
        headers: { 'x-api-token': server.token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Slow Answer' }),
        signal: AbortSignal.timeout(200),
      });
      await expect(impatient).rejects.toMatchObject({ name: 'TimeoutError' });
      expect((await simState(server)).entities.persons.map((p: { name: string }) => p.name)).toEqual([
        'Slow Answer',
      ]);
      const patient = await apiFor(server)('GET', '/api/v2/persons');
      expect(patient.status).toBe(200);
      expect((await simState(server)).counters.faults).toEqual({ slow: 2 });
    } finally {
      await server.close();
    }
  });

  it('5xx: answers 500/502/503 (HTML from the gateway sometimes) and never applies to /__sim/*', async () => {
    const server = await startSimServer({ seed: 'f5xx', faults: '5xx=1', rateLimits: false });
    const api = apiFor(server);
    try {
      const seen = new Set<number>();
      let html = 0;
      for (let i = 0; i < 30; i++) {
        const r = await api('POST', '/api/v2/persons', { name: `P${i}` });
        seen.add(r.status);
        if (typeof r.body === 'string') html++;
      }
      expect([...seen].every((s) => [500, 502, 503].includes(s))).toBe(true);
      expect(html).toBeGreaterThan(0);
      const state = await simState(server);
      expect(state.entities.persons).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('timeout: the server holds the socket until the client gives up', async () => {
    const server = await startSimServer({ seed: 'ftimeout', faults: 'timeout=1', rateLimits: false });
    try {
      const attempt = fetch(`${server.url}/api/v2/persons`, {
        headers: { 'x-api-token': server.token },
        signal: AbortSignal.timeout(300),
      });
      await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await server.close();
    }
  });

  it('timeout in-process: the promise settles only when the request signal aborts', async () => {
    const sim = createSimulator({ seed: 'fto2', faults: 'timeout=1', rateLimits: false });
    const controller = new AbortController();
    const pending = sim.fetch(
      new Request('http://sim.test/api/v2/persons', {
        headers: { 'x-api-token': sim.token },
        signal: controller.signal,
      }),
    );
    let settled = false;
    pending.catch(() => {
      settled = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reset: the connection is destroyed (socket) / fetch fails with ECONNRESET (in-process)', async () => {
    const server = await startSimServer({ seed: 'freset', faults: 'reset=1', rateLimits: false });
    try {
      await expect(
        fetch(`${server.url}/api/v2/persons`, { headers: { 'x-api-token': server.token } }),
      ).rejects.toThrow(TypeError);
    } finally {
      await server.close();
    }
    const sim = createSimulator({ seed: 'freset2', faults: 'reset=1', rateLimits: false });
    const error = await sim
      .fetch(new Request('http://sim.test/api/v2/persons', { headers: { 'x-api-token': sim.token } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code: string }).code).toBe('ECONNRESET');
  });

  it('lost: the write is committed though the client sees an error; reads are never lost', async () => {
    const server = await startSimServer({ seed: 'flost', faults: 'lost=1', rateLimits: false });
    try {
      const write = fetch(`${server.url}/api/v2/persons`, {
        method: 'POST',
        headers: { 'x-api-token': server.token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Committed But Lost' }),
        signal: AbortSignal.timeout(500),
      });
      await expect(write).rejects.toBeDefined();
      const state = await simState(server);
      expect(state.entities.persons.map((p: { name: string }) => p.name)).toEqual(['Committed But Lost']);
      const read = await apiFor(server)('GET', '/api/v2/persons');
      expect(read.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('is repeatable for the same seed and can be changed at runtime via /__sim/faults', async () => {
    const run = async () => {
      const sim = createSimulator({ seed: 'same', faults: '5xx=0.5', rateLimits: false });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await sim.fetch(
          new Request('http://sim.test/api/v2/persons', { headers: { 'x-api-token': sim.token } }),
        );
        out.push(r.status);
      }
      return out;
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(new Set(a).size).toBeGreaterThan(1);

    const server = await startSimServer({ seed: 'runtime', faults: '5xx=1', rateLimits: false });
    try {
      await fetch(`${server.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ spec: '' }) });
      expect((await apiFor(server)('GET', '/api/v2/persons')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('applies latency through the injected clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5));
    const sim = createSimulator({ seed: 'lat', faults: 'latency=1000±0', rateLimits: false, clock });
    await sim.fetch(new Request('http://sim.test/api/v2/persons', { headers: { 'x-api-token': sim.token } }));
    expect(clock.now()).toBe(Date.UTC(2026, 0, 5) + 1000);
  });
});

describe('ferry sim: --state persistence', () => {
  it('saves the account and reloads it with the same records, keys, ids and budget', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ferry-sim-state-')), 'sim.json');
    const first = await startSimServer({ seed: 'persist', rateLimits: false });
    const api1 = apiFor(first);
    const field = await api1('POST', '/api/v2/dealFields', {
      field_name: 'BackDocket ID',
      field_type: 'varchar',
    });
    const key = field.body.data.field_code;
    await api1('POST', '/api/v2/deals', { title: 'Persisted', custom_fields: { [key]: 'BD-1' } });
    const form = new FormData();
    form.append('file', new Blob(['bytes']), 'a.txt');
    await fetch(`${first.url}/api/v1/files`, {
      method: 'POST',
      headers: { 'x-api-token': first.token },
      body: form,
    });
    saveSimState(first.simulator, file);
    const tokensBefore = (await simState(first)).counters.tokens;
    await first.close();

    const state = loadSimState(file);
    expect(state).toBeDefined();
    const second = await startSimServer({ seed: 'persist', rateLimits: false, ...(state ? { state } : {}) });
    const api2 = apiFor(second);
    try {
      const deal = await api2('GET', '/api/v2/deals/1');
      expect(deal.body.data.custom_fields[key]).toBe('BD-1');
      const next = await api2('POST', '/api/v2/deals', { title: 'Second' });
      expect(next.body.data.id).toBe(2);
      const download = await fetch(`${second.url}/api/v1/files/1/download`, {
        headers: { 'x-api-token': second.token },
      });
      expect(await download.text()).toBe('bytes');
      expect((await simState(second)).counters.tokens).toBeGreaterThan(tokensBefore);
      expect(loadSimState(join(tmpdir(), 'does-not-exist-ferry.json'))).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
