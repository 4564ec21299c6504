import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type Options, Parser } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { FerryError } from '../../core/errors.ts';
import { decodeWindows1252, type EncodingGuess, sniffEncoding, Utf8Validator } from './encoding.ts';
import { scanSimpleRecords } from './simple-csv.ts';

/** Where a file's bytes come from: a path on disk, or a buffer (extractInMemory). */
export interface FileSource {
  /** Path relative to the export folder, forward slashes. */
  readonly name: string;
  readonly path?: string;
  readonly content?: Buffer;
}

/** One physical record of a table, before header detection. */
export interface RawRecord {
  readonly cells: string[];
  /** 1-based line (CSV) or row number (XLSX) where the record starts. */
  readonly line: number;
  /** XLSX cells that held formulas (column index → formula text), for the Excel-mangling check. */
  readonly formulas?: ReadonlyMap<number, string>;
}

export interface TableFormat {
  readonly format: 'csv' | 'xlsx';
  readonly encoding: string;
  readonly delimiter: string | null;
  /** Notes about the file as a whole (other sheets ignored, encoding fallback). */
  readonly notes: string[];
}

export const LIMITS = {
  /** A record longer than this (characters) is refused: usually a broken quote, never a real row. */
  maxRecordChars: 10 * 1024 * 1024,
  maxColumns: 2000,
} as const;

// .txt is left out on purpose: export folders carry read-me files, and one would stop the whole extraction.
export const TABLE_EXTENSIONS = ['.csv', '.tsv', '.xlsx', '.xls'] as const;

/**
 * Extensions that hold a delimited table in many legacy exports ('CLNTMAST.TXT', pipe-delimited '.dat'),
 * and as often a read-me: such a file is a table only when its first lines are one ({@link looksLikeTable}).
 */
export const TEXT_TABLE_EXTENSIONS = ['.txt', '.dat', '.psv'] as const;

/** How much of a text file is read to tell a table from prose. */
export const TABLE_PEEK_BYTES = 64 * 1024;

/** The file name says table, or may (a text file whose head must then look like one). */
export function tableExtensionOf(name: string): 'table' | 'text' | undefined {
  const lower = name.toLowerCase();
  if (TABLE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'table';
  if (TEXT_TABLE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'text';
  return undefined;
}

/**
 * Whether the first lines of a text file are a delimited table: a header of two or more fields and most of
 * the next lines split into as many (prose splits unevenly, if at all).
 * @example looksLikeTable(Buffer.from('CLT_NBR|CLT_NAME\n0001|Ann\n0002|Bo\n')) // true
 */
export function looksLikeTable(head: Buffer): boolean {
  const text = headText(head);
  const lines = text
    .split(/\r\n|\n|\r/)
    .slice(0, 21)
    .filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  // The last line of a cut head may be partial.
  const complete = head.length >= TABLE_PEEK_BYTES ? lines.slice(0, -1) : lines;
  const delimiter = sniffDelimiter(complete.join('\n'));
  const fields = complete.map((line) => line.split(delimiter).length);
  const header = fields[0] ?? 0;
  if (header < 2 || complete.length < 2) return false;
  const alike = fields.slice(1).filter((count) => count === header).length;
  return alike >= 0.8 * (fields.length - 1);
}

/**
 * A file's head as text for telling its shape, in the encoding its bytes show: Excel's "Unicode Text" is
 * UTF-16, whose NUL halves read as Latin-1 would split no line into fields. Latin-1 otherwise: any byte
 * decodes, and delimiters and line ends are ASCII in every encoding the reader takes.
 */
function headText(head: Buffer): string {
  const { encoding, bomLength } = sniffEncoding(head, false);
  if (encoding === 'windows-1252') return head.toString('latin1');
  const body = head.subarray(bomLength);
  if (encoding === 'utf-8') return body.toString('latin1');
  return new TextDecoder(encoding).decode(body);
}

const CHUNK = 1 << 20;

/**
 * The file's bytes in chunks. `reuse`: every chunk is read into one buffer and is valid only until the next
 * is asked for (a consumer that keeps bytes copies them): a fresh buffer per chunk piled up outside the heap
 * until the next full garbage collection, up to a file's size of it on top of the peak RSS.
 */
async function* byteChunks(source: FileSource, reuse = false): AsyncGenerator<Buffer> {
  if (source.content) {
    for (let offset = 0; offset < source.content.length; offset += CHUNK) {
      yield source.content.subarray(offset, offset + CHUNK);
    }
    return;
  }
  if (reuse) {
    yield* reusedChunks(source.path as string, source);
    return;
  }
  const stream = createReadStream(source.path as string, { highWaterMark: CHUNK });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw unreadable(source, error);
  }
}

async function* reusedChunks(path: string, source: FileSource): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(source, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, CHUNK, null));
      } catch (error) {
        throw unreadable(source, error);
      }
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function unreadable(source: FileSource, error: unknown): FerryError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'is a folder'
        : (code ?? String(error));
  return new FerryError(
    'config',
    `${source.name}: cannot read the file (${why}). Check its permissions, or move it out of the export folder.`,
    {
      code: 'E_SOURCE_UNREADABLE',
      details: { file: source.name },
    },
  );
}

