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
import { loadavg } from 'node:os';
import { PLAN_BURST_LIMITS } from '../src/plan/burst-limits.ts';
import { accountCopy, ferryIn, migratedAccount, pct } from './migrated-account.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';
const CLAIMS = Number(process.env.FERRY_BENCH_ROLLBACK_CLAIMS ?? 300);
const LATENCY = 'latency=150±100';
const PLAN = 'ultimate';
/** The runs compared in one sitting: the default bound, and the fixed 8 rollback used before. */
const RUNS = [
  { name: 'default (follows the account)', flags: [] },
  { name: '--concurrency 8 (the former fixed bound)', flags: ['--concurrency', '8'] },
] as const;

interface RollbackJson {
  deleted: number;
  schemaRemoved: number;
  remaining: number;
  complete: boolean;
}

export async function run(): Promise<BenchSection> {
  const account = await migratedAccount({ name: 'rollback-rate', claims: CLAIMS, token: TOKEN });
  const perSecond = PLAN_BURST_LIMITS[PLAN] / 2;
  const loadBefore = loadavg()[0] ?? 0;
  const rows: string[] = [];
  const shares: number[] = [];
  for (const [index, { name, flags }] of RUNS.entries()) {
    const sim = await accountCopy({
      account,
      label: `run-${index}`,
      plan: PLAN,
      token: TOKEN,
      faults: LATENCY,
    });
    const before = await sim.counters();
    const startedAt = performance.now();
    const result = await ferryIn(sim.dir, sim.env, ['rollback', '--yes', '--json', ...flags]);
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
