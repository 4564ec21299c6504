import { FOREIGN_NO, FOREIGN_YES } from '../../core/languages/index.ts';
import { fail, isBlank, ok, quote, type TransformResult } from './result.ts';

/** Booleans, multi-value cells, names, e-mails and value maps. */

// Yes/no in its spellings, and the words of an active/inactive state (a staff file's Status column).
const TRUE = new Set([
  // Access and Visual Basic store True as -1.
  ...['yes', 'y', 'true', 't', '1', '-1', 'x', 'on', 'checked', 'si', 'sí', 's', '✓', '✔'],
  ...['active', 'enabled', 'current', 'employed', 'activo', 'activa'],
  ...FOREIGN_YES,
  ...['aktiv', 'actif', 'active', 'attivo', 'attiva', 'ativo', 'ativa'],
  ...['actief', 'aktywny', 'aktywna'],
]);
const FALSE = new Set([
  ...['no', 'n', 'false', 'f', '0', 'off', 'unchecked', '-'],
  ...['inactive', 'disabled', 'terminated', 'former', 'left', 'retired', 'archived', 'suspended'],
  ...['inactivo', 'inactiva', 'baja'],
  ...FOREIGN_NO,
  ...['inaktiv', 'inactif', 'inactive', 'inattivo', 'inattiva', 'inativo', 'inativa'],
  ...['inactief', 'nieaktywny', 'nieaktywna'],
]);

/** Whether a value reads as yes or no (`transformBoolean` accepts it). */
export function isBooleanWord(value: string): boolean {
  const text = value.trim().toLowerCase();
  return TRUE.has(text) || FALSE.has(text);
}

/**
 * Yes/No/Y/N/TRUE/FALSE/1/0/X, and Active/Inactive/Terminated/Former … → boolean; blank → null (or
 * `blankAs` for checkbox-style columns).
 * @example transformBoolean(' Y ') // { ok: true, value: true }
 */
export function transformBoolean(
  input: string,
  options: { blankAs?: boolean | undefined } = {},
): TransformResult<boolean | null> {
  if (isBlank(input)) return ok(options.blankAs ?? null);
  const text = input.trim().toLowerCase();
  if (TRUE.has(text)) return ok(true);
  if (FALSE.has(text)) return ok(false);
  return fail('invalid_boolean', `${quote(input)} is not yes/no`);
}

/**
 * Splits a multi-value cell by its declared delimiter; trims, drops empties and case-insensitive repeats.
 * @example splitValues('Client; Witness;client', ';') // ['Client', 'Witness']
 */
export function splitValues(input: string, delimiter = ';'): TransformResult<readonly string[]> {
  if (isBlank(input)) return ok([]);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of input.split(delimiter || ';')) {
    const value = part.trim().replace(/\s+/g, ' ');
    const key = value.toLowerCase();
    if (!value || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return ok(out);
}

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[a-z]{2,}$/i;

/** Trims and lower-cases the domain; anything that is not one address is an issue. */
export function transformEmail(input: string): TransformResult<string | null> {
  if (isBlank(input)) return ok(null);
  const text = input.trim().replace(/^mailto:/i, '');
  if (!EMAIL.test(text)) return fail('invalid_email', `${quote(input)} is not an e-mail address`, 'warning');
  const at = text.lastIndexOf('@');
  return ok(`${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`);
}

export interface PersonName {
  readonly prefix?: string | undefined;
  readonly first: string;
  readonly middle?: string | undefined;
  readonly last: string;
  readonly suffix?: string | undefined;
}

const PREFIXES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'hon',
  'rev',
  'sr',
  'sra',
  'srta',
  'don',
  'dona',
]);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'md', 'phd', 'esq', 'dds', 'do', 'rn', 'cpa']);
const PARTICLES = new Set([
  'de',
  'del',
  'la',
  'las',
  'los',
  'van',
  'von',
  'der',
  'den',
  'da',
  'di',
  'du',
  'le',
  'st',
  'st.',
  'mac',
  'y',
]);

