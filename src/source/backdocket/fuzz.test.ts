import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FerryError } from '../../core/errors.ts';
import { extractInMemory } from './index.ts';

const CELL_CHARS = ['a', 'b', 'Z', '0', '7', ' ', ',', '"', ';', '\n', '\r\n', 'é', '’', '😀', '-', '.', '$'];
const cell = fc.array(fc.constantFrom(...CELL_CHARS), { maxLength: 12 }).map((parts) => parts.join(''));
const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

describe('parser fuzz', () => {
  it('never throws anything but FerryError on arbitrary CSV-ish bytes', async () => {
    const csvish = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .array(
          fc.constantFrom('a', ',', ';', '"', '\n', '\r', '\t', '|', '1', 'é', '\u0000', '\ufeff', 'Ã©', ' '),
          { maxLength: 200 },
        )
        .map((chars) => new TextEncoder().encode(chars.join(''))),
    );
    await fc.assert(
      fc.asyncProperty(csvish, fc.constantFrom('t.csv', 't.tsv', 't.xlsx'), async (bytes, name) => {
        try {
          const result = await extractInMemory([{ name, content: Buffer.from(bytes) }]);
          for (const row of result.rows) expect(typeof row.sourceKey).toBe('string');
        } catch (error) {
          if (!(error instanceof FerryError)) throw error;
          expect(error.failure).toBe('config');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips generated tables written as RFC 4180 CSV', async () => {
    const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
      fc.record({
        headers: fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{1,6}$/), {
          minLength: width,
          maxLength: width,
          selector: (h) => h.toLowerCase(),
        }),
        rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
          minLength: 1,
          maxLength: 15,
        }),
        crlf: fc.boolean(),
        bom: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(table, async ({ headers, rows, crlf, bom }) => {
        const eol = crlf ? '\r\n' : '\n';
        const columns = ['Row ID', ...headers];
        // Ids that are not 1, 2, 3 … in file order: that would be a row counter (row position), not a key.
        const idOf = (i: number) => String(1000 + i * 7);
        const lines = [
          columns.map(quote).join(','),
          ...rows.map((r, i) => [idOf(i), ...r].map(quote).join(',')),
        ];
        const text = (bom ? '\ufeff' : '') + lines.join(eol) + eol;
        const result = await extractInMemory([{ name: 'table.csv', content: Buffer.from(text, 'utf8') }]);
        expect(result.files[0]?.columns.map((c) => c.name)).toEqual(columns);
        expect(result.rows.map((r) => r.sourceKey)).toEqual(rows.map((_, i) => idOf(i)));
        result.rows.forEach((row, i) => {
          headers.forEach((h, j) => {
            expect(row.values[h]).toBe(rows[i]?.[j]);
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
