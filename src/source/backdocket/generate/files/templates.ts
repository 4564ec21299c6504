import type { ExportContext } from '../export-context.ts';

/** document_templates.csv: merge templates (nothing writable in Pipedrive). */
export async function writeTemplates(ctx: ExportContext): Promise<void> {
  const header = [
    'Template ID',
    'Template Name',
    'Category',
    'Claim Type',
    'Merge Fields',
    'Last Modified',
    'Active',
  ];
  const w = await ctx.open('document_templates.csv');
  const headerLine = await w.row(header, false);
  const names = [
    'Retainer Agreement',
    'Letter of Representation',
    'Records Request',
    'Demand Letter',
    'Lien Request',
    'Settlement Statement',
    'Closing Letter',
    'HIPAA Authorization',
    'Preservation Letter',
    'Referral Agreement',
    'Fee Agreement',
    'Status Update',
    'Medical Summary',
    'Subpoena Cover',
    'Thank You Letter',
  ];
  for (const [index, name] of names.entries()) {
    await w.row([
      index + 1,
      name,
      'Correspondence',
      index % 3 === 0 ? 'Auto' : 'All',
      '{{Client Name}};{{Claim Number}};{{Date of Incident}}',
      '01/15/2023',
      'Yes',
    ]);
  }
  await ctx.finish(w, headerLine);
}
