/**
 * `ferry generate` throughput and memory: N = 20,000 claims (about 660,000 rows plus ~30,000 small files),
 * in a child process to read its peak RSS. Run alone: npx tsx bench/run.ts generate
 * (GENERATE_BENCH_RECORDS=200000 for the large case).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './run.ts';

const RECORDS = Number(process.env.GENERATE_BENCH_RECORDS ?? 20_000);
const repo = fileURLToPath(new URL('..', import.meta.url));

interface Measure {
  readonly rows: number;
  readonly files: number;
  readonly ms: number;
  readonly maxRssMb: number;
  readonly manifestBytes: number;
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-generate-'));
  try {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repo, 'bench', 'generate-child.ts'),
        join(dir, 'export'),
        String(RECORDS),
        '1',
      ],
      { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
    const m = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Measure;
    const markdown = [
      `\`generateExport\` with ${RECORDS.toLocaleString('en-US')} claims, seed 1, in a child process.`,
      '',
      '| claims | CSV rows | seconds | rows/s | peak RSS (MB) | manifest (MB) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${RECORDS.toLocaleString('en-US')} | ${m.rows.toLocaleString('en-US')} | ${(m.ms / 1000).toFixed(1)} | ${Math.round(m.rows / (m.ms / 1000)).toLocaleString('en-US')} | ${m.maxRssMb.toFixed(0)} | ${(m.manifestBytes / 2 ** 20).toFixed(1)} |`,
      '',
      `Peak RSS budget: 300 MB (${m.maxRssMb < 300 ? 'met' : 'NOT met'}). Rows are derived from their index (no tables in memory);`,
      'injections are spooled to disk and streamed into the manifest; every write awaits `drain`.',
    ].join('\n');
    return {
      title: `Generate (${RECORDS.toLocaleString('en-US')} claims)`,
      command: 'npx tsx bench/run.ts generate',
      markdown,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