/**
 * Reads a table file as raw records (CSV with sniffed encoding and delimiter, or the first XLSX sheet),
 * in batches: one per chunk read (a promise per record cost more than the work on most records).
 */
export async function openTable(
  source: FileSource,
): Promise<{ format: TableFormat; records: AsyncGenerator<RawRecord[]> }> {
  const lower = source.name.toLowerCase();
  if (lower.endsWith('.xls')) {
    throw new FerryError(
      'config',
      `${source.name}: old binary Excel (.xls) files are not supported. Open it in Excel and save it as .xlsx or .csv.`,
      { code: 'E_SOURCE_FORMAT' },
    );
  }
  const head = await readHead(source);
  if (lower.endsWith('.xlsx')) {
    if (!(head[0] === 0x50 && head[1] === 0x4b)) {
      throw new FerryError(
        'config',
        `${source.name}: not a valid .xlsx workbook (it is not a zip archive). Re-export it, or save it as .csv.`,
        { code: 'E_SOURCE_FORMAT' },
      );
    }
    return openXlsx(source);
  }
  return openCsv(source, head);
}

async function readHead(source: FileSource): Promise<Buffer> {
  if (source.content) return source.content.subarray(0, 65536);
  for await (const chunk of byteChunks(source)) return chunk.subarray(0, 65536);
  return Buffer.alloc(0);
}

async function sniffWholeFile(source: FileSource, head: Buffer): Promise<EncodingGuess> {
  const first = sniffEncoding(head, true);
  if (first.encoding !== 'utf-8') return first;
  const validator = new Utf8Validator();
  for await (const chunk of byteChunks(source, true)) validator.push(chunk);
  const valid = validator.finish();
  // A BOM promises UTF-8: invalid bytes after it are damage, not another encoding.
  if (first.bomLength > 0 && !valid) {
    const line = await firstInvalidUtf8Line(source);
    throw new FerryError(
      'config',
      `${source.name}:${line}: invalid UTF-8 bytes, although the file starts with a UTF-8 byte-order mark. Export the table again, or re-save it as UTF-8.`,
      { code: 'E_SOURCE_ENCODING', details: { file: source.name, line } },
    );
  }
  return sniffEncoding(head, valid);
}

async function firstInvalidUtf8Line(source: FileSource): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of byteChunks(source)) chunks.push(chunk);
  const all = Buffer.concat(chunks);
  let line = 1;
  let start = 0;
  while (start <= all.length) {
    let end = all.indexOf(10, start);
    if (end < 0) end = all.length;
    if (!isUtf8(all.subarray(start, end))) return line;
    line += 1;
    start = end + 1;
  }
  return 1;
}

async function openCsv(
  source: FileSource,
  head: Buffer,
): Promise<{ format: TableFormat; records: AsyncGenerator<RawRecord[]> }> {
  const guess = await sniffWholeFile(source, head);
  if (guess.encoding !== 'utf-16le' && guess.encoding !== 'utf-16be') assertNotBinary(source, head);
  const headText = textDecoder(guess).decode(head.subarray(guess.bomLength));
  const delimiter = source.name.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(headText);
  const notes: string[] = [];
  if (guess.encoding === 'windows-1252') notes.push('not valid UTF-8: read as Windows-1252');
  return {
    format: { format: 'csv', encoding: guess.label, delimiter, notes },
    records: csvRecords(source, guess, delimiter),
  };
}

