import type { ExportContext } from '../export-context.ts';
import { DAY, EPOCH, formatPhone, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** companies.csv: insurers, providers, courts and firms the claims involve. */
export async function writeCompanies(ctx: ExportContext): Promise<void> {
  const header = [
    'Company ID',
    'Company Name',
    'Company Category',
    'Parent Company',
    'Tax ID',
    'NPI',
    'Main Phone',
    'Fax',
    'Records Fax',
    'Billing Phone',
    'Email',
    'Website',
    'Address 1',
    'Address 2',
    'City',
    'State',
    'Zip',
    'Country',
    'Notes',
    'Active',
    'Created Date',
    'Modified Date',
  ];
  // Saved from Excel on Windows: Windows-1252, so é and ’ are single bytes.
  const w = await ctx.open('companies.csv', 'windows-1252');
  const headerLine = await w.row(header, false);
  ctx.inject({ code: 'encoding_damage', file: w.file, detail: 'file written in Windows-1252' });
  for (let i = 0; i < ctx.companyCount; i += 1) {
    const rng = ctx.rng('company', i);
    const [category, suffix] = rng.pick(V.COMPANY_KINDS);
    const name = `${rng.pick(V.COMPANY_WORDS)} ${suffix}`;
    const zip = String(rng.int(1000, 99999)).padStart(5, '0');
    const mangled = zip.startsWith('0') && rng.chance(0.5);
    const line = await w.row([
      ctx.companyId(i),
      name,
      category,
      '',
      `${rng.int(10, 99)}-${rng.int(1000000, 9999999)}`,
      category.includes('Medical') ? rng.int(1000000000, 1999999999) : '',
      formatPhone(rng, 0),
      '',
      '',
      '',
      `info@${name.toLowerCase().replace(/[^a-z]/g, '')}.com`,
      `https://www.${name.toLowerCase().replace(/[^a-z]/g, '')}.com`,
      `${rng.int(100, 9999)} ${rng.pick(V.LAST_NAMES)} St`,
      '',
      rng.pick(['Houston', 'Galveston', 'Austin', 'Dallas']),
      'TX',
      mangled ? String(Number(zip)) : zip,
      'USA',
      rng.chance(0.1) ? 'Café meeting room – ask for Zoë’s desk' : '',
      'Yes',
      usDate(EPOCH + i * DAY),
      '',
    ]);
    if (mangled)
      ctx.inject({
        code: 'excel_mangling',
        file: w.file,
        line,
        sourceKey: String(ctx.companyId(i)),
        column: 'Zip',
        detail: `${zip} → ${Number(zip)}`,
      });
  }
  await ctx.finish(w, headerLine);
}
