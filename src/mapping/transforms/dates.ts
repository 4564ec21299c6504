import { fail, isBlank, ok, quote, type TransformResult } from './result.ts';

/**
 * Dates and timestamps: declared formats first, then detection; Excel serials, 2-digit years,
 * placeholders (`00/00/0000` → empty, with an issue), ambiguous day/month refused unless the order is
 * configured, and local timestamps converted to UTC with the source time zone (Intl offsets, no deps).
 */

export type DateOrder = 'MDY' | 'DMY' | 'YMD';

export interface DateOptions {
  /** Declared formats tried first, e.g. `MM/DD/YYYY`, `M/D/YY h:mm A`, `YYYY-MM-DD`, `excel-serial`. */
  readonly formats?: readonly string[] | undefined;
  /** How to read 03/04/21; without it an ambiguous date is an error. */
  readonly order?: DateOrder | undefined;
  /** IANA zone of local timestamps (default UTC). */
  readonly timeZone?: string | undefined;
  /** Two-digit years up to this are 20xx, above it 19xx (default 29, as Excel does). */
  readonly pivotYear?: number | undefined;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  hasTime: boolean;
  /** Offset from UTC in minutes when the text carried one (`Z`, `+02:00`). */
  offset: number | null;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
  ene: 1,
  enero: 1,
  febrero: 2,
  marzo: 3,
  abr: 4,
  abril: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  ago: 8,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  dic: 12,
  diciembre: 12,
};

const PLACEHOLDER = /^(0{1,2}[/.-]0{1,2}[/.-]0{2,4}|0{4}-0{2}-0{2}|0?1[/.-]0?1[/.-]1900|1900-0?1-0?1)$/;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?`;
const ISO = new RegExp(
  String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]${TIME}\s*(Z|[+-]\d{2}:?\d{2})?)?$`,
  'i',
);
const NUMERIC = new RegExp(String.raw`^(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?:[ T,]+${TIME})?$`, 'i');
const NAMED_MDY = new RegExp(
  String.raw`^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2,4})(?:,?\s+${TIME})?$`,
  'i',
);
const NAMED_DMY = new RegExp(
  String.raw`^(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})(?:,?\s+${TIME})?$`,
  'i',
);
const SERIAL = /^\d{1,7}(\.\d+)?$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function expandYear(text: string, pivot: number): number {
  const n = Number(text);
  if (text.length > 2) return n;
  return n <= pivot ? 2000 + n : 1900 + n;
}

function clock(
  h?: string,
  m?: string,
  s?: string,
  ampm?: string,
): { hour: number; minute: number; second: number } | null {
  if (h === undefined) return { hour: 0, minute: 0, second: 0 };
  let hour = Number(h);
  const minute = Number(m);
  const second = s ? Number(s) : 0;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    const pm = ampm.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second };
}

function build(
  year: number,
  month: number,
  day: number,
  time: ReturnType<typeof clock>,
  hasTime: boolean,
  offset: number | null = null,
): Parts | null {
  if (!time || month < 1 || month > 12 || day < 1 || year < 1 || year > 9999) return null;
  if (day > daysInMonth(year, month)) return null;
  return { year, month, day, ...time, hasTime, offset };
}

/** Compiles a declared format (`MM/DD/YYYY h:mm A`) to a reader. */
function compileFormat(format: string): ((text: string, pivot: number) => Parts | null) | null {
  if (/^excel[- ]?serial$/i.test(format)) {
    return (text) => (SERIAL.test(text) ? fromSerial(Number(text)) : null);
  }
  if (/^iso/i.test(format)) return (text) => parseIso(text);
  const fields: string[] = [];
  let pattern = '';
  const tokens = format.match(/YYYY|YY|MMMM|MMM|MM|M|DD|D|HH|H|hh|h|mm|ss|A|a|[^A-Za-z]+|[A-Za-z]/g) ?? [];
  for (const token of tokens) {
    switch (token) {
      case 'YYYY':
        fields.push('Y4');
        pattern += '(\\d{4})';
        break;
      case 'YY':
        fields.push('Y2');
        pattern += '(\\d{2})';
        break;
      case 'MMMM':
      case 'MMM':
        fields.push('Mn');
        pattern += '([A-Za-z]{3,9})\\.?';
        break;
      case 'MM':
      case 'M':
        fields.push('M');
        pattern += '(\\d{1,2})';
        break;
      case 'DD':
      case 'D':
        fields.push('D');
        pattern += '(\\d{1,2})';
        break;
      case 'HH':
      case 'H':
      case 'hh':
      case 'h':
        fields.push('h');
        pattern += '(\\d{1,2})';
        break;
      case 'mm':
        fields.push('m');
        pattern += '(\\d{2})';
        break;
      case 'ss':
        fields.push('s');
        pattern += '(\\d{2})';
        break;
      case 'A':
      case 'a':
        fields.push('A');
        pattern += '([ap]\\.?m\\.?)';
        break;
      default:
        pattern += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*');
        break;
    }
  }
  if (!fields.includes('M') && !fields.includes('Mn')) return null;
  const re = new RegExp(`^${pattern}$`, 'i');
  return (text, pivot) => {
    const match = re.exec(text);
    if (!match) return null;
    const get = (field: string) => {
      const index = fields.indexOf(field);
      return index < 0 ? undefined : match[index + 1];
    };
    const yearText = get('Y4') ?? get('Y2');
    if (yearText === undefined) return null;
    const month = get('Mn') !== undefined ? (MONTHS[get('Mn')!.toLowerCase()] ?? 0) : Number(get('M'));
    const hasTime = fields.includes('h');
    const time = clock(get('h'), get('m') ?? '0', get('s'), get('A'));
    return build(expandYear(yearText, pivot), month, Number(get('D') ?? 1), time, hasTime);
  };
}

