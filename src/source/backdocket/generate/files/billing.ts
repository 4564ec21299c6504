import type { ExportContext } from '../export-context.ts';
import { DAY, isoDate, money, STAFF, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** billing_entries.csv: the ledger of each claim (costs, time, receipts). */
export async function writeBilling(ctx: ExportContext): Promise<void> {
  const header = [
    'Entry ID',
    'Claim ID',
    'Entry Date',
    'Entry Type',
    'Category',
    'Description',
    'Payee / Payor',
    'Staff',
    'Hours',
    'Rate',
    'Amount',
    'Billable',
    'Reimbursable',
    'Trust/Operating',
    'Invoice No.',
    'Check No.',
    'Status',
    'Created By',
    'Created Date',
  ];
  const w = await ctx.open('billing_entries.csv');
  // A report export: title row and a blank line above the header, totals and a page footer below.
  const titleLine = w.line;
  await w.raw('Smith Law Firm — Claim Ledger Report');
  await w.raw('');
  const headerLine = await w.row(header, false);
  ctx.inject({
    code: 'report_artefact',
    file: w.file,
    line: titleLine,
    detail: 'title row above the header',
  });
  const count = ctx.n * 5;
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('billing', i);
    const facts = ctx.liveClaim(i);
    const type = rng.pick(V.ENTRY_TYPES);
    const amount = rng.int(20, 5000);
    const negative = type === 'Disbursement' || type === 'Refund';
    total += negative ? -amount : amount;
    // Main form "$1,250.00" / "-$350.00"; ~4% written otherwise: (350.00), N/A, a bare 1250.
    const odd = rng.chance(0.04) ? rng.int(0, 2) : -1;
    const amountText =
      odd === 1
        ? 'N/A'
        : odd === 0 && negative
          ? `(${money(amount).slice(1)})`
          : odd >= 0
            ? String(negative ? -amount : amount)
            : `${negative ? '-' : ''}${money(amount)}`;
    const oddHours = type === 'Time Entry' && rng.chance(0.05);
    const hoursText =
      type === 'Time Entry'
        ? oddHours
          ? rng.pick(['1:30', '90m', '0:15'])
          : rng.pick(['1.5', '0.25', '2'])
        : '';
    const entryDate = facts.opened + (i % 300) * DAY;
    const isoEntry = rng.chance(0.03);
    const multiLine = rng.chance(0.01);
    const key = String(88000 + i);
    const line = await w.row([
      key,
      facts.id,
      isoEntry ? isoDate(entryDate) : usDate(entryDate),
      type,
      'Records',
      multiLine ? 'Memorial Hermann ER records\r\n(rush fee incl., "certified")' : 'Records fee (rush)',
      'Memorial Hermann',
      ctx.staffMember(STAFF.caseManager).name,
      hoursText,
      type === 'Time Entry' ? '$350.00' : '',
      amountText,
      rng.pick(['Y', 'N']),
      rng.pick(['Y', 'N']),
      rng.pick(['Trust', 'Operating']),
      rng.chance(0.3) ? `INV-${facts.id}-01` : '',
      rng.chance(0.2) ? rng.int(10000, 19999) : '',
      rng.pick(['Paid', 'Billed', 'Deposited', 'Cleared']),
      ctx.staffMember(STAFF.caseManager).name,
      usDate(facts.opened),
    ]);
    if (oddHours)
      ctx.inject({
        code: 'hours_format',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Hours',
        detail: hoursText,
      });
    if (odd >= 0)
      ctx.inject({
        code: 'currency_string',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Amount',
        detail: amountText,
      });
    if (isoEntry)
      ctx.inject({
        code: 'mixed_date_formats',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Entry Date',
        detail: isoDate(entryDate),
      });
    if (multiLine)
      ctx.inject({
        code: 'embedded_newline',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Description',
        detail: 'two lines with quotes',
      });
  }
  const totalsLine = w.line;
  await w.row(['', '', '', '', '', 'Total', '', '', '', '', money(total)], false);
  ctx.inject({ code: 'report_artefact', file: w.file, line: totalsLine, detail: 'totals row' });
  const footerLine = w.line;
  await w.raw('Page 1 of 1');
  ctx.inject({ code: 'report_artefact', file: w.file, line: footerLine, detail: 'page footer' });
  await ctx.finish(w, headerLine);
}
