/**
 * Child process of bench/extract.bench.ts, so each measurement has its own peak RSS:
 *   node --import tsx bench/extract-child.ts ferry|bare EXPORT_DIR [DB_PATH]
 * Prints one JSON line: { rows, ms, maxRssMb }.
 */
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { extractExport } from '../src/source/backdocket/index.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';

const [mode, dir, dbPath] = process.argv.slice(2) as [string, string, string | undefined];
const started = performance.now();
let rows = 0;
if (mode === 'ferry') {
  const store = SqliteStore.open({ path: dbPath as string });
  const result = await extractExport({ store, sourceDir: dir });
  rows = result.files.reduce((n, f) => n + f.rowCount, 0);
  store.close();
} else {
  // The floor: a bare streaming csv-parse pass over the same files, counting records.
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.csv'))
    .sort()) {
    const parser = createReadStream(join(dir, name)).pipe(
      parse({ relax_column_count: true, relax_quotes: true, bom: true }),
    );
    for await (const _record of parser) rows += 1;
  }
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
