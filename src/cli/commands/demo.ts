import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { PLANS, type Plan } from '../../config/ferry-config.ts';
import { FerryError } from '../../core/errors.ts';
import { runDemo } from '../../demo/run-demo.ts';
import { parseFaultSpec } from '../../sim/index.ts';
import { outputFor } from '../global-options.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole job on a generated export against a simulator started here, then the report')
    .option('--records <n>', 'claims in the generated export', '60')
    .option('--seed <n>', 'seed of the generated export', '7')
    .option('--plan <plan>', `simulated Pipedrive plan (${PLANS.join(', ')})`, 'premium')
    .option('--faults <spec>', 'simulated faults, e.g. 5xx=0.03,lost=0.02,latency=150±100')
    .option('--dir <dir>', 'workspace folder for the demo (replaced on each run)', 'demo-workspace')
    .option(
      '--source <kind>',
      'files (read the export folder) | mcp (pull it from a local BackDocket-like MCP server)',
      'files',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npm run demo\n  npx ferry demo --records 200 --plan growth --faults 5xx=0.03,lost=0.02,latency=150±100\n  npx ferry demo --source mcp     # the same job, pulling the export from ferry sim backdocket over MCP',
    )
    .action(
      async (
        options: {
          records: string;
          seed: string;
          plan: string;
          faults?: string;
          dir: string;
          source: string;
        },
        command: Command,
      ) => {
        const records = Number(options.records);
        if (!Number.isInteger(records) || records < 5)
          throw new FerryError('config', '--records takes a whole number of at least 5.');
        if (!PLANS.includes(options.plan as Plan))
          throw new FerryError('config', `--plan must be one of ${PLANS.join(', ')}.`);
        if (options.faults) parseFaultSpec(options.faults);
        if (options.source !== 'files' && options.source !== 'mcp')
          throw new FerryError('config', `--source is files or mcp, not '${options.source}'.`);
        const dir = resolve(options.dir);
        if (existsSync(dir)) {
          if (
            !existsSync(join(dir, 'ferry.yaml')) ||
            !existsSync(join(dir, 'export', 'generated-manifest.json'))
          ) {
            throw new FerryError(
              'config',
              `${dir} exists and is not an earlier demo workspace; choose another --dir.`,
            );
          }
          rmSync(dir, { recursive: true, force: true });
        }
        const out = outputFor(command);
        const started = Date.now();
        const result = await runDemo({
          dir,
          records,
          seed: Number(options.seed) || 7,
          plan: options.plan as Plan,
          faults: options.faults,
          source: options.source,
          out,
        });
        out.result({ ...result, seconds: Math.round((Date.now() - started) / 1000) });
        out.line('');
        for (const line of result.summary) out.line(line);
        out.line(`Open the report: ${result.reportPath}`);
        out.line(
          `Done in ${Math.round((Date.now() - started) / 1000)} s. Explore the workspace: npx ferry status --workspace ${options.dir}`,
        );
      },
    );
}
