// Test support for the generator's tests: reads a generated file back the way the manifest describes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface ManifestInjection {
  readonly code: string;
  readonly file: string;
  readonly line?: number;
  readonly sourceKey?: string;
  readonly column?: string;
  readonly detail: string;
}

export interface ManifestFile {
  readonly rows: number;
  readonly encoding: 'utf-8' | 'windows-1252';
  readonly bom: boolean;
  readonly lineEnding: 'CRLF';
  readonly headerLine: number;
}

export interface Manifest {
  readonly generator: 'ferry';
  readonly version: 1;
  readonly seed: number;
  readonly records: number;
  readonly files: Record<string, ManifestFile>;
  readonly injected: ManifestInjection[];
  readonly counts: Record<string, number>;
}

/** One parsed CSV record with the 1-based physical line it starts on. */
export interface ParsedRow {
  readonly line: number;
  readonly cells: string[];
  /** By header name; for a duplicated header the first column wins. */
  readonly get: (column: string) => string;
}

export interface ParsedFile {
  readonly header: string[];
  readonly rows: ParsedRow[];
  /** The raw text, decoded. */
  readonly text: string;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'generated-manifest.json'), 'utf8')) as Manifest;
}

/** Decodes and parses a generated file, starting at the manifest's header line. */
export function readGenerated(dir: string, file: string, meta: ManifestFile): ParsedFile {
  const bytes = readFileSync(join(dir, file));
  let text = new TextDecoder(meta.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8', {
    ignoreBOM: true,
  }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = parse(text, {
    from_line: meta.headerLine,
    raw: true,
    relax_column_count: true,
  }) as unknown as {
    record: string[];
    raw: string;
  }[];
  const [first, ...rest] = records;
  if (!first) throw new Error(`${file}: no header`);
  const header = first.record;
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  let line = meta.headerLine + countNewlines(first.raw) + 1;
  const rows: ParsedRow[] = [];
  for (const { record, raw } of rest) {
    rows.push({
      line,
      cells: record,
      get: (column) => {
        const at = index.get(column);
        if (at === undefined) throw new Error(`${file}: no column ${column}`);
        return record[at] ?? '';
      },
    });
    line += countNewlines(raw) + 1;
  }
  return { header, rows, text };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n += 1;
  return n;
}

/**
 * The header lists of backdocket-exports.md §5, read from the reference itself (null when the shared
 * folder is absent). Wrapped lines are joined; a trailing comma means "more columns follow".
 */
export function referenceHeaders(markdown: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const sections = markdown.split(/\n### /);
  for (const section of sections) {
    const title = section.split('\n', 1)[0] ?? '';
    const names = [...title.matchAll(/`([a-z_]+\.csv)`/g)].map((m) => m[1] ?? '');
    const blocks = [...section.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    names.forEach((name, i) => {
      const block = blocks[i];
      if (!block) return;
      const columns = block
        .trim()
        .split('\n')
        .join('')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      headers.set(name, columns);
    });
  }
  return headers;
}