function parseIso(text: string): Parts | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const hasTime = m[4] !== undefined;
  let offset: number | null = null;
  const zone = m[8];
  if (zone) {
    if (zone.toUpperCase() === 'Z') offset = 0;
    else {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
  }
  return build(Number(m[1]), Number(m[2]), Number(m[3]), clock(m[4], m[5], m[6], m[7]), hasTime, offset);
}

/** Excel's day count (1900 system, with its phantom 29 Feb 1900). */
function fromSerial(serial: number): Parts | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const days = Math.floor(serial);
  const ms = Math.round((serial - days) * 86400) * 1000;
  const date = new Date(Date.UTC(1899, 11, 30) + days * 86400000 + ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    hasTime: ms > 0,
    offset: null,
  };
}

type Detected = { parts: Parts } | { ambiguous: string } | null;

function detect(text: string, options: DateOptions, pivot: number): Detected {
  const iso = parseIso(text);
  if (iso) return { parts: iso };
  const numeric = NUMERIC.exec(text);
  if (numeric) {
    const [, a, , b, c, h, mi, s, ampm] = numeric;
    const time = clock(h, mi, s, ampm);
    const hasTime = h !== undefined;
    if (a!.length === 4) return wrap(build(Number(a), Number(b), Number(c), time, hasTime));
    const first = Number(a);
    const second = Number(b);
    const year = expandYear(c!, pivot);
    if (c!.length === 3) return null;
    let order: DateOrder | undefined;
    if (first > 12 && second <= 12) order = 'DMY';
    else if (second > 12 && first <= 12) order = 'MDY';
    else if (first === second) order = 'MDY';
    else if (first <= 12 && second <= 12) {
      if (options.order === 'DMY' || options.order === 'MDY') order = options.order;
      else if (options.order === 'YMD') order = 'MDY';
      else return { ambiguous: text };
    } else return null;
    return wrap(
      order === 'DMY' ? build(year, second, first, time, hasTime) : build(year, first, second, time, hasTime),
    );
  }
  const named = NAMED_MDY.exec(text);
  if (named) {
    const month = MONTHS[named[1]!.toLowerCase()];
    if (month)
      return wrap(
        build(
          expandYear(named[3]!, pivot),
          month,
          Number(named[2]),
          clock(named[4], named[5], named[6], named[7]),
          named[4] !== undefined,
        ),
      );
  }
  const namedDmy = NAMED_DMY.exec(text);
  if (namedDmy) {
    const month = MONTHS[namedDmy[2]!.toLowerCase()];
    if (month)
      return wrap(
        build(
          expandYear(namedDmy[3]!, pivot),
          month,
          Number(namedDmy[1]),
          clock(namedDmy[4], namedDmy[5], namedDmy[6], namedDmy[7]),
          namedDmy[4] !== undefined,
        ),
      );
  }
  // A bare number is an Excel serial only in a plausible range (1927–2119), so amounts are not read as dates.
  if (SERIAL.test(text) && Number(text) >= 10000 && Number(text) <= 80000)
    return wrap(fromSerial(Number(text)));
  return null;
}

function wrap(parts: Parts | null): Detected {
  return parts ? { parts } : null;
}

function readParts(input: string, options: DateOptions): TransformResult<Parts | null> {
  const text = input.trim().replace(/\s+/g, ' ');
  if (PLACEHOLDER.test(text)) {
    return ok(null, {
      code: 'placeholder_date',
      severity: 'warning',
      message: `${quote(input)} is a placeholder, not a date; left empty`,
    });
  }
  const pivot = options.pivotYear ?? 29;
  for (const format of options.formats ?? []) {
    const reader = compileFormat(format);
    const parts = reader?.(text, pivot);
    if (parts) return ok(parts);
  }
  const found = detect(text, options, pivot);
  if (!found) return fail('invalid_date', `${quote(input)} is not a date Ferry can read`);
  if ('ambiguous' in found) {
    return fail(
      'ambiguous_date',
      `${quote(input)} could be month/day or day/month; set settings.dateOrder (MDY or DMY) in mapping.yaml`,
    );
  }
  return ok(found.parts);
}

