/**
 * Read-back at the account's limit: `ferry verify` (the real CLI) after a full migration of a generated
 * export, against `ferry sim` (its own process) with latency 150±100 ms, for Lite, Growth, Premium and
 * Ultimate accounts with ferry.yaml left at its defaults (plan: growth, so Ferry must learn the account's
 * limits from its answers). Requests per second over the whole command (start to exit) and over the
 * read-back alone, as a share of the burst limit; the busiest 2-second window the simulator saw; 429
 * share; verify's tokens as a share of the migration's.
 * The migration itself runs once, against a simulator without limits or latency (it is the setup, not
 * what is measured); every plan's account is loaded from the state it left.
 * Run alone: npx tsx bench/run.ts verify-rate   (FERRY_BENCH_VERIFY_CLAIMS sets the export's size, default 300)
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PLAN_BURST_LIMITS } from '../src/plan/burst-limits.ts';
import { saveSimState, startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { FERRY_BIN, runCli } from '../test/helpers/run-cli.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'ce11ce11ce11ce11ce11ce11ce11ce11ce11ce11';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
const CLAIMS = Number(process.env.FERRY_BENCH_VERIFY_CLAIMS ?? 300);
const LATENCY = 'latency=150±100';
const PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;
type Plan = (typeof PLANS)[number];

interface Counters {
  requests: number;
  tokens: number;
  byStatus: Record<string, number>;
  busiestWindow: number;
}

interface VerifyJson {
  ok: boolean;
  requests: number;
  tokens: number;
  readBack: { ms: number; busiestInFlight: number };
  entities: { entity: string; expected: number }[];
}

/** The real CLI in the bench's workspace (no time limit: a bench may run long). */
function ferry(dir: string, env: NodeJS.ProcessEnv, args: readonly string[]) {
  return runCli(['--workspace', dir, ...args], { env, timeoutMs: 24 * 3_600_000 });
}

/** `ferry sim` in its own process, on a free port, loaded from `stateFile`; resolves once it listens. */
async function ferrySim(plan: Plan, stateFile: string) {
  const child = spawn(
    process.execPath,
    [
      FERRY_BIN,
      'sim',
      '--json',
      '--port',
      '0',
      '--plan',
      plan,
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
  const root = mkdtempSync(join(tmpdir(), 'ferry-bench-verify-rate-'));
  const prepared = join(root, 'prepared');
  await generateExport({ outDir: join(prepared, 'export'), records: CLAIMS, seed: 18 });
  // The migration, once, against a simulator without limits or latency.
  const seedSim = await startSimServer({
    port: 0,
    seed: 'bench-verify-rate',
    token: TOKEN,
    users: [ADMIN],
    rateLimits: false,
    // Stated in x-ratelimit-limit, so Ferry (with pipedrive.burstLimit to match) does not slow to a plan's.
    burstLimit: 100_000,
    dailyBudget: 1e12,
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
  ])
    await step(args);
  // The setup migration unpaced (the simulator has no limit); each plan's verify starts from the defaults.
  const config = join(prepared, 'ferry.yaml');
  const defaults = readFileSync(config, 'utf8');
  writeFileSync(config, defaults.replace(/plan: \w+/, 'plan: ultimate\n  burstLimit: 100000'));
  const counters = seedSim.simulator.state.counters;
  const tokensBefore = counters.tokens;
  const requestsBefore = counters.requests;
  const migrated = JSON.parse((await step(['migrate', '--full', '--json'])).stdout) as {
    stats: Record<string, { created: number }>;
  };
  const migration = { tokens: counters.tokens - tokensBefore, requests: counters.requests - requestsBefore };
  const records = Object.values(migrated.stats).reduce((sum, entity) => sum + entity.created, 0);
  writeFileSync(config, defaults);
  process.stderr.write(`bench verify-rate: migrated ${records} records (${migration.tokens} tokens)\n`);
  // Each plan's account starts a fresh day, its busiest window counted from zero.
  seedSim.simulator.state.budgetSpent = 0;
  counters.busiestWindow = 0;
  const stateFile = join(root, 'account.json');
  saveSimState(seedSim.simulator, stateFile);
  await seedSim.close();

  const rows: string[] = [];
  for (const plan of PLANS) {
    const dir = join(root, plan);
    cpSync(prepared, dir, { recursive: true });
    const planState = join(root, `${plan}.json`);
    writeFileSync(planState, readFileSync(stateFile));
    const sim = await ferrySim(plan, planState);
    const before = await sim.counters();
    const startedAt = performance.now();
    const result = await ferry(dir, { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url }, [
      'verify',
      '--json',
    ]);
    const seconds = (performance.now() - startedAt) / 1000;
    const after = await sim.counters();
    await sim.stop();
    if (result.code !== 0) throw new Error(`ferry verify on ${plan} exited ${result.code}: ${result.stderr}`);
    const verify = JSON.parse(result.stdout) as VerifyJson;
    const perSecond = PLAN_BURST_LIMITS[plan] / 2;
    const requests = after.requests - before.requests;
    const limited = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
    const tokens = after.tokens - before.tokens;
    const readBackRate = verify.requests / (verify.readBack.ms / 1000);
    process.stderr.write(
      `bench verify-rate: ${plan}: ${requests} requests in ${seconds.toFixed(1)} s, read-back ${verify.requests} in ${verify.readBack.ms} ms\n`,
    );
    rows.push(
      `| ${plan} | ${PLAN_BURST_LIMITS[plan]} | ${seconds.toFixed(1)} | ${requests} | ${(requests / seconds).toFixed(1)} | ${pct(requests / seconds / perSecond)} | ${verify.requests} in ${(verify.readBack.ms / 1000).toFixed(2)} s | ${readBackRate.toFixed(1)} | ${pct(readBackRate / perSecond)} | ${verify.readBack.busiestInFlight} | ${after.busiestWindow} | ${pct(limited / Math.max(1, requests), 2)} | ${tokens} | ${pct(tokens / migration.tokens, 2)} |`,
    );
  }
  return {
    title: 'Read-back at the account’s limit: ferry verify per plan',
    command: 'npx tsx bench/run.ts verify-rate',
    markdown: `A generated export of ${CLAIMS} claims (seed 18), migrated once with \`ferry migrate --full\` (${records} records, ${migration.requests} requests, ${migration.tokens} tokens) against a simulator without limits or latency; then, per plan, \`ferry verify --json\` by the real CLI against \`ferry sim --plan PLAN --faults ${LATENCY}\` in its own process, loaded with that account, with ferry.yaml at its defaults (\`plan: growth\`: the account's limits are learned from its answers). "Whole command": requests the simulator answered from the start of \`ferry verify\` to its exit, per second of that time (Node's start, the account snapshot, the read-back, re-deriving every link from the rows). "Read-back": verify's own list calls (time slices, offset pages, \`ids=\` batches) from the first to the last answer. "Busiest window": the most requests the simulator admitted in one rolling 2-second window. Tokens: what the simulator charged for the whole command, against the migration's.\n\n| plan | burst limit (req / 2 s) | wall s | requests | req/s (whole command) | share of limit | read-back | read-back req/s | share of limit | reads in flight (most) | busiest window | 429 share | tokens | share of migration's tokens |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  };
}

function pct(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}
