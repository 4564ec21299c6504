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
}

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
