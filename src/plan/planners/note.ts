import type { FileMapping } from '../../mapping/mapping-schema.ts';
import { normaliseValueKey } from '../../mapping/transforms/index.ts';
import type { SourceRow } from '../../source/model.ts';
import { appendMarker, type PlanContext, ref } from './context.ts';
import { applyFields } from './fields.ts';
import type { EntityPlanner, RowPlan } from './planner.ts';

/** A note row becomes a note, or a done activity when valueMaps.noteTypes says so. */
export const notePlanner: EntityPlanner = {
  entity: 'note',
  objects: ['note'],
  plan: (context, { file, row }) => noteRecord(context, file, row),
};

function noteRecord(context: PlanContext, file: FileMapping, row: SourceRow): RowPlan {
  const typeField = file.fields.find((field) => field.target === 'activity.type');
  const noteType = typeField ? (row.values[typeField.column] ?? '').trim() : '';
  const asActivity = noteType
    ? Object.entries(context.options.mapping.valueMaps.noteTypes).find(
        ([key]) => normaliseValueKey(key) === normaliseValueKey(noteType),
      )?.[1]
    : undefined;
  const built = applyFields(context, file, row, 'note');
  const content = String(built.payload.content ?? '').trim();
  if (!content) return context.quarantine(built.issues, row, 'content', 'the note is empty');
  if (
    !built.links.some((candidate) => ['deal_id', 'person_id', 'org_id', 'lead_id'].includes(candidate.field))
  ) {
    return context.quarantine(built.issues, row, 'deal_id', 'the note belongs to no claim or contact');
  }
  // A note that Pipedrive requires a parent for: the links stay required so a note never floats free.
  if (asActivity?.as === 'activity') {
    const payload: Record<string, unknown> = {
      subject: `${noteType}${built.extras.subject ? `: ${built.extras.subject}` : ''}`.slice(0, 255),
      type: context.options.schema.activityTypeKey(asActivity.activityType ?? 'Call') ?? 'call',
      done: true,
      note: appendMarker(content, built.identity),
    };
    const at = built.extras.addTimeIso as string | undefined;
    if (at) {
      payload.due_date = at.slice(0, 10);
      payload.due_time = at.slice(11, 16);
    }
    if (built.payload.user_id !== undefined) payload.owner_id = built.payload.user_id;
    const links = built.links
      .filter((candidate) => candidate.field !== 'org_id')
      .map((candidate) =>
        candidate.field === 'person_id' ? { ...candidate, field: 'participants' } : candidate,
      );
    return context.done(built, context.record('activity', built.identity, payload, links, [ref(row)]));
  }
  built.payload.content = appendMarker(content, built.identity);
  return context.done(built, context.record('note', built.identity, built.payload, built.links, [ref(row)]));
}
