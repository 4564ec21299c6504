/**
 * Where a problem was seen: a line of an export file, or a record of a source table (`file` is then the
 * table and `sourceKey` the record's id, as for an MCP source).
 * @example { file: 'contacts.csv', line: 14, sourceKey: '5013' } · { file: 'contacts', sourceKey: '5013' }
 */
export interface IssueExample {
  readonly file: string;
  readonly line?: number | undefined;
  readonly sourceKey?: string | undefined;
}

/** A problem with one record or one file, reported as data, never thrown. */
export interface Issue {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** Source file, relative to the export folder. */
  readonly file?: string | undefined;
  /** 1-based physical line in the source file where the row starts. */
  readonly line?: number | undefined;
  readonly sourceKey?: string | undefined;
  readonly field?: string | undefined;
  /** What the user can do about it. */
  readonly fix?: string | undefined;
  /**
   * Rows showing the problem, for issues about many rows or a whole column or file (a row's own issue
   * names its row in `file`, `line` and `sourceKey`). At most `MAX_EXAMPLES`.
   */
  readonly examples?: readonly IssueExample[] | undefined;
}

/** Examples an issue carries: enough to find the rows, few enough to read. */
export const MAX_EXAMPLES = 5;

export function countBySeverity(issues: readonly Issue[]): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const issue of issues) counts[issue.severity] += 1;
  return counts;
}

export function formatIssueLocation(issue: Pick<Issue, 'file' | 'line' | 'field'>): string {
  const parts: string[] = [];
  if (issue.file) parts.push(issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`);
  if (issue.field) parts.push(`[${issue.field}]`);
  return parts.join(' ');
}

/**
 * One example as a person reads it: `file:line (id)` for an export file, `table:id` for a source table.
 * @example formatExample({ file: 'contacts.csv', line: 14, sourceKey: '5013' }) // 'contacts.csv:14 (5013)'
 */
export function formatExample(example: IssueExample): string {
  if (example.line === undefined) return `${example.file}:${example.sourceKey ?? '?'}`;
  return `${example.file}:${example.line}${example.sourceKey === undefined ? '' : ` (${example.sourceKey})`}`;
}

/** An issue's examples on one line, or '' when it has none. */
export function formatExamples(issue: Pick<Issue, 'examples'>): string {
  return (issue.examples ?? []).map(formatExample).join(', ');
}

/**
 * Up to `MAX_EXAMPLES` examples from rows, in the order given, one per line.
 * @example examplesOf('claims.csv', [{ line: 3, sourceKey: '1001' }]) // [{ file: 'claims.csv', line: 3, sourceKey: '1001' }]
 */
export function examplesOf(
  file: string,
  rows: Iterable<{ readonly line?: number | undefined; readonly sourceKey?: string | undefined }>,
): IssueExample[] {
  const examples: IssueExample[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${row.line}\u0000${row.sourceKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    examples.push({
      file,
      ...(row.line === undefined ? {} : { line: row.line }),
      ...(row.sourceKey === undefined ? {} : { sourceKey: row.sourceKey }),
    });
    if (examples.length >= MAX_EXAMPLES) break;
  }
  return examples;
}

/** Whether an issue points at rows: its own (file and line or id) or through examples. */
export function hasLocation(issue: Issue): boolean {
  return (
    (issue.file !== undefined && (issue.line !== undefined || issue.sourceKey !== undefined)) ||
    (issue.examples?.length ?? 0) > 0
  );
}
