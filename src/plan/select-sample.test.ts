import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectSample } from './select-sample.ts';

const candidates = fc.uniqueArray(
  fc.record({
    key: fc.string({ minLength: 1, maxLength: 6 }),
    features: fc.array(fc.constantFrom('type:A', 'type:B', 'status:X', 'status:Y', 'event:C'), {
      maxLength: 3,
    }),
  }),
  { selector: (candidate) => candidate.key, maxLength: 40 },
);

describe('selectSample', () => {
  it('covers every claim type, status and activity kind when the sample is large enough', () => {
    const pool = [
      { key: '1', features: ['type:Auto', 'status:Open'] },
      { key: '2', features: ['type:Auto', 'status:Open'] },
      { key: '3', features: ['type:WC', 'status:Closed', 'event:Deposition'] },
      { key: '4', features: ['type:Auto', 'status:Rejected'] },
      { key: '5', features: ['type:Auto', 'status:Open'] },
    ];
    const sample = selectSample(pool, 3);
    const covered = new Set(pool.filter((c) => sample.includes(c.key)).flatMap((c) => c.features));
    expect(covered).toEqual(new Set(pool.flatMap((c) => c.features)));
  });

  it('returns exactly min(size, n) distinct known keys, deterministically', () => {
    fc.assert(
      fc.property(candidates, fc.integer({ min: 0, max: 50 }), (pool, size) => {
        const sample = selectSample(pool, size);
        expect(sample).toHaveLength(Math.min(size, pool.length));
        expect(new Set(sample).size).toBe(sample.length);
        expect(sample.every((key) => pool.some((c) => c.key === key))).toBe(true);
        expect(selectSample(pool, size)).toEqual(sample);
      }),
    );
  });
});
