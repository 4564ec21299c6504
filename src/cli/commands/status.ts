import type { Command } from 'commander';
import { openSession } from '../../run/session.ts';
import { readWorkspaceStatus } from '../../run/workspace-status.ts';
import { globalOptions, outputFor } from '../global-options.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'where the workspace stands: source, extract, mapping, validation, schema, runs, what to do next',
    )
    .addHelpText('after', '\nExample:\n  ferry status\n  ferry status --json')
    .action((_options: unknown, command: Command) => {
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      try {
        const status = readWorkspaceStatus(session);
        out.result(status);
        out.line(`Source:      ${status.source}`);
        out.line(
          `Extract:     ${status.extract.files} file(s), ${status.extract.rows} row(s)${status.extract.unrecognised.length ? `; not recognised: ${status.extract.unrecognised.join(', ')}` : ''}`,
        );
        out.line(
          `Mapping:     ${!status.mapping.exists ? 'not proposed' : status.mapping.confirmed ? `confirmed (${status.mapping.confirmedAt})` : status.mapping.changedSinceConfirm ? 'CHANGED since it was confirmed' : 'not confirmed'}`,
        );
        out.line(
          `Validation:  ${status.validation ? `${status.validation.errors} error(s), ${status.validation.warnings} warning(s) at ${status.validation.at}` : 'not run'}`,
        );
        out.line(`Schema:      ${status.schemaApplied ? 'applied' : 'not applied'}`);
        out.line(`Runs:        ${status.runs.length === 0 ? 'none' : ''}`);
        for (const run of status.runs)
          out.line(
            `  #${run.id} ${run.kind.padEnd(8)} ${run.status.padEnd(9)} ${run.startedAt}${run.error ? ` — ${run.error}` : ''}`,
          );
        out.line(`In Pipedrive: ${status.migratedRecords} record(s) written by Ferry`);
        if (status.uncertainWrites > 0)
          out.line(
            `Pending:     ${status.uncertainWrites} write(s) with an unknown outcome; the next run looks them up first`,
          );
        out.line(
          `Verified:    ${status.verified ? `${status.verified.ok ? 'clean' : 'DIFFERENCES'} at ${status.verified.at}` : 'no'}`,
        );
        out.line(`Next:        ${status.next}`);
      } finally {
        session.close();
      }
    });
}
