import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { ferry, simState, startSim, tempDir, type Workspace, workspaceFor } from './support.ts';

const TOKEN = 'babe0babe0babe0babe0babe0babe0babe0babe0';

/** The line (1-based) of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('hostile input: mapping.yaml edited by hand', () => {
  let sim: SimServer;
  let ws: Workspace;
  let mappingPath: string;
  let confirmed: string;

  beforeAll(async () => {
    sim = await startSim(TOKEN, 'hostile');
    const exportDir = tempDir('hostile-export');
    await generateExport({ outDir: exportDir, records: 4, seed: 2 });
    ws = await workspaceFor(exportDir, sim, TOKEN);
    mappingPath = join(ws.dir, 'mapping.yaml');
    confirmed = readFileSync(mappingPath, 'utf8');
  });
  afterAll(async () => {
    writeFileSync(mappingPath, confirmed);
    await sim?.close();
  });

  /** Migrate refuses the edited file (exit 3); confirming it names the file, line and key (exit 2). */
  async function expectRefused(text: string, where: { line: number; key?: string; why: RegExp }) {
    writeFileSync(mappingPath, text);
    const migrate = await ferry(ws, 'migrate', '--full');
    expect(migrate.code, migrate.stdout + migrate.stderr).toBe(3);
    expect(migrate.stderr).toMatch(/mapping\.yaml/);
    expect(migrate.stderr).toMatch(/ferry map confirm/);
    const confirm = await ferry(ws, 'map', 'confirm');
    expect(confirm.code, confirm.stderr).toBe(2);
    expect(confirm.stderr).toContain(`mapping.yaml:${where.line}`);
    if (where.key) expect(confirm.stderr).toContain(where.key);
    expect(confirm.stderr).toMatch(where.why);
    expect(confirm.stderr).not.toMatch(/\n\s+at /);
    expect((await simState(sim)).entities.deals?.filter((deal) => !deal.is_deleted)).toEqual([]);
  }

  it('invalid YAML: refused, naming the line', async () => {
    const lines = confirmed.split('\n');
    const at = lineOf(confirmed, 'target:');
    lines[at - 1] = `${lines[at - 1]} [unclosed`;
    await expectRefused(lines.join('\n'), { line: at, why: /YAML|flow|unexpected|collection/i });
  });

  it('an unknown key: refused, naming the line and the key', async () => {
    const at = lineOf(confirmed, 'target:');
    const lines = confirmed.split('\n');
    const indent = /^\s*/.exec(lines[at - 1]!)![0];
    lines.splice(at, 0, `${indent}colour: blue`);
    // The inserted key sits on the line after `target:`.
    await expectRefused(lines.join('\n'), {
      line: at + 1,
      key: '.colour: Unrecognized key: "colour"',
      why: /colour/,
    });
  });

  it('a confirmed mapping edited afterwards (still valid): migrate exits 3 until it is confirmed again', async () => {
    const edited = confirmed.replace(/(\n\s+target: )[^\n]+/, '$1skip');
    expect(edited).not.toBe(confirmed);
    writeFileSync(mappingPath, edited);
    const migrate = await ferry(ws, 'migrate', '--full');
    expect(migrate.code, migrate.stderr).toBe(3);
    expect(migrate.stderr).toMatch(/mapping\.yaml.*changed|changed.*mapping\.yaml/i);
    expect(migrate.stderr).toContain('ferry map confirm');
    writeFileSync(mappingPath, confirmed);
    const status = await ferry(ws, 'status', '--json');
    expect(JSON.parse(status.stdout).mapping).toMatchObject({ confirmed: true, changedSinceConfirm: false });
  });
});

describe('hostile input: the export reader', () => {
  /** A workspace whose export holds a good contact file and `files`. */
  async function extract(files: Record<string, string | Buffer>) {
    const dir = tempDir('hostile-extract');
    const exportDir = join(dir, 'export');
    mkdirSync(exportDir);
    writeFileSync(join(exportDir, 'contacts.csv'), 'Contact ID,Email\n1,a@example.com\n');
    for (const [name, content] of Object.entries(files)) writeFileSync(join(exportDir, name), content);
    const ws = { dir, env: {} };
    expect((await ferry(ws, 'init', '--source', exportDir)).code).toBe(0);
    return { ws, exportDir, result: await ferry(ws, 'extract', '--json') };
  }

  it('reads a 5 MB note line whole (under the 10 MB record limit)', async () => {
    const long = 'word '.repeat(1024 * 1024);
    const { result } = await extract({ 'notes.csv': `Note ID,Contact ID,Note\n1,1,${long}\n2,1,short\n` });
    expect(result.code, result.stderr.slice(0, 500)).toBe(0);
    const notes = JSON.parse(result.stdout).files.find((f: { file: string }) => f.file === 'notes.csv');
    expect(notes.rowCount).toBe(2);
  });

  it('reads 4,500 notes of 20 KB each (90 MB): rows are written in batches bounded by size, not only count', async () => {
    const body = 'Called the adjuster about the estimate. '.repeat(512);
    const rows = Array.from({ length: 4_500 }, (_, i) => `${i + 1},1,"${body}"`);
    const { result } = await extract({ 'notes.csv': `Note ID,Contact ID,Note\n${rows.join('\n')}\n` });
    expect(result.code, result.stderr.slice(0, 500)).toBe(0);
    const notes = JSON.parse(result.stdout).files.find((f: { file: string }) => f.file === 'notes.csv');
    expect(notes.rowCount).toBe(4_500);
  });

  it('refuses a file with 5,000 columns: exit 2 naming the file and line, no stack trace', async () => {
    const header = Array.from({ length: 5_000 }, (_, i) => `Column ${i}`).join(',');
    const { result } = await extract({ 'wide.csv': `${header}\n${'1,'.repeat(4_999)}1\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/wide\.csv:1: 5000 columns \(more than 2000\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses NUL bytes inside a quoted value in the middle of a file, naming the line', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i + 1},"Note ${i}"`);
    rows[24] = '25,"Note\u0000with a NUL"';
    const { result } = await extract({ 'notes.csv': `Note ID,Note\n${rows.join('\n')}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/notes\.csv:26/);
    expect(result.stderr).toMatch(/NUL/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses an unreadable file (chmod 000), naming it', async () => {
    const dir = tempDir('hostile-unreadable');
    const exportDir = join(dir, 'export');
    mkdirSync(exportDir);
    writeFileSync(join(exportDir, 'contacts.csv'), 'Contact ID,Email\n1,a@example.com\n');
    writeFileSync(join(exportDir, 'locked.csv'), 'a,b\n1,2\n');
    chmodSync(join(exportDir, 'locked.csv'), 0o000);
    const ws = { dir, env: {} };
    expect((await ferry(ws, 'init', '--source', exportDir)).code).toBe(0);
    const result = await ferry(ws, 'extract');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('locked.csv');
  });
});
