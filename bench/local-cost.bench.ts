/**
 * Ferry's own cost, away from Pipedrive's limits: (1) extract, propose, validate and plan over a generated
 * export of about a million rows — wall time, CPU, throughput and peak memory per step; (2) a full migration
 * of 20,000 claims into a simulator with no rate limit and no latency, in its own process, so the CPU the
 * ferry process spends per record written is Ferry's alone; a bare HTTP client sending as many creates to
 * the same simulator measures the network's share of it.
 * Run alone: npx tsx bench/run.ts local-cost
 * (FERRY_BENCH_LOCAL_CLAIMS and FERRY_BENCH_MIGRATE_CLAIMS set the sizes; defaults 30,303 and 20,000)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { FERRY_BIN } from '../test/helpers/run-cli.ts';
import type { BenchSection } from './run.ts';

const TOKEN = 'c057c057c057c057c057c057c057c057c057c057';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
const LOCAL_CLAIMS = Number(process.env.FERRY_BENCH_LOCAL_CLAIMS ?? 30_303);
const MIGRATE_CLAIMS = Number(process.env.FERRY_BENCH_MIGRATE_CLAIMS ?? 20_000);

interface Measured {
  readonly step: string;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

export async function run(): Promise<BenchSection> {
  const local = await measureLocalSteps();
  const migration = await measureMigration();
  const localTable = [
    '| step | wall (s) | CPU (s) | rows/s (wall) | peak RSS (MB) |',
    '|---|---:|---:|---:|---:|',
    ...local.steps.map(
      (m) =>
        `| ${m.step} | ${m.wallSeconds.toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${Math.round(local.rows / m.wallSeconds).toLocaleString('en-US')} | ${m.peakRssMb} |`,
    ),
  ].join('\n');
  const m = migration.measured;
  const cpuMsPerRecord = (m.cpuSeconds * 1000) / Math.max(1, migration.records);
  return {
    title: 'Local cost: a million rows, and Ferry’s overhead per record',
    command: `FERRY_BENCH_LOCAL_CLAIMS=${LOCAL_CLAIMS} FERRY_BENCH_MIGRATE_CLAIMS=${MIGRATE_CLAIMS} npx tsx bench/run.ts local-cost`,
    markdown: `**Extract, propose, validate, plan.** Generated export of ${LOCAL_CLAIMS.toLocaleString('en-US')} claims (seed 3): ${local.rows.toLocaleString('en-US')} rows. Each step is the real CLI in its own process, timed with \`/usr/bin/time\` (CPU = user + system; peak RSS of the ferry process). Validate reads the simulated account (no rate limit) and plans every record; plan works offline.

${localTable}

**A full migration without the network's limits.** Generated export of ${MIGRATE_CLAIMS.toLocaleString('en-US')} claims (seed 4), \`ferry migrate --full\` into a simulator with no rate limit and no latency running in another process. ${migration.records.toLocaleString('en-US')} records written in ${m.wallSeconds.toFixed(0)} s of wall time (${Math.round(migration.records / m.wallSeconds).toLocaleString('en-US')} records/s); the ferry process used ${m.cpuSeconds.toFixed(1)} s of CPU, **${cpuMsPerRecord.toFixed(2)} ms per record** in all: planning, the journal in SQLite, the HTTP exchange; peak RSS ${m.peakRssMb} MB.

The network's share, measured in the same run: a bare client (node:http, keep-alive, 8 requests at a time) sending ${migration.floor.requests.toLocaleString('en-US')} creates to the same simulator used **${migration.floor.cpuMsPerRequest.toFixed(2)} ms of CPU per request** (sending and receiving over the socket, most of it in the kernel). Ferry's own overhead outside the network: **${(cpuMsPerRecord - migration.floor.cpuMsPerRequest).toFixed(2)} ms per record** (aim: well under 1 ms).
`,
  };
}

async function measureLocalSteps() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-local-'));
  const server = await startSimServer({
    port: 0,
    seed: 'bench-local',
    token: TOKEN,
    rateLimits: false,
    users: [ADMIN],
  });
  try {
    const manifest = await generateExport({ outDir: join(dir, 'export'), records: LOCAL_CLAIMS, seed: 3 });
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: server.url };
    const steps: Measured[] = [];
    await timed(dir, env, 'init', ['init', '--source', join(dir, 'export')]);
    steps.push(await timed(dir, env, 'extract', ['extract']));
    steps.push(await timed(dir, env, 'map propose', ['map', 'propose']));
    setFallbackOwner(join(dir, 'mapping.yaml'), ADMIN.email);
    await timed(dir, env, 'map confirm', ['map', 'confirm']);
    await timed(dir, env, 'schema apply', ['schema', 'apply']);
    steps.push(await timed(dir, env, 'validate', ['validate', '--json'], [0, 3]));
    steps.push(await timed(dir, env, 'plan', ['plan', '--json']));
    return { steps, rows: totalRows(manifest) };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureMigration() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-migrate-'));
  // The simulator in its own process, so the ferry process's CPU is Ferry's alone.
  const sim = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('sim-child.ts', import.meta.url)), TOKEN, ADMIN.email],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const url = await waitForUrl(sim);
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: url };
    await generateExport({ outDir: join(dir, 'export'), records: MIGRATE_CLAIMS, seed: 4 });
    await timed(dir, env, 'init', ['init', '--source', join(dir, 'export')]);
    // No plan's burst limit: the simulator has none, and this measures Ferry, not the pacing.
    const config = join(dir, 'ferry.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/plan: \w+/, 'plan: ultimate\n  burstLimit: 100000'),
    );
    for (const args of [['extract'], ['map', 'propose']]) await timed(dir, env, args.join(' '), args);
    setFallbackOwner(join(dir, 'mapping.yaml'), ADMIN.email);
    await timed(dir, env, 'map confirm', ['map', 'confirm']);
    await timed(dir, env, 'schema apply', ['schema', 'apply']);
    const measured = await timed(dir, env, 'migrate --full', ['migrate', '--full', '--json']);
    const stats = JSON.parse(measured.stdout).stats as Record<string, { created: number }>;
    const records = Object.values(stats).reduce((sum, entity) => sum + entity.created, 0);
    const floor = await httpFloor(url, Math.min(records, 50_000));
    return { measured, records, floor };
  } finally {
    sim.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The network's share: CPU per create of a bare node:http client against the same simulator. */
