/**
 * What faults cost: each writing command (schema apply, migrate --full, migrate --delta, rollback) run by the
 * real CLI on the same generated export, once against a calm simulator and once under the issue's faults
 * from the first request (`5xx=0.03,lost=0.02,timeout=0.01,reset=0.01`), and once under those plus the
 * harsher ones. Wall time, requests, writes sent again, unknown outcomes looked up, faults injected; and
 * the check that every faulted run ended as the calm one (same records and schema by name).
 * Run alone: npx tsx bench/run.ts faults
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadSimState, type SimServer, saveSimState, startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { writeNewerExport } from '../test/helpers/newer-export.ts';
import { runCli } from '../test/helpers/run-cli.ts';
import { fingerprints } from '../test/reliability/fingerprint.ts';
import type { SimStateJson } from '../test/reliability/support.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'fa17fa17fa17fa17fa17fa17fa17fa17fa17fa17';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
const RECORDS = Number(process.env.FERRY_BENCH_FAULT_RECORDS ?? 40);
/** A hung request costs the client's timeout; 5 s is a realistic setting for a migration's writes. */
const TIMEOUT_MS = 5_000;
const LATENCY = 'latency=60±40';
const SCENARIOS = {
  calm: LATENCY,
  'done-when faults': `5xx=0.03,lost=0.02,timeout=0.01,reset=0.01,${LATENCY}`,
  'harsher faults': `5xx=0.03,lost=0.02,timeout=0.01,reset=0.01,429=0.002,403=0.0005@5000,slow=0.005@8000,cut=0.01,committed5xx=0.01,${LATENCY}`,
} as const;
type Scenario = keyof typeof SCENARIOS;

interface CommandFigures {
  readonly ms: number;
  readonly exit: number | null;
  readonly requests: number;
  readonly writes: { sent?: number; resent?: number; unknown?: number; foundLanded?: number };
  readonly faults: Record<string, number>;
}

/** The real CLI in the bench's workspace (no time limit: a bench may run long). */
function ferry(dir: string, env: NodeJS.ProcessEnv, args: readonly string[]) {
  return runCli(['--workspace', dir, ...args], { env, timeoutMs: 24 * 3_600_000 });
}

const state = async (sim: SimServer) =>
  (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimStateJson;

export async function run(): Promise<BenchSection> {
  const root = mkdtempSync(join(tmpdir(), 'ferry-bench-faults-'));
  const exportDir = join(root, 'export');
  await generateExport({ outDir: exportDir, records: RECORDS, seed: 17 });
  const newerDir = join(root, 'newer');
  writeNewerExport(exportDir, newerDir);
  // Prepared once up to a confirmed mapping; each scenario starts from a copy and the same account.
  const prepared = join(root, 'prepared');
  const stateFile = join(root, 'account.json');
  const seedSim = await startSimServer({
    port: 0,
    seed: 'bench-faults',
    token: TOKEN,
    users: [ADMIN],
    rateLimits: false,
  });
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: seedSim.url };
  cpSync(exportDir, join(prepared, 'export'), { recursive: true });
  for (const args of [['init', '--source', join(prepared, 'export')], ['extract'], ['map', 'propose']])
    await ferry(prepared, env, args);
  setFallbackOwner(join(prepared, 'mapping.yaml'), ADMIN.email);
  const config = join(prepared, 'ferry.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/plan: \w+/, 'plan: premium'));
  await ferry(prepared, env, ['map', 'confirm']);
  saveSimState(seedSim.simulator, stateFile);
  await seedSim.close();

  const commands = [
    ['schema apply', ['schema', 'apply', '--json']],
    ['migrate --full', ['migrate', '--full', '--json']],
    ['migrate --delta', ['migrate', '--delta', newerDir, '--json']],
    ['rollback', ['rollback', '--yes', '--json']],
  ] as const;
  const results = {} as Record<Scenario, Record<string, CommandFigures>>;
  const ends = {} as Record<Scenario, unknown[]>;
  for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    const loaded = loadSimState(stateFile);
    const sim = await startSimServer({
      port: 0,
      seed: 'bench-faults',
      token: TOKEN,
      users: [ADMIN],
      plan: 'premium',
      faults: SCENARIOS[scenario],
      ...(loaded ? { state: loaded } : {}),
    });
    const dir = join(root, scenario.replace(/\W+/g, '-'));
    cpSync(prepared, dir, { recursive: true });
    const runEnv = {
      PIPEDRIVE_API_TOKEN: TOKEN,
      PIPEDRIVE_BASE_URL: sim.url,
      FERRY_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
    };
    results[scenario] = {};
    ends[scenario] = [];
    for (const [name, args] of commands) {
      const counters = sim.simulator.state.counters;
      const [requests, faults, startedAt] = [counters.requests, { ...counters.faults }, Date.now()];
      const result = await ferry(dir, runEnv, args);
      const parsed = (() => {
        try {
          return JSON.parse(result.stdout) as { writes?: CommandFigures['writes'] };
        } catch {
          return {};
        }
      })();
      results[scenario][name] = {
        ms: Date.now() - startedAt,
        exit: result.code,
        requests: counters.requests - requests,
        writes: parsed.writes ?? {},
        faults: Object.fromEntries(
          Object.entries(counters.faults)
            .map(([kind, n]) => [kind, n - (faults[kind] ?? 0)])
            .filter(([, n]) => Number(n) > 0),
        ),
      };
      ends[scenario].push(fingerprints(await state(sim)));
      process.stderr.write(
        `bench faults: ${scenario} ${name}: exit ${result.code}, ${results[scenario][name].ms} ms\n`,
      );
    }
    await sim.close();
  }

  const rows: string[] = [];
  for (const [name] of commands) {
    const calm = results.calm[name]!;
    for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
      const figures = results[scenario][name]!;
      const same = scenario === 'calm' || isDeepStrictEqual(ends[scenario], ends.calm);
      rows.push(
        `| ${name} | ${scenario} | ${figures.exit} | ${(figures.ms / 1000).toFixed(1)} | ${(figures.ms / calm.ms).toFixed(2)}× | ${figures.requests} | ${figures.writes.resent ?? 0} | ${figures.writes.unknown ?? 0} / ${figures.writes.foundLanded ?? 0} | ${
          Object.entries(figures.faults)
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ') || '—'
        } | ${same ? 'yes' : '**no**'} |`,
      );
    }
  }
  return {
    title: 'Reliability: what faults cost each writing command',
    command: 'npx tsx bench/run.ts faults',
    markdown: `A generated export of ${RECORDS} claims (seed 17) and a newer one updating every kind of record; each command run once by the CLI against the simulator over a real socket (premium plan, ${LATENCY.replace('latency=', 'latency ')} ms, \`FERRY_REQUEST_TIMEOUT_MS=${TIMEOUT_MS}\`), in three accounts prepared alike: calm, under the issue's faults from the first request, and under those plus the harsher ones (\`${SCENARIOS['harsher faults'].replace(`,${LATENCY}`, '')}\`). No kills here (the reliability suite kills); "same end" compares every record and schema part by name with the calm account after each command. "unknown / landed": writes whose outcome was unknown, and of those the ones found to have landed.\n\n| command | account | exit | wall s | × calm | requests | sent again | unknown / landed | faults injected | same end |\n|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  };
}
