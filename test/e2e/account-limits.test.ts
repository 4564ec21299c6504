import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = 'a11a11a11a11a11a11a11a11a11a11a11a11a11a';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
/** Requests per 2 s of the plan ferry.yaml names by default (growth). */
const GROWTH_BURST = 40;

/**
 * Each command paces its own requests: two commands back to back can share one of the simulator's windows.
 * Waiting out a window between them keeps its busiest-window count about one command.
 */
const windowApart = () => new Promise((resolve) => setTimeout(resolve, 2_100));

interface SimCounters {
  counters: { busiestWindow: number; byStatus: Record<string, number>; requests: number };
}

interface Limits {
  burst: {
    requestsPer2s: number;
    source: string;
    seenAt?: string;
    capPer2s?: number;
    pacedPer2s: number;
  };
  daily: { tokens: number; source: string };
}

async function workspaceAgainst(sim: SimServer, prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await generateExport({ outDir: join(dir, 'export'), records: 12, seed: 8 });
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
  await prepareWorkspace({ dir, env, fallbackOwnerEmail: ADMIN.email, schema: false });
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimCounters;
  return { dir, ferry, state };
}

describe('a Premium account with ferry.yaml at its defaults (plan: growth) is driven at its own limit', () => {
  let sim: SimServer;
  let ws: Awaited<ReturnType<typeof workspaceAgainst>>;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'limits-premium',
      token: TOKEN,
      plan: 'premium',
      users: [ADMIN],
    });
    ws = await workspaceAgainst(sim, 'ferry-limits-premium-');
    expect(readFileSync(join(ws.dir, 'ferry.yaml'), 'utf8')).toContain('plan: growth');
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('validate learns the burst limit and daily budget from the account’s answers and prints them', async () => {
    const json = await ws.ferry('validate', '--json');
    expect([0, 3]).toContain(json.code);
    const report = JSON.parse(json.stdout) as {
      limits: Limits;
      implied: { requestsPerSecond: number; days: number };
    };
    expect(report.limits.burst).toMatchObject({ requestsPer2s: 100, source: 'account', pacedPer2s: 100 });
    expect(report.limits.burst.seenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Premium × 5 seats: 30,000 × 5 × 5.
    expect(report.limits.daily).toMatchObject({ tokens: 750_000, source: 'account' });
    expect(report.implied.requestsPerSecond).toBe(50);

    const text = await ws.ferry('validate');
    expect(text.stdout).toMatch(
      /burst: 100 requests \/ 2 s \(search 10\), stated by the account's answers \(127\.0\.0\.1:\d+, \d{4}-\d\d-\d\d \d\d:\d\d UTC\); ferry\.yaml's plan \(growth\) suggested 40/,
    );
    expect(text.stdout).toContain("daily budget: 750,000 tokens, stated by the account's answers");
    expect(text.stdout).toMatch(
      /time: [\d,]+ requests and [\d,]+ tokens, about \d+m\d\ds of requests at 50 requests\/s/,
    );
  });

  it('plan, offline, starts from what the account stated to validate', async () => {
    const json = await ws.ferry('plan', '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { limits: Limits; implied: { requestsPerSecond: number } };
    expect(report.limits.burst).toMatchObject({ requestsPer2s: 100, source: 'remembered' });
    expect(report.limits.daily).toMatchObject({ tokens: 750_000, source: 'remembered' });
    expect(report.implied.requestsPerSecond).toBe(50);
    const text = await ws.ferry('plan');
    expect(text.stdout).toContain(
      "burst: 100 requests / 2 s (search 10), stated by the account's answers to an earlier command",
    );
    // "What if" on another plan uses that plan's limits.
    const lite = JSON.parse((await ws.ferry('plan', '--plan', 'lite', '--json')).stdout) as {
      limits: Limits;
    };
    expect(lite.limits.burst).toMatchObject({ requestsPer2s: 20, source: 'plan' });
  });

  it('the commands after it send more requests per window than Growth allows, without a 429', async () => {
    for (const args of [
      ['schema', 'apply'],
      ['migrate', '--full'],
    ]) {
      const result = await ws.ferry(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const { counters } = await ws.state();
    expect(counters.busiestWindow).toBeGreaterThan(GROWTH_BURST);
    expect(counters.busiestWindow).toBeLessThanOrEqual(100);
    expect(counters.byStatus['429'] ?? 0).toBe(0);
  });
});

describe('an Ultimate account with a cap in ferry.yaml (pipedrive.maxRequestsPerSecond)', () => {
  let sim: SimServer;
  let ws: Awaited<ReturnType<typeof workspaceAgainst>>;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'limits-ultimate',
      token: TOKEN,
      plan: 'ultimate',
      users: [ADMIN],
    });
    ws = await workspaceAgainst(sim, 'ferry-limits-ultimate-');
    const config = join(ws.dir, 'ferry.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('  seats: 5\n', '  seats: 5\n  maxRequestsPerSecond: 15\n'),
    );
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('learns the account’s 120, paces at the cap, and says so', async () => {
    const json = await ws.ferry('validate', '--json');
    expect([0, 3]).toContain(json.code);
    const { limits } = JSON.parse(json.stdout) as { limits: Limits };
    expect(limits.burst).toMatchObject({
      requestsPer2s: 120,
      source: 'account',
      capPer2s: 30,
      pacedPer2s: 30,
    });
    const text = await ws.ferry('validate');
    expect(text.stdout).toContain('paced at 30 requests / 2 s: pipedrive.maxRequestsPerSecond');
    for (const args of [
      ['schema', 'apply'],
      ['migrate', '--full'],
    ]) {
      await windowApart();
      const result = await ws.ferry(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const { counters } = await ws.state();
    expect(counters.requests).toBeGreaterThan(100);
    // The simulator counts arrivals; on a loaded machine a request may leave a few milliseconds after its
    // turn, so one window can catch one or two more than the scheduler spaced (the account allows 120).
    expect(counters.busiestWindow).toBeGreaterThan(20);
    expect(counters.busiestWindow).toBeLessThanOrEqual(32);
  });
});
