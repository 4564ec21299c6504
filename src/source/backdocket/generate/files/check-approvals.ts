import type { ExportContext } from '../export-context.ts';
import { money, STAFF, usDate } from '../format.ts';

/** check_approvals.csv: check requests (nothing writable in Pipedrive). */
export async function writeCheckApprovals(ctx: ExportContext): Promise<void> {
  const header = [
    'Approval ID',
    'Check Request ID',
    'Claim ID',
    'Payee',
    'Payee Type',
    'Amount',
    'Purpose',
    'Bank Account',
    'Requested By',
    'Requested On',
    'Approver',
    'Approval Status',
    'Approved On',
    'Rejected Reason',
    'Check No.',
    'Printed On',
    'Cleared On',
    'Void',
    'Comments',
  ];
  const w = await ctx.open('check_approvals.csv');
  const headerLine = await w.row(header, false);
  const count = Math.ceil(ctx.n * 0.5);
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('check', i);
    const facts = ctx.liveClaim(i);
    await w.row([
      20000 + i,
      30000 + i,
      facts.id,
      'Memorial Hermann',
      rng.pick(['Client', 'Medical Provider', 'Lienholder', 'Vendor']),
      money(rng.int(100, 9000)),
      'Medical bill',
      'Trust',
      ctx.staffMember(STAFF.caseManager).name,
      usDate(facts.opened),
      ctx.staffMember(0).name,
      rng.pick(['Pending', 'Approved', 'Printed']),
      '',
      '',
      '',
      '',
      '',
      'N',
      '',
    ]);
  }
  await ctx.finish(w, headerLine);
}
