import { FOREIGN_NO, FOREIGN_YES } from '../../core/languages/index.ts';
import type { ValueKind } from '../model.ts';

/** What one cell looks like. `format` names date layouts, duration styles and notable spellings. */
export interface ValueClass {
  readonly kind: ValueKind;
  readonly format?: string;
}

const BOOLEAN_TOKENS = new Set([
  'yes',
  'no',
  'y',
  'n',
  'true',
  'false',
  't',
  'f',
  'x',
  'si',
  'sí',
  'on',
  'off',
  // German, French, Italian, Portuguese, Dutch, Spanish, Polish, Scandinavian (core/languages).
  ...FOREIGN_YES,
  ...FOREIGN_NO,
]);
const BOOLEAN_TOKEN_MAX_LENGTH = Math.max(...[...BOOLEAN_TOKENS].map((t) => t.length));
const MONTHS =
  'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[a-z]{2,}$/i;
const URL_RE = /^(https?:\/\/|www\.)\S+$/i;
const PERCENT = /^-?\d+(\.\d+)?\s*%$/;
const FRACTION_PERCENT = /^\d+\s+\d+\/\d+\s*%?$/;
const MONEY_SYMBOL = /^\(?-?\s?[$€£]\s?-?\d{1,3}(,?\d{3})*(\.\d{1,2})?\)?$/;
const MONEY_EURO_STYLE = /^[$€£]\s?\d{1,3}(\.\d{3})+,\d{2}$/;
const MONEY_PARENS = /^\(\d{1,3}(,?\d{3})*(\.\d{1,2})?\)$/;
const GROUPED_NUMBER = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** `3.912,22`, `5724,79`: a decimal comma (`1,250` with three digits after it is grouped thousands). */
const DECIMAL_COMMA = /^-?\d{1,3}([.\u00a0\u202f ]\d{3})+,\d+$|^-?\d+,\d{1,2}$/;
/** `42.893,07 €`, `2 500,00 €` (French groups by spaces), `150 €`: the currency after the amount, as most of Europe and Latin America write it. */
const MONEY_SYMBOL_AFTER = /^-?\d{1,3}(([.\u00a0\u202f ]\d{3})+|\d*)(,\d{1,2})?\s?[€$£]$/;
const PERCENT_DECIMAL_COMMA = /^-?\d+,\d+\s*%$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d*\.\d+$/;
const SCIENTIFIC = /^-?\d(\.\d+)?e[+-]?\d+$/i;
const ISO_DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const ISO_DATETIME = /^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const SLASH_DATE = /^\d{1,2}\/\d{1,2}\/(\d{4}|\d{2})$/;
const SLASH_DATETIME = /^\d{1,2}\/\d{1,2}\/(\d{4}|\d{2})\s+\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?$/i;
const DOT_DATE = /^\d{1,2}\.\d{1,2}\.\d{4}$/;
/** `20.09.2020 11:00`: a German, Swiss or Austrian date with the time of day. */
const DOT_DATETIME = /^\d{1,2}\.\d{1,2}\.\d{4},?\s+\d{1,2}:\d{2}(:\d{2})?$/;
const DASH_DATE_US = /^\d{1,2}-\d{1,2}-\d{4}$/;
/** `15-08-2015 14:07`: a dashed date with the time of day (Dutch and Danish software write dates so). */
const DASH_DATETIME = /^\d{1,2}-\d{1,2}-\d{4}\s+\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?$/i;
const MONTH_NAME_DATE = new RegExp(`^(${MONTHS})\\.?\\s+\\d{1,2}(st|nd|rd|th)?,?\\s+\\d{4}$`, 'i');
const DAY_MONTH_NAME_DATE = new RegExp(`^\\d{1,2}[-\\s](${MONTHS})[-\\s]\\d{2,4}$`, 'i');
const DAY_MONTH_NAME_DATETIME = new RegExp(
  `^\\d{1,2}[-\\s](${MONTHS})[-\\s]\\d{2,4}\\s+\\d{1,2}:\\d{2}(:\\d{2})?\\s*([ap]\\.?m\\.?)?$`,
  'i',
);
/** `20221018 1021`: a date and a time of day written without separators, as mainframe extracts do. */
const COMPACT_DATETIME = /^(\d{4})(\d{2})(\d{2})\s(\d{2}):?(\d{2})$/;
const HOURS_CLOCK = /^\d{1,3}:\d{2}$/;
const HOURS_MINUTES = /^\d+(\.\d+)?\s*(m|min|mins|minutes)$/i;
const HOURS_SUFFIX = /^\d+(\.\d+)?\s*(h|hr|hrs|hours)$/i;
const PHONE_CHARS = /^(=?\+)?[\d\s().\-/]+((x|ext\.?)\s*\d+)?$/i;
const ID_LIKE = /^[A-Za-z]{0,8}[-_#/]?[A-Za-z0-9]*\d[A-Za-z0-9\-_/.]*$/;

/** Placeholder dates that mean "unknown" in exports (`00/00/0000`, `01/01/1900`). */
export function isPlaceholderDate(value: string): boolean {
  return /^0{1,2}\/0{1,2}\/0{2,4}$|^0{4}-0{2}-0{2}$|^0?1\/0?1\/1900$|^1900-01-01$/.test(value.trim());
}

/**
 * Classifies one non-empty cell.
 * @example classifyValue('$1,250.00') // { kind: 'money' } ; classifyValue('4/9/21') // { kind: 'date', format: 'M/D/YY' }
 */
export function classifyValue(raw: string): ValueClass {
  const value = raw.trim();
  if (value.length > 60 && value.includes(' ')) return { kind: 'text' };
  // Boolean tokens are at most 5 characters: skip lower-casing (an allocation) for everything longer.
  if (value.length <= BOOLEAN_TOKEN_MAX_LENGTH) {
    const lower = value.toLowerCase();
    if (BOOLEAN_TOKENS.has(lower)) return { kind: 'boolean', format: lower };
  }
  if (INTEGER.test(value)) {
    if (value.length > 15 || (value.length > 1 && value.startsWith('0')))
      return { kind: 'id', format: 'digits' };
    return { kind: 'integer' };
  }
  if (DECIMAL.test(value)) return { kind: 'number' };
  if (SCIENTIFIC.test(value)) return { kind: 'number', format: 'scientific' };
  if (EMAIL.test(value)) return { kind: 'email' };
  if (URL_RE.test(value)) return { kind: 'url' };
  if (PERCENT.test(value)) return { kind: 'percent' };
  if (FRACTION_PERCENT.test(value)) return { kind: 'percent', format: 'fraction' };
  if (MONEY_SYMBOL.test(value) || MONEY_PARENS.test(value)) return { kind: 'money' };
  if (MONEY_EURO_STYLE.test(value)) return { kind: 'money', format: 'decimal-comma' };
  if (GROUPED_NUMBER.test(value)) return { kind: 'number', format: 'grouped' };
  if (DECIMAL_COMMA.test(value)) return { kind: 'number', format: 'decimal-comma' };
  if (MONEY_SYMBOL_AFTER.test(value)) return { kind: 'money', format: 'decimal-comma' };
  if (PERCENT_DECIMAL_COMMA.test(value)) return { kind: 'percent', format: 'decimal-comma' };
  if (/^\d/.test(value) || /^[a-z]/i.test(value)) {
    const date = classifyDate(value);
    if (date) return date;
  }
  if (HOURS_CLOCK.test(value)) return { kind: 'number', format: 'h:mm' };
  if (HOURS_MINUTES.test(value)) return { kind: 'number', format: 'minutes' };
  if (HOURS_SUFFIX.test(value)) return { kind: 'number', format: 'hours' };
  if (PHONE_CHARS.test(value)) {
    const digits = value.replace(/\D/g, '').length;
    if (digits >= 7 && digits <= 15)
      return { kind: 'phone', ...(value.startsWith('=') ? { format: 'formula' } : {}) };
  }
  if (value.length <= 40 && ID_LIKE.test(value) && /\d/.test(value)) return { kind: 'id' };
  return { kind: 'text' };
}

function classifyDate(value: string): ValueClass | null {
  if (ISO_DATE.test(value)) return { kind: 'date', format: 'YYYY-MM-DD' };
  if (ISO_DATETIME.test(value)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
    return { kind: 'datetime', format: zoned ? 'ISO-8601+zone' : 'YYYY-MM-DDTHH:mm:ss' };
  }
  if (SLASH_DATE.test(value)) {
    const year = value.slice(value.lastIndexOf('/') + 1);
    return { kind: 'date', format: year.length === 4 ? 'MM/DD/YYYY' : 'M/D/YY' };
  }
  if (SLASH_DATETIME.test(value)) return { kind: 'datetime', format: 'MM/DD/YYYY h:mm' };
  if (DOT_DATE.test(value)) return { kind: 'date', format: 'DD.MM.YYYY' };
  if (DOT_DATETIME.test(value))
    return {
      kind: 'datetime',
      format: value.split(':').length > 2 ? 'DD.MM.YYYY HH:mm:ss' : 'DD.MM.YYYY HH:mm',
    };
  if (DASH_DATE_US.test(value)) return { kind: 'date', format: 'MM-DD-YYYY' };
  if (DASH_DATETIME.test(value)) return { kind: 'datetime', format: 'MM-DD-YYYY h:mm' };
  if (MONTH_NAME_DATE.test(value)) return { kind: 'date', format: 'MMM D YYYY' };
  if (DAY_MONTH_NAME_DATE.test(value)) return { kind: 'date', format: 'D-MMM-YYYY' };
  if (DAY_MONTH_NAME_DATETIME.test(value)) return { kind: 'datetime', format: 'D-MMM-YYYY h:mm' };
  const compact = COMPACT_DATETIME.exec(value);
  if (compact && isCompactDate(value.slice(0, 8)) && Number(compact[4]) < 24 && Number(compact[5]) < 60)
    return { kind: 'datetime', format: value.includes(':') ? 'YYYYMMDD HH:mm' : 'YYYYMMDD HHmm' };
  return null;
}

/**
 * Whether eight digits read as a calendar day, year first (`20151122`). One such value is only an integer;
 * a column of them is a column of dates (column-stats decides, as for Excel serials).
 */
export function isCompactDate(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Excel stores dates as days since 1899-12-30; integers in this range in a date column are serials. */
export function looksLikeExcelSerial(value: string): boolean {
  if (!/^\d{5}(\.\d+)?$/.test(value.trim())) return false;
  const n = Number(value);
  return n >= 10_000 && n <= 80_000;
}

/** Boolean spellings grouped into families, for the inconsistent-boolean check. */
export function booleanFamily(value: string): string | null {
  const lower = value.trim().toLowerCase();
  if (lower === 'yes' || lower === 'no') return 'Yes/No';
  if (lower === 'y' || lower === 'n') return 'Y/N';
  if (lower === 'true' || lower === 'false' || lower === 't' || lower === 'f') return 'TRUE/FALSE';
  if (lower === '1' || lower === '0') return '1/0';
  if (lower === 'x') return 'X';
  if (lower === 'si' || lower === 'sí') return 'Sí/No';
  if (lower === 'on' || lower === 'off') return 'On/Off';
  if (lower === 'ja' || lower === 'nein' || lower === 'j') return 'Ja/Nein';
  if (lower === 'nej' || lower === 'nei') return 'Ja/Nej';
  if (lower === 'oui' || lower === 'non') return 'Oui/Non';
  if (lower === 'sim' || lower === 'não' || lower === 'nao') return 'Sim/Não';
  if (lower === 'wahr' || lower === 'falsch') return 'Wahr/Falsch';
  if (lower === 'vrai' || lower === 'faux') return 'Vrai/Faux';
  if (lower === 'vero' || lower === 'falso' || lower === 'verdadeiro') return 'Vero/Falso';
  if (lower === 'nee') return 'Ja/Nee';
  if (lower === 'waar' || lower === 'onwaar') return 'Waar/Onwaar';
  if (lower === 'verdadero') return 'Verdadero/Falso';
  if (lower === 'tak' || lower === 'nie') return 'Tak/Nie';
  if (lower === 'prawda' || lower === 'fałsz' || lower === 'falsz') return 'Prawda/Fałsz';
  return null;
}
