/**
 * Budget planning: a migration larger than one day's token budget (Lite, 1 seat) against the simulator on
 * a simulated clock. `ferry plan` predicts tokens and days; the run then spends them — pausing when the
 * day's share is used up and resuming after midnight UTC by itself — and verify reads everything back.
 * Run alone: npx tsx bench/run.ts budget   (FERRY_BENCH_BUDGET_CLAIMS sets the size, default 1,500)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../src/core/clock.ts';
import { clientFromEnv } from '../src/pipedrive/index.ts';
import { migrate } from '../src/run/migrate.ts';
import { loadMapping, openSession } from '../src/run/session.ts';
import { readUsage } from '../src/run/usage.ts';
import { startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { runCli } from '../test/helpers/run-cli.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'b0d9e7b0d9e7b0d9e7b0d9e7b0d9e7b0d9e7b0d9';
const CLAIMS = Number(process.env.FERRY_BENCH_BUDGET_CLAIMS ?? 1_500);
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
const DAY_MS = 86_400_000;

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-budget-'));
  const clock = new SkippingClock();
  const server = await startSimServer({
    port: 0,
    seed: 'bench-budget',
    token: TOKEN,
    plan: 'lite',
    seats: 1,
    clock,
    users: [ADMIN],
  });
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: server.url };
  const ferry = async (...args: string[]) => {
    const result = await runCli(['--workspace', dir, ...args], { env, timeoutMs: 30 * 60_000 });
    if (result.code !== 0) throw new Error(`ferry ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  try {
    await generateExport({ outDir: join(dir, 'export'), records: CLAIMS, seed: 5 });
    await ferry('init', '--source', join(dir, 'export'));
    const config = join(dir, 'ferry.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8')
        .replace(/plan: \w+/, 'plan: lite')
        .replace(/seats: \d+/, 'seats: 1'),
    );
    await ferry('extract');
    await ferry('map', 'propose');
    setFallbackOwner(join(dir, 'mapping.yaml'), ADMIN.email);
    await ferry('map', 'confirm');
    await ferry('schema', 'apply');
    const planned = JSON.parse(await ferry('plan', '--plan', 'lite', '--seats', '1', '--json')) as {
      cost: { tokens: number; days: number; dailyBudget: number };
    };

    const session = openSession(dir);
    const schemaTokens = readUsage(session.store).tokens;
    const pauses: Date[] = [];
    const client = clientFromEnv(env, {
      plan: 'lite',
      seats: 1,
      clock,
      onPause: (until) => pauses.push(until),
    });
    const { mapping, hash } = loadMapping(session, { confirmed: true });
    const wall = Date.now();
    const result = await migrate({ session, mapping, mappingHash: hash, client, mode: 'full', clock });
    const wallSeconds = (Date.now() - wall) / 1000;
    const migrateTokens = client.stats().tokens;
    const byDay = client.stats().byDay;
    session.close();
    // Verify the next simulated day, through the CLI (its spending lands in the workspace's usage tally).
    clock.advance(Math.ceil(clock.now() / DAY_MS) * DAY_MS - clock.now() + 1);
    const before = readTally(dir);
    const verified = JSON.parse(await ferry('verify', '--json')) as { ok: boolean };
    const verifyTokens = readTally(dir) - before;
    const created = Object.values(result.stats).reduce((sum, s) => sum + s.created, 0);
    const used = schemaTokens + migrateTokens + verifyTokens;
    const migrationDays = Object.values(byDay).filter((day) => day.tokens > 0).length;
    const rows: [string, number, number][] = [
      ['tokens (schema + creates + verify)', planned.cost.tokens, used],
      ['days of budget (migration)', planned.cost.days, migrationDays],
    ];
    const table = [
      '| | ferry plan | the run | difference |',
      '|---|---:|---:|---:|',
      ...rows.map(
        ([what, predicted, actual]) =>
          `| ${what} | ${predicted.toLocaleString('en-US')} | ${actual.toLocaleString('en-US')} | ${percent(actual, predicted)} |`,
      ),
    ].join('\n');
    const days = Object.entries(byDay)
      .map(([day, spent]) => `${day}: ${spent.tokens.toLocaleString('en-US')}`)
      .join(' · ');
    return {
      title: 'Budget planning: a migration larger than a day’s budget, on a simulated clock',
      command: 'npx tsx bench/run.ts budget',
      markdown: `Generated export of ${CLAIMS.toLocaleString('en-US')} claims (seed 5) into a simulated Lite account with 1 seat (${planned.cost.dailyBudget.toLocaleString('en-US')} tokens a day, of which Ferry spends 90%). The simulator and the migration share one simulated clock; the schema and verify ran through the CLI, the migration in-process so the clock could jump to midnight. ${created.toLocaleString('en-US')} records created in ${wallSeconds.toFixed(0)} s of wall time; the run paused ${pauses.length} time(s) at the day's share and resumed after the reset by itself (status: ${result.status}); verify ${verified.ok ? 'found everything as written' : 'found differences'}.\n\n${table}\n\nTokens per simulated day: ${days}.\n`,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Real time plus whatever the migration slept: the CLI steps (their own processes, on the system clock)
 * pace in real time against the simulator, while the in-process migration's sleeps — burst spacing and the
 * wait for midnight UTC — skip ahead instantly, for both it and the simulator.
 */
class SkippingClock implements Clock {
  private skipped = 0;

  now(): number {
    return Date.now() + this.skipped;
  }

  /** Sleepers at once move the clock to the latest of their wake-up times, not to the sum of their waits. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    const wakeAt = this.now() + Math.max(0, ms);
    this.skipped = Math.max(this.skipped, wakeAt - Date.now());
  }

  advance(ms: number): void {
    this.skipped += ms;
  }
}

function readTally(dir: string): number {
  const session = openSession(dir);
  try {
    return readUsage(session.store).tokens;
  } finally {
    session.close();
  }
}

function percent(actual: number, predicted: number): string {
  const share = (actual - predicted) / Math.max(1, predicted);
  return `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;
}
