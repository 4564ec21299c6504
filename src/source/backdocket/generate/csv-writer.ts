import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

/**
 * Streams an RFC 4180 CSV file (CRLF, quotes where needed) and knows the physical line each row starts
 * on, so the manifest can point at it.
 */
export class CsvWriter {
  readonly file: string;
  readonly encoding: FileEncoding;
  private readonly stream: WriteStream;
  /** The physical line the next row starts on. */
  line = 1;
  rows = 0;

  private readonly signal: AbortSignal | undefined;
  private readonly onRows: ((rows: number) => void) | undefined;

  constructor(options: {
    path: string;
    file: string;
    encoding?: FileEncoding;
    signal?: AbortSignal | undefined;
    /** Called every 50,000 data rows (progress for long runs). */
    onRows?: ((rows: number) => void) | undefined;
  }) {
    this.file = options.file;
    this.onRows = options.onRows;
    this.encoding = options.encoding ?? 'utf-8';
    this.signal = options.signal;
    this.stream = createWriteStream(options.path);
    if (this.encoding === 'utf-8-bom') this.stream.write(Buffer.from([0xef, 0xbb, 0xbf]));
  }

  /** Writes a raw line (a title row, a footer) that is not a data row. */
  async raw(text: string): Promise<void> {
    await this.write(`${text}\r\n`);
  }

  /** Writes a header or data row; returns the line it starts on. */
  async row(cells: readonly (string | number | null | undefined)[], isData = true): Promise<number> {
    const start = this.line;
    await this.write(`${cells.map(csvCell).join(',')}\r\n`);
    if (isData) this.rows += 1;
    // Checked every few thousand rows: cheap, and a cancelled run stops within a moment.
    if (isData && (this.rows & 4095) === 0 && this.signal?.aborted) {
      this.stream.destroy();
      throw this.signal.reason;
    }
    if (isData && this.rows % 50_000 === 0) this.onRows?.(this.rows);
    return start;
  }

  private async write(text: string): Promise<void> {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.line += 1;
    const bytes = this.encoding === 'windows-1252' ? encode1252(text) : Buffer.from(text, 'utf8');
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Windows-1252's characters in 0x80–0x9F (the rest of the code page is Latin-1). */
export const CP1252_EXTRA: Readonly<Record<string, number>> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};

/** Windows-1252 bytes (characters outside it become '?', as Excel would write them). */
export function encode1252(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else bytes.push(CP1252_EXTRA[char] ?? 0x3f);
  }
  return Buffer.from(bytes);
}
