import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite-store.ts';
import { extractExport, extractInMemory, iterateRows, loadExtractIssues, loadInventory } from './index.ts';

const BASIC = fileURLToPath(new URL('../../../test/fixtures/exports/basic/', import.meta.url));

function walk(dir: string, root = dir): { name: string; content: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? walk(path, root)
      : [{ name: relative(root, path).replace(/\\/g, '/'), content: readFileSync(path) }];
  });
}

describe('store path and in-memory path agree', () => {
  it('gives the same inventory, profiles, rows and issues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-parity-'));
    cpSync(BASIC, join(dir, 'export'), { recursive: true });
    const store = SqliteStore.open({ path: join(dir, 'ferry.db') });
    try {
      const stored = await extractExport({ store, sourceDir: join(dir, 'export') });
      const memory = await extractInMemory(walk(join(dir, 'export')));
      expect(memory.files).toEqual(stored.files);
      expect(loadInventory(store)).toEqual(stored.files);
      expect(memory.issues).toEqual(stored.issues);
      expect(loadExtractIssues(store)).toEqual(stored.issues);
      expect([...iterateRows(store)]).toEqual(memory.rows);
    } finally {
      store.close();
    }
  });
});
