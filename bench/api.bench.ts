/**
 * API discipline: sustained creates through PipedriveClient + RateScheduler against the simulator over a
 * real socket with realistic latency, per plan: achieved rate as a share of the burst limit, 429 share,
 * tokens per created record against the minimum (5 per v2 create).
 * Run alone: npx tsx bench/run.ts api
 */
import { PipedriveClient, RateScheduler } from '../src/pipedrive/index.ts';
import { PLAN_BURST_LIMITS } from '../src/plan/burst-limits.ts';
import { startSimServer } from '../src/sim/index.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'b3ncb3ncb3ncb3ncb3ncb3ncb3ncb3ncb3ncb3nc'.replace(/[^0-9a-f]/g, 'a');
const SECONDS = Number(process.env.FERRY_BENCH_API_SECONDS ?? 20);

/** Sustained single-endpoint creates for `seconds` on one plan (also run beside bench/migrate-rate). */
export async function measure(plan: 'lite' | 'growth' | 'premium' | 'ultimate', seconds = SECONDS) {
  const server = await startSimServer({
    port: 0,
    seed: `bench-${plan}`,
    token: TOKEN,
    plan,
    faults: 'latency=150±100',
  });
  const limit = PLAN_BURST_LIMITS[plan];
  const client = new PipedriveClient({
    baseUrl: server.url,
    token: TOKEN,
    scheduler: new RateScheduler({ burstLimit: limit }),
  });
  const started = Date.now();
  let created = 0;
  const deadline = started + seconds * 1000;
  // Sustained rate: creates answered between the first second (ramp-up) and the deadline.
  const steadyFrom = started + 1000;
  let createdSteady = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await client.request({ method: 'POST', path: '/api/v2/persons', body: { name: `Bench ${created}` } });
      created += 1;
      const at = Date.now();
      if (at >= steadyFrom && at <= deadline) createdSteady += 1;
    }
  };
  // Enough writes in flight to hide 150 ms of latency at the plan's rate.
  await Promise.all(Array.from({ length: Math.max(4, Math.ceil((limit / 2) * 0.4)) }, worker));
  const steadySeconds = (deadline - steadyFrom) / 1000;
  const state = (await (await fetch(`${server.url}/__sim/state`)).json()) as {
    counters: { byStatus: Record<string, number>; requests: number };
  };
  await server.close();
  const answered = Object.values(state.counters.byStatus).reduce((sum, n) => sum + n, 0);
  return {
    plan,
    limitPerSecond: limit / 2,
    rate: createdSteady / steadySeconds,
    share: createdSteady / steadySeconds / (limit / 2),
    rateLimitedShare: (state.counters.byStatus['429'] ?? 0) / Math.max(1, answered),
    created,
    tokensPerRecord: client.stats().tokens / Math.max(1, created),
  };
}

export async function run(): Promise<BenchSection> {
  const rows = [];
  for (const plan of ['growth', 'lite', 'premium'] as const) rows.push(await measure(plan));
  const table = [
    '| plan | burst limit (req/s) | achieved creates/s | share of limit | 429 share | records | tokens per record (minimum 5) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.plan} | ${row.limitPerSecond} | ${row.rate.toFixed(1)} | ${(row.share * 100).toFixed(1)}% | ${(row.rateLimitedShare * 100).toFixed(2)}% | ${row.created} | ${row.tokensPerRecord.toFixed(2)} |`,
    ),
  ].join('\n');
  return {
    title: 'API discipline: creates against the plan’s burst limit',
    command: 'npx tsx bench/run.ts api',
    markdown: `Simulator over a real socket with latency 150±100 ms, ${SECONDS} s of \`POST /api/v2/persons\` per plan through \`PipedriveClient\` and \`RateScheduler\` (even spacing a few percent under the limit, widened by 429s). The simulator counts a request when it reaches its gateway, a tenth of the way into its latency. Achieved rate: creates answered after the first second (ramp-up) and before the deadline, per second. Targets: ≥ 95% of the burst limit, ≤ 0.5% answered 429.\n\n${table}\n`,
  };
}