/** Control bytes other than tab/CR/LF/FF in the first block mean this is not a text table. */
function assertNotBinary(source: FileSource, head: Buffer): void {
  let control = 0;
  let firstNul = -1;
  for (let i = 0; i < head.length; i += 1) {
    const byte = head[i] as number;
    if (byte === 0 && firstNul < 0) firstNul = i;
    if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) control += 1;
  }
  if (head.length > 0 && control / head.length > 0.05) {
    throw new FerryError(
      'config',
      `${source.name}:1: this is a binary file, not a CSV table. Remove it from the export folder, or export the table again as CSV or XLSX.`,
      { code: 'E_SOURCE_BINARY', details: { file: source.name, line: 1 } },
    );
  }
  if (firstNul >= 0) throw nulError(source, lineAtOffset(head, firstNul));
}

function nulError(source: FileSource, line: number): FerryError {
  return new FerryError(
    'config',
    `${source.name}:${line}: the file contains NUL bytes (a damaged or binary file). Export it again, or remove the damaged line.`,
    { code: 'E_SOURCE_NUL', details: { file: source.name, line } },
  );
}

function lineAtOffset(buffer: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (buffer[i] === 10) line += 1;
  return line;
}

/**
 * Picks the delimiter that splits the first lines into the most consistent number of fields.
 * @example sniffDelimiter('a;b;c\n1;2;3\n') // ';'
 */
