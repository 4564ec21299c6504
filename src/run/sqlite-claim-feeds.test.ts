import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FeedItem, MemoryClaimFeeds } from '../plan/claim-feeds.ts';
import { SqliteClaimFeeds } from './sqlite-claim-feeds.ts';

const row = (sourceKey: string) => ({ file: 'feed.csv', sourceKey });

const item = fc.oneof(
  fc.record({
    kind: fc.constant('deal' as const),
    row: fc.string({ maxLength: 4 }).map(row),
    values: fc.array(
      fc.record({
        key: fc.constantFrom('custom:Hours', 'custom:Roles'),
        rollup: fc.constantFrom('sum' as const, 'last' as const, 'list' as const),
        value: fc.oneof(
          fc.double(),
          fc.string(),
          fc.record({ amount: fc.double(), currency: fc.constant('USD') }),
          fc.array(fc.string(), { maxLength: 3 }),
        ),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('history' as const),
    row: fc.string({ maxLength: 4 }).map(row),
    entry: fc.record({
      at: fc.option(fc.string(), { nil: null }),
      from: fc.string(),
      to: fc.string(),
      by: fc.string(),
      comment: fc.string(),
      line: fc.nat(),
    }),
  }),
  fc.record({
    kind: fc.constant('ledger' as const),
    row: fc.string({ maxLength: 4 }).map(row),
    line: fc.nat(),
    values: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string()),
  }),
);

describe('SqliteClaimFeeds', () => {
  it('gives back what MemoryClaimFeeds does: the same items in order, the same claims in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('1', '2', '10', 'A-7'), item as fc.Arbitrary<FeedItem>), {
          maxLength: 30,
        }),
        (added) => {
          const memory = new MemoryClaimFeeds();
          const sqlite = new SqliteClaimFeeds();
          try {
            for (const [claimKey, feedItem] of added) {
              memory.add(claimKey, feedItem);
              sqlite.add(claimKey, feedItem);
            }
            for (const kind of ['deal', 'history', 'ledger'] as const) {
              expect([...sqlite.claims(kind)]).toEqual([...memory.claims(kind)]);
              for (const claimKey of ['1', '2', '10', 'A-7', 'absent']) {
                expect(sqlite.items(claimKey, kind)).toEqual(memory.items(claimKey, kind));
              }
            }
          } finally {
            sqlite.close();
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps the numbers JSON has no text for (NaN, ±Infinity, -0) in custom values', () => {
    const feeds = new SqliteClaimFeeds();
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.5];
    feeds.add('1', {
      kind: 'deal',
      values: values.map((value) => ({ key: 'custom:Hours', rollup: 'sum' as const, value })),
    });
    const [stored] = feeds.items('1', 'deal');
    feeds.close();
    expect(stored?.values?.map((entry) => entry.value)).toEqual(values);
    expect(Object.is(stored?.values?.[3]?.value, -0)).toBe(true);
  });
});
