import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { IDENTITY_FIELD } from '../../plan/target-schema.ts';
import { readAccountSnapshot, targetSchemaOf } from '../../run/account-schema.ts';
import { PipedriveDestination } from '../../run/pipedrive-destination.ts';
import { planRollback, type RollbackResult, type RollbackScope, rollback } from '../../run/rollback.ts';
import { openSession } from '../../run/session.ts';
import { parseConcurrency } from '../concurrency-option.ts';
import { connectPipedrive } from '../connect.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import { ProgressBar } from '../progress-bar.ts';
import { writeSummary } from '../write-summary.ts';

interface RollbackFlags {
  run?: string;
  scope: string;
  force: boolean;
  concurrency?: string;
}

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .description(
      'reverse the journal: delete what Ferry created, restore what a delta updated, remove its schema',
    )
    .option('--run <id>', 'only this run (default: every run)')
    .option('--scope <scope>', 'records | schema | all', 'all')
    .option('--force', 'also roll back records edited in Pipedrive since Ferry wrote them', false)
    .option(
      '--concurrency <n>',
      'at most N deletes and restores under way at once (default: as many as the account’s rate limit and Pipedrive’s answer time call for)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ferry rollback            # asks before removing anything\n  ferry rollback --run 3 --scope records --yes\n  ferry rollback --yes --concurrency 4   # at most 4 deletes under way at once',
    )
    .action(async (options: RollbackFlags, command: Command) => {
      const concurrency = parseConcurrency(options.concurrency);
      if (!['records', 'schema', 'all'].includes(options.scope)) {
        throw new FerryError('config', `--scope must be records, schema or all, not '${options.scope}'.`);
      }
      const out = outputFor(command);
      const global = globalOptions(command);
      const session = openSession(global.workspace);
      const release = session.store.acquireLock('rollback');
      const controller = new AbortController();
      const onSignal = () =>
        controller.abort(new FerryError('transient', 'Interrupted. Run ferry rollback again to finish.'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const runFilter = options.run === undefined ? undefined : Number(options.run);
        const plan = planRollback(session.journal, {
          runId: runFilter,
          scope: options.scope as RollbackScope,
        });
        const counts = new Map<string, number>();
        for (const entry of plan.deletes) counts.set(entry.entity, (counts.get(entry.entity) ?? 0) + 1);
        out.line('Rollback will:');
        for (const [entity, n] of counts) out.line(`  delete ${n} ${entity}(s)`);
        if (plan.restores.length > 0) out.line(`  restore ${plan.restores.length} record(s) a delta updated`);
        if (plan.schema.length > 0)
          out.line(
            `  remove ${plan.schema.length} schema part(s) Ferry created (if no other data uses them)`,
          );
        const total = plan.deletes.length + plan.restores.length + plan.schema.length;
        if (total === 0) {
          out.result({ deleted: 0, restored: 0, schemaRemoved: 0, remaining: 0, complete: true });
          out.line('  nothing — the journal has nothing to reverse.');
          return;
        }
        if (!global.yes) {
          if (!process.stdin.isTTY) {
            throw new FerryError(
              'config',
              'Rollback removes data from Pipedrive: confirm with --yes when not on a terminal.',
            );
          }
          const prompt = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await prompt.question('Proceed? Type "yes" to roll back: ');
          prompt.close();
          if (answer.trim().toLowerCase() !== 'yes')
            throw new FerryError('config', 'Rollback cancelled; nothing changed.');
        }
        const client = connectPipedrive(session);
        const schema = targetSchemaOf(await readAccountSnapshot(client));
        const destination = new PipedriveDestination({
          client,
          identityKeys: {
            deal: schema.customField('deal', IDENTITY_FIELD)?.key,
            person: schema.customField('person', IDENTITY_FIELD)?.key,
            organization: schema.customField('organization', IDENTITY_FIELD)?.key,
          },
        });
        const runId =
          session.journal.unfinishedRun(['rollback'])?.id ??
          session.journal.startRun('rollback', { settings: options });
        session.journal.reopenRun(runId);
        const bar = new ProgressBar(out);
        const result = await rollback({
          journal: session.journal,
          destination,
          client,
          runId,
          plan,
          force: options.force,
          concurrency,
          signal: controller.signal,
          onProgress: (done, all) => bar.update({ label: 'rollback', done, total: all }),
        });
        bar.finish();
        const stopped = controller.signal.aborted || result.stoppedBy !== undefined;
        session.journal.finishRun(
          runId,
          stopped ? 'stopped' : result.complete ? 'completed' : 'failed',
          result,
          result.stoppedBy,
        );
        // Rows whose records are gone no longer count as migrated (also after a stop: those are gone).
        session.store.db
          .prepare(
            'DELETE FROM row_outcomes WHERE pipedrive_id IS NOT NULL AND (entity, pipedrive_id) NOT IN (SELECT entity, pipedrive_id FROM id_map)',
          )
          .run();
        out.result({
          runId,
          status: stopped ? 'stopped' : 'completed',
          ...result,
          requestsRetried: client.retries,
        });
        out.line(
          `Deleted ${result.deleted}, restored ${result.restored}, removed ${result.schemaRemoved} schema part(s).`,
        );
        for (const issue of [...result.leftAlone, ...result.failed])
          out.line(`  ${issue.severity}: ${issue.message}`);
        const writes = writeSummary(result.writes);
        if (writes) out.line(writes);
        if (result.stoppedBy) out.line(`Stopped: ${result.stoppedBy}`);
        else if (controller.signal.aborted) out.line('Stopped. Run ferry rollback again to finish.');
        if (result.complete) {
          out.line(
            'Verified: nothing Ferry created remains in Pipedrive, and every updated record is restored.',
          );
        } else {
          out.line(`Not finished — left in Pipedrive: ${leftOver(result)}.`);
          if (!stopped) out.line('Resolve what is listed above, then run ferry rollback again.');
          process.exitCode = 1;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        release();
        session.close();
      }
    });
}

/** What a rollback left, in words: records, restores, schema parts and writes with an unknown outcome. */
function leftOver(result: RollbackResult): string {
  const parts = [
    [result.remaining, 'record(s) Ferry created'],
    [result.restoresLeft, 'record(s) still holding a delta’s values'],
    [result.schemaLeft, 'schema part(s) Ferry created'],
    [result.uncertain, 'write(s) with an unknown outcome (looked up on the next run)'],
  ] as const;
  const left = parts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return left.length > 0 ? left.join(', ') : `${result.failed.length} failed write(s)`;
}
