import type { FileMapping } from '../../mapping/mapping-schema.ts';
import type { SourceRow } from '../../source/model.ts';
import { appendMarker, type PlanContext, ref } from './context.ts';
import { applyFields } from './fields.ts';
import type { EntityPlanner, RowPlan } from './planner.ts';

/** An event or task row becomes an activity. */
export const activityPlanner: EntityPlanner = {
  entity: 'activity',
  objects: ['event', 'task'],
  plan: (context, { file, row }) => activityRecord(context, file, row),
};

function activityRecord(context: PlanContext, file: FileMapping, row: SourceRow): RowPlan {
  const built = applyFields(context, file, row, 'activity');
  const payload = built.payload;
  payload.subject ??= `${file.object === 'task' ? 'Task' : 'Event'} ${row.sourceKey}`;
  if (file.object === 'task' && !payload.type)
    payload.type = context.options.schema.activityTypeKey('Task') ?? 'task';
  if (!payload.type) payload.type = context.options.schema.activityTypeKey('Meeting') ?? 'meeting';
  payload.note = appendMarker(payload.note as string | undefined, built.identity);
  return context.done(built, context.record('activity', built.identity, payload, built.links, [ref(row)]));
}
