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
import { PLAN_BURST_LIMITS } from '../src/plan/burst-limits.ts';
import { accountCopy, ferryIn, migratedAccount, pct } from './migrated-account.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'ce11ce11ce11ce11ce11ce11ce11ce11ce11ce11';
const CLAIMS = Number(process.env.FERRY_BENCH_VERIFY_CLAIMS ?? 300);
const LATENCY = 'latency=150±100';
const PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;

interface VerifyJson {
  ok: boolean;
  requests: number;
  tokens: number;
  readBack: { ms: number; busiestInFlight: number };
  entities: { entity: string; expected: number }[];
}

export async function run(): Promise<BenchSection> {
  const account = await migratedAccount({ name: 'verify-rate', claims: CLAIMS, token: TOKEN });
  const { records, migration } = account;
  process.stderr.write(`bench verify-rate: migrated ${records} records (${migration.tokens} tokens)\n`);

  const rows: string[] = [];
  for (const plan of PLANS) {
    const sim = await accountCopy({ account, label: plan, plan, token: TOKEN, faults: LATENCY });
    const before = await sim.counters();
    const startedAt = performance.now();
    const result = await ferryIn(sim.dir, sim.env, ['verify', '--json']);
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
    command: `FERRY_BENCH_VERIFY_CLAIMS=${CLAIMS} npx tsx bench/run.ts verify-rate`,
    markdown: `A generated export of ${CLAIMS} claims (seed 18), migrated once with \`ferry migrate --full\` (${records} records, ${migration.requests} requests, ${migration.tokens} tokens) against a simulator without limits or latency; then, per plan, \`ferry verify --json\` by the real CLI against \`ferry sim --plan PLAN --faults ${LATENCY}\` in its own process, loaded with that account, with ferry.yaml at its defaults (\`plan: growth\`: the account's limits are learned from its answers). "Whole command": requests the simulator answered from the start of \`ferry verify\` to its exit, per second of that time (Node's start, the account snapshot, the read-back, re-deriving every link from the rows). "Read-back": verify's own list calls (time slices, offset pages, \`ids=\` batches) from the first to the last answer. "Busiest window": the most requests the simulator admitted in one rolling 2-second window. Tokens: what the simulator charged for the whole command, against the migration's.\n\n| plan | burst limit (req / 2 s) | wall s | requests | req/s (whole command) | share of limit | read-back | read-back req/s | share of limit | reads in flight (most) | busiest window | 429 share | tokens | share of migration's tokens |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  };
}
