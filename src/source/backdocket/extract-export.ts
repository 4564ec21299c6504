import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { FerryError } from '../../core/errors.ts';
import type { Issue } from '../../core/issues.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';
import type { ColumnReference, ExtractedFile, SharedValues, SourceRow } from '../model.ts';
import { DocumentFiles } from './document-files.ts';
import { extractFile, type FileExtraction, type RowSink } from './extract-file.ts';
import {
  type FileDelta,
  iterateRowValues,
  replaceIssues,
  StoreRowSink,
  saveFile,
  vanishFile,
} from './extract-store.ts';
import {
  attachExamples,
  type DocumentLookup,
  findReferences,
  findSharedValues,
  keysPointedAt,
  type QualityFile,
  runQualityChecks,
} from './quality/index.ts';
import { ThreadRowWriter } from './row-writer.ts';
import { TABLE_EXTENSIONS } from './table-reader.ts';

/** Progress of a running extraction, for a progress bar. */
export interface ExtractProgress {
  readonly file: string;
  /** Files finished before this one. */
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Rows of this file read so far; its row count once `finished`. */
  readonly rows: number;
  /** `reading`: the file is being read (rows so far); `finished`: it is read, `rows` is its row count. */
  readonly phase: 'reading' | 'finished';
}

export interface ExtractOptions {
  readonly store: SqliteStore;
  /** The export folder. */
  readonly sourceDir: string;
  /** Set a file that cannot be read aside (quarantined, with the reason) and extract the rest. */
  readonly keepGoing?: boolean;
  readonly onProgress?: (progress: ExtractProgress) => void;
  readonly signal?: AbortSignal;
}

/** A file set aside by `--keep-going`. */
export interface QuarantinedFile {
  readonly file: string;
  readonly reason: string;
}

/**
 * What `extractExport` did: the inventory, the issues, and per file how many rows are new, changed,
 * vanished or unchanged compared with the previous extraction.
 */
export interface ExtractResult {
  readonly runId: number;
  readonly sourceDir: string;
  readonly files: ExtractedFile[];
  readonly issues: Issue[];
  readonly delta: Record<string, FileDelta>;
  readonly quarantined: QuarantinedFile[];
}

/** Lists the table files of an export folder (top level; `files/` holds documents, not tables). */
export async function listTableFiles(sourceDir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(sourceDir, { withFileTypes: true });
  } catch (error) {
    throw new FerryError(
      'config',
      `The export folder ${sourceDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}). Check the path given to --source or in ferry.yaml.`,
      { code: 'E_SOURCE_MISSING' },
    );
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && !e.name.startsWith('~$'))
    .map((e) => e.name)
    .filter((name) => TABLE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext)))
    .sort();
}

/**
 * Reads every table of the export folder into the store (rows with stable keys and content hashes,
 * column profiles, issues) and records what changed since the previous extraction.
 * @example const result = await extractExport({ store, sourceDir: './export' })
 */
