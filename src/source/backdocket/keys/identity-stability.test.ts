import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractInMemory } from '../index.ts';

/**
 * Identity never depends on row order: the same data exported again — rows re-sorted, bytes re-encoded
 * (UTF-8, with a BOM, Windows-1252, CRLF or LF), a row counter and an export stamp renewed — keeps every
 * row's key, with an id column or without one, and with rows that repeat a key or repeat entirely.
 */

const NAMES = ['Maria', 'Dana', 'Marco', 'Tina', 'Earl', 'Linh', 'José', 'Zoë'];
const CITIES = ['Houston', 'Austin', 'Galveston', 'Dallas'];

interface Row {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly flag: string;
}

const rowArb = fc.record({
  id: fc.integer({ min: 1, max: 12 }).map((n) => String(5000 + n)),
  name: fc.constantFrom(...NAMES),
  city: fc.constantFrom(...CITIES),
  flag: fc.constantFrom('Y', 'N'),
});

type Encoding = 'utf8' | 'bom' | 'cp1252';

function write(
  rows: readonly Row[],
  options: { withId: boolean; encoding: Encoding; eol: string; stampMinute: number },
): Buffer {
  const header = [...(options.withId ? ['Contact #'] : []), 'Row', 'Name', 'City', 'Photo ID', 'Exported At'];
  const lines = [
    header.join(','),
    ...rows.map((row, i) =>
      [
        ...(options.withId ? [row.id] : []),
        String(i + 1),
        row.name,
        row.city,
        row.flag,
        `2024-06-01T02:${String(options.stampMinute).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      ].join(','),
    ),
  ];
  const text = lines.join(options.eol) + options.eol;
  if (options.encoding === 'cp1252') return Buffer.from(text, 'latin1');
  if (options.encoding === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  return Buffer.from(text, 'utf8');
}

/** Each key with the content of its row (name, city, flag), as a sorted list: what the identities are. */
async function identities(content: Buffer, rows: readonly Row[], withId: boolean): Promise<string[]> {
  const { rows: extracted } = await extractInMemory([{ name: 'contacts.csv', content }]);
  expect(extracted.length).toBe(rows.length);
  return extracted
    .map((row) => {
      const id = withId ? `${row.values['Contact #']}|` : '';
      return `${row.sourceKey} ← ${id}${row.values.Name}|${row.values.City}|${row.values['Photo ID']}`;
    })
    .sort();
}

describe('identity stability (property)', () => {
  it('keeps every row’s key when the same data is re-sorted, re-encoded and re-exported', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        fc.constantFrom<Encoding>('utf8', 'bom', 'cp1252'),
        fc.constantFrom<Encoding>('utf8', 'bom', 'cp1252'),
        fc.constantFrom('\r\n', '\n'),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (rows, withId, before, after, eol, seed) => {
          const shuffled = [...rows].sort((a, b) => {
            const weigh = (r: Row) =>
              [...`${r.id}${r.name}${r.city}${r.flag}`].reduce(
                (h, c) => (h * 31 + c.charCodeAt(0) + seed) % 1009,
                7,
              );
            return weigh(a) - weigh(b);
          });
          const first = await identities(
            write(rows, { withId, encoding: before, eol: '\r\n', stampMinute: 13 }),
            rows,
            withId,
          );
          const again = await identities(
            write(shuffled, { withId, encoding: after, eol, stampMinute: 47 }),
            shuffled,
            withId,
          );
          expect(again).toEqual(first);
          // Every row has a key of its own, and no key is a row position.
          expect(new Set(first.map((line) => line.split(' ← ')[0])).size).toBe(rows.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
