import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { type FetchEvents, politeFetch, retryAfterMs } from './polite-fetch.ts';

function scripted(answers: (Response | Error)[]): { fetch: typeof fetch; seen: RequestInit[] } {
  const seen: RequestInit[] = [];
  const fetchFn = (async (_input: unknown, init?: RequestInit) => {
    seen.push(init ?? {});
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { fetch: fetchFn, seen };
}

const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });

describe('politeFetch', () => {
  it('waits what Retry-After asks on a 429, then tries again', async () => {
    const clock = new ManualClock();
    const events: FetchEvents = { retries: 0, rateLimited: 0, waitedMs: 0 };
    const { fetch: base } = scripted([
      new Response('slow down', { status: 429, headers: { 'retry-after': '7' } }),
      new Response('{}', { status: 200 }),
    ]);
    const started = clock.now();
    const response = await politeFetch({ fetch: base, clock, events })('http://127.0.0.1/mcp', {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(clock.now() - started).toBe(7000);
    expect(events).toEqual({ retries: 1, rateLimited: 1, waitedMs: 7000 });
  });

  it('backs off exponentially on 503 and resets, and gives up after its attempts', async () => {
    const clock = new ManualClock();
    const { fetch: base, seen } = scripted([
      refused(),
      new Response('', { status: 503 }),
      new Response('', { status: 503 }),
    ]);
    const polite = politeFetch({ fetch: base, clock, attempts: 3, baseDelayMs: 100, random: () => 1 });
    const started = clock.now();
    const response = await polite('http://127.0.0.1/mcp');
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(3);
    expect(clock.now() - started).toBe(100 + 200);
  });

  it('does not retry what cannot succeed: a 401, an unknown host, a certificate', async () => {
    const clock = new ManualClock();
    const { fetch: unauthorized, seen } = scripted([new Response('', { status: 401 })]);
    expect((await politeFetch({ fetch: unauthorized, clock })('http://x')).status).toBe(401);
    expect(seen).toHaveLength(1);
    const tls = Object.assign(new TypeError('fetch failed'), { cause: { code: 'CERT_HAS_EXPIRED' } });
    const { fetch: certificate } = scripted([tls]);
    await expect(politeFetch({ fetch: certificate, clock })('https://x')).rejects.toBe(tls);
  });

  it('adds its headers without losing the caller’s', async () => {
    const { fetch: base, seen } = scripted([new Response('{}')]);
    await politeFetch({ fetch: base, headers: { authorization: 'Bearer t0ken-secret' } })('http://x', {
      headers: { accept: 'application/json' },
    });
    const headers = new Headers(seen[0]?.headers);
    expect(headers.get('authorization')).toBe('Bearer t0ken-secret');
    expect(headers.get('accept')).toBe('application/json');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
