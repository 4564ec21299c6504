import type { ExportContext } from '../export-context.ts';
import { accent, DAY, EPOCH, formatPhone, usDate } from '../format.ts';

/** contacts.csv: clients, witnesses and other parties, with the contact dirt of §6. */
export async function writeContacts(ctx: ExportContext): Promise<void> {
  const header = [
    'Contact ID',
    'Contact Type',
    'Prefix',
    'First Name',
    'Middle Name',
    'Last Name',
    'Suffix',
    'Nickname',
    'Company ID',
    'Company Name',
    'Job Title',
    'Email',
    'Email 2',
    'Mobile Phone',
    'Home Phone',
    'Work Phone',
    'Fax',
    'Address 1',
    'Address 2',
    'City',
    'State',
    'Zip',
    'County',
    'Country',
    'Date of Birth',
    'SSN Last 4',
    'Gender',
    'Preferred Language',
    'Preferred Contact Method',
    'Do Not Contact',
    'Categories',
    'Referral Source',
    'Notes',
    'Created By',
    'Created Date',
    'Modified Date',
    'Active',
  ];
  const w = await ctx.open('contacts.csv');
  const headerLine = await w.row(header, false);
  ctx.inject({
    code: 'sensitive_data',
    file: w.file,
    column: 'SSN Last 4',
    detail: 'SSN last 4 and date of birth columns',
  });
  for (let i = 0; i < ctx.contactCount; i += 1) {
    const rng = ctx.rng('contact-row', i);
    const id = ctx.contactId(i);
    let { first, last } = ctx.contactName(i);
    let email = `${first}.${last}${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@example.com';
    let phone = formatPhone(rng, i);
    const duplicate = i > 10 && rng.chance(0.02);
    if (duplicate) {
      const original = ctx.contactName(i - 7);
      first = original.first.toUpperCase();
      last = accent(original.last);
      email =
        `${original.first}.${original.last}${i - 7}`.toLowerCase().replace(/[^a-z0-9.]/g, '') +
        '@example.com';
    }
    const missing = !duplicate && rng.chance(0.04);
    if (missing) {
      email = '';
      phone = rng.chance(0.5) ? '713-555-01' : '';
    }
    const dob = rng.chance(0.03) ? '01/01/1900' : usDate(Date.UTC(1950, 0, 1) + rng.int(0, 18000) * DAY);
    const categories = rng.chance(0.04) ? rng.pick(['Client; Witness', 'Client;Referral Source']) : 'Client';
    const company = rng.chance(0.3) ? ctx.companyId(rng.int(0, ctx.companyCount - 1)) : '';
    const line = await w.row([
      id,
      'Person',
      '',
      first,
      '',
      last,
      '',
      '',
      company,
      '',
      '',
      email,
      '',
      phone,
      '',
      '',
      '',
      `${rng.int(100, 9999)} Main St`,
      '',
      'Houston',
      'TX',
      String(rng.int(77001, 77099)),
      'Harris',
      'USA',
      dob,
      String(rng.int(1000, 9999)),
      rng.pick(['F', 'M', '']),
      rng.pick(['English', 'Spanish']),
      rng.pick(['Phone', 'Email', 'Text']),
      rng.chance(0.05) ? 'Y' : 'N',
      categories,
      '',
      rng.chance(0.05) ? 'Prefers calls after 5pm 🙂' : '',
      ctx.staffMember(0).name,
      usDate(EPOCH + (i % 1400) * DAY),
      '',
      'Yes',
    ]);
    if (duplicate)
      ctx.inject({
        code: 'duplicate_contact',
        file: w.file,
        line,
        sourceKey: String(id),
        detail: `same e-mail as contact ${ctx.contactId(i - 7)}`,
      });
    if (missing)
      ctx.inject({
        code: 'missing_contact_info',
        file: w.file,
        line,
        sourceKey: String(id),
        column: 'Email',
        detail: 'no e-mail, no usable phone',
      });
    if (categories.includes(';'))
      ctx.inject({
        code: 'multi_value_cell',
        file: w.file,
        line,
        sourceKey: String(id),
        column: 'Categories',
        detail: categories,
      });
    if (dob === '01/01/1900')
      ctx.inject({
        code: 'mixed_date_formats',
        file: w.file,
        line,
        sourceKey: String(id),
        column: 'Date of Birth',
        detail: 'placeholder 01/01/1900',
      });
  }
  await ctx.finish(w, headerLine);
}
