import type { Issue } from '../../../core/issues.ts';
import { findColumn, findColumns } from '../headers.ts';
import { type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

/** One document the check asks about: its path inside the export, and the SHA-256 it should have. */
export interface DocumentRequest {
  /** Already checked to stay inside the export folder (`safeRelativePath`). */
  readonly relative: string;
  /** Lower-case hex; null when the row holds no well-formed SHA-256 (the content is then not read). */
  readonly sha256: string | null;
}

/** What the check learns about one document. */
export type DocumentState = 'ok' | 'missing' | 'empty' | 'mismatch';

/** How the document check sees the exported files (disk, or the buffers given to extractInMemory). */
export interface DocumentLookup {
  /** Answers in the order asked. Many batches may be asked for at once, so they can be read beside other work. */
  inspect(requests: readonly DocumentRequest[]): Promise<DocumentState[]>;
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

/** Documents asked for per message: the answers of a whole export need not wait for the last one. */
const ASK_BATCH = 1000;

/**
 * Documents whose file is missing, empty, differs from its SHA-256, or whose path escapes the export.
 * Every document is asked for before any answer is awaited: the caller starts this check first and runs
 * its other checks while the files are read and hashed. The rows are read again for the report instead
 * of being kept meanwhile (memory).
 */
export async function checkDocuments(input: QualityInput, lookup: DocumentLookup): Promise<Issue[]> {
  const files: { file: string; path: string; sha: string | undefined }[] = [];
  for (const qf of input.files) {
    const headers = qf.stats.map((s) => s.name);
    const path = findColumns(headers, 'storage_path')[0];
    if (!path || (qf.extracted.detection.object !== 'document' && !/path/i.test(path))) continue;
    files.push({ file: qf.extracted.file, path, sha: findColumn(headers, 'sha256') });
  }
  const asked = files.map(({ file, path, sha }) => {
    const batches: Promise<DocumentState[]>[] = [];
    let batch: DocumentRequest[] = [];
    for (const row of documentRows(input, file, path, sha)) {
      if (row.relative === null) continue;
      batch.push({ relative: row.relative, sha256: row.expected });
      if (batch.length < ASK_BATCH) continue;
      batches.push(lookup.inspect(batch));
      batch = [];
    }
    if (batch.length > 0) batches.push(lookup.inspect(batch));
    return batches;
  });
  const answers = await Promise.all(asked.map(async (batches) => (await Promise.all(batches)).flat()));
  const issues: Issue[] = [];
  for (const [i, { file, path, sha }] of files.entries()) {
    const states = answers[i] as DocumentState[];
    let next = 0;
    let count = 0;
    const report = (row: DocumentRow, message: string, severity: Issue['severity'] = 'warning') => {
      count += 1;
      if (count <= ROWS_PER_CHECK)
        issues.push({
          code: 'document_missing',
          severity,
          file,
          line: row.line,
          sourceKey: row.sourceKey,
          field: path,
          message: `${file}:${row.line}: ${message}`,
          fix: 'Add the file to the export, or the document is migrated without it (listed in the report).',
        });
    };
    for (const row of documentRows(input, file, path, sha)) {
      if (row.relative === null) {
        report(row, `storage path "${row.raw}" points outside the export folder — refused.`, 'error');
        continue;
      }
      const state = states[next];
      next += 1;
      if (state === 'missing') report(row, `file "${row.relative}" is not in the export.`);
      else if (state === 'empty') report(row, `file "${row.relative}" is empty (0 bytes).`);
      else if (state === 'mismatch')
        report(row, `file "${row.relative}" does not match its SHA-256 (damaged or replaced).`);
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

/** A document row as the check reads it: where it points, and the SHA-256 it should have. */
interface DocumentRow {
  readonly line: number;
  readonly sourceKey: string;
  readonly raw: string;
  /** null: the path escapes the export folder. */
  readonly relative: string | null;
  /** Lower-case hex, or null when the row holds no well-formed SHA-256. */
  readonly expected: string | null;
}

/** The rows of a document file that name a path, in line order. */
function* documentRows(
  input: QualityInput,
  file: string,
  path: string,
  sha: string | undefined,
): Generator<DocumentRow> {
  for (const row of input.rows(file, [path, sha])) {
    const raw = row.values[path] ?? '';
    if (raw.trim() === '') continue;
    const expected = sha ? (row.values[sha] ?? '').trim().toLowerCase() : '';
    yield {
      line: row.line,
      sourceKey: row.sourceKey,
      raw,
      relative: safeRelativePath(raw),
      expected: /^[0-9a-f]{64}$/.test(expected) ? expected : null,
    };
  }
}
