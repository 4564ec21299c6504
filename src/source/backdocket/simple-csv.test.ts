import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvBatches, csvOptions } from './table-reader.ts';

const PIECES = ['a', 'é', '😀', ' ', ',', ';', '\t', '|', '"', '""', '\n', '\r', '\r\n', '1'];

/** csv-parse over the whole input at once, with the reader's options: the reference. */
function reference(input: Buffer, delimiter: string): { records: string[][] } | { error: string } {
  try {
    const records = parse(input, csvOptions(delimiter)) as string[][];
    return { records };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

async function ours(
  chunks: Buffer[],
  delimiter: string,
): Promise<{ records: string[][] } | { error: string }> {
  const records: string[][] = [];
  try {
    for await (const batch of csvBatches(
      (async function* () {
        yield* chunks;
      })(),
      delimiter,
    ))
      records.push(...batch);
    return { records };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

function splitAt(input: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(input.subarray(from, point));
    from = point;
  }
  chunks.push(input.subarray(from));
  return chunks.filter((c) => c.length > 0);
}

describe('csvBatches', () => {
  it('reads the same records as csv-parse, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(',', ';', '\t', '|'),
        async (pieces, cuts, delimiter) => {
          const input = Buffer.from(pieces.join(''), 'utf8');
          expect(await ours(splitAt(input, cuts), delimiter)).toEqual(reference(input, delimiter));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hands a file to csv-parse from its first record that is not simple', async () => {
    const input = Buffer.from('a,b\n"x"y,z\n1,"2 ""q"""\n');
    expect(await ours([input], ',')).toEqual({
      records: [
        ['a', 'b'],
        ['"x"y', 'z'],
        ['1', '2 "q"'],
      ],
    });
  });
});
