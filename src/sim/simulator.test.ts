import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { createSimulator } from './simulator.ts';

function client(sim: ReturnType<typeof createSimulator>) {
  const fetchFn = (input: string, init?: RequestInit) =>
    sim.fetch(new Request(`http://sim.test${input}`, init));
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetchFn(path, {
      method,
      headers: { 'x-api-token': sim.token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test JSON
    return { status: response.status, body: (await response.json()) as any };
  };
}

describe('createSimulator (in-process fetch)', () => {
  it('keeps cursor pages stable while records are created between pages', async () => {
    const sim = createSimulator({ seed: 'stable', rateLimits: false });
    const api = client(sim);
    for (let i = 0; i < 5; i++) await api('POST', '/api/v2/persons', { name: `P${i}` });
    const first = await api('GET', '/api/v2/persons?limit=2');
    await api('POST', '/api/v2/persons', { name: 'Late' });
    const second = await api(
      'GET',
      `/api/v2/persons?limit=2&cursor=${first.body.additional_data.next_cursor}`,
    );
    expect(second.body.data.map((p: { id: number }) => p.id)).toEqual([3, 4]);
    const mismatched = await api(
      'GET',
      `/api/v2/persons?limit=2&sort_by=add_time&cursor=${first.body.additional_data.next_cursor}`,
    );
    expect(mismatched.status).toBe(400);
    expect((await api('GET', '/api/v2/persons?cursor=not-a-cursor')).status).toBe(400);
  });

  it('sorts by update_time with id as tie-breaker, and pages in both directions to the end', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5));
    const sim = createSimulator({ seed: 'sort', rateLimits: false, clock });
    const api = client(sim);
    for (let i = 0; i < 4; i++) {
      await api('POST', '/api/v2/organizations', { name: `O${i}` });
      clock.advance(1000);
    }
    await api('PATCH', '/api/v2/organizations/1', { name: 'touched' });
    const ids: number[] = [];
    let cursor = '';
    do {
      const page = await api(
        'GET',
        `/api/v2/organizations?limit=3&sort_by=update_time&sort_direction=desc${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.body.data.map((o: { id: number }) => o.id));
      cursor = page.body.additional_data.next_cursor ?? '';
    } while (cursor);
    expect(ids).toEqual([1, 4, 3, 2]);
  });

  it('answers 404/405 for unknown paths and methods, and refuses form bodies on v2', async () => {
    const sim = createSimulator({ seed: 'paths', rateLimits: false });
    const api = client(sim);
    expect((await api('GET', '/api/v2/nothing')).status).toBe(404);
    expect((await api('PUT', '/api/v2/persons/1', {})).status).toBe(405);
    const form = await sim.fetch(
      new Request('http://sim.test/api/v2/persons', {
        method: 'POST',
        headers: { 'x-api-token': sim.token, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Form',
      }),
    );
    expect(form.status).toBe(400);
    const v1Form = await sim.fetch(
      new Request('http://sim.test/v1/leadLabels', {
        method: 'POST',
        headers: { 'x-api-token': sim.token, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Form&color=blue',
      }),
    );
    expect(v1Form.status).toBe(200);
  });

  it('rolls the budget over at midnight UTC of the simulated clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 23, 59, 59));
    const sim = createSimulator({ seed: 'midnight', dailyBudget: 10, clock });
    const api = client(sim);
    expect((await api('GET', '/api/v2/persons')).status).toBe(200);
    expect((await api('GET', '/api/v2/persons')).status).toBe(429);
    clock.advance(1000);
    expect((await api('GET', '/api/v2/persons')).status).toBe(200);
  });

  it('can make search lag behind writes (searchIndexDelayMs)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5));
    const sim = createSimulator({ seed: 'lag', rateLimits: false, clock, searchIndexDelayMs: 5000 });
    const api = client(sim);
    await api('POST', '/api/v2/persons', { name: 'Fresh Person' });
    expect((await api('GET', '/api/v2/persons/search?term=fresh')).body.data.items).toEqual([]);
    clock.advance(5000);
    expect((await api('GET', '/api/v2/persons/search?term=fresh')).body.data.items).toHaveLength(1);
  });

  it('serialises and restores the account', async () => {
    const sim = createSimulator({ seed: 'serial', rateLimits: false });
    const api = client(sim);
    await api('POST', '/api/v2/persons', { name: 'Kept' });
    const { SimState } = await import('./state.ts');
    const restored = createSimulator({
      seed: 'serial',
      rateLimits: false,
      state: SimState.fromJSON(JSON.parse(sim.serialize())),
    });
    const again = client(restored);
    expect((await again('GET', '/api/v2/persons/1')).body.data.name).toBe('Kept');
    expect((await again('POST', '/api/v2/persons', { name: 'Next' })).body.data.id).toBe(2);
  });
});
