/**
 * Shared by bench/migrate-rate.bench.ts and bench/migrate-faults.bench.ts: a generated export prepared once
 * up to an applied schema (ferry.yaml left at its defaults), then `ferry migrate --full` by the real CLI
 * against `ferry sim` (its own process, over a real socket) for a plan and a fault spec, measured from the
 * command's start to its exit.
 */
import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WriteEntity } from '../src/core/records.ts';
import { tokenCostOf } from '../src/pipedrive/token-costs.ts';
import { PLAN_BURST_LIMITS } from '../src/plan/burst-limits.ts';
import { saveSimState, startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { runCli } from '../test/helpers/run-cli.ts';
import { ferrySimProcess } from './ferry-sim-process.ts';

export const TOKEN = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
export const LATENCY = 'latency=150±100';
export type BenchPlan = keyof typeof PLAN_BURST_LIMITS;

/** Where each entity is created, for the minimum tokens a migration can cost (one create per record). */
const CREATE_PATHS: Readonly<Record<WriteEntity, string>> = {
  organization: '/api/v2/organizations',
  person: '/api/v2/persons',
  deal: '/api/v2/deals',
  lead: '/api/v1/leads',
  activity: '/api/v2/activities',
  note: '/api/v1/notes',
  file: '/api/v1/files',
};

export interface Prepared {
  readonly claims: number;
  readonly workspace: string;
  readonly accountState: string;
  readonly root: string;
}

export interface MigrateRun {
  readonly plan: BenchPlan;
  readonly faults: string;
  readonly exit: number | null;
  readonly seconds: number;
  readonly requests: number;
  readonly rateLimited: number;
  readonly tokens: number;
  readonly records: number;
  readonly minimumTokens: number;
  readonly requestsPerSecond: number;
  /** Of the plan's burst limit (requests per 2 s, as requests per second). */
  readonly shareOfLimit: number;
  readonly faultsInjected: Record<string, number>;
}

/** The real CLI on a workspace; a migration on Lite takes about 12 minutes, so the timeout is generous. */
function ferry(dir: string, env: NodeJS.ProcessEnv, args: readonly string[]) {
  return runCli(['--workspace', dir, ...args], { env, timeoutMs: 60 * 60_000 });
}

/** A generated export (every entity kind, documents included) up to an applied schema, defaults kept. */
export async function prepareExport(claims: number): Promise<Prepared> {
  const root = mkdtempSync(join(tmpdir(), 'ferry-bench-migrate-'));
  const exportDir = join(root, 'export');
  await generateExport({ outDir: exportDir, records: claims, seed: 18 });
  const workspace = join(root, 'prepared');
  const accountState = join(root, 'account.json');
  const sim = await startSimServer({
    port: 0,
    seed: 'bench-migrate',
    token: TOKEN,
    users: [ADMIN],
    rateLimits: false,
  });
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
  cpSync(exportDir, join(workspace, 'export'), { recursive: true });
  for (const args of [['init', '--source', join(workspace, 'export')], ['extract'], ['map', 'propose']]) {
    const result = await ferry(workspace, env, args);
    if (result.code !== 0) throw new Error(`ferry ${args.join(' ')}: ${result.stderr}`);
  }
  setFallbackOwner(join(workspace, 'mapping.yaml'), ADMIN.email);
  for (const args of [
    ['map', 'confirm'],
    ['schema', 'apply', '--yes'],
  ]) {
    const result = await ferry(workspace, env, args);
    if (result.code !== 0) throw new Error(`ferry ${args.join(' ')}: ${result.stderr}`);
  }
  saveSimState(sim.simulator, accountState);
  await sim.close();
  return { claims, workspace, accountState, root };
}

/** `ferry sim` in its own process on a free port, with a copy of the prepared account. */
function startFerrySim(input: { plan: BenchPlan; faults: string; state: string }) {
  return ferrySimProcess([
    ...['--plan', input.plan, '--seats', '5', '--seed', 'bench-migrate', '--token', TOKEN],
    ...['--state', input.state, '--faults', input.faults],
  ]);
}

/** One `ferry migrate --full` of the prepared export into a fresh copy of the account, measured. */
export async function measureMigrate(
  prepared: Prepared,
  input: { plan: BenchPlan; faults: string; label: string },
): Promise<MigrateRun> {
  const name = `${input.plan}-${input.label}`.replace(/\W+/g, '-');
  const state = join(prepared.root, `${name}.json`);
  copyFileSync(prepared.accountState, state);
  const sim = await startFerrySim({ plan: input.plan, faults: input.faults, state });
  const dir = join(prepared.root, name);
  cpSync(prepared.workspace, dir, { recursive: true });
  try {
    const before = await sim.counters();
    const startedAt = process.hrtime.bigint();
    const result = await ferry(dir, { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url }, [
      'migrate',
      '--full',
      '--json',
    ]);
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const after = await sim.counters();
    const parsed = JSON.parse(result.stdout || '{}') as {
      stats?: Record<WriteEntity, { created: number; adopted: number }>;
    };
    let records = 0;
    let minimumTokens = 0;
    for (const [entity, stats] of Object.entries(parsed.stats ?? {}) as [
      WriteEntity,
      { created: number; adopted: number },
    ][]) {
      const written = stats.created + stats.adopted;
      records += written;
      minimumTokens += written * tokenCostOf('POST', CREATE_PATHS[entity]);
    }
    const requests = after.requests - before.requests;
    const limitPerSecond = PLAN_BURST_LIMITS[input.plan] / 2;
    const faultsInjected: Record<string, number> = {};
    for (const [kind, n] of Object.entries(after.faults ?? {})) {
      const added = n - (before.faults?.[kind] ?? 0);
      if (added > 0) faultsInjected[kind] = added;
    }
    if (result.code !== 0) process.stderr.write(result.stderr.slice(-2000));
    return {
      plan: input.plan,
      faults: input.faults,
      exit: result.code,
      seconds,
      requests,
      rateLimited: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
      tokens: after.tokens - before.tokens,
      records,
      minimumTokens,
      requestsPerSecond: requests / seconds,
      shareOfLimit: requests / seconds / limitPerSecond,
      faultsInjected,
    };
  } finally {
    await sim.stop();
  }
}

export const percent = (share: number, digits = 1) => `${(share * 100).toFixed(digits)}%`;
