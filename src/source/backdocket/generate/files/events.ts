import type { ExportContext } from '../export-context.ts';
import { DAY, EPOCH, STAFF, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** calendar_events.csv: hearings, depositions, deadlines, meetings. */
export async function writeEvents(ctx: ExportContext): Promise<void> {
  const header = [
    'Event ID',
    'Claim ID',
    'Event Type',
    'Title',
    'Start Date',
    'Start Time',
    'End Date',
    'End Time',
    'All Day',
    'Time Zone',
    'Location',
    'Staff Attendees',
    'Contact Attendees',
    'Description',
    'Reminder',
    'Expected Event',
    'Completed',
    'Completed On',
    'Created By',
    'Created Date',
  ];
  const w = await ctx.open('calendar_events.csv');
  const headerLine = await w.row(header, false);
  const count = ctx.n * 3;
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('event', i);
    const facts = ctx.claimFacts(i % ctx.n);
    const type = rng.pick(V.EVENT_TYPES);
    const when = facts.opened + rng.int(10, 400) * DAY;
    const done = when < EPOCH + 1500 * DAY && rng.chance(0.7);
    const line = await w.row([
      80000 + i,
      facts.id,
      type,
      `${type} – ${facts.type}`,
      usDate(when),
      `${rng.int(8, 16)}:00`,
      usDate(when),
      `${rng.int(8, 16)}:30`,
      'N',
      'America/Chicago',
      'Harris County Courthouse',
      ctx.attorney(i % ctx.n).name,
      type === 'Client Meeting' ? facts.client : '',
      'Bring exhibits',
      '1 day',
      type === 'Expected Event' ? 'Y' : 'N',
      done ? 'Y' : 'N',
      done ? usDate(when) : '',
      ctx.staffMember(STAFF.caseManager).name,
      usDate(facts.opened),
    ]);
    if (ctx.omittedClaims.has(facts.id))
      ctx.inject({
        code: 'truncated_export',
        file: w.file,
        line,
        sourceKey: String(80000 + i),
        column: 'Claim ID',
        detail: `claim ${facts.id} not in claims.csv`,
      });
  }
  await ctx.finish(w, headerLine);
}
