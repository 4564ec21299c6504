import type { ExportContext } from '../export-context.ts';
import { STAFF, usDate } from '../format.ts';

/** claim_staff.csv: who works each claim. */
export async function writeClaimStaff(ctx: ExportContext): Promise<void> {
  const header = [
    'Claim ID',
    'Staff ID',
    'Staff Name',
    'Role on Claim',
    'Is Lead',
    'Assigned Date',
    'Unassigned Date',
  ];
  const w = await ctx.open('claim_staff.csv');
  const headerLine = await w.row(header, false);
  for (let i = 0; i < ctx.n; i += 1) {
    const facts = ctx.claimFacts(i);
    if (ctx.omittedClaims.has(facts.id)) continue;
    const lead = ctx.attorney(i);
    await w.row([facts.id, lead.id, lead.name, 'Attorney', 'Y', usDate(facts.opened), '']);
    const manager = ctx.staffMember(STAFF.caseManager);
    await w.row([facts.id, manager.id, manager.name, 'Case Manager', 'N', usDate(facts.opened), '']);
    if (i % 2 === 0) {
      const paralegal = ctx.staffMember(STAFF.paralegal);
      await w.row([facts.id, paralegal.id, paralegal.name, 'Paralegal', 'N', usDate(facts.opened), '']);
    }
  }
  await ctx.finish(w, headerLine);
}
