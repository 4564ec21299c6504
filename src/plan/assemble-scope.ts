import type { MappingProposal, ObjectProposal } from '../mapping/model.ts';
import type { ExtractedFile } from '../source/model.ts';
import type { CostEstimate } from './estimate-cost.ts';

/** Transforms that carry a value across unchanged (a 1:1 column). */
const DIRECT_TRANSFORMS = new Set(['text', 'email', 'reference']);

export interface ScopeObject {
  readonly file: string;
  readonly object: string | null;
  readonly entity: string | null;
  readonly rows: number;
  /** `direct`: every migrated column moves 1:1; `transform`: some need parsing, value maps or roll-ups. */
  readonly mapping: 'direct' | 'transform' | 'not migrated';
  readonly transformedColumns: readonly string[];
}

export interface ScopeSummary {
  readonly objects: readonly ScopeObject[];
  readonly totalRows: number;
  readonly directObjects: number;
  readonly transformedObjects: number;
  readonly customFields: number;
  readonly grade: 'simple' | 'moderate' | 'complex';
  readonly reasons: readonly string[];
  readonly days: number;
}

/**
 * The scoping summary a consultant can quote from: objects and rows, which map 1:1 and which need
 * transformation, a complexity grade with its reasons, and the timeline. Pure.
 */
export function assembleScope(input: {
  files: readonly ExtractedFile[];
  proposal: MappingProposal;
  cost: CostEstimate;
  pipelines: number;
  unresolvedOwners: number;
}): ScopeSummary {
  const proposals = new Map(input.proposal.objects.map((object) => [object.file, object]));
  const objects = input.files.map((file) => scopeObject(file, proposals.get(file.file)));
  const customFields = new Set(
    input.proposal.objects.flatMap((object) =>
      object.fields.filter((field) => field.target?.includes('.custom:')).map((field) => field.target),
    ),
  ).size;
  const totalRows = objects.reduce((sum, object) => sum + object.rows, 0);
  const transformedObjects = objects.filter((object) => object.mapping === 'transform').length;
  const directObjects = objects.filter((object) => object.mapping === 'direct').length;
  const reasons: string[] = [];
  let score = 0;
  const flag = (condition: boolean, points: number, reason: string) => {
    if (!condition) return;
    score += points;
    reasons.push(reason);
  };
  flag(transformedObjects > 3, 1, `${transformedObjects} of ${objects.length} files need transformation`);
  flag(input.pipelines > 5, 1, `${input.pipelines} pipelines (one per claim type)`);
  flag(customFields > 30, 1, `${customFields} custom fields to create`);
  flag(input.cost.days > 1, 1, `${input.cost.days} days of API budget`);
  flag(input.cost.days > 5, 1, 'more than five days of API budget');
  flag(totalRows > 500_000, 1, `${totalRows.toLocaleString('en-US')} source rows`);
  flag(input.unresolvedOwners > 0, 1, `${input.unresolvedOwners} staff members without a Pipedrive user`);
  const grade = score <= 1 ? 'simple' : score <= 3 ? 'moderate' : 'complex';
  if (reasons.length === 0) reasons.push('few objects, direct mappings, within one day of API budget');
  return {
    objects,
    totalRows,
    directObjects,
    transformedObjects,
    customFields,
    grade,
    reasons,
    days: input.cost.days,
  };
}

function scopeObject(file: ExtractedFile, proposal: ObjectProposal | undefined): ScopeObject {
  const base = {
    file: file.file,
    object: file.detection.object,
    entity: proposal?.entity ?? null,
    rows: file.rowCount,
  };
  if (!proposal?.entity || proposal.entity === 'user')
    return { ...base, mapping: 'not migrated', transformedColumns: [] };
  const transformedColumns = proposal.fields
    .filter((field) => field.target && field.transform && !DIRECT_TRANSFORMS.has(field.transform.kind))
    .map((field) => field.column);
  return { ...base, mapping: transformedColumns.length > 0 ? 'transform' : 'direct', transformedColumns };
}
