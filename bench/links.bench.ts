/**
 * What the link checks cost: `ferry validate` and `ferry verify` derive every expected link from the
 * extracted rows and the mapping (deriveLinkExpectations). Measured against a bare read of the same rows
 * from the store, in the same process and run, over a generated export.
 * Run alone: npx tsx bench/run.ts links   (FERRY_BENCH_LINK_CLAIMS sets the size; default 5,000 claims)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMappingFile } from '../src/mapping/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { iterateRows } from '../src/source/backdocket/index.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { assembleLinkCoverage } from '../src/validate/link-coverage.ts';
import { deriveLinkExpectations } from '../src/verify/expected-links.ts';
import { FERRY_BIN } from '../test/helpers/run-cli.ts';
import type { BenchSection } from './run.ts';

const CLAIMS = Number(process.env.FERRY_BENCH_LINK_CLAIMS ?? 5_000);
const REPEATS = 5;

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-links-'));
  try {
    await generateExport({ outDir: join(dir, 'export'), records: CLAIMS, seed: 5 });
    for (const args of [['init', '--source', join(dir, 'export')], ['extract'], ['map', 'propose']]) {
      const result = spawnSync(process.execPath, [FERRY_BIN, '--workspace', dir, ...args], {
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`ferry ${args.join(' ')}: ${result.stderr}`);
    }
    const mapping = parseMappingFile(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).mapping;
    if (!mapping) throw new Error('mapping.yaml did not parse');
    const store = SqliteStore.open({ path: join(dir, '.ferry', 'ferry.db') });
    try {
      const readRows = (file: string) => iterateRows(store, file);
      let rows = 0;
      let references = 0;
      const read = medianCpuMs(() => {
        rows = 0;
        for (const file of mapping.objects) for (const _row of readRows(file.file)) rows += 1;
      });
      const derive = medianCpuMs(() => {
        const coverage = assembleLinkCoverage(deriveLinkExpectations({ mapping, readRows }));
        references = coverage.reduce((sum, row) => sum + row.withReference, 0);
      });
      return {
        title: 'Link checks: deriving every expected link from the rows',
        command: `FERRY_BENCH_LINK_CLAIMS=${CLAIMS} npx tsx bench/run.ts links`,
        markdown: `Generated export of ${CLAIMS.toLocaleString('en-US')} claims (seed 5), extracted and proposed through the CLI: ${rows.toLocaleString('en-US')} rows, ${references.toLocaleString('en-US')} references over the eight relationships. CPU (user + system) of one process, median of ${REPEATS}:

| work | CPU (ms) | × one read of every row |
|---|---:|---:|
| one read of every row from the store (the floor) | ${read.toFixed(0)} | 1.00 |
| derive every expected link and count coverage (validate's and verify's added work) | ${derive.toFixed(0)} | ${(derive / read).toFixed(2)} |

Validate adds this derivation to its planning passes; verify adds it to its read-back, with no extra request to Pipedrive (records are looked up by the identity they carry in the lists verify already reads).
`,
      };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function medianCpuMs(work: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(REPEATS / 2)] as number;
}
