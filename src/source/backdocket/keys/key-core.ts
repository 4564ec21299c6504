/**
 * The number inside a key such as `C-001001`, `M020012` or `#0042`: vendors pad and prefix their own keys
 * while other files (or other systems) write the same reference bare (`1001`, `20012`, `42`). Pure.
 *
 * A reference is found by its core when the plain values do not match: a bare number finds the key with
 * that number, a prefixed one only a key with the same prefix (`C-12` never finds `O-00012`: two different
 * prefixes are two different kinds of record). Cores are used only where they tell a file's rows apart.
 */

/** A letter prefix of up to four letters, an optional separator, zeros, the number. */
const PREFIXED_NUMBER = /^([a-z]{1,4})?[-_#/. ]?0*(\d+)$/i;

interface KeyCore {
  /** Lower-cased letters before the number ('' when none). */
  readonly prefix: string;
  /** The digits without leading zeros ('0' for all zeros). */
  readonly number: string;
}

function coreOf(value: string): KeyCore | undefined {
  const match = PREFIXED_NUMBER.exec(value.trim());
  if (!match) return undefined;
  const digits = match[2] ?? '';
  return { prefix: (match[1] ?? '').toLowerCase(), number: digits === '' ? '0' : digits };
}

/**
 * What a reference looks for: `1001` for `1001`, `001001` or `#1001`; `c 1001` for `C-001001`. Undefined
 * when the value is not a (prefixed) number.
 * @example referenceCore('C-001001') // 'c 1001'
 */
export function referenceCore(value: string): string | undefined {
  const core = coreOf(value);
  if (!core) return undefined;
  return core.prefix === '' ? core.number : `${core.prefix} ${core.number}`;
}

/**
 * The forms under which a key is found by a reference: its bare number, and its prefix with the number.
 * @example keyCoreForms('C-001001') // ['1001', 'c 1001']
 */
export function keyCoreForms(key: string): string[] {
  const core = coreOf(key);
  if (!core) return [];
  return core.prefix === '' ? [core.number] : [core.number, `${core.prefix} ${core.number}`];
}

/**
 * The cores of a set of keys, when every key has one and no two keys share a number (else the cores
 * could not tell the rows apart and are not used). Also undefined when no key is padded or prefixed:
 * the plain values already say everything.
 */
export function coresOfKeys(keys: Iterable<string>): Set<string> | undefined {
  const out = new Set<string>();
  const numbers = new Set<string>();
  let count = 0;
  let decorated = false;
  for (const key of keys) {
    const core = coreOf(key);
    if (!core) return undefined;
    count += 1;
    numbers.add(core.number);
    if (core.prefix !== '' || core.number !== key.trim()) decorated = true;
    for (const form of keyCoreForms(key)) out.add(form);
  }
  if (count === 0 || numbers.size !== count || !decorated) return undefined;
  return out;
}
