import type { ExportContext } from '../export-context.ts';
import { DAY, historyPath, isoDate, STAFF, usDate } from '../format.ts';

/** claim_status_history.csv: each claim's path through the statuses, with gaps. */
export async function writeStatusHistory(ctx: ExportContext): Promise<void> {
  const header = [
    'Claim ID',
    'Claim Number',
    'From Status',
    'To Status',
    'Changed On',
    'Changed By',
    'Comment',
  ];
  const w = await ctx.open('claim_status_history.csv');
  const headerLine = await w.row(header, false);
  ctx.inject({
    code: 'timestamp_without_zone',
    file: w.file,
    column: 'Changed On',
    detail: 'local times without a zone',
  });
  for (let i = 0; i < ctx.n; i += 1) {
    const facts = ctx.claimFacts(i);
    if (ctx.omittedClaims.has(facts.id)) continue;
    const rng = ctx.rng('history', i);
    const path = historyPath(facts.status);
    const gap = path.length > 1 && rng.chance(0.04);
    const steps = gap ? path.slice(0, -1) : path;
    let from = '';
    let at = facts.opened;
    let lastLine = 0;
    for (const to of steps) {
      // Main format "M/D/YYYY h:mm AM"; ~4% ISO with seconds (another screen of the product).
      const iso = rng.chance(0.04);
      const text = iso
        ? `${isoDate(at)}T${String(rng.int(8, 17)).padStart(2, '0')}:03:11`
        : `${usDate(at)} ${rng.int(1, 12)}:${String(rng.int(0, 59)).padStart(2, '0')} ${rng.pick(['AM', 'PM'])}`;
      const line = await w.row([
        facts.id,
        ctx.claimNumber(i, facts.opened),
        from,
        to,
        text,
        to === 'Chase Call' || to === 'No Decision'
          ? ctx.staffMember(STAFF.intake).name
          : ctx.staffMember(STAFF.caseManager).name,
        rng.chance(0.2) ? 'signed at office; fee 33 1/3%' : '',
      ]);
      if (iso)
        ctx.inject({
          code: 'mixed_date_formats',
          file: w.file,
          line,
          sourceKey: String(facts.id),
          column: 'Changed On',
          detail: text,
        });
      lastLine = line;
      from = to;
      at += rng.int(2, 60) * DAY;
    }
    if (gap)
      ctx.inject({
        code: 'status_history_gap',
        file: w.file,
        line: lastLine,
        sourceKey: String(facts.id),
        column: 'To Status',
        detail: `history ends at ${steps.at(-1)}, claim is ${facts.status}`,
      });
  }
  await ctx.finish(w, headerLine);
}
