import { isUtf8 } from 'node:buffer';

/** Text encodings the reader recognises in an export file. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingGuess {
  readonly encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  readonly bomLength: number;
  /** Human-readable: `UTF-8 with BOM`, `Windows-1252 (not valid UTF-8)` … */
  readonly label: string;
}

/**
 * Guesses the encoding from the first bytes (BOM, UTF-16 NUL pattern) and, for the rest, whether the
 * whole content is valid UTF-8 (`validUtf8`, computed by the caller over the full stream).
 * @example sniffEncoding(Buffer.from('\ufeffa,b'), true) // { encoding: 'utf-8', bomLength: 3, … }
 */
export function sniffEncoding(head: Buffer, validUtf8: boolean): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, label: 'UTF-8 with BOM' };
  }
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', bomLength: 2, label: 'UTF-16 LE with BOM' };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', bomLength: 2, label: 'UTF-16 BE with BOM' };
  const utf16 = sniffUtf16WithoutBom(head);
  if (utf16)
    return { encoding: utf16, bomLength: 0, label: `${utf16 === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'}` };
  if (validUtf8) return { encoding: 'utf-8', bomLength: 0, label: 'UTF-8' };
  return { encoding: 'windows-1252', bomLength: 0, label: 'Windows-1252 (not valid UTF-8)' };
}

/** ASCII text in UTF-16 has a NUL in every other byte; which half tells the byte order. */
function sniffUtf16WithoutBom(head: Buffer): TextEncoding | null {
  const length = Math.min(head.length, 4096) & ~1;
  if (length < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < length; i += 2) {
    if (head[i] === 0) evenNul += 1;
    if (head[i + 1] === 0) oddNul += 1;
  }
  const pairs = length / 2;
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Incremental UTF-8 validity check over chunks (a multi-byte character may straddle two chunks).
 * @example const v = new Utf8Validator(); v.push(chunk); v.finish() // true when every byte was valid
 */
export class Utf8Validator {
  private carry: Buffer = Buffer.alloc(0);
  private valid = true;

  push(chunk: Buffer): void {
    if (!this.valid) return;
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    // Back up over an incomplete trailing sequence (at most 3 bytes) and check it with the next chunk.
    let end = data.length;
    for (let back = 1; back <= 3 && back <= data.length; back += 1) {
      const byte = data[data.length - back] as number;
      if ((byte & 0xc0) === 0x80) continue;
      if (byte >= 0xc0) {
        const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
        if (need > back) end = data.length - back;
      }
      break;
    }
    if (!isUtf8(data.subarray(0, end))) this.valid = false;
    this.carry = Buffer.from(data.subarray(end));
  }

  finish(): boolean {
    return this.valid && (this.carry.length === 0 || isUtf8(this.carry));
  }
}

/**
 * Windows-1252 bytes 0x80–0x9F (Node's TextDecoder treats `windows-1252` as Latin-1 for these, so the
 * table is spelled out; undefined bytes keep their C1 code point as the WHATWG decoder does).
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
] as const;
const C1_TO_1252 = /[\u0080-\u009f]/g;

/** Decodes Windows-1252 bytes (single-byte: chunks can be decoded independently). */
export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(C1_TO_1252, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] as number));
}

/** Windows-1252 character → byte, for undoing UTF-8-read-as-1252 damage. */
const CP1252_BYTE: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte += 1) map.set(decodeWindows1252(Uint8Array.of(byte)), byte);
  return map;
})();

// UTF-8 continuation bytes (0x80-0xBF) as Windows-1252 characters.
const CONTINUATION = `[${[...CP1252_BYTE]
  .filter(([, byte]) => byte <= 0xbf)
  .map(([char]) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  .join('')}]`;
// Only the damage seen in practice: Latin-1/Latin Extended letters (Ã©, Ã±, Å¡), punctuation (â€™, â€œ)
// and emoji (ðŸ˜€). Wider patterns turn genuine text such as `é’’` into CJK characters.
const MOJIBAKE_RUN = new RegExp(
  `[\\u00c2-\\u00c5]${CONTINUATION}|\\u00e2${CONTINUATION}{2}|\\u00f0${CONTINUATION}{3}`,
  'g',
);
const MOJIBAKE_HINT = /[\u00c2-\u00c5\u00e2\u00f0]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Repairs classic mojibake (UTF-8 bytes decoded as Windows-1252: `Oâ€™Neil` → `O’Neil`, `MuÃ±oz` →
 * `Muñoz`). Returns null when the text has nothing to repair.
 * @example repairMojibake('Oâ€™Neil') // 'O’Neil'
 */
export function repairMojibake(text: string): string | null {
  if (!MOJIBAKE_HINT.test(text)) return null;
  let changed = false;
  const repaired = text.replace(MOJIBAKE_RUN, (run) => {
    const bytes: number[] = [];
    for (const char of run) {
      const code = char.charCodeAt(0);
      const byte = code >= 0x80 && code <= 0xff && !CP1252_BYTE.has(char) ? code : CP1252_BYTE.get(char);
      if (byte === undefined) return run;
      bytes.push(byte);
    }
    try {
      const decoded = strictUtf8.decode(Uint8Array.from(bytes));
      changed = true;
      return decoded;
    } catch {
      return run;
    }
  });
  return changed ? repaired : null;
}
