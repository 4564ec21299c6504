import type { Issue } from '../../../core/issues.ts';
import { findColumn, findColumns } from '../headers.ts';
import { type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

/** How the document check sees the exported files (disk, or the buffers given to extractInMemory). */
export interface DocumentLookup {
  /** Size in bytes, or null when the file does not exist. `relative` is already checked to stay inside. */
  size(relative: string): Promise<number | null>;
  sha256(relative: string): Promise<string>;
}

/**
 * Resolves a `Storage Path` inside the export folder; null when it escapes it (absolute, `..`, drive).
 * @example safeRelativePath('files/1042/a.pdf') // 'files/1042/a.pdf' ; safeRelativePath('../etc/passwd') // null
 */
export function safeRelativePath(raw: string): string | null {
  const path = raw.trim().replace(/\\/g, '/');
  if (path === '' || path.startsWith('/') || /^[a-z]:/i.test(path) || path.includes('\u0000')) return null;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : null;
}

/** Documents whose file is missing, empty, differs from its SHA-256, or whose path escapes the export. */
export async function checkDocuments(input: QualityInput, lookup: DocumentLookup): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const qf of input.files) {
    const headers = qf.stats.map((s) => s.name);
    const path = findColumns(headers, 'storage_path')[0];
    if (!path || (qf.extracted.detection.object !== 'document' && !/path/i.test(path))) continue;
    const sha = findColumn(headers, 'sha256');
    const file = qf.extracted.file;
    let count = 0;
    const report = (
      line: number,
      sourceKey: string,
      message: string,
      severity: Issue['severity'] = 'warning',
    ) => {
      count += 1;
      if (count <= ROWS_PER_CHECK)
        issues.push({
          code: 'document_missing',
          severity,
          file,
          line,
          sourceKey,
          field: path,
          message: `${file}:${line}: ${message}`,
          fix: 'Add the file to the export, or the document is migrated without it (listed in the report).',
        });
    };
    for (const row of input.rows(file, [path, sha])) {
      const raw = row.values[path] ?? '';
      if (raw.trim() === '') continue;
      const relative = safeRelativePath(raw);
      if (relative === null) {
        report(
          row.line,
          row.sourceKey,
          `storage path "${raw}" points outside the export folder — refused.`,
          'error',
        );
        continue;
      }
      const size = await lookup.size(relative);
      if (size === null) report(row.line, row.sourceKey, `file "${relative}" is not in the export.`);
      else if (size === 0) report(row.line, row.sourceKey, `file "${relative}" is empty (0 bytes).`);
      else if (sha) {
        const expected = (row.values[sha] ?? '').trim().toLowerCase();
        if (/^[0-9a-f]{64}$/.test(expected) && (await lookup.sha256(relative)) !== expected) {
          report(
            row.line,
            row.sourceKey,
            `file "${relative}" does not match its SHA-256 (damaged or replaced).`,
          );
        }
      }
    }
    if (count > ROWS_PER_CHECK)
      issues.push({
        code: 'document_missing',
        severity: 'warning',
        file,
        message: `${file}: ${count} documents with missing, empty or mismatched files (first ${ROWS_PER_CHECK} listed).`,
      });
  }
  return issues;
}
