import type { Command } from 'commander';
import { PLANS, type Plan } from '../../config/ferry-config.ts';
import { FerryError } from '../../core/errors.ts';
import { planMigrationCost } from '../../run/plan-migration-cost.ts';
import { loadMapping, openSession } from '../../run/session.ts';
import { type DailyLimitSeen, readDailyLimit } from '../../run/usage.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import { formatDuration } from '../progress-bar.ts';

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
      'the account’s daily token limit; default: what its x-daily-ratelimit-token-limit header said when Ferry last connected, else plan × seats',
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
        const { mapping } = loadMapping(session, { confirmed: false });
        const budget = dailyBudgetSource(options.dailyBudget, readDailyLimit(session.store));
        const report = planMigrationCost({ session, mapping, plan, seats, dailyBudget: budget?.tokens });
        out.result({ ...report, dailyBudgetSource: budget?.source ?? `${plan} × ${seats} seat(s)` });
        const { scope, cost } = report;
        out.line(
          `Scope: ${scope.objects.length} file(s), ${scope.totalRows.toLocaleString('en-US')} rows; ${scope.directObjects} map 1:1, ${scope.transformedObjects} need transformation; ${scope.customFields} custom field(s).`,
        );
        out.line(`Complexity: ${scope.grade} — ${scope.reasons.join('; ')}.`);
        out.line(
          `Timeline: ${cost.days} day(s) of API budget on ${plan} × ${seats} seat(s) (${cost.dailyBudget.toLocaleString('en-US')} tokens/day ${budget ? `from ${budget.source}` : 'for the plan and seats'}, ${Math.round(cost.budgetShare * 100)}% used by Ferry); about ${formatDuration(cost.hoursAtBurst * 3600)} of requests at the burst limit.`,
        );
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

/** The daily budget to plan with: the flag, else the limit the account's headers stated, else none (plan × seats). */
function dailyBudgetSource(
  flag: string | undefined,
  seen: DailyLimitSeen | undefined,
): { tokens: number; source: string } | undefined {
  if (flag !== undefined) {
    const tokens = Number(flag);
    if (!Number.isInteger(tokens) || tokens < 1)
      throw new FerryError('config', '--daily-budget takes a positive whole number of tokens.');
    return { tokens, source: '--daily-budget' };
  }
  if (seen) return { tokens: seen.tokens, source: `the account's header on ${seen.seenAt.slice(0, 10)}` };
  return undefined;
}