const bare = (word: string) => word.toLowerCase().replace(/[.,]/g, '');

/**
 * Splits a full name: `Gonzalez, Maria E.` → first `Maria`, middle `E.`, last `Gonzalez`;
 * `Dr. Juan de la Cruz Jr.` → prefix `Dr.`, first `Juan`, last `de la Cruz`, suffix `Jr.`.
 */
export function splitName(input: string): TransformResult<PersonName | null> {
  if (isBlank(input)) return ok(null);
  const text = input.trim().replace(/\s+/g, ' ');
  let words: string[];
  let last: string[] = [];
  let suffix: string[] = [];
  const comma = text.indexOf(',');
  if (comma > 0) {
    const before = text.slice(0, comma).trim();
    const after = text.slice(comma + 1).trim();
    const afterWords = after.split(' ').filter(Boolean);
    if (afterWords.length > 0 && afterWords.every((w) => SUFFIXES.has(bare(w)))) {
      // `Maria Gonzalez, Jr.`
      words = before.split(' ');
      suffix = afterWords;
    } else {
      last = before.split(' ');
      words = afterWords;
    }
  } else {
    words = text.split(' ');
  }
  const prefix: string[] = [];
  while (words.length > 1 && PREFIXES.has(bare(words[0]!))) prefix.push(words.shift()!);
  while (words.length > 1 && SUFFIXES.has(bare(words.at(-1)!))) suffix.unshift(words.pop()!);
  if (last.length === 0) {
    if (words.length === 1)
      return ok({ first: words[0]!, last: '', ...(prefix.length ? { prefix: prefix.join(' ') } : {}) });
    let start = words.length - 1;
    while (start > 1 && PARTICLES.has(bare(words[start - 1]!))) start -= 1;
    last = words.slice(start);
    words = words.slice(0, start);
  }
  const [first = '', ...middle] = words;
  if (!first && last.length === 0)
    return fail('invalid_name', `${quote(input)} has no name in it`, 'warning');
  return ok({
    first,
    last: last.join(' '),
    ...(middle.length ? { middle: middle.join(' ') } : {}),
    ...(prefix.length ? { prefix: prefix.join(' ') } : {}),
    ...(suffix.length ? { suffix: suffix.join(' ') } : {}),
  });
}

/** Joins name parts in display order: `Maria E. Gonzalez`. */
export function joinName(parts: Partial<PersonName>): string {
  return [parts.prefix, parts.first, parts.middle, parts.last, parts.suffix]
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * The key a value map is looked up by: case, spacing, punctuation and `w/` spelling drift removed.
 * @example normaliseValueKey('ACTIVE W/CONTRACT ') === normaliseValueKey('Active With Contract')
 */
export function normaliseValueKey(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bw\s*\/\s*/g, 'with ')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Looks a value up in a map (keys compared normalised); an unknown value is an issue naming the map.
 * @example lookupValue('ACTIVE W/CONTRACT ', { 'Active w/Contract': 'Active' }) // { ok: true, value: 'Active' }
 */
export function lookupValue<T>(
  input: string,
  map: Readonly<Record<string, T>>,
  options: { mapName?: string; blankAs?: T } = {},
): TransformResult<T | null> {
  if (isBlank(input)) return ok(options.blankAs ?? null);
  const key = normaliseValueKey(input);
  for (const [candidate, value] of Object.entries(map)) {
    if (normaliseValueKey(candidate) === key) return ok(value);
  }
  return fail(
    'unknown_value',
    `${quote(input)} is not in ${options.mapName ?? 'the value map'}; add it to mapping.yaml${options.mapName ? ` under valueMaps.${options.mapName}` : ''}`,
  );
}

/** Canonical spelling of a value among known ones (`ACTIVE W/CONTRACT ` → `Active w/Contract`). */
export function canonicalValue(input: string, known: readonly string[]): string | undefined {
  const key = normaliseValueKey(input);
  return known.find((candidate) => normaliseValueKey(candidate) === key);
}
