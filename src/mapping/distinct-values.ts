import type { SourceRow } from '../source/model.ts';

/** Distinct non-empty values per file and column, most frequent first (capped), from source rows. Pure. */
export class DistinctValues {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly cap: number;

  constructor(cap = 500) {
    this.cap = cap;
  }

  static of(rows: Iterable<SourceRow>, cap?: number): DistinctValues {
    const distinct = new DistinctValues(cap);
    for (const row of rows) distinct.add(row);
    return distinct;
  }

  add(row: SourceRow): void {
    for (const [column, raw] of Object.entries(row.values)) {
      const value = raw.trim();
      if (!value) continue;
      const key = `${row.file}\u0000${column}`;
      let counts = this.counts.get(key);
      if (!counts) {
        counts = new Map();
        this.counts.set(key, counts);
      }
      if (counts.has(value)) counts.set(value, counts.get(value)! + 1);
      else if (counts.size < this.cap) counts.set(value, 1);
    }
  }

  /** Values of one column, most frequent first. */
  get = (file: string, column: string): readonly string[] | undefined => {
    const counts = this.counts.get(`${file}\u0000${column}`);
    if (!counts) return undefined;
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([value]) => value);
  };
}
