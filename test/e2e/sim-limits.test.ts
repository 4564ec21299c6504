import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { startSimServer } from '../../src/sim/index.ts';
import { apiFor, simState } from './sim-helpers.ts';

describe('ferry sim: rate limits', () => {
  it('answers 429 with Retry-After and the rate-limit headers once the 2-second burst window is full', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    const server = await startSimServer({ seed: 'burst', plan: 'lite', seats: 1, clock });
    const api = apiFor(server);
    try {
      const first = await api('GET', '/api/v2/persons/1');
      expect(first.headers.get('x-ratelimit-limit')).toBe('20');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('19');
      expect(first.headers.get('x-ratelimit-reset')).toBe('2');
      expect(first.headers.get('x-daily-ratelimit-token-limit')).toBe('30000');
      expect(first.headers.get('x-daily-ratelimit-token-remaining')).toBe('29999');
      expect(first.headers.get('x-daily-requests-left')).toBeNull();
      const write = await api('POST', '/api/v2/persons', { name: 'Burst' });
      expect(write.headers.get('x-daily-requests-left')).toBe('9999');
      for (let i = 0; i < 18; i++) await api('GET', '/api/v2/persons/1');
      const limited = await api('GET', '/api/v2/persons/1');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(limited.headers.get('x-daily-ratelimit-token-remaining'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({
        success: false,
        error: 'Rate limit has been exceeded',
        data: null,
      });
      const state = await simState(server);
      expect(state.counters.byOperation['GET /api/v2/persons/{id}']).toEqual({ requests: 20, tokens: 20 });
      clock.advance(2001);
      expect((await api('GET', '/api/v2/persons/1')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('limits search paths to 10 requests per window', async () => {
    const clock = new ManualClock();
    const server = await startSimServer({ seed: 'search', plan: 'ultimate', clock });
    const api = apiFor(server);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await api('GET', '/api/v2/persons/search?term=ab')).status);
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(statuses[10]).toBe(429);
      expect((await api('GET', '/api/v2/persons')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('runs out of the daily token budget, answers 429 with remaining 0, and resets when the simulated day changes', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    const server = await startSimServer({ seed: 'budget', dailyBudget: 45, burstLimit: 1000, clock });
    const api = apiFor(server);
    try {
      for (let i = 0; i < 4; i++) expect((await api('GET', '/api/v2/persons')).status).toBe(200);
      const last = await api('GET', '/api/v2/persons');
      expect(last.status).toBe(200);
      expect(last.headers.get('x-daily-ratelimit-token-remaining')).toBe('0');
      const refused = await api('GET', '/api/v2/persons/1');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-daily-ratelimit-token-remaining')).toBe('0');
      expect(Number(refused.headers.get('retry-after'))).toBe(12 * 3600);
      const failed = await api('POST', '/api/v2/persons', {});
      expect(failed.status).toBe(429);
      const clockRes = await fetch(`${server.url}/__sim/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceDays: 1 }),
      });
      expect(clockRes.status).toBe(200);
      const next = await api('GET', '/api/v2/persons');
      expect(next.status).toBe(200);
      expect(next.headers.get('x-daily-ratelimit-token-remaining')).toBe('35');
      const state = await simState(server);
      expect(state.counters.byStatus['429']).toBe(2);
      expect(state.budget).toMatchObject({ limit: 45, spent: 10 });
    } finally {
      await server.close();
    }
  });

  it('charges 4xx answers too, and costs follow the spec (v2 create 5, v1 note 10, get 1)', async () => {
    const server = await startSimServer({ seed: 'costs', rateLimits: false });
    const api = apiFor(server);
    try {
      await api('POST', '/api/v2/persons', { name: 'A' });
      await api('POST', '/api/v2/persons', {});
      await api('GET', '/api/v2/persons/1');
      await api('POST', '/v1/notes', { content: 'n', person_id: 1 });
      const state = await simState(server);
      expect(state.counters.byOperation['POST /api/v2/persons']).toEqual({ requests: 2, tokens: 10 });
      expect(state.counters.byOperation['GET /api/v2/persons/{id}']).toEqual({ requests: 1, tokens: 1 });
      expect(state.counters.byOperation['POST /api/v1/notes']).toEqual({ requests: 1, tokens: 10 });
      expect(state.counters.tokens).toBe(21);
    } finally {
      await server.close();
    }
  });

  it('escalates to the Cloudflare 403 HTML page when a client keeps ignoring 429s', async () => {
    const clock = new ManualClock();
    const server = await startSimServer({
      seed: 'abuse',
      burstLimit: 2,
      abuse: { threshold: 5, windowMs: 10_000, blockMs: 60_000 },
      clock,
    });
    const api = apiFor(server);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await api('GET', '/api/v2/persons/1')).status);
      expect(statuses.slice(0, 2)).toEqual([404, 404]);
      expect(statuses.slice(2, 7)).toEqual([429, 429, 429, 429, 429]);
      const blocked = await api('GET', '/api/v2/persons/1');
      expect(blocked.status).toBe(403);
      expect(blocked.headers.get('content-type')).toContain('text/html');
      expect(blocked.body).toContain('This error is produced by Cloudflare');
      clock.advance(61_000);
      expect((await api('GET', '/api/v2/persons/1')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
