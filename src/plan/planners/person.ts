import type { FileMapping } from '../../mapping/mapping-schema.ts';
import type { SourceRow } from '../../source/model.ts';
import type { PlanContext } from './context.ts';
import { simpleRecord } from './named-record.ts';
import type { AlongRow, EntityPlanner, RowPlan } from './planner.ts';

/** A contact row becomes a person, with the company it carries when the export has no file for it. */
export const personPlanner: EntityPlanner = {
  entity: 'person',
  objects: ['contact'],
  plan: (context, { file, row, along }) => contactRecord(context, file, row, along),
};

function contactRecord(
  context: PlanContext,
  file: FileMapping,
  row: SourceRow,
  along: readonly AlongRow[],
): RowPlan {
  const canonical = context.options.duplicateOf?.(row.sourceKey);
  if (canonical) {
    return {
      kind: 'none',
      outcome: 'skipped',
      reason: `duplicate of contact ${canonical}; merged into it`,
      issues: [],
    };
  }
  return simpleRecord(context, file, row, 'person', along);
}
