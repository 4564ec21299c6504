import {
  examplesOf,
  hasLocation,
  type Issue,
  type IssueExample,
  MAX_EXAMPLES,
} from '../../../core/issues.ts';
import type { QualityFile } from './quality-input.ts';

/**
 * Gives every issue about many rows, a column or a file the rows that show it (file:line), so a person can
 * open the export at the right place: a summary ("612 more rows …") takes the first rows listed under the
 * same code and column, a column-level finding the first rows holding a value in that column, a file-level
 * one the file's header line. Issues that already name their row are left as they are. Pure.
 * @example attachExamples(issues, files).find((i) => i.code === 'currency_string' && !i.line)?.examples
 */
export function attachExamples(issues: readonly Issue[], files: readonly QualityFile[]): Issue[] {
  const listed = new Map<string, IssueExample[]>();
  const remember = (key: string, issue: Issue) => {
    const list = listed.get(key) ?? [];
    if (list.length >= MAX_EXAMPLES) return;
    list.push(...examplesOf(issue.file as string, [issue]));
    listed.set(key, list);
  };
  for (const issue of issues) {
    if (issue.file === undefined || issue.line === undefined) continue;
    remember(`${issue.code}\u0000${issue.file}\u0000${issue.field ?? ''}`, issue);
    remember(`${issue.code}\u0000${issue.file}`, issue);
  }
  const byFile = new Map(files.map((file) => [file.extracted.file, file]));
  return issues.map((issue) => {
    if (issue.file === undefined || hasLocation(issue)) return issue;
    const examples =
      listed.get(`${issue.code}\u0000${issue.file}\u0000${issue.field ?? ''}`) ??
      listed.get(`${issue.code}\u0000${issue.file}`) ??
      columnExamples(byFile.get(issue.file), issue.field) ??
      headerExample(byFile.get(issue.file));
    return examples && examples.length > 0 ? { ...issue, examples } : issue;
  });
}

/** The first rows holding a value in the column (the statistics keep a few lines per value shape). */
function columnExamples(
  file: QualityFile | undefined,
  column: string | undefined,
): IssueExample[] | undefined {
  const stats = column === undefined ? undefined : file?.stats.find((candidate) => candidate.name === column);
  if (!file || !stats) return undefined;
  const lines = [...stats.shapes.values()].flatMap((tally) => tally.lines.slice(0, MAX_EXAMPLES));
  lines.sort((a, b) => a - b);
  const examples = examplesOf(
    file.extracted.file,
    lines.map((line) => ({ line })),
  );
  return examples.length > 0 ? examples : undefined;
}

function headerExample(file: QualityFile | undefined): IssueExample[] | undefined {
  return file && file.headerLine > 0 ? [{ file: file.extracted.file, line: file.headerLine }] : undefined;
}
