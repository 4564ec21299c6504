import { hash } from 'node:crypto';
import { normalizeHeader } from '../headers.ts';
import type { KeyPlan } from './key-plan.ts';

/**
 * Each row's key under a key plan, independent of where the row stands in the file:
 * - the key column's value;
 * - rows without one: `h:` + a hash of the normalised values of the natural-key columns (header names
 *   normalised and sorted, values trimmed, spaces collapsed, case folded), so re-sorting, re-encoding or
 *   re-ordering the columns of the same data gives the same key;
 * - a key value held by several rows: on a second reading those rows are held back and keyed together once
 *   the file is read: the row of smallest content hash keeps the value, the others become
 *   `value~<content hash>`;
 * - rows identical in what identifies them: `~2`, `~3` (which is which cannot matter: nothing tells them
 *   apart).
 */

export interface RowKey {
  readonly key: string;
  /** The key column was empty: the row was keyed by its natural key. */
  readonly missing: boolean;
  /** The key value is also another row's. */
  readonly duplicateOf?: string | undefined;
}

/** Trimmed, spaces collapsed, Unicode-composed, case-folded: how values compare for identity. */
export function normaliseKeyValue(value: string): string {
  let ascii = true;
  for (let i = 0; i < value.length && ascii; i += 1) if (value.charCodeAt(i) > 127) ascii = false;
  return (ascii ? value : value.normalize('NFC')).trim().replace(/\s+/g, ' ').toLowerCase();
}

export class RowKeyer {
  private readonly keyIndex: number;
  /** Natural-key columns by position, ordered by their normalised header (column order never matters). */
  private readonly naturalIndexes: readonly { index: number; header: string }[];
  /** Every key given so far (the file's keys). */
  private readonly given = new Set<string>();
  /** Key values held by more than one row (found on a first reading). */
  private readonly conflicting = new Set<string>();
  duplicateRows = 0;

  constructor(
    readonly plan: KeyPlan,
    names: readonly string[],
    /** Key values a first reading found on rows of different content: those rows are held back. */
    private readonly deferred: ReadonlySet<string> = new Set(),
  ) {
    this.keyIndex = plan.keyColumn === null ? -1 : names.indexOf(plan.keyColumn);
    const natural = new Set(plan.naturalColumns);
    this.naturalIndexes = names
      .map((name, index) => ({ index, header: normalizeHeader(name) || name, name }))
      .filter((column) => natural.has(column.name))
      .sort((a, b) => (a.header < b.header ? -1 : a.header > b.header ? 1 : a.index - b.index));
  }

  /** The row's content hash: its natural-key columns, normalised (hex). */
  contentHash(cells: readonly string[]): string {
    const parts: string[] = [];
    for (const { index, header } of this.naturalIndexes) {
      const value = normaliseKeyValue(cells[index] ?? '');
      if (value !== '') parts.push(header, value);
    }
    return hash('sha1', parts.join('\u0000'));
  }

  /**
   * The row's key, or undefined when the row is held back (its key value is shared with other rows;
   * `settle` keys them by content once the file is read).
   */
  keyOf(cells: readonly string[]): RowKey | undefined {
    const value = this.keyIndex >= 0 ? (cells[this.keyIndex] ?? '').trim() : '';
    if (value === '') {
      const content = this.contentHash(cells);
      return { key: this.unique(`h:${content.slice(0, 20)}`), missing: this.keyIndex >= 0 };
    }
    if (this.deferred.has(value)) return undefined;
    if (!this.given.has(value)) {
      this.given.add(value);
      return { key: value, missing: false };
    }
    // Repeated: keyed in order for now; a second reading keys every row of this value by content.
    this.duplicateRows += 1;
    this.conflicting.add(value);
    return { key: this.unique(value), missing: false, duplicateOf: value };
  }

  /** Keys for held-back rows, by content: the smallest content hash of each value keeps the value. */
  settle(rows: readonly (readonly string[])[]): RowKey[] {
    const withContent = rows.map((cells) => ({
      value: (cells[this.keyIndex] ?? '').trim(),
      content: this.contentHash(cells),
    }));
    const smallest = new Map<string, string>();
    for (const { value, content } of withContent) {
      const current = smallest.get(value);
      if (current === undefined || content < current) smallest.set(value, content);
    }
    return withContent.map(({ value, content }) => {
      this.duplicateRows += 1;
      const plain = content === smallest.get(value) && !this.given.has(value);
      const key = this.unique(plain ? value : `${value}~${content.slice(0, 8)}`);
      return { key, missing: false, duplicateOf: value };
    });
  }

  /** Key values that several rows share: a second reading defers them. */
  conflicts(): ReadonlySet<string> {
    return this.conflicting;
  }

  /** Rows identical in what identifies them share a key: `~2`, `~3` tell them apart. */
  private unique(key: string): string {
    if (!this.given.has(key)) {
      this.given.add(key);
      return key;
    }
    let n = 2;
    while (this.given.has(`${key}~${n}`)) n += 1;
    const out = `${key}~${n}`;
    this.given.add(out);
    return out;
  }

  /** How many keys were given. */
  get size(): number {
    return this.given.size;
  }

  /** Every key given (the file's keys, for the reference checks). */
  keys(): ReadonlySet<string> {
    return this.given;
  }
}
