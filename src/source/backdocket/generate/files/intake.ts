import type { ExportContext } from '../export-context.ts';
import { DAY, EPOCH, formatPhone, STAFF, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** intake_submissions.csv: leads, some of which became claims. */
export async function writeIntake(ctx: ExportContext): Promise<void> {
  const header = [
    'Intake ID',
    'Intake Form',
    'Claim Type',
    'Submitted On',
    'Intake Specialist',
    'Lead Source',
    'Caller Name',
    'Caller Phone',
    'Caller Email',
    'Injured Party',
    'Relationship to Injured',
    'Date of Incident',
    'Incident Summary',
    'Injuries',
    'Treated At',
    'Other Attorney Involved',
    'Outcome',
    'Outcome Reason',
    'Claim ID',
    'Follow-up Date',
    'Q: Were police called?',
    'Q: Ambulance?',
  ];
  const w = await ctx.open('intake_submissions.csv');
  const headerLine = await w.row(header, false);
  const count = Math.ceil(ctx.n * 1.2);
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('intake', i);
    const linked = i < ctx.n && rng.chance(0.8) && !ctx.omittedClaims.has(ctx.claimId(i));
    const claim = linked ? ctx.claimFacts(i) : undefined;
    const caller = ctx.contactName((i * 3) % ctx.contactCount);
    const when = claim ? claim.opened - DAY : EPOCH + rng.int(0, 1400) * DAY;
    await w.row([
      70000 + i,
      'Auto Intake',
      claim?.type ?? rng.pick(V.CLAIM_TYPES.slice(0, 10)),
      usDate(when),
      ctx.staffMember(STAFF.intake).name,
      rng.pick(['Google', 'TV', 'Referral']),
      `${caller.first} ${caller.last}`,
      formatPhone(rng, i),
      `${caller.first}${i}@example.net`.toLowerCase(),
      `${caller.first} ${caller.last}`,
      'Self',
      usDate(when - 10 * DAY),
      'Rear-ended at a light',
      'Neck pain',
      'Memorial Hermann',
      'No',
      claim ? 'Signed' : rng.pick(['Chase Call', 'No Decision', 'Rejected', 'Referred']),
      '',
      claim?.id ?? '',
      usDate(when + 7 * DAY),
      rng.pick(['Yes', 'No']),
      rng.pick(['Yes', 'No', '']),
    ]);
  }
  await ctx.finish(w, headerLine);
}
