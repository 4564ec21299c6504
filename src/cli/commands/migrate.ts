import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { WRITE_ORDER } from '../../core/records.ts';
import { expectedRecords } from '../../run/expected-records.ts';
import { migrate } from '../../run/migrate.ts';
import { loadMapping, openSession } from '../../run/session.ts';
import { extractExport, loadRowChanges } from '../../source/backdocket/index.ts';
import { isSourceUrl } from '../../workspace/workspace.ts';
import { parseConcurrency } from '../concurrency-option.ts';
import { connectPipedrive } from '../connect.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import { describePull, pullFromMcp } from '../mcp-extract.ts';
import { ProgressBar } from '../progress-bar.ts';
import { writeSummary } from '../write-summary.ts';

interface MigrateFlags {
  sample?: string;
  full?: boolean;
  /** A newer export folder; `true` (no folder) on an MCP workspace: pull what changed from the server. */
  delta?: string | true;
  concurrency?: string;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('write the records to Pipedrive exactly once: a sample, the full run, or a delta; resumable')
    .option(
      '--sample <n>',
      'migrate N claims spanning claim types, statuses and activity kinds, with what they link to',
    )
    .option('--full', 'migrate everything not yet migrated')
    .option(
      '--delta [dir]',
      're-extract a newer export from DIR (on an MCP workspace: pull what changed from the server), create new rows and update changed ones',
    )
    .option(
      '--concurrency <n>',
      'at most N records written at once (default: as many as the account’s rate limit and Pipedrive’s answer time call for)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ferry migrate --sample 20\n  ferry migrate --full\n  ferry migrate --delta ./export-2024-06-01\n  ferry migrate --delta                  # an MCP workspace: re-pulls, with modified-since where a tool offers it',
    )
    .action(async (flags: MigrateFlags, command: Command) => {
      const modes = [flags.sample !== undefined, Boolean(flags.full), flags.delta !== undefined].filter(
        Boolean,
      );
      if (modes.length !== 1) {
        throw new FerryError('config', 'Choose one of --sample N, --full or --delta DIR.', {
          code: 'E_USAGE',
        });
      }
      const workspaceDir = globalOptions(command).workspace;
      const sampleSize = flags.sample === undefined ? undefined : Number(flags.sample);
      if (sampleSize !== undefined && (!Number.isInteger(sampleSize) || sampleSize < 1)) {
        throw new FerryError('config', `--sample takes a positive whole number, not '${flags.sample}'.`, {
          code: 'E_USAGE',
        });
      }
      const out = outputFor(command);
      const session = openSession(workspaceDir);
      const release = session.store.acquireLock('migrate');
      const controller = new AbortController();
      const onSignal = () => {
        out.note('\nStopping: finishing the writes in flight. Run the same command again to resume.');
        controller.abort(new FerryError('transient', 'Interrupted by the user.'));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const { mapping, hash } = loadMapping(session, { confirmed: true });
        const client = connectPipedrive(session);
        let vanished: { file: string; sourceKey: string }[] = [];
        if (flags.delta) {
          const fromServer = session.workspace.sourceUrl !== undefined;
          if (!fromServer && flags.delta === true)
            throw new FerryError(
              'config',
              '--delta needs the newer export folder (ferry migrate --delta ./export-new); only an MCP workspace can pull its changes itself.',
              { code: 'E_USAGE' },
            );
          if (flags.delta !== true && isSourceUrl(flags.delta) !== fromServer)
            throw new FerryError(
              'config',
              `This workspace reads ${fromServer ? 'an MCP server: use --delta alone (or with its URL)' : 'an export folder: --delta takes the newer export folder'}.`,
              { code: 'E_USAGE' },
            );
          out.line(
            fromServer
              ? `Pulling what changed from ${session.workspace.sourceUrl} …`
              : `Re-extracting ${flags.delta} …`,
          );
          const pulled = fromServer
            ? await pullFromMcp({
                workspace:
                  flags.delta === true
                    ? session.workspace
                    : { ...session.workspace, sourceUrl: flags.delta as string },
                store: session.store,
                out,
                changedOnly: true,
                signal: controller.signal,
              })
            : undefined;
          for (const line of pulled ? describePull(pulled) : []) out.line(`  ${line}`);
          const extracted =
            pulled ??
            (await extractExport({
              store: session.store,
              sourceDir: flags.delta as string,
              signal: controller.signal,
            }));
          vanished = loadRowChanges(session.store, extracted.runId).filter(
            (change) => change.change === 'vanished',
          );
          const totals = Object.values(extracted.delta).reduce(
            (sum, delta) => ({ new: sum.new + delta.new, changed: sum.changed + delta.changed }),
            { new: 0, changed: 0 },
          );
          out.line(`  ${totals.new} new, ${totals.changed} changed, ${vanished.length} vanished row(s)`);
        }
        const bar = new ProgressBar(out);
        // Records are planned as they are written: until planning ends, validate's or plan's count (if it
        // was made with this mapping over this extract) is the total to show, else the count so far.
        const expected = flags.full ? expectedRecords(session.store, hash) : undefined;
        const result = await migrate({
          session,
          mapping,
          mappingHash: hash,
          client,
          mode: flags.delta ? 'delta' : flags.full ? 'full' : 'sample',
          sampleSize,
          concurrency: parseConcurrency(flags.concurrency),
          signal: controller.signal,
          onProgress: ({ overall }) =>
            bar.update({
              label: 'records',
              done: overall.done,
              total: overall.totalFinal ? overall.total : Math.max(overall.total, expected ?? 0),
              totalIs: overall.totalFinal ? 'exact' : expected === undefined ? 'so-far' : 'estimate',
              tokens: client.stats().tokens,
            }),
        });
        bar.finish();
        // Requests the client sent again after a passing failure (reads, and requests the gateway refused).
        out.result({ ...result, vanished, requestsRetried: client.retries });
        out.line(
          `Run ${result.runId} (${result.kind}${result.resumed ? ', resumed' : ''}): ${result.status}`,
        );
        out.line(`${'entity'.padEnd(13)} planned created adopted updated unchanged skipped failed`);
        for (const entity of WRITE_ORDER) {
          const s = result.stats[entity];
          out.line(
            `${entity.padEnd(13)} ${[
              s.planned,
              s.created,
              s.adopted,
              s.updated,
              s.unchanged,
              s.skipped,
              s.failed,
            ]
              .map((n, i) => String(n).padStart(i === 0 ? 7 : [7, 7, 7, 9, 7, 6][i - 1]!))
              .join(' ')}`,
          );
        }
        if (result.sampleClaims) out.line(`Sample claims: ${result.sampleClaims.join(', ')}`);
        for (const problem of result.problems.slice(0, 20))
          out.line(`  ${problem.severity}: ${problem.message}`);
        if (result.problems.length > 20) out.line(`  … ${result.problems.length - 20} more (ferry report)`);
        if (vanished.length > 0) {
          out.line(
            `${vanished.length} row(s) vanished from the export; their Pipedrive records were left in place:`,
          );
          for (const row of vanished.slice(0, 10)) out.line(`  ${row.file} ${row.sourceKey}`);
        }
        const writes = writeSummary(result.writes);
        if (writes) out.line(writes);
        if (result.uncertain > 0)
          out.line(
            `${result.uncertain} write(s) still have an unknown outcome; the next run looks them up before sending anything again.`,
          );
        if (result.status === 'stopped') {
          if (result.stoppedBy) out.line(`Stopped: ${result.stoppedBy}`);
          else out.line('Stopped before the end. Run the same command again to resume.');
          process.exitCode = 1;
        } else
          out.line(
            result.kind === 'sample' ? 'Next: ferry verify (the sample sign-off diff)' : 'Next: ferry verify',
          );
        if (result.stats && Object.values(result.stats).some((s) => s.failed > 0)) process.exitCode = 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        release();
        session.close();
      }
    });
}
