import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_QUALITY_PROBLEMS } from '../../src/source/backdocket/problems.ts';
import { runCli } from '../helpers/run-cli.ts';

describe('ferry generate (real CLI)', () => {
  it('writes the export set and the manifest, and prints GenerateResult with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-generate-'));
    const result = await runCli(['generate', '--out', 'export', '--records', '50', '--seed', '3', '--json'], {
      cwd: dir,
    });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      outDir: string;
      files: { file: string; rows: number }[];
      manifestPath: string;
      injectedCounts: Record<string, number>;
    };
    expect(doc.outDir).toBe(join(dir, 'export'));
    expect(doc.manifestPath).toBe(join(dir, 'export', 'generated-manifest.json'));
    expect(doc.files).toHaveLength(17);
    expect(doc.files.find((f) => f.file === 'contacts.csv')?.rows).toBe(125);
    for (const { file } of doc.files) expect(existsSync(join(dir, 'export', file)), file).toBe(true);
    const manifest = JSON.parse(readFileSync(doc.manifestPath, 'utf8')) as { counts: Record<string, number> };
    expect(manifest.counts).toEqual(doc.injectedCounts);
    expect(Object.keys(doc.injectedCounts).length).toBeGreaterThan(15);
    // Progress goes to stderr, never into the JSON document.
    expect(result.stderr).toContain('generate: notes.csv 300 rows');
  }, 60_000);

  it('prints a table of files and problem counts, and the same seed gives the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-generate-'));
    const first = await runCli(['generate', '--out', 'a', '--records', '50'], { cwd: dir });
    const second = await runCli(['generate', '--out', 'b', '--records', '50'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout).toMatch(/claims\.csv\s+\d+/);
    for (const { code } of DATA_QUALITY_PROBLEMS) expect(first.stdout).toContain(code);
    expect(first.stdout).toContain(`Manifest: ${join(dir, 'a', 'generated-manifest.json')}`);
    const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    for (const file of ['claims.csv', 'notes.csv', 'generated-manifest.json'])
      expect(hash(join(dir, 'b', file)), file).toBe(hash(join(dir, 'a', file)));
  }, 60_000);

  it('exits 2 with a clear message for a bad --records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-generate-'));
    const result = await runCli(['generate', '--out', 'x', '--records', 'many'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--records takes a positive whole number');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  }, 60_000);
});
