/**
 * Cold start of the installed-style CLI (`node bin/ferry.js`, compiled JavaScript in dist/) beside a bare
 * `node -e 0`: `--version` (no command module), `status` on an extracted workspace (one command and what it
 * reads), and `--help` (every command module, what each run paid before commands were loaded lazily).
 * Runs are interleaved, so the machine's noise falls on every row alike. Target: `ferry --version` within
 * 250 ms of `node -e 0`, medians. Run alone: npx tsx bench/run.ts startup (FERRY_BENCH_STARTUP_RUNS=51).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { FERRY_BIN, runCli } from '../test/helpers/run-cli.ts';
import type { BenchSection } from './run.ts';

const RUNS = Number(process.env.FERRY_BENCH_STARTUP_RUNS ?? 31);
const TARGET_MS = 250;

interface Case {
  readonly label: string;
  readonly args: readonly string[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall time of one process, spawn to exit, in milliseconds. */
function timeOnce(args: readonly string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-startup-'));
  try {
    await generateExport({ outDir: join(dir, 'export'), records: 60, seed: 7 });
    for (const args of [['init', '--source', 'export'], ['extract']]) {
      const result = await runCli(['--workspace', dir, ...args], { cwd: dir });
      if (result.code !== 0) throw new Error(`ferry ${args.join(' ')} failed: ${result.stderr}`);
    }
    const cases: readonly Case[] = [
      { label: '`node -e 0`', args: ['-e', '0'] },
      { label: '`ferry --version`', args: [FERRY_BIN, '--version'] },
      { label: '`ferry status` (60-claim workspace)', args: [FERRY_BIN, 'status'] },
      { label: '`ferry --help` (loads every command)', args: [FERRY_BIN, '--help'] },
    ];
    for (const { args } of cases) timeOnce(args, dir); // warm the file cache
    const times = cases.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i += 1) {
      cases.forEach(({ args }, index) => {
        times[index]!.push(timeOnce(args, dir));
      });
    }
    const medians = times.map(median);
    const bare = medians[0]!;
    const rows = cases.map(({ label }, index) => {
      const sorted = [...times[index]!].sort((a, b) => a - b);
      const p90 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!;
      const over = index === 0 ? '—' : `+${(medians[index]! - bare).toFixed(0)}`;
      return `| ${label} | ${medians[index]!.toFixed(0)} | ${sorted[0]!.toFixed(0)} | ${p90.toFixed(0)} | ${over} |`;
    });
    const versionOver = medians[1]! - bare;
    const markdown = [
      `${RUNS} interleaved runs of each, spawn to exit (\`spawnSync\`), on a 60-claim extracted workspace.`,
      '',
      '| process | median (ms) | fastest (ms) | p90 (ms) | median over `node -e 0` (ms) |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `\`ferry --version\` starts ${versionOver.toFixed(0)} ms after a bare \`node -e 0\` (target: within ${TARGET_MS} ms, ${versionOver <= TARGET_MS ? 'met' : 'NOT met'}).`,
      'The CLI runs compiled JavaScript and loads only the module of the command it is given; `--help` loads',
      'all of them, which is what every command paid before.',
    ].join('\n');
    return { title: 'Startup', command: 'npx tsx bench/run.ts startup', markdown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
