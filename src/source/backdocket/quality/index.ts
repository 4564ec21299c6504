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
} from './record-checks.ts';
import { checkOrphans, findReferences, type ReferenceMap } from './references.ts';

export type { DocumentLookup } from './document-checks.ts';
export type { QualityFile, QualityInput } from './quality-input.ts';
export type { ReferenceMap } from './references.ts';

/**
 * Runs every data-quality check that needs no mapping (problems.ts codes) over the extracted files.
 * Returns the issues and the column references found (key overlap between files).
 */
export async function runQualityChecks(
  input: QualityInput,
  documents: DocumentLookup | null,
): Promise<{ issues: Issue[]; references: ReferenceMap }> {
  const references = findReferences(input.files);
  const issues = [
    ...checkColumns(input.files),
    ...checkOrphans(input, references),
    ...checkContacts(input),
    ...checkInactiveStaff(input),
    ...checkStatusDrift(input),
    ...checkStatusHistory(input),
    ...checkMoneyAddsUp(input),
    ...(documents ? await checkDocuments(input, documents) : []),
  ];
  return { issues, references };
}
