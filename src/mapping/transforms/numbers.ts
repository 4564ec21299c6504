import { fail, isBlank, ok, quote, type TransformResult } from './result.ts';

/** Money, percentages, hours and plain numbers as exports write them. */

export interface Money {
  /** Decimal amount, rounded to cents. */
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

const NOT_A_VALUE = /^(n\/?a|none|null|nil|-+|tbd|unknown|\?)$/i;
const SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

/** Reads `1,250.00`, `1.250,00`, `1250` → 1250 (decimal comma only when the shape says so). */
function readDecimal(text: string): number | null {
  let t = text.replace(/[\s\u00a0']/g, '');
  if (!/^\d[\d.,]*$|^[.,]\d+$/.test(t)) return null;
  const lastComma = t.lastIndexOf(',');
  const lastDot = t.lastIndexOf('.');
  if (lastComma > lastDot) {
    const decimals = t.length - lastComma - 1;
    // `1.250,00` or `12,5`: decimal comma. `1,250` (three digits after): thousands.
    if (lastDot >= 0 || decimals !== 3) t = t.replace(/\./g, '').replace(',', '.');
    else t = t.replace(/,/g, '');
  } else {
    t = t.replace(/,/g, '');
  }
  if ((t.match(/\./g) ?? []).length > 1) {
    const parts = t.split('.');
    if (parts.slice(1).every((p) => p.length === 3)) t = parts.join('');
    else return null;
  }
  const value = Number(t);
  return Number.isFinite(value) ? value : null;
}

/**
 * A money cell → `{amount, currency}`; blank and `N/A` → null (never 0); parentheses and minus are negative.
 * @example transformMoney('(350.00)') // { ok: true, value: { amount: -350, currency: 'USD' } }
 * @example transformMoney('$1.250,00') // 1250
 */
export function transformMoney(
  input: string,
  options: { currency?: string | undefined } = {},
): TransformResult<Money | null> {
  if (isBlank(input)) return ok(null);
  let text = input.trim();
  if (NOT_A_VALUE.test(text)) {
    return ok(null, {
      code: 'not_a_value',
      severity: 'info',
      message: `${quote(input)} means no amount; left empty`,
    });
  }
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  let currency = options.currency ?? 'USD';
  const code = /^([A-Z]{3})\s*|\s*([A-Z]{3})$/.exec(text);
  if (code) {
    currency = (code[1] ?? code[2])!;
    text = text.replace(code[0], '').trim();
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1).trim();
  }
  const symbol = /^[$€£¥]|[$€£¥]$/.exec(text);
  if (symbol) {
    currency = code ? currency : (SYMBOLS[symbol[0]] ?? currency);
    text = text.replace(symbol[0], '').trim();
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1).trim();
  }
  const value = readDecimal(text);
  if (value === null) return fail('invalid_money', `${quote(input)} is not an amount`);
  const amount = Math.round((negative ? -value : value) * 100) / 100;
  return ok({ amount: Object.is(amount, -0) ? 0 : amount, currency });
}

/**
 * A number cell (`1,234.5`, `-3`) → number; blank → null.
 * @example transformNumber('1,234.50') // 1234.5
 */
export function transformNumber(input: string): TransformResult<number | null> {
  if (isBlank(input)) return ok(null);
  let text = input.trim();
  if (NOT_A_VALUE.test(text)) return ok(null);
  let negative = false;
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  if (/^\d(\.\d+)?e[+-]?\d+$/i.test(text)) {
    return ok(Number(text) * (negative ? -1 : 1), {
      code: 'scientific_notation',
      severity: 'warning',
      message: `${quote(input)} is in scientific notation (Excel may have rounded it)`,
    });
  }
  const value = readDecimal(text);
  if (value === null) return fail('invalid_number', `${quote(input)} is not a number`);
  return ok(negative ? -value : value);
}

/**
 * A percentage → fraction: `40%` → 0.4, `33 1/3%` → 0.333333, `33.33` → 0.3333, `0.3333` → 0.3333.
 * Bare numbers above 1 are read as percent, at most 1 as a fraction already.
 */
export function transformPercent(input: string): TransformResult<number | null> {
  if (isBlank(input)) return ok(null);
  const text = input.trim().replace(/\s+/g, ' ');
  if (NOT_A_VALUE.test(text)) return ok(null);
  const hasSign = text.endsWith('%');
  const body = text.replace(/\s*%$/, '').trim();
  let value: number | null = null;
  const mixed = /^(\d+)\s+(\d+)\/(\d+)$/.exec(body);
  const fraction = /^(\d+)\/(\d+)$/.exec(body);
  if (mixed) {
    const denominator = Number(mixed[3]);
    if (denominator > 0) value = Number(mixed[1]) + Number(mixed[2]) / denominator;
  } else if (fraction && !hasSign) {
    const denominator = Number(fraction[2]);
    if (denominator > 0) return ok(round6(Number(fraction[1]) / denominator));
  } else if (/^-?\d+(\.\d+)?$|^-?\.\d+$/.test(body)) {
    value = Number(body);
  } else if (/^-?\d+,\d+$/.test(body)) {
    // `33,33 %`: a decimal comma (a percentage is not written with thousands).
    value = Number(body.replace(',', '.'));
  }
  if (value === null || !Number.isFinite(value))
    return fail('invalid_percent', `${quote(input)} is not a percentage`);
  const asFraction = hasSign || mixed || Math.abs(value) > 1 ? value / 100 : value;
  return ok(round6(asFraction));
}

function round6(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * Hours in decimal: `1.5`, `1:30`, `90m`, `1h 30m`, `2 hrs` → 1.5 / 1.5 / 1.5 / 1.5 / 2.
 */
export function transformHours(input: string): TransformResult<number | null> {
  if (isBlank(input)) return ok(null);
  const text = input.trim().toLowerCase();
  const patterns: readonly [RegExp, (m: RegExpExecArray) => number][] = [
    [/^(\d+):([0-5]\d)$/, (m) => Number(m[1]) * 60 + Number(m[2])],
    [/^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?)$/, (m) => Number(m[1])],
    [/^(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?)$/, (m) => Number(m[1]) * 60],
    [/^(\d+)\s*h(?:rs?|ours?)?\s*(\d+)\s*m(?:in(?:s|utes?)?)?$/, (m) => Number(m[1]) * 60 + Number(m[2])],
    [/^(\d+(?:\.\d+)?|\.\d+)$/, (m) => Number(m[1]) * 60],
  ];
  let minutes: number | null = null;
  for (const [pattern, read] of patterns) {
    const match = pattern.exec(text);
    if (match) {
      minutes = read(match);
      break;
    }
  }
  if (minutes === null || !Number.isFinite(minutes))
    return fail('invalid_hours', `${quote(input)} is not a duration`);
  return ok(Math.round((minutes / 60) * 10000) / 10000);
}
