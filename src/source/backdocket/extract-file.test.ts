import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonString } from './extract-file.ts';

describe('jsonString', () => {
  // Stored rows are hashed over this JSON: any difference would report every row of a workspace as changed.
  it('writes exactly what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(jsonString(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 5000 },
    );
    for (let code = 0; code < 0x10000; code += 1) {
      const value = `a${String.fromCharCode(code)}b`;
      expect(jsonString(value)).toBe(JSON.stringify(value));
    }
  });
});
