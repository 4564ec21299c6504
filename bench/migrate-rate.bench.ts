/**
 * A real migration at the account's limit: `ferry migrate --full` by the real CLI, of a generated export
 * (every entity kind, documents included), against `ferry sim` with latency 150±100 ms for each plan, with
 * `ferry.yaml` left at its defaults. Requests per second over the whole command (start to exit) as a share
 * of the plan's burst limit, 429 share, tokens per record against the minimum (one create each) — beside
 * the single-endpoint API bench (bench/api.bench.ts) run in the same process, same run.
 * Run alone: npx tsx bench/run.ts migrate-rate
 * (FERRY_BENCH_MIGRATE_CLAIMS_RATE sets the claims, default 300; FERRY_BENCH_MIGRATE_PLANS the plans)
 */
import { measure } from './api.bench.ts';
import {
  type BenchPlan,
  LATENCY,
  type MigrateRun,
  measureMigrate,
  percent,
  prepareExport,
} from './migrate-rate-support.ts';
import type { BenchSection } from './run.ts';

const CLAIMS = Number(process.env.FERRY_BENCH_MIGRATE_CLAIMS_RATE ?? 300);
const PLANS = (process.env.FERRY_BENCH_MIGRATE_PLANS ?? 'lite,growth,premium,ultimate').split(
  ',',
) as BenchPlan[];
const API_SECONDS = 10;

const TARGETS = { share: 0.95, rateLimited: 0.005, tokens: 1.05 };

export async function run(): Promise<BenchSection> {
  const prepared = await prepareExport(CLAIMS);
  const rows: string[] = [];
  const runs: MigrateRun[] = [];
  for (const plan of PLANS) {
    const migrated = await measureMigrate(prepared, { plan, faults: LATENCY, label: 'calm' });
    runs.push(migrated);
    process.stderr.write(
      `bench migrate-rate: ${plan}: exit ${migrated.exit}, ${migrated.seconds.toFixed(1)} s, ${percent(migrated.shareOfLimit)} of the limit\n`,
    );
    const api = await measure(plan, API_SECONDS);
    const tokensRatio = migrated.tokens / Math.max(1, migrated.minimumTokens);
    const rateLimitedShare = migrated.rateLimited / Math.max(1, migrated.requests);
    const met =
      migrated.exit === 0 &&
      migrated.shareOfLimit >= TARGETS.share &&
      rateLimitedShare <= TARGETS.rateLimited &&
      tokensRatio <= TARGETS.tokens;
    rows.push(
      `| ${plan} | ${api.limitPerSecond} | ${migrated.exit} | ${migrated.records} | ${migrated.requests} | ${migrated.seconds.toFixed(1)} | ${migrated.requestsPerSecond.toFixed(1)} | **${percent(migrated.shareOfLimit)}** | ${percent(rateLimitedShare, 2)} | ${(migrated.tokens / Math.max(1, migrated.records)).toFixed(2)} / ${(migrated.minimumTokens / Math.max(1, migrated.records)).toFixed(2)} (${tokensRatio.toFixed(3)}×) | ${percent(api.share)} | ${met ? 'yes' : '**no**'} |`,
    );
  }
  return {
    title: 'Migrate rate: a full migration against the account’s limit',
    command: `FERRY_BENCH_MIGRATE_CLAIMS_RATE=${CLAIMS} npx tsx bench/run.ts migrate-rate`,
    markdown: `A generated export of ${CLAIMS} claims (seed 18; every entity kind, documents and ledgers included), prepared once up to an applied schema with \`ferry.yaml\` left at its defaults (\`plan: growth\`). For each plan, \`ferry migrate --full --json\` by the real CLI against \`ferry sim --plan PLAN --seats 5 --faults ${LATENCY}\` in its own process over a real socket, from a copy of the same account. Requests per second are the simulator's count of requests over the whole command, from spawning it to its exit (start-up, planning and the last answer included), against the plan's burst limit; tokens per record against the minimum (one create per record written). Beside it, the single-endpoint API bench (\`POST /api/v2/persons\` through the same client and scheduler for ${API_SECONDS} s, share after the first second) in the same run. Targets: ≥ ${percent(TARGETS.share, 0)} of the limit over the whole command, ≤ ${percent(TARGETS.rateLimited)} 429s, ≤ ${TARGETS.tokens}× the minimum tokens.

| plan | limit (req/s) | exit | records | requests | wall s | req/s | share of limit | 429 share | tokens per record / minimum | API bench share | targets met |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`,
  };
}
