import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

describe('ferry init (real CLI)', () => {
  it('creates ferry.yaml and .ferry/ and reports them as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-init-'));
    mkdirSync(join(dir, 'export'));
    const result = await runCli(['init', '--source', 'export', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.source).toBe(join(dir, 'export'));
    expect(readFileSync(join(dir, 'ferry.yaml'), 'utf8')).toContain('source: "export"');
  });

  it('exits 2 with a clear message when the export folder is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-init-'));
    const result = await runCli(['init', '--source', 'nope'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The export folder nope does not exist');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an invalid ferry.yaml naming the line and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-init-'));
    writeFileSync(join(dir, 'ferry.yaml'), 'version: 1\nsource: x\npipedrive:\n  plan: platinum\n');
    const { loadWorkspace } = await import('../../src/workspace/workspace.ts');
    expect(() => loadWorkspace(dir)).toThrow(/ferry.yaml:4 \[pipedrive.plan\]/);
  });

  it('shows only built commands in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('init');
  });
});
