/**
 * Schema apply in-process against the simulator: the families of parts (each entity's fields, the
 * pipelines, each pipeline's stages …) go side by side as many at a time as the account's rate and answer
 * time call for, each family still in plan order, and every part is created exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Mapping } from '../mapping/mapping-schema.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { RateScheduler } from '../pipedrive/rate-scheduler.ts';
import { createSimulator, type Simulator } from '../sim/index.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { applySchema } from './apply-schema.ts';
import { Journal } from './journal.ts';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const STAGES = ['Intake', 'Investigation', 'Negotiation', 'Settled'];
/** A firm with a pipeline per practice area: more stage families than the 8 schema apply used to run. */
const PRACTICE_AREAS = Array.from({ length: 14 }, (_, i) => `Practice ${String.fromCharCode(65 + i)}`);

function firmMapping(): Mapping {
  return {
    version: 1,
    settings: {
      sourceTimeZone: 'America/Chicago',
      dateOrder: 'MDY',
      defaultCurrency: 'USD',
      defaultPhoneRegion: 'US',
    },
    owners: {
      matchBy: 'email',
      fallbackOwnerEmail: null,
      unresolved: 'hold',
      keepOriginalOwnerIn: null,
      staff: {},
    },
    duplicates: { contacts: 'email' },
    pipelines: Object.fromEntries(PRACTICE_AREAS.map((area) => [area, [...STAGES]])),
    valueMaps: {
      claimTypes: Object.fromEntries(
        PRACTICE_AREAS.map((area) => [area, { pipeline: area, matterType: area }]),
      ),
      claimStatuses: { Open: { stage: 'Intake', status: 'open' } },
      claimStatusesByType: {},
      eventTypes: {},
      noteTypes: {},
      taskStatuses: {},
      taskPriorities: {},
    },
    objects: [],
  } as Mapping;
}

let sim: Simulator;
let journal: Journal;
let client: PipedriveClient;
let postsInFlight: number;
let mostPostsInFlight: number;
let stagePosts: number;

beforeEach(() => {
  // Ultimate: 120 requests per 2 s, paced by the client and enforced by the simulator.
  sim = createSimulator({ token: TOKEN, seed: 'apply-schema-pace', plan: 'ultimate' });
  journal = new Journal(
    SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-apply-schema-')), 'w.db') }),
  );
  postsInFlight = 0;
  mostPostsInFlight = 0;
  stagePosts = 0;
  client = new PipedriveClient({
    baseUrl: 'http://sim.test',
    token: TOKEN,
    scheduler: new RateScheduler({ burstLimit: 120 }),
    retry: { resolveAfterMs: 0, baseDelayMs: 1 },
    fetch: async (input, init) => {
      if (init?.method !== 'POST') return sim.fetch(new Request(input, init));
      if (new URL(String(input)).pathname === '/api/v2/stages') stagePosts += 1;
      postsInFlight += 1;
      mostPostsInFlight = Math.max(mostPostsInFlight, postsInFlight);
      try {
        return await sim.fetch(new Request(input, init));
      } finally {
        postsInFlight -= 1;
      }
    },
  });
});

/** Each practice area's stages in the account, in pipeline order. */
function stagesByPipeline(): Record<string, string[]> {
  const { entities } = sim.snapshot() as {
    entities: Record<string, { id: number; name: string; pipeline_id?: number; order_nr?: number }[]>;
  };
  const pipelines = entities.pipelines ?? [];
  return Object.fromEntries(
    PRACTICE_AREAS.map((area) => {
      const id = pipelines.find((pipeline) => pipeline.name === area)?.id;
      const stages = (entities.stages ?? [])
        .filter((stage) => id !== undefined && stage.pipeline_id === id)
        .sort((a, b) => (a.order_nr ?? 0) - (b.order_nr ?? 0));
      return [area, stages.map((stage) => stage.name)];
    }),
  );
}

const apply = (concurrency?: number) =>
  applySchema({ client, journal, runId: journal.startRun('schema'), mapping: firmMapping(), concurrency });

describe('schema apply at the account’s pace', () => {
  it('writes more families at once than the old fixed 8, each part once and in order', async () => {
    // Answers of 300 ms: each pipeline's stages go one after the other, the pipelines' families side by side.
    sim.setFaults('latency=300±0');
    const result = await apply();
    expect(result.problems).toEqual([]);
    expect(stagesByPipeline()).toEqual(Object.fromEntries(PRACTICE_AREAS.map((area) => [area, STAGES])));
    expect(stagePosts).toBe(PRACTICE_AREAS.length * STAGES.length);
    expect(mostPostsInFlight).toBeGreaterThan(8);
    expect(client.scheduler.stats.rateLimited).toBe(0);
    // A second apply finds everything there and creates nothing.
    const again = await apply();
    expect(again.created).toEqual([]);
    expect(stagePosts).toBe(PRACTICE_AREAS.length * STAGES.length);
  });

  it('never writes more at once than a fixed --concurrency', async () => {
    sim.setFaults('latency=30±0');
    const result = await apply(2);
    expect(result.problems).toEqual([]);
    expect(stagesByPipeline()).toEqual(Object.fromEntries(PRACTICE_AREAS.map((area) => [area, STAGES])));
    expect(mostPostsInFlight).toBe(2);
  });
});
