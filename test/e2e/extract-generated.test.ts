import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/issues.ts';
import { extractExport, iterateRows } from '../../src/source/backdocket/index.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';

const GENERATOR = fileURLToPath(new URL('../../src/source/backdocket/generate/index.ts', import.meta.url));

interface Injection {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly sourceKey?: string;
  readonly column?: string;
  readonly detail?: string;
}

/**
 * Codes extraction cannot see without a mapping or outside knowledge (listed in the extraction report):
 * none are excluded by default; the generator's manifest decides which codes appear.
 */
const NOT_VISIBLE_AT_EXTRACTION = new Set<string>([]);
/** Codes reported per file or column (no line to compare). */
const FILE_LEVEL = new Set(['duplicate_header', 'same_concept_different_labels', 'timestamp_without_zone']);
/**
 * Column-level problems (the brief: "column-level, with examples"): rows are listed up to a cap, and the
 * column's own issue covers the rest.
 */
const COLUMN_LEVEL = new Set(['currency_string', 'percent_variant', 'hours_format', 'inconsistent_boolean']);

describe.skipIf(!existsSync(GENERATOR))('extract on a generated export (generator present)', () => {
  it('reports every injected problem extraction can see, at the injected file and line', async () => {
    const { generateExport } = (await import(pathToFileURL(GENERATOR).href)) as {
      generateExport: (options: { outDir: string; records: number; seed: number }) => Promise<unknown>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'ferry-generated-'));
    const outDir = join(dir, 'export');
    await generateExport({ outDir, records: 300, seed: 20240501 });
    const manifest = JSON.parse(readFileSync(join(outDir, 'generated-manifest.json'), 'utf8')) as {
      injected: Injection[];
    };
    const store = SqliteStore.open({ path: join(dir, 'ferry.db') });
    let issues: Issue[];
    try {
      issues = (await extractExport({ store, sourceDir: outDir })).issues;
    } finally {
      store.close();
    }
    const reported = new Set(issues.map((i) => i.code));
    const injectedCodes = [...new Set(manifest.injected.map((i) => i.code))].sort();
    const missingCodes = injectedCodes.filter(
      (code) => !NOT_VISIBLE_AT_EXTRACTION.has(code) && !reported.has(code),
    );
    expect(missingCodes).toEqual([]);

    // The manifest can claim a duplicate e-mail the data does not hold (a duplicate of a contact that was
    // itself rewritten): only duplicates whose e-mail really repeats are expected at their line.
    const reopened = SqliteStore.open({ path: join(dir, 'ferry.db') });
    const emailCount = new Map<string, number>();
    const emailOf = new Map<string, string>();
    try {
      for (const row of iterateRows(reopened)) {
        if (row.file !== 'contacts.csv') continue;
        const email = (row.values.Email ?? '').trim().toLowerCase();
        emailOf.set(row.sourceKey, email);
        if (email) emailCount.set(email, (emailCount.get(email) ?? 0) + 1);
      }
    } finally {
      reopened.close();
    }
    const holds = (injection: Injection) =>
      injection.code !== 'duplicate_contact' ||
      injection.file !== 'contacts.csv' ||
      (emailCount.get(emailOf.get(injection.sourceKey ?? '') ?? '') ?? 0) > 1;

    const missingAt: string[] = [];
    for (const injection of manifest.injected) {
      if (!holds(injection)) continue;
      if (NOT_VISIBLE_AT_EXTRACTION.has(injection.code) || FILE_LEVEL.has(injection.code)) continue;
      if (!injection.file || (injection.line === undefined && injection.sourceKey === undefined)) continue;
      const hit = issues.some(
        (i) =>
          i.code === injection.code &&
          i.file === injection.file &&
          ((injection.line !== undefined && i.line === injection.line) ||
            (injection.sourceKey !== undefined && i.sourceKey === injection.sourceKey) ||
            (COLUMN_LEVEL.has(i.code) && i.line === undefined && i.field === injection.column) ||
            // History rows have no id: the generator names the claim, extraction the history's last row.
            (i.code === 'status_history_gap' && i.message.includes(`claim ${injection.sourceKey} `))),
      );
      if (!hit)
        missingAt.push(
          `${injection.code} ${injection.file}:${injection.line ?? injection.sourceKey} ${injection.column ?? ''}`,
        );
    }
    expect(missingAt).toEqual([]);
  }, 120_000);
});
