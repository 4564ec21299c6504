/** Small normalisers shared by the cross-row checks. Pure. */

/** Accent- and case-folded name with tokens sorted: `González, María E.` → `e gonzalez maria`. */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0)
    .sort()
    .join(' ');
}

export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length > 10 && digits.startsWith('1') ? digits.slice(-10) : digits;
}

/** Status spellings that mean the same: `Active w/ Contract`, `ACTIVE W/CONTRACT `, `Active With Contract`. */
export function foldStatus(status: string): string {
  return status
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bwith\b/g, 'w')
    .replace(/[^a-z0-9]+/g, '');
}

const INACTIVE = new Set(['no', 'n', 'false', 'f', '0', 'inactive', 'deactivated', 'disabled', 'terminated']);

export function isInactiveFlag(value: string): boolean {
  return INACTIVE.has(value.trim().toLowerCase());
}

/** Parses an amount such as `$1,250.00`, `(350.00)`, `-75`, `$1.250,00`; NaN when it is not one. */
export function parseAmount(raw: string): number {
  let text = raw.trim();
  if (text === '') return Number.NaN;
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  text = text.replace(/[$€£\s]/g, '');
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  }
  if (/^\d{1,3}(\.\d{3})+,\d{1,2}$/.test(text)) text = text.replace(/\./g, '').replace(',', '.');
  else text = text.replace(/,/g, '');
  if (!/^\d*\.?\d+$/.test(text)) return Number.NaN;
  const value = Number(text);
  return negative ? -value : value;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Loose date → sortable number (ms), for ordering history rows; NaN when unreadable. US order. */
export function sortableDate(raw: string): number {
  const text = raw.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?)?/i.exec(text);
  if (m) {
    let year = +m[3]!;
    if (year < 100) year += year < 70 ? 2000 : 1900;
    let hour = +(m[4] ?? 0);
    if (m[7]?.toLowerCase() === 'p' && hour < 12) hour += 12;
    if (m[7]?.toLowerCase() === 'a' && hour === 12) hour = 0;
    return Date.UTC(year, +m[1]! - 1, +m[2]!, hour, +(m[5] ?? 0), +(m[6] ?? 0));
  }
  m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})/i.exec(text);
  if (m) return Date.UTC(+m[3]!, (MONTHS[m[1]!.toLowerCase()] ?? 1) - 1, +m[2]!);
  if (/^\d{5}(\.\d+)?$/.test(text)) return Date.UTC(1899, 11, 30) + Number(text) * 86_400_000;
  return Number.NaN;
}