export function sniffDelimiter(text: string): string {
  const records = countPerRecord(text, 30);
  let best = ',';
  let bestScore = 0;
  for (const [candidate, counts] of records) {
    const tally = new Map<number, number>();
    for (const count of counts) if (count > 0) tally.set(count, (tally.get(count) ?? 0) + 1);
    let score = 0;
    for (const [count, lineCount] of tally) score = Math.max(score, lineCount * 1000 + count);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** Per candidate delimiter, its count in each of the first records (quotes respected across lines). */
function countPerRecord(text: string, maxRecords: number): Map<string, number[]> {
  const candidates = [',', ';', '\t', '|'];
  const result = new Map(candidates.map((c) => [c, [] as number[]]));
  let current = new Map(candidates.map((c) => [c, 0]));
  let quoted = false;
  let records = 0;
  let nonBlank = false;
  for (let i = 0; i < text.length && records < maxRecords; i += 1) {
    const char = text[i] as string;
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      if (nonBlank) {
        for (const c of candidates) result.get(c)?.push(current.get(c) ?? 0);
        records += 1;
      }
      current = new Map(candidates.map((c) => [c, 0]));
      nonBlank = false;
    } else if (!quoted && current.has(char)) {
      current.set(char, (current.get(char) ?? 0) + 1);
      nonBlank = true;
    } else if (char.trim() !== '') nonBlank = true;
  }
  return result;
}

async function* decodedText(source: FileSource, guess: EncodingGuess): AsyncGenerator<string> {
  const decoder = textDecoder(guess);
  let skip = guess.bomLength;
  let line = 1;
  for await (const bytes of byteChunks(source, true)) {
    const chunk = skip > 0 ? bytes.subarray(skip) : bytes;
    skip = 0;
    const text = decoder.decode(chunk, { stream: true });
    const nul = text.indexOf('\u0000');
    if (nul >= 0) throw nulError(source, line + countNewlines(text, nul));
    line += countNewlines(text, text.length);
    yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The file's UTF-8 bytes after the BOM, in chunks valid until the next is asked for (`byteChunks` reuse). */
async function* utf8Bytes(source: FileSource, guess: EncodingGuess): AsyncGenerator<Buffer> {
  let skip = guess.bomLength;
  let line = 1;
  for await (const bytes of byteChunks(source, true)) {
    const chunk = skip > 0 ? bytes.subarray(skip) : bytes;
    skip = 0;
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw nulError(source, line + countByte(chunk, 10, nul));
    line += countByte(chunk, 10, chunk.length);
    yield chunk;
  }
}

function countByte(buffer: Buffer, byte: number, end: number): number {
  let count = 0;
  let at = buffer.indexOf(byte);
  while (at >= 0 && at < end) {
    count += 1;
    at = buffer.indexOf(byte, at + 1);
  }
  return count;
}

function textDecoder(guess: EncodingGuess): {
  decode(bytes?: Uint8Array, options?: { stream: boolean }): string;
} {
  if (guess.encoding === 'windows-1252')
    return { decode: (bytes) => (bytes ? decodeWindows1252(bytes) : '') };
  return new TextDecoder(guess.encoding);
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  let at = text.indexOf('\n');
  while (at >= 0 && at < end) {
    count += 1;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

/**
 * csv-parse's parser core, driven directly: each chunk is parsed in one call and its records come back
 * through a callback, with no stream in between and no promise per record. The stream `Parser` holds it
 * as `api` (with its `state`); neither is in csv-parse's types, hence this narrow view of them.
 */
interface CsvCore {
  parse(
    chunk: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): Error | undefined;
  readonly state: { expectedRecordLength: number | undefined };
}

function csvCore(options: Options): CsvCore {
  const core = (new Parser(options) as unknown as { api?: Partial<CsvCore> }).api;
  if (typeof core?.parse !== 'function' || typeof core.state !== 'object') {
    throw new FerryError(
      'internal',
      'The installed csv-parse has no parser core where Ferry expects one. Reinstall with `npm ci` (package-lock.json pins the version Ferry is tested with).',
      { code: 'E_CSV_PARSER' },
    );
  }
  return core as CsvCore;
}

const ignoreClose = (): void => {};

/**
 * A database's word for "no value", written out by its export tool: SQL Server, Oracle and most report
 * writers print `NULL`, MySQL's dumps `\N`. Read as text it is one more value that matches nothing: a
 * column of references with a few NULLs no longer points at its parent (the NULLs are not among the
 * parent's keys), and a person would get "NULL" as a middle name. Only the exact upper-case spelling is a
 * marker; a name or word "Null" is left alone.
 */
export function isNullMarker(cell: string): boolean {
  return cell === 'NULL' || cell === '\\N';
}

async function* csvRecords(
  source: FileSource,
  guess: EncodingGuess,
  delimiter: string,
): AsyncGenerator<RawRecord[]> {
  let nextLine = 1;
  // Lines are counted here (csv-parse's per-record info objects cost more): one per record plus the
  // line breaks inside quoted values.
  const numbered = (batch: string[][]): RawRecord[] => {
    const records: RawRecord[] = new Array(batch.length);
    for (let r = 0; r < batch.length; r += 1) {
      const cells = batch[r] as string[];
      const line = nextLine;
      nextLine += 1;
      for (let c = 0; c < cells.length; c += 1) {
        const field = cells[c] as string;
        if (field.length === 0) continue;
        if (isNullMarker(field)) cells[c] = '';
        let at = field.indexOf('\n');
        while (at >= 0) {
          nextLine += 1;
          at = field.indexOf('\n', at + 1);
        }
      }
      if (cells.length > LIMITS.maxColumns) {
        throw new FerryError(
          'config',
          `${source.name}:${line}: ${cells.length} columns (more than ${LIMITS.maxColumns}). This is not a table Ferry can read; check the delimiter or re-export the report.`,
          { code: 'E_SOURCE_TOO_WIDE', details: { file: source.name, line } },
        );
      }
      records[r] = { cells, line };
    }
    return records;
  };
  // Other encodings than UTF-8 are decoded here and handed over as UTF-8.
  const chunks =
    guess.encoding === 'utf-8'
      ? utf8Bytes(source, guess)
      : (async function* () {
          for await (const text of decodedText(source, guess)) yield Buffer.from(text, 'utf8');
        })();
  try {
    for await (const batch of csvBatches(chunks, delimiter)) yield numbered(batch);
  } catch (error) {
    throw csvError(source, error, nextLine);
  }
}

/** How Ferry asks csv-parse to read a CSV: forgiving of stray quotes and ragged rows, any line break. */
export function csvOptions(delimiter: string): Options {
  return {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: LIMITS.maxRecordChars,
  };
}

/**
 * The records of CSV bytes as csv-parse reads them (relax_quotes, relax_column_count, CRLF/LF/CR), in one
 * batch per chunk. csv-parse's errors are thrown after the records before them.
 * @example for await (const batch of csvBatches(chunks, ',')) for (const cells of batch) console.log(cells)
 */
export async function* csvBatches(
  chunks: AsyncIterable<Buffer>,
  delimiter: string,
): AsyncGenerator<string[][]> {
  const parser = csvCore(csvOptions(delimiter));
  let parsed: string[][] = [];
  const push = (record: string[]): void => {
    parsed.push(record);
    // relax_column_count compares every record with the first one and, for each that differs, builds an
    // error it then ignores (a stack trace and a JSON copy of the record): after a title row that was every
    // row of the file, a tenth of the extraction. Comparing with the previous record builds one per change.
    parser.state.expectedRecordLength = record.length;
  };
  const split = simpleSplitter(delimiter, push, (rest) => parser.parse(rest, false, push, ignoreClose));
  const take = (): string[][] => {
    const batch = parsed;
    parsed = [];
    return batch;
  };
  for await (const chunk of chunks) {
    const error = split(chunk, false);
    if (parsed.length > 0) yield take();
    if (error) throw error;
  }
  const error = split(undefined, true) ?? parser.parse(undefined, true, push, ignoreClose);
  if (parsed.length > 0) yield take();
  if (error) throw error;
}

/**
 * Feeds chunks through `scanSimpleRecords` while the records are simple (almost every export), and from the
 * first one that is not, the rest of the file through csv-parse (`parse`). Returns csv-parse's error, if any.
 */
function simpleSplitter(
  delimiter: string,
  push: (record: string[]) => void,
  parse: (rest: Buffer) => Error | undefined,
): (chunk: Buffer | undefined, final: boolean) => Error | undefined {
  const code = delimiter.charCodeAt(0);
  let simple = delimiter.length === 1 && code < 0x80;
  let carry: Buffer | undefined;
  // Chunks are only valid during the call (the reader reuses its buffer): what is kept is copied, and
  // csv-parse, which keeps a view of the bytes it has not parsed yet, is given copies.
  return (chunk, final) => {
    if (!simple) return chunk ? parse(Buffer.from(chunk)) : undefined;
    const buf = carry && chunk ? Buffer.concat([carry, chunk]) : (chunk ?? carry ?? Buffer.alloc(0));
    carry = undefined;
    const scan = scanSimpleRecords(buf, { delimiter: code, final, maxBytes: LIMITS.maxRecordChars, push });
    if (scan.hard) {
      simple = false;
      return parse(Buffer.from(buf.subarray(scan.next)));
    }
    if (scan.next < buf.length) carry = Buffer.from(buf.subarray(scan.next));
    return undefined;
  };
}

function csvError(source: FileSource, error: unknown, line: number): FerryError {
  if (error instanceof FerryError) return error;
  const csv = error as { code?: string; lines?: number; message?: string };
  const at = typeof csv.lines === 'number' ? csv.lines : line;
  switch (csv.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new FerryError(
        'config',
        `${source.name}:${line}: a quoted value opened on line ${line} is never closed (the file ends inside quotes at line ${at}). Fix the quote on line ${line}, or export the table again.`,
        { code: 'E_SOURCE_QUOTE', details: { file: source.name, line } },
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new FerryError(
        'config',
        `${source.name}:${line}: the record starting on line ${line} is longer than ${LIMITS.maxRecordChars / 1024 / 1024} MB — usually an unbalanced quote. Fix that line, or export the table again.`,
        { code: 'E_SOURCE_RECORD_TOO_LONG', details: { file: source.name, line } },
      );
    default: {
      // csv-parse messages can quote cell values: keep only the first clause, which never does.
      const reason = (csv.message ?? String(error)).split(':')[0];
      return new FerryError(
        'config',
        `${source.name}:${at}: cannot parse the CSV (${reason}). Fix that line, or export the table again.`,
        { code: 'E_SOURCE_PARSE', details: { file: source.name, line: at } },
      );
    }
  }
}

async function openXlsx(
  source: FileSource,
): Promise<{ format: TableFormat; records: AsyncGenerator<RawRecord[]> }> {
  const notes: string[] = [];
  return {
    format: { format: 'xlsx', encoding: 'xlsx', delimiter: null, notes },
    records: xlsxRecordsReadAgainOnce(source, notes),
  };
}

/**
 * exceljs's streaming reader now and then fails on a sound workbook under load ("reading 'sheets'": it met a
 * worksheet before the part that names it), always before the first row. A read that failed before yielding
 * a row is read once more, which cannot repeat a row; a failure after a row, or a second one, is reported.
 */
async function* xlsxRecordsReadAgainOnce(source: FileSource, notes: string[]): AsyncGenerator<RawRecord[]> {
  let yielded = false;
  try {
    for await (const batch of xlsxRecords(source, notes)) {
      yielded = true;
      yield batch;
    }
  } catch (error) {
    if (yielded || !(error instanceof FerryError) || error.code !== 'E_SOURCE_XLSX') throw error;
    yield* xlsxRecords(source, notes);
  }
}

async function* xlsxRecords(source: FileSource, notes: string[]): AsyncGenerator<RawRecord[]> {
  // Loaded on first use: exceljs takes about half a second to load, and most exports are all CSV.
  const { default: excel } = await import('exceljs');
  const input = source.content ? Readable.from([source.content]) : createReadStream(source.path as string);
  const reader = new excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let sheetIndex = 0;
  try {
    for await (const worksheet of reader) {
      sheetIndex += 1;
      let rows = 0;
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        rows += 1;
        if (sheetIndex > 1) continue;
        const values = row.values as unknown[];
        if (values.length - 1 > LIMITS.maxColumns) {
          throw new FerryError(
            'config',
            `${source.name}:${row.number}: ${values.length - 1} columns (more than ${LIMITS.maxColumns}). Check the sheet, or re-export the report.`,
            { code: 'E_SOURCE_TOO_WIDE', details: { file: source.name, line: row.number } },
          );
        }
        const cells: string[] = [];
        let formulas: Map<number, string> | undefined;
        for (let i = 1; i < values.length; i += 1) {
          const { text, formula } = cellText(values[i]);
          cells.push(isNullMarker(text) ? '' : text);
          if (formula !== undefined) {
            formulas ??= new Map();
            formulas.set(i - 1, formula);
          }
        }
        yield [formulas ? { cells, line: row.number, formulas } : { cells, line: row.number }];
      }
      if (sheetIndex > 1 && rows > 0)
        notes.push(`sheet ${sheetIndex} (${rows} rows) ignored: only the first sheet is read`);
    }
  } catch (error) {
    if (error instanceof FerryError) throw error;
    throw new FerryError(
      'config',
      `${source.name}: cannot read the workbook (${(error as Error).message?.split('\n')[0] ?? error}). Open it in Excel and save it again, or export it as .csv.`,
      { code: 'E_SOURCE_XLSX', details: { file: source.name } },
    );
  }
}

/** XLSX cell → the text a CSV export would have held. */
function cellText(value: unknown): { text: string; formula?: string } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
  if (value instanceof Date) return { text: formatExcelDate(value) };
  if (typeof value === 'object') {
    const cell = value as {
      richText?: { text: string }[];
      formula?: string;
      sharedFormula?: string;
      result?: unknown;
      text?: unknown;
      error?: string;
    };
    if (cell.richText) return { text: cell.richText.map((part) => part.text).join('') };
    if (cell.formula !== undefined || cell.sharedFormula !== undefined) {
      const result = cellText(cell.result).text;
      return { text: result, formula: cell.formula ?? cell.sharedFormula ?? '' };
    }
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error !== undefined) return { text: cell.error };
  }
  return { text: String(value) };
}

/** Excel dates carry no zone; exceljs gives them as UTC. Keep date-only cells as dates. */
function formatExcelDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}
