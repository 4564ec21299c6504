/**
 * Rollback at the account's limit: `ferry rollback --yes` (the real CLI) of a full migration of a generated
 * export, against `ferry sim --plan ultimate` (its own process) with latency 150±100 ms, with ferry.yaml
 * left at its defaults (plan: growth, so Ferry must learn the account's limits from its answers). Twice,
 * each from a copy of the same account and workspace: with the default bound on writes under way (it
 * follows the account's rate × Pipedrive's answer time), and with `--concurrency 8`, the fixed bound
 * rollback had before. Requests per second over the whole command (start to exit) as a share of the burst
 * limit, the busiest 2-second window the simulator saw, 429 share.
 * The migration itself runs once, against a simulator without limits or latency (it is the setup, not
 * what is measured).
 * Run alone: npx tsx bench/run.ts rollback-rate   (FERRY_BENCH_ROLLBACK_CLAIMS sets the export's size, default 300)
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PLAN_BURST_LIMITS } from '../src/plan/burst-limits.ts';
import { saveSimState, startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { FERRY_BIN, runCli } from '../test/helpers/run-cli.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
const CLAIMS = Number(process.env.FERRY_BENCH_ROLLBACK_CLAIMS ?? 300);
const LATENCY = 'latency=150±100';
const PLAN = 'ultimate';
/** The runs compared in one sitting: the default bound, and the fixed 8 rollback used before. */
const RUNS = [
  { name: 'default (follows the account)', flags: [] },
  { name: '--concurrency 8 (the former fixed bound)', flags: ['--concurrency', '8'] },
] as const;

interface Counters {
  requests: number;
  byStatus: Record<string, number>;
  busiestWindow: number;
}

interface RollbackJson {
  deleted: number;
  schemaRemoved: number;
  remaining: number;
  complete: boolean;
}

/** The real CLI in the bench's workspace (no time limit: a bench may run long). */
function ferry(dir: string, env: NodeJS.ProcessEnv, args: readonly string[]) {
  return runCli(['--workspace', dir, ...args], { env, timeoutMs: 24 * 3_600_000 });
}

/** `ferry sim` in its own process, on a free port, loaded from `stateFile`; resolves once it listens. */
async function ferrySim(stateFile: string) {
  const child = spawn(
    process.execPath,
    [
      FERRY_BIN,
      'sim',
      '--json',
      '--port',
      '0',
      '--plan',
      PLAN,
      '--token',
      TOKEN,
      '--state',
      stateFile,
      '--faults',
      LATENCY,
    ],
    { env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`ferry sim exited (${code})`)));
  });
  return {
    url,
    counters: async () =>
      ((await (await fetch(`${url}/__sim/state`)).json()) as { counters: Counters }).counters,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function run(): Promise<BenchSection> {
  const root = mkdtempSync(join(tmpdir(), 'ferry-bench-rollback-rate-'));
  const prepared = join(root, 'prepared');
  await generateExport({ outDir: join(prepared, 'export'), records: CLAIMS, seed: 18 });
  // The migration, once, against a simulator without limits or latency.
  const seedSim = await startSimServer({
    port: 0,
    seed: 'bench-rollback-rate',
    token: TOKEN,
    users: [ADMIN],
    rateLimits: false,
  });
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: seedSim.url };
  const step = async (args: readonly string[]) => {
    const result = await ferry(prepared, env, args);
    if (result.code !== 0 && !(args[0] === 'validate' && result.code === 3))
      throw new Error(`ferry ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  for (const args of [['init', '--source', join(prepared, 'export')], ['extract'], ['map', 'propose']])
    await step(args);
  setFallbackOwner(join(prepared, 'mapping.yaml'), ADMIN.email);
  for (const args of [
    ['map', 'confirm'],
    ['schema', 'apply'],
    ['migrate', '--full', '--json'],
  ])
    await step(args);
  // The account starts a fresh day, its busiest window counted from zero.
  seedSim.simulator.state.budgetSpent = 0;
  seedSim.simulator.state.counters.busiestWindow = 0;
  const stateFile = join(root, 'account.json');
  saveSimState(seedSim.simulator, stateFile);
  await seedSim.close();

  const perSecond = PLAN_BURST_LIMITS[PLAN] / 2;
  const loadBefore = loadavg()[0] ?? 0;
  const rows: string[] = [];
  const shares: number[] = [];
  for (const [index, { name, flags }] of RUNS.entries()) {
    const dir = join(root, `run-${index}`);
    cpSync(prepared, dir, { recursive: true });
    const runState = join(root, `run-${index}.json`);
    writeFileSync(runState, readFileSync(stateFile));
    const sim = await ferrySim(runState);
    const before = await sim.counters();
    const startedAt = performance.now();
    const result = await ferry(dir, { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url }, [
      'rollback',
      '--yes',
      '--json',
      ...flags,
    ]);
    const seconds = (performance.now() - startedAt) / 1000;
    const after = await sim.counters();
    await sim.stop();
    if (result.code !== 0)
      throw new Error(`ferry rollback (${name}) exited ${result.code}: ${result.stderr}`);
    const rolledBack = JSON.parse(result.stdout) as RollbackJson;
    const requests = after.requests - before.requests;
    const limited = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
    const share = requests / seconds / perSecond;
    shares.push(share);
    process.stderr.write(
      `bench rollback-rate: ${name}: ${requests} requests in ${seconds.toFixed(1)} s (${pct(share)} of the limit)\n`,
    );
    rows.push(
      `| ${name} | ${result.code} | ${rolledBack.deleted} | ${rolledBack.schemaRemoved} | ${rolledBack.remaining} | ${requests} | ${seconds.toFixed(1)} | ${(requests / seconds).toFixed(1)} | **${pct(share)}** | ${after.busiestWindow} | ${pct(limited / Math.max(1, requests), 2)} |`,
    );
  }
  const loadAfter = loadavg()[0] ?? 0;
  const [followed = 0, fixed = 1] = shares;
  return {
    title: 'Rollback at the account’s limit: ferry rollback on Ultimate',
    command: `FERRY_BENCH_ROLLBACK_CLAIMS=${CLAIMS} npx tsx bench/run.ts rollback-rate`,
    markdown: `A generated export of ${CLAIMS} claims (seed 18, every entity kind, documents included), migrated once with \`ferry migrate --full\` against a simulator without limits or latency; then \`ferry rollback --yes --json\` by the real CLI against \`ferry sim --plan ${PLAN} --faults ${LATENCY}\` in its own process over a real socket, loaded with that account, with ferry.yaml at its defaults (\`plan: growth\`: the account's limits are learned from its answers). Twice, each from a copy of the same account and workspace: with the default bound on deletes under way (twice the scheduler's bound on requests in flight, which follows the rate × p90 answer time) and with \`--concurrency 8\`, the fixed bound rollback had before. Requests per second are the simulator's count over the whole command, from spawning it to its exit (start-up, the account snapshot, the list calls before each kind of record, the schema's removal and read-back included), against the plan's burst limit (${perSecond} req/s). "Busiest window": the most requests the simulator admitted in one rolling 2-second window. Load average (1 min) ${loadBefore.toFixed(2)} before the rollbacks, ${loadAfter.toFixed(2)} after.\n\n| run | exit | deleted | schema parts removed | left | requests | wall s | req/s | share of limit | busiest window | 429 share |\n|---|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\nThe default bound reaches ${(followed / fixed).toFixed(2)}× the rate of the fixed 8 in the same run.\n`,
  };
}

function pct(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}
