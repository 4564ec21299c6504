import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { assembleSchemaPlan, type SchemaItem } from '../../plan/schema-plan.ts';
import { readAccountSnapshot } from '../../run/account-schema.ts';
import { applySchema, describe } from '../../run/apply-schema.ts';
import { loadMapping, openSession } from '../../run/session.ts';
import { parseConcurrency } from '../concurrency-option.ts';
import { connectPipedrive } from '../connect.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import type { Output } from '../output.ts';
import { writeSummary } from '../write-summary.ts';

export function registerSchema(program: Command): void {
  const schema = program
    .command('schema')
    .description('the Pipedrive schema the mapping needs: pipelines, stages, custom fields, activity types');

  schema
    .command('plan')
    .description('show the schema checklist as a diff against the account: what exists, what will be created')
    .addHelpText('after', '\nExample:\n  ferry schema plan\n  ferry schema plan --json')
    .action(async (_options: unknown, command: Command) => {
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      try {
        const { mapping } = loadMapping(session, { confirmed: false });
        const client = connectPipedrive(session);
        const plan = assembleSchemaPlan(mapping, await readAccountSnapshot(client));
        out.result(plan);
        printChecklist(out, plan.items);
        out.line('');
        out.line(`${plan.toCreate} to create, ${plan.conflicts} conflict(s).`);
        out.line(plan.toCreate > 0 ? 'Next: ferry schema apply' : 'Nothing to create.');
        if (plan.conflicts > 0) process.exitCode = 3;
      } finally {
        session.close();
      }
    });

  schema
    .command('apply')
    .description('create exactly the missing parts of the checklist (idempotent, journaled for rollback)')
    .option(
      '--concurrency <n>',
      'at most N kinds of part written side by side (default: as many as the account’s rate limit and Pipedrive’s answer time call for)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ferry schema apply --yes\n  ferry schema apply --yes --concurrency 2',
    )
    .action(async (flags: { concurrency?: string }, command: Command) => {
      const concurrency = parseConcurrency(flags.concurrency);
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      const release = session.store.acquireLock('schema apply');
      const controller = new AbortController();
      const onSignal = () =>
        controller.abort(
          new FerryError('transient', 'Interrupted. Run `ferry schema apply` again to finish.'),
        );
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const { mapping, hash } = loadMapping(session, { confirmed: true });
        const client = connectPipedrive(session);
        const runId = session.journal.startRun('schema', { mappingHash: hash });
        const result = await applySchema({
          client,
          journal: session.journal,
          runId,
          mapping,
          concurrency,
          signal: controller.signal,
        });
        const stopped = result.stoppedBy !== undefined || controller.signal.aborted;
        const uncertain = session.journal.openCount({ runId });
        const conflicts = result.problems.filter((problem) => problem.code === 'schema_conflict');
        const refused = result.problems.filter((problem) => problem.code !== 'schema_conflict');
        session.journal.finishRun(
          runId,
          stopped ? 'stopped' : result.problems.length > 0 ? 'failed' : 'completed',
          {
            created: result.created.length,
            optionsAdded: result.optionsAdded,
            writes: result.writes,
            uncertain,
          },
          result.stoppedBy,
        );
        out.result({
          runId,
          status: stopped ? 'stopped' : 'completed',
          created: result.created,
          optionsAdded: result.optionsAdded,
          problems: result.problems,
          writes: result.writes,
          requestsRetried: client.retries,
          uncertain,
          ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
        });
        for (const item of result.created) out.line(`  created ${describe(item)}`);
        if (result.optionsAdded > 0) out.line(`  added ${result.optionsAdded} option(s) to existing fields`);
        for (const problem of result.problems) out.line(`  problem: ${problem.message}`);
        out.line(
          `Created ${result.created.length} schema part(s)${result.created.length === 0 && !stopped ? ' (everything was there)' : ''}.`,
        );
        const writes = writeSummary(result.writes);
        if (writes) out.line(writes);
        if (stopped) {
          if (uncertain > 0)
            out.line(
              `${uncertain} part(s) have an unknown outcome; the next run looks them up before creating anything.`,
            );
          throw new FerryError(
            'transient',
            result.stoppedBy ?? 'Interrupted. Nothing is lost: run `ferry schema apply` again to finish.',
            { code: 'E_SCHEMA_STOPPED' },
          );
        }
        if (refused.length > 0) {
          throw new FerryError(
            'terminal',
            `Pipedrive refused ${refused.length} schema part(s); see above. Fix what it names (or remove the part from mapping.yaml), then run \`ferry schema apply\` again.`,
            { code: 'E_SCHEMA_REFUSED' },
          );
        }
        if (conflicts.length > 0) {
          throw new FerryError(
            'blocked',
            `${conflicts.length} field(s) conflict with fields the account already has; see above. Rename one of each pair, then run \`ferry schema apply\` again.`,
            { code: 'E_SCHEMA_CONFLICT' },
          );
        }
        out.line('Next: ferry validate, then ferry migrate --sample 20');
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        release();
        session.close();
      }
    });
}

function printChecklist(out: Output, items: readonly SchemaItem[]): void {
  const mark = (state: string) =>
    state === 'exists' ? '✓ exists ' : state === 'create' ? '+ create ' : '! conflict';
  for (const item of items) {
    const extra =
      item.kind === 'field'
        ? `${item.fieldType}${item.options.length > 0 ? ` [${item.options.length} options]` : ''}${
            item.missingOptions.length > 0 ? `, +${item.missingOptions.length} options` : ''
          }${item.note ? ` — ${item.note}` : ''}`
        : '';
    out.line(`${mark(item.state)} ${describe(item)}${extra ? `  ${extra}` : ''}`);
  }
}
