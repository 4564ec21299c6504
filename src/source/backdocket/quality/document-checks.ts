import { examplesOf, type Issue, type IssueExample, MAX_EXAMPLES } from '../../../core/issues.ts';
import { findColumn, findColumns } from '../headers.ts';
import { type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

/** One document the check asks about: its path inside the export, and the SHA-256 it should have. */
export interface DocumentRequest {
  /** Already checked to stay inside the export folder (`safeRelativePath`). */
  readonly relative: string;
  /** Lower-case hex; null when the row holds no well-formed SHA-256 (the content is then not read). */
  readonly sha256: string | null;
}

/** What the check learns about one document; `outside`: a link inside the export leads out of it. */
export type DocumentState = 'ok' | 'missing' | 'empty' | 'mismatch' | 'outside';

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
 * Documents whose file is missing, empty or differs from its SHA-256 (`document_missing`), and documents
 * whose storage path leads outside the export folder, by `..`, an absolute path or a link
 * (`document_outside_export`: refused, never read).
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
    const found = { document_missing: new FoundRows(), document_outside_export: new FoundRows() };
    const report = (input: {
      code: DocumentCode;
      row: DocumentRow;
      message: string;
      severity: Issue['severity'];
    }) => {
      if (!found[input.code].add(input.row)) return;
      issues.push({
        code: input.code,
        severity: input.severity,
        file,
        line: input.row.line,
        sourceKey: input.row.sourceKey,
        field: path,
        message: `${file}:${input.row.line}: ${input.message}`,
        fix: DOCUMENT_FIX[input.code],
      });
    };
    let next = 0;
    for (const row of documentRows(input, file, path, sha)) {
      const state = row.relative === null ? 'outside' : states[next++];
      if (state === 'outside') {
        report({
          code: 'document_outside_export',
          row,
          severity: 'error',
          message: `storage path "${row.raw}" leads outside the export folder — refused, the file is not read.`,
        });
      } else if (state === 'missing' || state === 'empty' || state === 'mismatch') {
        report({
          code: 'document_missing',
          row,
          severity: 'warning',
          message: `file "${row.relative}" ${
            state === 'missing'
              ? 'is not in the export'
              : state === 'empty'
                ? 'is empty (0 bytes)'
                : 'does not match its SHA-256 (damaged or replaced)'
          }.`,
        });
      }
    }
    for (const [code, rows] of Object.entries(found) as [DocumentCode, FoundRows][]) {
      if (rows.count <= ROWS_PER_CHECK) continue;
      issues.push({
        code,
        severity: code === 'document_outside_export' ? 'error' : 'warning',
        file,
        field: path,
        message: `${file}: ${rows.count} documents ${
          code === 'document_outside_export'
            ? 'whose storage path leads outside the export folder'
            : 'with missing, empty or mismatched files'
        } (first ${ROWS_PER_CHECK} listed).`,
        examples: rows.examples(file),
        fix: DOCUMENT_FIX[code],
      });
    }
  }
  return issues;
}

type DocumentCode = 'document_missing' | 'document_outside_export';

const DOCUMENT_FIX: Readonly<Record<DocumentCode, string>> = {
  document_missing:
    'Add the file to the export, or the document is migrated without it (listed in the report).',
  document_outside_export:
    "Ferry uploads only files inside the export folder: copy the document under the export's files/ folder and correct its storage path. Until then the document row is quarantined.",
};

/** Rows a document check found: how many, and the first ones (listed as issues and kept as examples). */
class FoundRows {
  count = 0;
  private readonly first: DocumentRow[] = [];

  /** Counts a row; true while it is among the rows listed one by one. */
  add(row: DocumentRow): boolean {
    this.count += 1;
    if (this.first.length < MAX_EXAMPLES) this.first.push(row);
    return this.count <= ROWS_PER_CHECK;
  }

  examples(file: string): IssueExample[] {
    return examplesOf(file, this.first);
  }
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
