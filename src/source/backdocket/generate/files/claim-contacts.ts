import type { ExportContext } from '../export-context.ts';
import { usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** claim_contacts.csv: who is party to each claim, in which role. */
export async function writeClaimContacts(ctx: ExportContext): Promise<void> {
  const header = [
    'Claim ID',
    'Contact ID',
    'Company ID',
    'Role',
    'Is Primary',
    'Represented By',
    'Policy Number',
    'Claim Number (Carrier)',
    'Notes',
    'Added Date',
  ];
  const w = await ctx.open('claim_contacts.csv');
  const headerLine = await w.row(header, false);
  for (let i = 0; i < ctx.n; i += 1) {
    const facts = ctx.claimFacts(i);
    if (ctx.omittedClaims.has(facts.id)) continue;
    const rng = ctx.rng('claim-contacts', i);
    await w.row([facts.id, facts.client, '', 'Client', 'Yes', '', '', '', '', usDate(facts.opened)]);
    const other = ctx.contactId((i * 2 + 1) % ctx.contactCount);
    // Policy numbers are long digit strings; Excel turns ~2% of them into scientific notation.
    const policy = String(rng.int(100000, 999999) * 1e9 + rng.int(100000000, 999999999));
    const mangled = rng.chance(0.02);
    const policyText = mangled ? Number(policy).toExponential(5).toUpperCase() : policy;
    const line = await w.row([
      facts.id,
      other,
      rng.chance(0.5) ? ctx.companyId(rng.int(0, ctx.companyCount - 1)) : '',
      rng.pick(V.CONTACT_ROLES.slice(1)),
      'No',
      '',
      policyText,
      '',
      '',
      usDate(facts.opened),
    ]);
    if (mangled)
      ctx.inject({
        code: 'excel_mangling',
        file: w.file,
        line,
        sourceKey: `${facts.id}:${other}`,
        column: 'Policy Number',
        detail: `${policy} → ${policyText}`,
      });
  }
  await ctx.finish(w, headerLine);
}
