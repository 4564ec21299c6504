import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  iterateRows,
  loadExtractIssues,
  loadInventory,
  loadRowChanges,
} from '../../src/source/backdocket/index.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { runCli } from '../helpers/run-cli.ts';

const BASIC = fileURLToPath(new URL('../fixtures/exports/basic/', import.meta.url));

function workspaceWith(files: Record<string, string | Buffer>): { dir: string; exportDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-extract-'));
  const exportDir = join(dir, 'export');
  mkdirSync(exportDir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(exportDir, name), content);
  return { dir, exportDir };
}

async function init(dir: string, source = 'export') {
  const result = await runCli(['init', '--source', source, '--json'], { cwd: dir });
  expect(result.code).toBe(0);
}

function expectCleanFailure(result: { code: number | null; stderr: string }, file: string, line: number) {
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${file}:${line}`);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(/internal error/);
}

describe('ferry extract (real CLI)', () => {
  it('prints the inventory, gives it as JSON, and stores rows, profiles and issues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-extract-'));
    cpSync(BASIC, join(dir, 'export'), { recursive: true });
    await init(dir);
    const human = await runCli(['extract'], { cwd: dir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Case List\.csv\s+claim\s+0\.\d\d\s+3/);
    expect(human.stdout).toMatch(/Clients Export 2024\.csv\s+contact/);
    // Progress names each file with the rows it really holds (it used to say "0 rows" for every file).
    expect(human.stderr).toContain('extract: Case List.csv (1/6) 3 rows');
    expect(human.stderr).toContain('extract: notes.csv (5/6) 2 rows');
    expect(human.stderr).not.toMatch(/ 0 rows/);

    const store = SqliteStore.open({ path: join(dir, '.ferry', 'ferry.db') });
    try {
      const inventory = loadInventory(store);
      expect(inventory.map((f) => [f.file, f.detection.object, f.rowCount])).toEqual([
        ['Case List.csv', 'claim', 3],
        ['Clients Export 2024.csv', 'contact', 3],
        ['claim_status_history.csv', 'status_history', 3],
        ['documents.csv', 'document', 3],
        ['notes.csv', 'note', 2],
        ['staff.csv', 'staff', 3],
      ]);
      const claims = [...iterateRows(store, 'Case List.csv')];
      expect(claims.map((r) => [r.sourceKey, r.line])).toEqual([
        ['1042', 2],
        ['1043', 3],
        ['2210', 4],
      ]);
      expect(claims[1]?.values['WC: Date of Injury']).toBe('');
      const codes = new Set(loadExtractIssues(store).map((i) => i.code));
      for (const code of [
        'orphan_reference',
        'duplicate_contact',
        'missing_contact_info',
        'inactive_staff_owner',
        'status_history_gap',
        'money_does_not_add_up',
        'document_missing',
        'document_outside_export',
        'excel_mangling',
        'mixed_date_formats',
        'html_in_notes',
        'status_spelling_drift',
        'sensitive_data',
      ]) {
        expect(codes, code).toContain(code);
      }
    } finally {
      store.close();
    }

    const json = await runCli(['extract', '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.files).toHaveLength(6);
    expect(doc.delta['Case List.csv']).toEqual({ new: 0, changed: 0, vanished: 0, unchanged: 3 });
    // A path leaving the export is its own problem, refused, with the row it is on.
    const outside = doc.issues.find((i: { code: string }) => i.code === 'document_outside_export');
    expect(outside).toMatchObject({ severity: 'error', file: 'documents.csv', field: 'Storage Path' });
    expect(outside.line).toBeGreaterThan(1);
    expect(outside.message).toMatch(/leads outside the export folder/);
    expect(
      doc.issues.filter((i: { code: string; message: string }) => i.code === 'document_missing'),
    ).not.toContainEqual(expect.objectContaining({ message: expect.stringMatching(/outside/) }));
    // Sensitive values never appear in the output.
    expect(json.stdout).not.toContain('03/04/1980');
  });

  it('re-running on the same export is a no-op; a newer export records new, changed and vanished rows', async () => {
    const { dir } = workspaceWith({
      'contacts.csv':
        'Contact ID,First Name,Last Name,Email\n1,Ann,Lee,ann@x.com\n2,Bob,Roe,bob@x.com\n3,Cy,Doe,cy@x.com\n',
    });
    await init(dir);
    const first = JSON.parse((await runCli(['extract', '--json'], { cwd: dir })).stdout);
    expect(first.delta['contacts.csv']).toEqual({ new: 3, changed: 0, vanished: 0, unchanged: 0 });
    const again = JSON.parse((await runCli(['extract', '--json'], { cwd: dir })).stdout);
    expect(again.delta['contacts.csv']).toEqual({ new: 0, changed: 0, vanished: 0, unchanged: 3 });

    const newer = join(dir, 'export-2');
    mkdirSync(newer);
    writeFileSync(
      join(newer, 'contacts.csv'),
      'Contact ID,First Name,Last Name,Email\n1,Ann,Lee,ann@x.com\n2,Bob,Roe,robert@x.com\n4,Di,Poe,di@x.com\n',
    );
    const delta = await runCli(['extract', '--source', newer, '--json'], { cwd: dir });
    expect(delta.code).toBe(0);
    const doc = JSON.parse(delta.stdout);
    expect(doc.delta['contacts.csv']).toEqual({ new: 1, changed: 1, vanished: 1, unchanged: 1 });

    const store = SqliteStore.open({ path: join(dir, '.ferry', 'ferry.db') });
    try {
      expect(loadRowChanges(store, doc.runId)).toEqual([
        { file: 'contacts.csv', sourceKey: '2', change: 'changed' },
        { file: 'contacts.csv', sourceKey: '3', change: 'vanished' },
        { file: 'contacts.csv', sourceKey: '4', change: 'new' },
      ]);
      const previous = store.db
        .prepare("SELECT prev_values_json FROM source_rows WHERE file = 'contacts.csv' AND source_key = '2'")
        .pluck()
        .get() as string;
      expect(JSON.parse(previous).Email).toBe('bob@x.com');
      expect([...iterateRows(store, 'contacts.csv')].map((r) => r.sourceKey)).toEqual(['1', '2', '4']);
    } finally {
      store.close();
    }
    const noop = JSON.parse((await runCli(['extract', '--source', newer, '--json'], { cwd: dir })).stdout);
    expect(noop.delta['contacts.csv']).toEqual({ new: 0, changed: 0, vanished: 0, unchanged: 3 });
  });

  const bad: [string, string | Buffer, number, RegExp][] = [
    ['unterminated.csv', 'Claim ID,Status\n1,Open\n2,"Closed\n3,Open\n', 3, /never closed/],
    [
      'binary.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0x1a, 0x0a, 0x1b, 0x1c]),
      1,
      /binary file/,
    ],
    ['empty.csv', '', 1, /empty/],
    ['nul.csv', `Claim ID,Status\n${'1,Open\n'.repeat(3000)}2,Op\u0000en\n`, 3002, /NUL bytes/],
    [
      'bad-utf8.csv',
      Buffer.concat([
        Buffer.from('\ufeffClaim ID,Status\n1,Open\n'),
        Buffer.from([0x32, 0x2c, 0xc3, 0x28, 0x0a]),
      ]),
      3,
      /invalid UTF-8/,
    ],
    ['wide.csv', `${Array.from({ length: 3000 }, (_, i) => `C${i}`).join(',')}\n1\n`, 1, /3000 columns/],
    ['huge-line.csv', `Claim ID,Note\n1,ok\n2,${'x'.repeat(11 * 1024 * 1024)}\n`, 3, /longer than 10 MB/],
    ['old.xls', 'not really', 0, /\.xlsx or \.csv/],
  ];
  it.each(bad)(
    'refuses %s with exit 2, naming the file and line, without a stack trace',
    async (name, content, line, why) => {
      const { dir } = workspaceWith({ 'good.csv': 'Contact ID,Email\n1,a@x.com\n', [name]: content });
      await init(dir);
      const result = await runCli(['extract'], { cwd: dir });
      if (line > 0) expectCleanFailure(result, name, line);
      else expect(result.code).toBe(2);
      expect(result.stderr).toContain(name);
      expect(result.stderr).toMatch(why);
    },
  );

  it('refuses an unreadable file, and --keep-going quarantines it and extracts the rest', async () => {
    const { dir, exportDir } = workspaceWith({
      'good.csv': 'Contact ID,Email\n1,a@x.com\n',
      'bad.csv': 'Claim ID,Status\n1,"Open\n',
    });
    symlinkSync(join(exportDir, 'does-not-exist.csv'), join(exportDir, 'dangling.csv'));
    if (process.getuid?.() !== 0) {
      writeFileSync(join(exportDir, 'locked.csv'), 'a,b\n1,2\n');
      chmodSync(join(exportDir, 'locked.csv'), 0o000);
    }
    await init(dir);
    const refused = await runCli(['extract'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad\.csv:2/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const kept = await runCli(['extract', '--keep-going', '--json'], { cwd: dir });
    expect(kept.code).toBe(0);
    const doc = JSON.parse(kept.stdout);
    expect(doc.files.map((f: { file: string }) => f.file)).toEqual(['good.csv']);
    const quarantined = doc.quarantined.map((q: { file: string }) => q.file);
    expect(quarantined).toEqual(expect.arrayContaining(['bad.csv', 'dangling.csv']));
    expect(doc.quarantined.find((q: { file: string }) => q.file === 'dangling.csv').reason).toMatch(
      /cannot read/,
    );
    expect(doc.issues.filter((i: { code: string }) => i.code === 'file_quarantined').length).toBe(
      quarantined.length,
    );
  });

  it('exits 2 when the workspace has not been initialised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-extract-'));
    const result = await runCli(['extract'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ferry init/);
  });

  it('--source overrides the configured folder', async () => {
    const { dir } = workspaceWith({ 'staff.csv': 'Staff ID,Email\n1,a@x.com\n' });
    await init(dir);
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'tasks.csv'), 'Task ID,Subject,Due Date\n1,Call,1/2/2024\n');
    const doc = JSON.parse((await runCli(['extract', '--source', other, '--json'], { cwd: dir })).stdout);
    expect(doc.files.map((f: { file: string }) => f.file)).toEqual(['tasks.csv']);
    expect(doc.delta['staff.csv']).toBeUndefined();
    expect(readFileSync(join(dir, 'ferry.yaml'), 'utf8')).toContain('source: "export"');
  });
});
