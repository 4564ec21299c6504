import type { ExportContext } from '../export-context.ts';
import * as V from '../vocabulary.ts';

/** claim_types.csv: the practice areas and their expected events. */
export async function writeClaimTypes(ctx: ExportContext): Promise<void> {
  const header = [
    'Claim Type ID',
    'Claim Type',
    'Template Source',
    'Practice Area',
    'Default SOL (years)',
    'Intake Form',
    'Expected Events',
    'Active',
  ];
  const w = await ctx.open('claim_types.csv');
  const headerLine = await w.row(header, false);
  const fieldsHeader = [
    'Claim Type ID',
    'Field ID',
    'Section',
    'Field Label',
    'Field Type',
    'Options',
    'Required',
    'Sort Order',
    'Active',
  ];
  const f = await ctx.open('claim_type_fields.csv');
  const fieldsHeaderLine = await f.row(fieldsHeader, false);
  let fieldId = 1;
  for (const [index, type] of V.CLAIM_TYPES.entries()) {
    await w.row([
      index + 1,
      type,
      index < 10 ? 'BackDocket template' : 'Custom',
      index < 10 ? 'Plaintiff' : 'Other',
      2,
      `${type} Intake`,
      'Retainer Signed|Demand Sent|Suit Filed|SOL',
      'Yes',
    ]);
    for (const [label, kind] of V.AD_HOC_FIELDS[type] ?? []) {
      await f.row([
        index + 1,
        fieldId,
        'Details',
        label.split(': ')[1] ?? label,
        kind,
        kind === 'Dropdown' ? 'H-1B;F-1;Green Card' : '',
        'No',
        fieldId,
        'Yes',
      ]);
      fieldId += 1;
    }
  }
  await ctx.finish(w, headerLine);
  await ctx.finish(f, fieldsHeaderLine);
}
