import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { generateExport } from '../../source/backdocket/generate/index.ts';
import { outputFor } from '../global-options.ts';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write a realistic BackDocket export (CSV files + files/) with seeded data-quality problems and a manifest',
    )
    .requiredOption('--out <dir>', 'folder to write the export to')
    .option('--records <n>', 'number of claims (contacts, notes, events … scale with it)', '200')
    .option('--seed <n>', 'seed: the same seed writes the same export, byte for byte', '1')
    .addHelpText('after', '\nExample:\n  ferry generate --out ./sample-export --records 500 --seed 7')
    .action(async (options: { out: string; records: string; seed: string }, command: Command) => {
      const records = Number(options.records);
      const seed = Number(options.seed);
      if (!Number.isInteger(records) || records < 1)
        throw new FerryError('config', '--records takes a positive whole number.');
      if (!Number.isInteger(seed)) throw new FerryError('config', '--seed takes a whole number.');
      const out = outputFor(command);
      const result = await generateExport({
        outDir: options.out,
        records,
        seed,
        onProgress: (progress) => out.progress(`generate: ${progress.file} ${progress.rows} rows`),
      });
      out.endProgress();
      out.result(result);
      for (const file of result.files)
        out.line(`${file.file.padEnd(28)} ${String(file.rows).padStart(9)} rows`);
      out.line(
        `Injected problems: ${Object.entries(result.injectedCounts)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ')}`,
      );
      out.line(`Manifest: ${result.manifestPath}`);
    });
}
