/**
 * Child process of bench/generate.bench.ts, so the measurement has its own peak RSS:
 *   node --import tsx bench/generate-child.ts OUT_DIR RECORDS SEED
 * Prints one JSON line: { rows, files, ms, maxRssMb, manifestBytes }.
 */
import { statSync } from 'node:fs';
import { generateExport } from '../src/source/backdocket/generate/index.ts';

const [outDir, records, seed] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
const result = await generateExport({ outDir, records: Number(records), seed: Number(seed) });
const ms = performance.now() - started;
const rows = result.files.reduce((n, f) => n + f.rows, 0);
process.stdout.write(
  `${JSON.stringify({ rows, files: result.files.length, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, manifestBytes: statSync(result.manifestPath).size })}\n`,
);