function httpFloor(url: string, requests: number): Promise<{ cpuMsPerRequest: number; requests: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('http-floor-child.ts', import.meta.url)),
        url,
        TOKEN,
        String(requests),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim()) as { cpuMsPerRequest: number; requests: number })
        : reject(new Error(`the HTTP floor client exited ${code}`)),
    );
  });
}

/** Runs one ferry command under /usr/bin/time; fails the bench on an unexpected exit code. */
function timed(
  dir: string,
  env: NodeJS.ProcessEnv,
  step: string,
  args: readonly string[],
  okCodes: readonly number[] = [0],
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'FERRY_TIME %e %U %S %M', process.execPath, FERRY_BIN, '--workspace', dir, ...args],
      { env: { ...process.env, ...env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /FERRY_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (!match || !okCodes.includes(code ?? -1)) {
        reject(new Error(`ferry ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve({
        step,
        wallSeconds: Number(match[1]),
        cpuSeconds: Number(match[2]) + Number(match[3]),
        peakRssMb: Math.round(Number(match[4]) / 1024),
        stdout,
      });
    });
  });
}

function waitForUrl(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(seen);
      if (match) resolve(match[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited ${code}: ${seen}`)));
  });
}

function totalRows(manifest: unknown): number {
  const files = (manifest as { files?: readonly { rows: number }[] }).files ?? [];
  return files.reduce((sum, file) => sum + file.rows, 0);
}
