import type { FileMapping } from '../../mapping/mapping-schema.ts';
import type { SourceRow } from '../../source/model.ts';
import { DOCUMENTS_NOT_UPLOADED_FIELD } from '../target-schema.ts';
import { DEFAULT_UPLOAD_LIMIT, type PlanContext, ref } from './context.ts';
import { applyFields } from './fields.ts';
import type { EntityPlanner, RowPlan } from './planner.ts';

/** A document row becomes a file uploaded to its deal (or person). */
export const filePlanner: EntityPlanner = {
  entity: 'file',
  objects: ['document'],
  plan: (context, { file, row }) => documentRecord(context, file, row),
};

function documentRecord(context: PlanContext, file: FileMapping, row: SourceRow): RowPlan {
  const built = applyFields(context, file, row, 'file');
  const storage = (built.extras.storagePath as string | undefined) ?? '';
  const located = storage ? context.options.documentFile?.(storage) : undefined;
  const unavailable = located ? undefined : context.options.documentUnavailable?.(row.sourceKey);
  if (unavailable) {
    return {
      kind: 'none',
      outcome: 'skipped',
      reason: `not available from this source: ${unavailable}`,
      issues: built.issues,
    };
  }
  if (!located) {
    return context.quarantine(
      built.issues,
      row,
      'file',
      `the document file '${storage}' is missing or outside the export`,
    );
  }
  if (located.size === 0)
    return context.quarantine(built.issues, row, 'file', 'the document file is empty (0 bytes)');
  const limit = context.options.maxUploadBytes ?? DEFAULT_UPLOAD_LIMIT;
  if (located.size > limit) {
    return {
      kind: 'none',
      outcome: 'skipped',
      reason: `over the upload limit (${located.size} bytes > ${limit}); listed with its path in the deal field "${DOCUMENTS_NOT_UPLOADED_FIELD}"`,
      issues: built.issues,
    };
  }
  if (!built.links.some((candidate) => candidate.field === 'deal_id' || candidate.field === 'person_id')) {
    return context.quarantine(built.issues, row, 'deal_id', 'the document belongs to no claim or contact');
  }
  const fileName =
    (built.payload.name as string | undefined) ?? storage.split('/').at(-1) ?? `document-${row.sourceKey}`;
  const payload: Record<string, unknown> = {};
  const upload = { path: located.path, fileName, size: located.size };
  // Only one parent: the deal when known, else the person.
  const parent = built.links.find((candidate) => candidate.field === 'deal_id') ?? built.links[0]!;
  return context.done(built, context.record('file', built.identity, payload, [parent], [ref(row)], upload));
}

// ---- fields ---------------------------------------------------------------------------------------
