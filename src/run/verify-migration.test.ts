import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { createSimulator } from '../sim/index.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { Journal } from './journal.ts';
import { readBackWindowStart, verifyMigration } from './verify-migration.ts';

function journalWithClock(times: string[]): Journal {
  const store = SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-verify-window-')), 'w.db') });
  return new Journal(store, () => times.shift() ?? '2030-01-01T00:00:00.000Z');
}

describe('readBackWindowStart', () => {
  it('is undefined before any schema or record run', () => {
    const journal = journalWithClock(['2026-03-01T09:00:00.250Z']);
    journal.startRun('rollback');
    expect(readBackWindowStart(journal)).toBeUndefined();
  });

  it('opens ten minutes before the first schema or record run, in whole seconds', () => {
    const journal = journalWithClock([
      '2026-03-01T08:00:00.000Z',
      '2026-03-02T09:00:00.250Z',
      '2026-03-03T09:00:00.000Z',
    ]);
    journal.startRun('rollback');
    journal.startRun('schema');
    journal.startRun('full');
    expect(readBackWindowStart(journal)).toBe('2026-03-02T08:50:00Z');
  });
});

describe('verifyMigration', () => {
  const TOKEN = 'feedbeeffeedbeeffeedbeeffeedbeeffeedbeef';

  /** `count` records of each entity written through the client and journaled as a migration would. */
  async function migrated(count: number) {
    const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
    const sim = createSimulator({ token: TOKEN, seed: 'verify-slices', rateLimits: false, clock });
    const events: string[] = [];
    const client = new PipedriveClient({
      baseUrl: 'http://sim.test',
      token: TOKEN,
      clock,
      scheduler: new RateScheduler({ burstLimit: 100_000, clock }),
      fetch: (input, init) => {
        const url = new URL(String(input));
        if ((init?.method ?? 'GET') === 'GET') events.push(`read ${url.pathname}`);
        return sim.fetch(new Request(input, init));
      },
    });
    const iso = () => new Date(clock.now()).toISOString();
    const store = SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-verify-')), 'w.db') });
    const journal = new Journal(store, iso);
    const runId = journal.startRun('full');
    for (const [entity, path] of [
      ['organization', '/api/v2/organizations'],
      ['person', '/api/v2/persons'],
    ] as const) {
      for (let n = 0; n < count; n += 1) {
        clock.advance(40);
        const identity = `${entity}:${n}`;
        const written = { name: `${entity} ${n}` };
        const entryId = await journal.intent({ runId, entity, identity, operation: 'create' });
        const { data } = await client.request<{ id: number }>({ method: 'POST', path, body: written });
        journal.recordCreated({
          entryId,
          runId,
          entity,
          identity,
          pipedriveId: String(data.id),
          contentHash: null,
          written,
        });
      }
    }
    journal.commit();
    return { client, journal, events };
  }

  it('compares a large entity a slice at a time, finding a difference and a deletion, while other reads go on', async () => {
    const { client, journal, events } = await migrated(1_300);
    const late = journal.idMap('organization')[1_200];
    const deleted = journal.idMap('organization')[1_250];
    await client.request({
      method: 'PATCH',
      path: `/api/v2/organizations/${late?.pipedriveId}`,
      body: { name: 'Renamed by hand' },
    });
    await client.request({ method: 'DELETE', path: `/api/v2/organizations/${deleted?.pipedriveId}` });
    // Each slice of what Ferry wrote that verify reads back from the journal shows in the event log.
    const slices = journal.idMapSlices.bind(journal);
    journal.idMapSlices = function* (entity, size) {
      for (const slice of slices(entity, size)) {
        events.push(`compare ${entity}`);
        yield slice;
      }
    };
    const result = await verifyMigration({
      journal,
      client,
      identityKeys: {},
      sourceRows: () => 0,
      concurrency: 1,
    });

    const organizations = result.entities.find((entity) => entity.entity === 'organization');
    expect(organizations).toMatchObject({
      expected: 1_300,
      found: 1_299,
      matching: 1_298,
      differing: 1,
      missing: 1,
    });
    expect(result.diffs).toEqual([
      expect.objectContaining({
        identity: late?.identity,
        field: 'name',
        expected: 'organization 1200',
        actual: 'Renamed by hand',
      }),
    ]);
    expect(result.missing).toEqual([
      { entity: 'organization', identity: deleted?.identity, pipedriveId: deleted?.pipedriveId },
    ]);
    expect(result.entities.find((entity) => entity.entity === 'person')).toMatchObject({
      expected: 1_300,
      matching: 1_300,
    });
    // Organizations are compared in seven slices, and the persons' reads go out between them.
    const compared = events.flatMap((event, at) => (event === 'compare organization' ? [at] : []));
    expect(compared).toHaveLength(7);
    const personReads = events.flatMap((event, at) => (event === 'read /api/v2/persons' ? [at] : []));
    expect(personReads.some((at) => at > (compared[0] as number) && at < (compared.at(-1) as number))).toBe(
      true,
    );
  });
});
