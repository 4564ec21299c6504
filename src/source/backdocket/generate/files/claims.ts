import type { ExportContext } from '../export-context.ts';
import { DAY, excelSerial, isoDate, money, STAFF, shortType, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** claims.csv: the matters, wide with per-type ad-hoc columns, and their money. */
export async function writeClaims(ctx: ExportContext): Promise<void> {
  const adHoc = Object.values(V.AD_HOC_FIELDS)
    .flat()
    .map(([label]) => label);
  const header = [
    'Claim ID',
    'Claim Number',
    'Matter ID',
    'Claim Name',
    'Claim Type',
    'Status',
    'Status Date',
    'Sub Status',
    'Client Contact ID',
    'Client Name',
    'Lead Attorney',
    'Case Manager',
    'Paralegal',
    'Intake Specialist',
    'Office',
    'Referral Source',
    'Referred By',
    'Referred To Firm',
    'Marketing Source',
    'Intake Date',
    'Date Opened',
    'Contract Signed Date',
    'Date of Incident',
    'Statute of Limitations',
    'SOL Type',
    'Incident State',
    'Incident County',
    'Incident Location',
    'Incident Description',
    'Venue',
    'Court',
    'Cause Number',
    'Defendant(s)',
    'Opposing Counsel',
    'Total Medical Bills',
    'Demand Amount',
    'Demand Date',
    'Last Offer',
    'Last Offer Date',
    'Settlement Amount',
    'Settlement Date',
    'Attorney Fee %',
    'Attorney Fee',
    'Case Costs',
    'Liens Total',
    'Net to Client',
    'Closed Date',
    'Closed Reason',
    'Rejected Reason',
    'Active',
    'Deactivated Date',
    'Created By',
    'Created Date',
    'Modified By',
    'Modified Date',
    'Notes',
    ...adHoc,
    'Notes',
  ];
  const w = await ctx.open('claims.csv');
  const headerLine = await w.row(header, false);
  ctx.inject({
    code: 'duplicate_header',
    file: w.file,
    line: headerLine,
    column: 'Notes',
    detail: 'two Notes columns',
  });
  ctx.inject({
    code: 'same_concept_different_labels',
    file: w.file,
    line: headerLine,
    column: 'WC: Date of Injury',
    detail: 'Date of Incident vs WC: Date of Injury',
  });
  for (let i = 0; i < ctx.n; i += 1) {
    const facts = ctx.claimFacts(i);
    if (ctx.omittedClaims.has(facts.id)) continue;
    const rng = ctx.rng('claim-row', i);
    const client = ctx.contactName(facts.client - 5000);
    const lead = ctx.attorney(i);
    const incident = facts.opened - rng.int(5, 200) * DAY;
    const settled = facts.status === 'Settled' || facts.status === 'Closed';
    const settlement = settled ? rng.int(5, 300) * 1000 : 0;
    const fee = Math.round(settlement * (facts.status === 'Litigation' ? 0.4 : 1 / 3) * 100) / 100;
    const costs = settled ? rng.int(100, Math.min(5000, settlement / 10)) : 0;
    const liens = settled ? rng.int(0, settlement / 5) : 0;
    let net = Math.round((settlement - fee - costs - liens) * 100) / 100;
    const badNet = settled && rng.chance(0.05);
    if (badNet) net += 1000;
    const drift =
      V.STATUS_DRIFT[facts.status] && rng.chance(0.15)
        ? rng.pick(V.STATUS_DRIFT[facts.status]!)
        : facts.status;
    // Main format M/D/YYYY; ~6% an Excel serial, an ISO date or the 00/00/0000 placeholder.
    const dateStyle = rng.chance(0.06) ? rng.int(0, 2) : 3;
    const incidentText =
      dateStyle === 0
        ? String(excelSerial(incident))
        : dateStyle === 1
          ? isoDate(incident)
          : dateStyle === 2
            ? '00/00/0000'
            : usDate(incident);
    const claimNumber = rng.chance(0.03)
      ? `${(2.02301 + i / 1e6).toPrecision(6)}E+11`
      : ctx.claimNumber(i, facts.opened);
    const litigated = facts.status === 'Litigation';
    const cleanPercent = litigated ? '40%' : '33.33%';
    const percent = rng.chance(0.05)
      ? rng.pick(litigated ? ['0.4', '40'] : ['33 1/3%', '0.3333', '33.33'])
      : cleanPercent;
    const active = rng.chance(0.04) ? rng.pick(['Y', '1', 'TRUE', 'X']) : 'Yes';
    const manager = ctx.staffMember(STAFF.caseManager);
    const adHocValues = adHoc.map((label) => {
      if (!label.startsWith(shortType(facts.type))) return '';
      if (label.includes('Date')) return usDate(incident);
      if (label.includes('Year')) return String(2005 + rng.int(0, 18));
      if (label.includes('Wage') || label.includes('Amount')) return `$${rng.int(300, 2000)}.00`;
      return `${rng.pick(V.COMPANY_WORDS)} ${rng.int(1, 99)}`;
    });
    const line = await w.row([
      facts.id,
      claimNumber,
      rng.chance(0.1) ? `M-${rng.int(1, 99)}` : '',
      `${client.last}, ${client.first} v. ${rng.pick(V.COMPANY_WORDS)} Freight`,
      facts.type,
      drift,
      usDate(facts.opened + 10 * DAY),
      '',
      facts.client,
      `${client.first} ${client.last}`,
      lead.name,
      manager.name,
      ctx.staffMember(STAFF.paralegal).name,
      ctx.staffMember(STAFF.intake).name,
      'Main',
      rng.pick(['Google', 'Billboard', 'Referral', 'TV']),
      '',
      facts.status === 'Referred' ? 'Gulf Coast Law Firm PLLC' : '',
      '',
      usDate(facts.opened),
      usDate(facts.opened),
      usDate(facts.opened + 3 * DAY),
      incidentText,
      usDate(incident + 730 * DAY),
      'General',
      'TX',
      'Harris',
      'I-45 at Main',
      'Rear-end collision; "soft tissue" injuries',
      'Harris County',
      '',
      '',
      `${rng.pick(V.COMPANY_WORDS)} Freight`,
      '',
      settled ? money(rng.int(1000, 50000)) : '',
      '',
      '',
      '',
      '',
      settled ? money(settlement) : '',
      settled ? usDate(facts.opened + 300 * DAY) : '',
      percent,
      settled ? money(fee) : '',
      settled ? money(costs) : '',
      settled ? money(liens) : '',
      settled ? money(net) : '',
      settled ? usDate(facts.opened + 320 * DAY) : '',
      settled ? 'Settled' : '',
      facts.status === 'Rejected' ? 'No liability' : '',
      active,
      '',
      lead.name,
      usDate(facts.opened),
      '',
      '',
      '',
      ...adHocValues,
      '',
    ]);
    const key = String(facts.id);
    if (drift !== facts.status)
      ctx.inject({
        code: 'status_spelling_drift',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Status',
        detail: JSON.stringify(drift),
      });
    if (dateStyle !== 3)
      ctx.inject({
        code: 'mixed_date_formats',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Date of Incident',
        detail: incidentText,
      });
    if (claimNumber.includes('E+'))
      ctx.inject({
        code: 'excel_mangling',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Claim Number',
        detail: claimNumber,
      });
    if (percent !== cleanPercent)
      ctx.inject({
        code: 'percent_variant',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Attorney Fee %',
        detail: percent,
      });
    if (active !== 'Yes')
      ctx.inject({
        code: 'inconsistent_boolean',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Active',
        detail: active,
      });
    if (!lead.active)
      ctx.inject({
        code: 'inactive_staff_owner',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Lead Attorney',
        detail: `${lead.name} is inactive`,
      });
    if (badNet)
      ctx.inject({
        code: 'money_does_not_add_up',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Net to Client',
        detail: 'off by $1,000',
      });
  }
  await ctx.finish(w, headerLine);
}
