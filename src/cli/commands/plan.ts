import type { Command } from 'commander';
import { PLANS, type Plan } from '../../config/ferry-config.ts';
import { FerryError } from '../../core/errors.ts';
import { pipedriveAccountOf } from '../../pipedrive/index.ts';
import {
  type AccountLimits,
  impliedTime,
  startingLimits,
  withDailyBudget,
} from '../../plan/account-limits.ts';
import { savePlannedRecords } from '../../run/expected-records.ts';
import { planMigrationCost } from '../../run/plan-migration-cost.ts';
import { loadMapping, openSession, type WorkspaceSession } from '../../run/session.ts';
import { readBurstLimit, readDailyLimit } from '../../run/usage.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import { limitsLines } from '../limits-lines.ts';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'what the migration will cost: records, requests and tokens per entity, days under the daily budget',
    )
    .option('--plan <plan>', `Pipedrive plan (${PLANS.join(', ')}); default from ferry.yaml`)
    .option('--seats <n>', 'number of seats; default from ferry.yaml')
    .option(
      '--daily-budget <tokens>',
      'the account’s daily token limit; default: what its answers stated when Ferry last connected (ferry validate), else plan × seats',
    )
    .addHelpText('after', '\nExample:\n  ferry plan\n  ferry plan --plan lite --seats 2 --json')
    .action((options: { plan?: string; seats?: string; dailyBudget?: string }, command: Command) => {
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      try {
        const config = session.workspace.config.pipedrive;
        const plan = (options.plan ?? config.plan) as Plan;
        if (!PLANS.includes(plan))
          throw new FerryError('config', `--plan must be one of ${PLANS.join(', ')}.`);
        const seats = options.seats === undefined ? config.seats : Number(options.seats);
        if (!Number.isInteger(seats) || seats < 1)
          throw new FerryError('config', '--seats takes a positive whole number.');
        const { mapping, hash } = loadMapping(session, { confirmed: false });
        const whatIf = options.plan !== undefined || options.seats !== undefined;
        const limits = planLimits({ session, plan, seats, whatIf, dailyBudget: options.dailyBudget });
        const report = planMigrationCost({ session, mapping, plan, seats, limits });
        savePlannedRecords(session.store, { mappingHash: hash, records: report.records });
        const implied = impliedTime(limits, report.cost);
        out.result({ ...report, limits, implied });
        const { scope, cost } = report;
        out.line(
          `Scope: ${scope.objects.length} file(s), ${scope.totalRows.toLocaleString('en-US')} rows; ${scope.directObjects} map 1:1, ${scope.transformedObjects} need transformation; ${scope.customFields} custom field(s).`,
        );
        out.line(`Complexity: ${scope.grade} — ${scope.reasons.join('; ')}.`);
        out.line('Limits of the Pipedrive account:');
        for (const line of limitsLines(limits, implied)) out.line(`  ${line}`);
        out.line('');
        out.line(`${'file'.padEnd(32)} ${'object → entity'.padEnd(28)} ${'rows'.padStart(8)}  mapping`);
        for (const object of scope.objects) {
          out.line(
            `${object.file.slice(0, 32).padEnd(32)} ${`${object.object ?? '?'} → ${object.entity ?? '-'}`.padEnd(28)} ${String(object.rows).padStart(8)}  ${object.mapping}`,
          );
        }
        out.line('');
        out.line(
          `${'entity'.padEnd(14)} ${'operation'.padEnd(9)} ${'endpoint'.padEnd(38)} ${'requests'.padStart(9)} ${'tokens'.padStart(10)}`,
        );
        for (const line of cost.lines) {
          out.line(
            `${line.entity.padEnd(14)} ${line.operation.padEnd(9)} ${line.endpoint.padEnd(38)} ${String(line.requests).padStart(9)} ${String(line.tokens).padStart(10)}`,
          );
        }
        out.line(
          `${'total'.padEnd(63)} ${String(cost.requests).padStart(9)} ${String(cost.tokens).padStart(10)}`,
        );
      } finally {
        session.close();
      }
    });
}

/**
 * The limits to plan with: what the account's answers stated to an earlier command (the account the
 * environment names, when it names one), else ferry.yaml's plan and seats; `--plan`/`--seats` ask "what if"
 * and use that plan's limits; `--daily-budget` sets the budget.
 */
function planLimits(input: {
  session: WorkspaceSession;
  plan: Plan;
  seats: number;
  whatIf: boolean;
  dailyBudget: string | undefined;
}): AccountLimits {
  const config = input.session.workspace.config.pipedrive;
  const limits = startingLimits({
    plan: input.plan,
    seats: input.seats,
    burstLimit: input.whatIf ? undefined : config.burstLimit,
    maxRequestsPerSecond: config.maxRequestsPerSecond,
    remembered: input.whatIf
      ? {}
      : { burst: readBurstLimit(input.session.store), daily: readDailyLimit(input.session.store) },
    account: pipedriveAccountOf(process.env),
  });
  if (input.dailyBudget === undefined) return limits;
  const tokens = Number(input.dailyBudget);
  if (!Number.isInteger(tokens) || tokens < 1)
    throw new FerryError('config', '--daily-budget takes a positive whole number of tokens.');
  return withDailyBudget(limits, tokens);
}
