import type { ExportContext } from '../export-context.ts';
import { DAY, STAFF, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** tasks.csv: the work list of each claim. */
export async function writeTasks(ctx: ExportContext): Promise<void> {
  const header = [
    'Task ID',
    'Claim ID',
    'Subject',
    'Description',
    'Category',
    'Priority',
    'Assigned To',
    'Assigned By',
    'Due Date',
    'Status',
    'Completed Date',
    'Completed By',
    'Created Date',
    'Recurrence',
    'Source (Expected Event / Manual / Workflow)',
  ];
  const w = await ctx.open('tasks.csv');
  const headerLine = await w.row(header, false);
  const count = ctx.n * 4;
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('task', i);
    const facts = ctx.liveClaim(i);
    // Mostly the active core team; ~4% someone from the whole roster (inactive ones included).
    const assignee = ctx.staffMember(
      rng.chance(0.04) ? rng.int(0, ctx.staffCount - 1) : rng.int(0, STAFF.intake),
    );
    const status = rng.pick(V.TASK_STATUSES);
    const due = facts.opened + rng.int(5, 300) * DAY;
    const line = await w.row([
      90000 + i,
      facts.id,
      rng.pick(['Request medical records', 'Call adjuster', 'Send demand', 'File suit', 'Client check-in']),
      'See notes',
      'Case Work',
      rng.pick(['High', 'Normal', 'Low']),
      assignee.name,
      ctx.staffMember(0).name,
      usDate(due),
      status,
      status === 'Completed' ? usDate(due) : '',
      status === 'Completed' ? assignee.name : '',
      usDate(facts.opened),
      '',
      rng.pick(['Manual', 'Expected Event', 'Workflow']),
    ]);
    if (!assignee.active)
      ctx.inject({
        code: 'inactive_staff_owner',
        file: w.file,
        line,
        sourceKey: String(90000 + i),
        column: 'Assigned To',
        detail: `${assignee.name} is inactive`,
      });
  }
  await ctx.finish(w, headerLine);
}
