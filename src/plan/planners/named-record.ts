import type { WriteEntity } from '../../core/records.ts';
import type { FileMapping } from '../../mapping/mapping-schema.ts';
import type { SourceRow } from '../../source/model.ts';
import { carried, withCarried } from './carried.ts';
import { mergeBuilt, type PlanContext, ref } from './context.ts';
import { applyFields } from './fields.ts';
import type { AlongRow, RowPlan } from './planner.ts';

/**
 * A record named by its row (an organization from a company row, a person from a contact row), joined by
 * the rows of other files holding more of it (`along`); a person's company carried in its columns is
 * planned before it.
 */
export function simpleRecord(
  context: PlanContext,
  file: FileMapping,
  row: SourceRow,
  entity: WriteEntity,
  along: readonly AlongRow[] = [],
): RowPlan {
  const built = applyFields(context, file, row, entity);
  for (const other of along) mergeBuilt(built, applyFields(context, other.file, other.row, entity));
  if (!built.payload.name) return context.quarantine(built.issues, row, 'name', 'the record has no name');
  const company = entity === 'person' ? carried(context, file, row, 'organization', built.links) : undefined;
  context.stamp(built, entity, file, row);
  const rows = [ref(row), ...along.map((other) => ref(other.row))];
  return withCarried(
    context,
    company,
    context.done(built, context.record(entity, built.identity, built.payload, built.links, rows)),
  );
}
