/** Records a row carries in its columns when the export has no file for them (a case list's client). */
import type { Issue } from '../../core/issues.ts';
import type { ParentLink, PlannedRecord } from '../../core/records.ts';
import type { FileMapping } from '../../mapping/mapping-schema.ts';
import { parseTarget } from '../../mapping/model.ts';
import type { SourceRow } from '../../source/model.ts';
import { carriedKey } from '../reference-index.ts';
import { link, type PlanContext } from './context.ts';
import { applyFields } from './fields.ts';
import type { RowPlan } from './planner.ts';

/**
 * The record of an object a row carries in its columns when the export has no file for it (a case
 * list's client, a contact's company): identified by the row's link to it when it has one (`Client ID`),
 * otherwise by its normalised name (and first e-mail), so every row carrying it plans the same record.
 * The row's own record links to it.
 */
export function carried(
  context: PlanContext,
  file: FileMapping,
  row: SourceRow,
  entity: 'person' | 'organization',
  links: ParentLink[],
): { record: PlannedRecord; issues: Issue[] } | undefined {
  const carries = file.fields.some((field) => {
    const target = field.target ? parseTarget(field.target) : undefined;
    return target?.entity === entity && target.kind !== 'ref';
  });
  if (!carries) return undefined;
  const built = applyFields(context, file, row, entity);
  const name = built.payload.name as string | undefined;
  if (!name) return undefined;
  const field = entity === 'person' ? 'person_id' : 'org_id';
  const linked = links.find((candidate) => candidate.field === field)?.identity;
  const emails = (built.payload.emails as { value: string }[] | undefined) ?? [];
  const identity =
    linked ?? `${entity === 'person' ? 'contact' : 'company'}:${carriedKey(name, emails[0]?.value ?? '')}`;
  if (!linked) links.push(link(field, entity, identity, false));
  context.stamp(built, entity, file, row, identity);
  return { record: context.record(entity, identity, built.payload, built.links, []), issues: built.issues };
}

/** A row's plan with the record it carries planned before its own (which links to it). */
export function withCarried(
  _context: PlanContext,
  carried: { record: PlannedRecord; issues: Issue[] } | undefined,
  plan: RowPlan,
): RowPlan {
  if (!carried || plan.kind !== 'records') return plan;
  return {
    kind: 'records',
    records: [carried.record, ...plan.records],
    issues: [...carried.issues, ...plan.issues],
  };
}