export async function extractExport(options: ExtractOptions): Promise<ExtractResult> {
  const { store } = options;
  const sourceDir = resolve(options.sourceDir);
  const names = await listTableFiles(sourceDir);
  const db = store.db;
  const runId = Number(
    db
      .prepare("INSERT INTO extract_runs (source_dir, started_at, status) VALUES (?, ?, 'running')")
      .run(sourceDir, new Date().toISOString()).lastInsertRowid,
  );
  const done: FileExtraction[] = [];
  const issues: Issue[] = [];
  const delta: Record<string, FileDelta> = {};
  // A file keeps the key column of its previous extraction while it still qualifies (stable identities).
  const previousKeys = new Map(
    (
      db.prepare('SELECT file, key_column FROM source_files WHERE key_column IS NOT NULL').all() as {
        file: string;
        key_column: string;
      }[]
    ).map((r) => [r.file, r.key_column]),
  );
  const quarantined: QuarantinedFile[] = [];
  // Bulk load: checkpoint the WAL rarely while writing, once at the end.
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 20000');
  // First extractions are written by a second thread on its own connection (a file store only).
  let writer: ThreadRowWriter | undefined;
  const documents = new DocumentFiles(sourceDir);
  const sinks = new Map<string, StoreRowSink>();
  /** Reads one file into the store; `preferredKey` keeps or promotes a key column. */
  const extractOne = async (name: string, index: number, preferredKey: string | undefined) => {
    const threadWriter =
      store.path === ':memory:' ? undefined : () => (writer ??= new ThreadRowWriter(store.path));
    const sink = new StoreRowSink(store, name, runId, threadWriter);
    sinks.set(name, sink);
    const progress = (phase: ExtractProgress['phase'], count: number) =>
      options.onProgress?.({ file: name, filesDone: index, filesTotal: names.length, rows: count, phase });
    let rows = 0;
    const counting: RowSink = {
      needsAllValues: false,
      row(row, json) {
        sink.row(row, json);
        rows += 1;
        if (rows % 50_000 === 0) progress('reading', rows);
      },
      restart() {
        sink.restart();
        rows = 0;
      },
    };
    progress('reading', 0);
    try {
      const extraction = await extractFile({ name, path: join(sourceDir, name) }, counting, {
        signal: options.signal,
        preferredKey,
      });
      delta[name] = sink.finish();
      progress('finished', extraction.extracted.rowCount);
      return extraction;
    } catch (error) {
      sink.abort();
      throw error;
    }
  };
  try {
    for (const [index, name] of names.entries()) {
      options.signal?.throwIfAborted();
      try {
        done.push(await extractOne(name, index, previousKeys.get(name)));
      } catch (error) {
        if (!(error instanceof FerryError) || error.failure !== 'config' || !options.keepGoing) throw error;
        quarantined.push({ file: name, reason: error.message });
        issues.push({
          code: 'file_quarantined',
          severity: 'error',
          file: name,
          line: error.details?.line as number | undefined,
          message: `${error.message} (file set aside by --keep-going; its previously extracted rows are kept)`,
        });
      }
    }
    const present = new Set(names);
    const stale = db.prepare('SELECT file FROM source_files WHERE present = 1').pluck().all() as string[];
    for (const file of stale) if (!present.has(file)) delta[file] = vanishFile(store, file, runId);

    const qualityInput = () => ({
      files: done.map(toQualityFile),
      rows: (file: string, columns: readonly (string | undefined)[]) =>
        iterateRowValues(store, file, columns),
    });
    // A file read for the first time is keyed again by the column other files point at, if it was not.
    let references = findReferences(qualityInput());
    const promoted = keysPointedAt(done.map(toQualityFile), references);
    let rekeyed = false;
    for (const [i, extraction] of done.entries()) {
      const name = extraction.extracted.file;
      const column = promoted.get(name);
      const sink = sinks.get(name);
      if (!column || !sink?.firstExtraction) continue;
      sink.abort();
      done[i] = await extractOne(name, names.indexOf(name), column);
      rekeyed = true;
    }
    const input = qualityInput();
    if (rekeyed) references = findReferences(input);
    const quality = await runQualityChecks(input, documents, references);
    const shared = findSharedValues(input.files);
    const files = done.map((d) =>
      withReferences(d.extracted, quality.references.get(d.extracted.file), shared.get(d.extracted.file)),
    );
    issues.push(
      ...attachExamples([...done.flatMap((d) => d.issues), ...quality.issues], done.map(toQualityFile)),
    );
    for (const [i, file] of files.entries()) {
      const d = done[i] as FileExtraction;
      saveFile(store, runId, file, {
        format: d.format.format,
        encoding: d.format.encoding,
        delimiter: d.format.delimiter,
        headerLine: d.headerLine,
        quarantined: null,
      });
    }
    const ordered = sortIssues(issues);
    replaceIssues(store, runId, ordered);
    const deltaRow = db.prepare(
      'INSERT INTO extract_file_deltas (run_id, file, new, changed, vanished, unchanged) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const [file, d] of Object.entries(delta))
        deltaRow.run(runId, file, d.new, d.changed, d.vanished, d.unchanged);
    })();
    const result: ExtractResult = { runId, sourceDir, files, issues: ordered, delta, quarantined };
    db.prepare("UPDATE extract_runs SET status = 'done', finished_at = ?, summary_json = ? WHERE id = ?").run(
      new Date().toISOString(),
      JSON.stringify({
        files: files.length,
        rows: files.reduce((n, f) => n + f.rowCount, 0),
        quarantined: quarantined.length,
      }),
      runId,
    );
    for (const d of done) for (const s of d.stats) s.release(false);
    return result;
  } catch (error) {
    db.prepare("UPDATE extract_runs SET status = 'failed', finished_at = ? WHERE id = ?").run(
      new Date().toISOString(),
      runId,
    );
    throw error;
  } finally {
    writer?.close();
    documents.close();
    db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/**
 * The same extraction without a store: profiles, rows and issues for files given in memory (used by
 * the mapping evaluation set). Paths under `files/` among the inputs serve the document check.
 * @example const { files, rows, issues } = await extractInMemory([{ name: 'claims.csv', content }])
 */
export async function extractInMemory(
  inputs: readonly { name: string; content: Buffer }[],
): Promise<{ files: ExtractedFile[]; rows: SourceRow[]; issues: Issue[] }> {
  const tables = inputs
    .filter(
      (f) => !f.name.includes('/') && TABLE_EXTENSIONS.some((ext) => f.name.toLowerCase().endsWith(ext)),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rowsByFile = new Map<string, SourceRow[]>();
  const readTable = async (table: { name: string; content: Buffer }, preferredKey?: string) => {
    const rows: SourceRow[] = [];
    rowsByFile.set(table.name, rows);
    const sink: RowSink = {
      row: (row) => rows.push(row),
      restart: () => rows.splice(0),
    };
    const extraction = await extractFile({ name: table.name, content: table.content }, sink, {
      preferredKey,
    });
    // Rows held back to be keyed by content arrive last; keep the file's own order.
    rows.sort((a, b) => a.line - b.line);
    return extraction;
  };
  const done: FileExtraction[] = [];
  for (const table of tables) done.push(await readTable(table));
  const qualityInput = () => ({
    files: done.map(toQualityFile),
    rows: (file: string) => rowsByFile.get(file) ?? [],
  });
  let references = findReferences(qualityInput());
  const promoted = keysPointedAt(done.map(toQualityFile), references);
  for (const [i, table] of tables.entries()) {
    const column = promoted.get(table.name);
    if (column) done[i] = await readTable(table, column);
  }
  const byName = new Map(inputs.map((f) => [f.name.replace(/\\/g, '/'), f.content]));
  const documents: DocumentLookup = {
    inspect: async (requests) =>
      requests.map(({ relative, sha256 }) => {
        const content = byName.get(relative);
        if (content === undefined) return 'missing';
        if (content.length === 0) return 'empty';
        if (sha256 === null) return 'ok';
        return createHash('sha256').update(content).digest('hex') === sha256 ? 'ok' : 'mismatch';
      }),
  };
  const input = qualityInput();
  if (promoted.size > 0) references = findReferences(input);
  const quality = await runQualityChecks(input, documents, references);
  const shared = findSharedValues(input.files);
  const files = done.map((d) =>
    withReferences(d.extracted, quality.references.get(d.extracted.file), shared.get(d.extracted.file)),
  );
  const issues = sortIssues(
    attachExamples([...done.flatMap((d) => d.issues), ...quality.issues], done.map(toQualityFile)),
  );
  return { files, rows: tables.flatMap((t) => rowsByFile.get(t.name) ?? []), issues };
}

function toQualityFile(d: FileExtraction): QualityFile {
  return {
    extracted: d.extracted,
    stats: d.stats,
    keys: d.keys,
    headerLine: d.headerLine,
    evidence: d.evidence,
  };
}

/** The file's profile with the references to other files' keys that the quality checks found. */
export function withReferences(
  file: ExtractedFile,
  refs: Map<string, ColumnReference[]> | undefined,
  shared?: Map<string, SharedValues[]>,
): ExtractedFile {
  if (!refs && !shared) return file;
  return {
    ...file,
    columns: file.columns.map((c) => ({
      ...c,
      ...(refs?.has(c.name) ? { references: refs.get(c.name) ?? [] } : {}),
      ...(shared?.has(c.name) ? { sharesValuesWith: shared.get(c.name) } : {}),
    })),
  };
}

/** Issues by file, then line (file-level first), then code: the same order on every path. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.code.localeCompare(b.code) ||
      (a.field ?? '').localeCompare(b.field ?? '') ||
      a.message.localeCompare(b.message),
  );
}
