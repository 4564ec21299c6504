import type { Issue } from '../../../core/issues.ts';
import { checkColumns } from './column-checks.ts';
import { checkDocuments, type DocumentLookup } from './document-checks.ts';
import type { QualityInput } from './quality-input.ts';
import {
  checkContacts,
  checkInactiveStaff,
  checkMoneyAddsUp,
  checkStatusDrift,
  checkStatusHistory,
  namesStaff,
} from './record-checks.ts';
import { checkOrphans, findReferences, mayReference, type ReferenceMap } from './references.ts';

export type { DocumentLookup, DocumentRequest, DocumentState } from './document-checks.ts';
export { attachExamples } from './examples.ts';
export type { QualityFile, QualityInput } from './quality-input.ts';
export type { ReferenceMap } from './references.ts';
export { findReferences, findSharedValues, keysPointedAt } from './references.ts';

/** Distinct values of a column beyond this many are read only by the reference and staff checks. */
const SMALL_VALUE_SET = 500;

/**
 * Whether the cross-file checks may read this column's distinct values once its file is done: short
 * value sets (booleans, statuses) and columns that may reference another file or name staff. The rest
 * are dropped after the file: kept until every file was read, they were most of the peak memory.
 */
export function checksReadDistinct(columnName: string, distinctCount: number): boolean {
  return distinctCount <= SMALL_VALUE_SET || mayReference(columnName) || namesStaff(columnName);
}

/**
 * Runs every data-quality check that needs no mapping (problems.ts codes) over the extracted files.
 * Returns the issues and the column references found (key overlap between files).
 */
export async function runQualityChecks(
  input: QualityInput,
  documents: DocumentLookup | null,
  found?: ReferenceMap,
): Promise<{ issues: Issue[]; references: ReferenceMap }> {
  const references = found ?? findReferences(input);
  // The document check starts first: it asks for every document at once, and the files are read and
  // hashed (on another thread, for an export on disk) while the checks below run.
  const documentIssues = documents ? checkDocuments(input, documents) : Promise.resolve([]);
  // Awaited below; a synchronous check that throws first must not leave it an unhandled rejection.
  documentIssues.catch(() => undefined);
  const issues = [
    ...checkColumns(input.files),
    ...checkOrphans(input, references),
    ...checkContacts(input),
    ...checkInactiveStaff(input),
    ...checkStatusDrift(input),
    ...checkStatusHistory(input),
    ...checkMoneyAddsUp(input),
    ...(await documentIssues),
  ];
  return { issues, references };
}
