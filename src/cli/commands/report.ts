import type { Command } from 'commander';
import { writeReport } from '../../report/write-report.ts';
import { openSession } from '../../run/session.ts';
import { globalOptions, outputFor } from '../global-options.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'the migration summary for stakeholders: one self-contained HTML file plus the same facts as JSON',
    )
    .option('--out <dir>', 'folder for report.html and report.json (default: .ferry/report)')
    .addHelpText('after', '\nExample:\n  ferry report\n  ferry report --out ./handover --json')
    .action((options: { out?: string }, command: Command) => {
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      try {
        const report = writeReport(session, options.out ? { dir: options.out } : {});
        out.result(report.data);
        for (const line of report.summary) out.line(line);
        out.line(`Report: ${report.htmlPath}`);
        out.line(`Data:   ${report.jsonPath}`);
      } finally {
        session.close();
      }
    });
}
