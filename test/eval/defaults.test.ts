import { describe, expect, it } from 'vitest';
import { assembleMapping } from '../../src/mapping/assemble-mapping.ts';
import { DistinctValues } from '../../src/mapping/distinct-values.ts';
import { parseMappingFile, renderMappingFile } from '../../src/mapping/mapping-file.ts';
import { proposeMapping } from '../../src/mapping/propose-mapping.ts';
import { applyTransform } from '../../src/mapping/transforms/index.ts';
import { extractInMemory } from '../../src/source/backdocket/index.ts';
import { buildExport } from './build-eval-set.ts';
import { STYLES } from './styles.ts';

/** A generated export maps completely without edits: the file is valid and every cell can be transformed. */
describe('default mapping of a generated export', () => {
  it('is valid, resolves every value-map lookup and transforms (nearly) every cell', async () => {
    const set = await buildExport(STYLES.find((s) => s.name === 'canonical')!, 11);
    const { files, rows } = await extractInMemory(set.files);
    const distinct = DistinctValues.of(rows);
    const proposal = proposeMapping(files, {
      distinctValues: distinct.get,
      defaultPhoneRegion: 'US',
      defaultCurrency: 'USD',
    });
    const mapping = assembleMapping(proposal, {
      settings: {
        sourceTimeZone: 'America/Chicago',
        dateOrder: 'MDY',
        defaultCurrency: 'USD',
        defaultPhoneRegion: 'US',
      },
      distinctValues: distinct.get,
    });
    const parsed = parseMappingFile(renderMappingFile(mapping));
    expect(parsed.errors).toEqual([]);

    const failures = new Map<string, string[]>();
    let cells = 0;
    for (const row of rows) {
      const file = mapping.objects.find((o) => o.file === row.file)!;
      for (const field of file.fields) {
        if (field.target === null) continue;
        const raw = row.values[field.column] ?? '';
        if (!raw.trim()) continue;
        cells += 1;
        const result = applyTransform(raw, field.transform, {
          settings: mapping.settings,
          valueMaps: mapping.valueMaps,
        });
        if (!result.ok) {
          const key = `${row.file} [${field.column}] ${result.issue.code}`;
          failures.set(key, [...(failures.get(key) ?? []), raw]);
        }
      }
    }
    const failed = [...failures.values()].reduce((n, list) => n + list.length, 0);
    // Value maps must cover every value; the remaining failures are the export's seeded dirt, not the mapping.
    expect([...failures.keys()].filter((k) => k.includes('unknown_value'))).toEqual([]);
    expect(failed / cells, JSON.stringify(Object.fromEntries(failures), null, 1)).toBeLessThan(0.01);
  });
});
