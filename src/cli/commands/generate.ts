import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { generateExport } from '../../source/backdocket/generate/index.ts';
import { DATA_QUALITY_PROBLEMS } from '../../source/backdocket/problems.ts';
import { outputFor } from '../global-options.ts';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write a realistic BackDocket export (CSV files + files/) with seeded data-quality problems and a manifest',
    )
    .requiredOption('--out <dir>', 'folder to write the export to (created if missing)')
    .option('--records <n>', 'number of claims (contacts, notes, events … scale with it)', '200')
    .option('--seed <n>', 'seed: the same seed writes the same export, byte for byte', '1')
    .addHelpText(
      'after',
      '\nExample:\n  ferry generate --out ./sample-export --records 500 --seed 7\n' +
        '  (writes ./sample-export/*.csv, files/ and generated-manifest.json, which lists every injected problem)',
    )
    .action(async (options: { out: string; records: string; seed: string }, command: Command) => {
      const records = Number(options.records);
      const seed = Number(options.seed);
      if (!/^\d+$/.test(options.records.trim()) || records < 1)
        throw new FerryError('config', `--records takes a positive whole number (got "${options.records}").`);
      if (!/^-?\d+$/.test(options.seed.trim()))
        throw new FerryError('config', `--seed takes a whole number (got "${options.seed}").`);
      const out = outputFor(command);
      const result = await generateExport({
        outDir: resolve(options.out),
        records,
        seed,
        onProgress: (progress) => out.progress(`generate: ${progress.file} ${progress.rows} rows`),
      });
      out.endProgress();
      out.result(result);
      out.line(`${'File'.padEnd(28)} ${'Rows'.padStart(9)}`);
      for (const file of result.files) out.line(`${file.file.padEnd(28)} ${String(file.rows).padStart(9)}`);
      out.line();
      out.line(`${'Injected problem'.padEnd(32)} ${'Count'.padStart(7)}`);
      for (const { code } of DATA_QUALITY_PROBLEMS)
        out.line(`${code.padEnd(32)} ${String(result.injectedCounts[code] ?? 0).padStart(7)}`);
      out.line();
      out.line(`Manifest: ${result.manifestPath}`);
    });
}
