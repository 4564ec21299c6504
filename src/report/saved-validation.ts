import { formatExample, type Issue } from '../core/issues.ts';
import type { ValidationReport } from '../run/validate-workspace.ts';
import { describeStanding } from '../validate/ownership.ts';
import type { SavedValidation } from './assemble-report.ts';

/** Rows named per kind of issue in the report: enough to open the export at the right place. */
const ROWS_PER_KIND = 3;

/**
 * What the report keeps of a validation (`ferry validate` saves it in the store): counts by code with an
 * example message and the rows it was seen on, the ownership report with each member's standing, and the
 * link coverage table. Pure.
 */
export function toSavedValidation(report: ValidationReport, now: Date = new Date()): SavedValidation {
  const byCode = new Map<
    string,
    { code: string; severity: Issue['severity']; count: number; example?: string; rows: string[] }
  >();
  for (const issue of report.issues) {
    const row = byCode.get(issue.code) ?? {
      code: issue.code,
      severity: issue.severity,
      count: 0,
      example: issue.message,
      rows: [],
    };
    row.count += 1;
    for (const where of locationsOf(issue))
      if (row.rows.length < ROWS_PER_KIND && !row.rows.includes(where)) row.rows.push(where);
    byCode.set(issue.code, row);
  }
  return {
    at: now.toISOString(),
    counts: report.counts,
    byCode: [...byCode.values()].map(({ rows, ...row }) => (rows.length > 0 ? { ...row, rows } : row)),
    ownership: report.ownership.entries.map((entry) => ({
      staff: entry.staff.name,
      email: entry.staff.email,
      pipedriveUser: entry.ownerUserId === null ? null : String(entry.ownerUserId),
      status:
        entry.resolution.status === 'matched'
          ? ('matched' as const)
          : entry.ownerUserId !== null
            ? ('fallback' as const)
            : entry.resolution.status,
      records: entry.ownedRecords,
      standing: describeStanding(entry),
    })),
    links: report.links.map((row) => ({
      relationship: row.relationship,
      withReference: row.withReference,
      resolved: row.resolved,
      linked: row.linked,
      share: row.share,
    })),
  };
}

/** `file:line (id)` of the issue's own row, else of its examples. */
function locationsOf(issue: Issue): string[] {
  if (issue.file !== undefined && (issue.line !== undefined || issue.sourceKey !== undefined)) {
    return [formatExample({ file: issue.file, line: issue.line, sourceKey: issue.sourceKey })];
  }
  return (issue.examples ?? []).map(formatExample);
}