/**
 * A cell → `YYYY-MM-DD` (the local calendar date), or null for a blank/placeholder.
 * @example transformDate('4/9/21') // { ok: true, value: '2021-04-09' }
 * @example transformDate('03/04/21') // { ok: false, issue: { code: 'ambiguous_date', … } }
 */
export function transformDate(input: string, options: DateOptions = {}): TransformResult<string | null> {
  if (isBlank(input)) return ok(null);
  const read = readParts(input, options);
  if (!read.ok) return read;
  if (read.value === null) return read as TransformResult<null>;
  const p = read.value;
  return ok(`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`);
}

/**
 * A cell → UTC timestamp `YYYY-MM-DDTHH:MM:SSZ`. Local times are read in `timeZone` (an explicit offset
 * in the text wins); a date alone is local midnight.
 * @example transformDateTime('04/02/2021 9:14 AM', { timeZone: 'America/Chicago' }) // '2021-04-02T14:14:00Z'
 */
export function transformDateTime(input: string, options: DateOptions = {}): TransformResult<string | null> {
  if (isBlank(input)) return ok(null);
  const read = readParts(input, options);
  if (!read.ok) return read;
  if (read.value === null) return read as TransformResult<null>;
  const p = read.value;
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  let utc: number;
  if (p.offset !== null) utc = wall - p.offset * 60000;
  else {
    const zone = options.timeZone ?? 'UTC';
    const converted = localToUtc(wall, zone);
    if (converted === null)
      return fail('bad_time_zone', `'${zone}' is not an IANA time zone (e.g. America/Chicago)`);
    utc = converted;
  }
  const date = new Date(utc);
  if (Number.isNaN(date.getTime())) return fail('invalid_date', `${quote(input)} is out of range`);
  return ok(`${date.toISOString().slice(0, 19)}Z`);
}

/**
 * A clock time → `HH:MM` (24 h), or null when blank.
 * @example transformTime('9:14 AM') // { ok: true, value: '09:14' }
 */
export function transformTime(input: string): TransformResult<string | null> {
  if (isBlank(input)) return ok(null);
  const match = new RegExp(`^${TIME}$`, 'i').exec(input.trim());
  const time = match ? clock(match[1], match[2], match[3], match[4]) : null;
  if (!time) return fail('invalid_time', `${quote(input)} is not a time of day`);
  return ok(`${pad(time.hour)}:${pad(time.minute)}`);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Offsets by zone and quarter hour. Every zone's offset changes only at a quarter-hour boundary (DST and
 * historic changes alike), so an instant's quarter hour fixes its offset; a migration's dates fall in few.
 * Keyed by the quarter hour's number, not a string: a large export fills the cache, and numbers cost a
 * fraction of the memory.
 */
const offsetCache = new Map<string, Map<number, number | null>>();
let offsetsCached = 0;
const MAX_CACHED_OFFSETS = 200_000;
const QUARTER_HOUR_MS = 15 * 60_000;

/** Offset (ms) of `timeZone` from UTC at the instant `utcMs`; null for an unknown zone. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number | null {
  const quarter = Math.floor(utcMs / QUARTER_HOUR_MS);
  let zone = offsetCache.get(timeZone);
  const cached = zone?.get(quarter);
  if (cached !== undefined) return cached;
  const offset = computeZoneOffsetMs(utcMs, timeZone);
  if (offsetsCached >= MAX_CACHED_OFFSETS) {
    offsetCache.clear();
    offsetsCached = 0;
    zone = undefined;
  }
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  zone.set(quarter, offset);
  offsetsCached += 1;
  return offset;
}

function computeZoneOffsetMs(utcMs: number, timeZone: string): number | null {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        era: 'short',
      });
    } catch {
      return null;
    }
    formatters.set(timeZone, formatter);
  }
  const values: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) values[part.type] = part.value;
  let year = Number(values.year);
  if (values.era && /^b/i.test(values.era)) year = 1 - year;
  const asUtc = Date.UTC(
    year,
    Number(values.month) - 1,
    Number(values.day),
    Number(values.hour),
    Number(values.minute),
    Number(values.second),
  );
  const date = new Date(asUtc);
  if (year >= 0 && year < 100) date.setUTCFullYear(year);
  return date.getTime() - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** Wall-clock time in `timeZone` → UTC ms (the earlier instant when the clock is ambiguous at a DST change). */
export function localToUtc(wallMs: number, timeZone: string): number | null {
  const first = zoneOffsetMs(wallMs, timeZone);
  if (first === null) return null;
  let utc = wallMs - first;
  const second = zoneOffsetMs(utc, timeZone);
  if (second === null) return null;
  if (second !== first) utc = wallMs - second;
  return utc;
}
