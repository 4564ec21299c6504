import type { ExportContext } from '../export-context.ts';
import { DAY, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** notes.csv: call logs and notes, with HTML and embedded newlines. */
export async function writeNotes(ctx: ExportContext): Promise<void> {
  const header = [
    'Note ID',
    'Claim ID',
    'Contact ID',
    'Note Type',
    'Subject',
    'Note',
    'Created By',
    'Created Date',
    'Modified Date',
    'Pinned',
    'Confidential',
  ];
  const w = await ctx.open('notes.csv');
  const headerLine = await w.row(header, false);
  const count = ctx.n * 6;
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('note', i);
    const facts = ctx.claimFacts(i % ctx.n);
    const type = rng.pick(V.NOTE_TYPES);
    const when = facts.opened + rng.int(1, 400) * DAY;
    const style = rng.int(0, 19);
    const text =
      style === 0
        ? 'Called adj.<br>&nbsp;Left VM'
        : style === 1
          ? 'Client says "the truck never braked".\r\nWill send photos.\r\nFollow up Friday.'
          : style === 2
            ? `Per Tina O’Neil: client SSN ends ${rng.int(1000, 9999)}, DOB ${usDate(Date.UTC(1950, 0, 1) + rng.int(0, 18000) * DAY)}; dx: lumbar strain (M54.5), C5-C6 herniation`
            : style === 3
              ? 'Spoke with Tina Oâ€™Neil about the lien'
              : `${type}: discussed treatment and next steps.`;
    const orphan = rng.chance(0.01);
    // An orphan points at a contact deleted or merged away before the export (ids past the last one).
    const contact = orphan ? ctx.contactId(ctx.contactCount + (i % 97)) : rng.chance(0.3) ? facts.client : '';
    const creator = ctx.staffMember(rng.int(0, 2));
    const line = await w.row([
      60000 + i,
      facts.id,
      contact,
      type,
      rng.chance(0.5) ? 'Update' : '',
      text,
      creator.name,
      `${usDate(when)} ${rng.int(1, 12)}:${String(rng.int(10, 59))} PM`,
      '',
      rng.chance(0.05) ? 'Y' : 'N',
      'N',
    ]);
    const key = String(60000 + i);
    if (style === 0)
      ctx.inject({
        code: 'html_in_notes',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Note',
        detail: text,
      });
    if (style === 1)
      ctx.inject({
        code: 'embedded_newline',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Note',
        detail: 'three lines with quotes',
      });
    if (style === 2)
      ctx.inject({
        code: 'sensitive_data',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Note',
        detail: 'diagnosis in note text',
      });
    if (style === 3)
      ctx.inject({
        code: 'encoding_damage',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Note',
        detail: 'Oâ€™Neil (UTF-8 read as Windows-1252)',
      });
    if (orphan)
      ctx.inject({
        code: 'orphan_reference',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Contact ID',
        detail: `contact ${contact} does not exist`,
      });
    if (ctx.omittedClaims.has(facts.id))
      ctx.inject({
        code: 'truncated_export',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Claim ID',
        detail: `claim ${facts.id} not in claims.csv`,
      });
  }
  await ctx.finish(w, headerLine);
}
