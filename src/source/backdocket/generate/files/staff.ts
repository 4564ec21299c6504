import type { ExportContext } from '../export-context.ts';
import { DAY, EPOCH, formatPhone, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** staff.csv: the roster (attorneys, case managers, paralegals, intake), some inactive. */
export async function writeStaff(ctx: ExportContext): Promise<void> {
  const header = [
    'Staff ID',
    'First Name',
    'Last Name',
    'Display Name',
    'Email',
    'Role',
    'Additional Roles',
    'Title',
    'Bar Number',
    'Office',
    'Phone',
    'Ext',
    'Active',
    'Deactivated Date',
    'Created Date',
    'Last Login',
  ];
  // A BOM in the first header, as Excel writes "CSV UTF-8".
  const w = await ctx.open('staff.csv', 'utf-8-bom');
  const headerLine = await w.row(header, false);
  ctx.inject({
    code: 'encoding_damage',
    file: w.file,
    line: headerLine,
    column: 'Staff ID',
    detail: 'UTF-8 BOM before the first header',
  });
  for (let i = 0; i < ctx.staffCount; i += 1) {
    const s = ctx.staffMember(i);
    const rng = ctx.rng('staff-row', i);
    const [yes, no] = rng.chance(0.12) ? rng.pick(V.BOOLEAN_SPELLINGS.slice(1, 4)) : ['Yes', 'No'];
    const additional = rng.chance(0.2) ? 'Negotiator;Intake' : '';
    const display = rng.chance(0.2) ? `${s.last}, ${s.first}` : s.name;
    const email = rng.chance(0.1) ? `${s.email.charAt(0).toUpperCase()}${s.email.slice(1)} ` : s.email;
    const line = await w.row([
      s.id,
      s.first,
      s.last,
      display,
      email,
      s.role,
      additional,
      s.role,
      s.role === 'Attorney' ? `TX ${24000000 + i}` : '',
      rng.pick(['Main', 'Galveston']),
      formatPhone(rng, 0),
      '',
      s.active ? yes : no,
      s.active ? '' : usDate(EPOCH + (1200 + i) * DAY),
      usDate(EPOCH - i * DAY),
      '',
    ]);
    if (yes !== 'Yes')
      ctx.inject({
        code: 'inconsistent_boolean',
        file: w.file,
        line,
        sourceKey: String(s.id),
        column: 'Active',
        detail: s.active ? yes : no,
      });
    if (additional)
      ctx.inject({
        code: 'multi_value_cell',
        file: w.file,
        line,
        sourceKey: String(s.id),
        column: 'Additional Roles',
        detail: additional,
      });
  }
  await ctx.finish(w, headerLine);
}
