/**
 * The 24 data-quality problems of a BackDocket export (shared/reference/backdocket-exports.md §6).
 * The generator injects them and records each injection under its `code`; the extractor and the
 * validator report what they catch under the same `code`, so the two can be reconciled.
 */
export const DATA_QUALITY_PROBLEMS = [
  { id: 1, code: 'missing_contact_info', title: 'Missing e-mails / phones' },
  { id: 2, code: 'duplicate_contact', title: 'Duplicate contacts' },
  { id: 3, code: 'mixed_date_formats', title: 'Mixed date formats' },
  { id: 4, code: 'timestamp_without_zone', title: 'Timestamps without zone' },
  { id: 5, code: 'currency_string', title: 'Currency strings' },
  { id: 6, code: 'percent_variant', title: 'Percent variants' },
  { id: 7, code: 'multi_value_cell', title: 'Multi-value cells' },
  { id: 8, code: 'orphan_reference', title: 'Orphan references' },
  { id: 9, code: 'inactive_staff_owner', title: 'Inactive staff owning records' },
  { id: 10, code: 'encoding_damage', title: 'Encoding' },
  { id: 11, code: 'embedded_newline', title: 'Embedded newlines / quotes' },
  { id: 12, code: 'html_in_notes', title: 'HTML in notes' },
  { id: 13, code: 'excel_mangling', title: 'Excel mangling' },
  { id: 14, code: 'status_spelling_drift', title: 'Status spelling drift' },
  { id: 15, code: 'inconsistent_boolean', title: 'Inconsistent booleans' },
  {
    id: 16,
    code: 'same_concept_different_labels',
    title: 'Same concept, different labels across claim types',
  },
  { id: 17, code: 'duplicate_header', title: 'Wide sparse exports with duplicate headers' },
  { id: 18, code: 'report_artefact', title: 'Report artefacts' },
  { id: 19, code: 'truncated_export', title: 'Permission-filtered / truncated exports' },
  { id: 20, code: 'status_history_gap', title: 'Status history gaps' },
  { id: 21, code: 'hours_format', title: 'Hours formats' },
  { id: 22, code: 'sensitive_data', title: 'Sensitive data' },
  { id: 23, code: 'document_missing', title: 'Documents missing on disk' },
  { id: 24, code: 'money_does_not_add_up', title: "Money that doesn't add up" },
] as const;

export type DataQualityProblem = (typeof DATA_QUALITY_PROBLEMS)[number];
export type DataQualityCode = DataQualityProblem['code'];
