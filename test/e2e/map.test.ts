import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMappingConfirmed, sqliteMappingStore } from '../../src/mapping/index.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { buildExport } from '../eval/build-eval-set.ts';
import { STYLES } from '../eval/styles.ts';
import { runCli } from '../helpers/run-cli.ts';

/** `ferry map propose` / `ferry map confirm` through the real CLI on a generated export. */
describe('ferry map', () => {
  let dir: string;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-map-e2e-'));
    const exportDir = join(dir, 'export');
    mkdirSync(exportDir);
    const set = await buildExport(STYLES.find((s) => s.name === 'shouting-abbrev')!, 42);
    for (const file of set.files) writeFileSync(join(exportDir, file.name), file.content);
    expect((await ferry('init', '--source', exportDir)).code).toBe(0);
    const extract = await ferry('extract', '--json');
    expect(extract.code, extract.stderr).toBe(0);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('proposes: mapping.yaml plus the DESIGN.md §4 machine form on --json', async () => {
    const result = await ferry('map', 'propose', '--json');
    expect(result.code, result.stderr).toBe(0);
    const proposal = JSON.parse(result.stdout) as {
      objects: {
        file: string;
        object: string | null;
        entity: string | null;
        confidence: number;
        fields: { column: string; target: string | null; confidence: number; reason: string }[];
      }[];
    };
    const clients = proposal.objects.find((o) => o.file === 'CLIENTS.CSV')!;
    expect(clients).toMatchObject({ object: 'contact', entity: 'person' });
    expect(clients.fields.find((f) => f.column === 'E-MAIL')).toMatchObject({ target: 'person.emails' });
    expect(clients.fields.find((f) => f.column === 'DOB')).toMatchObject({
      target: 'person.custom:Date of Birth',
    });
    // The decoy 'PHONE 3' (all e-mails) is not guessed.
    expect(clients.fields.find((f) => f.column === 'PHONE 3')!.target).toBeNull();
    for (const object of proposal.objects) {
      for (const field of object.fields) {
        expect(Object.keys(field)).toEqual(
          expect.arrayContaining(['column', 'target', 'confidence', 'reason']),
        );
      }
    }
    const yaml = readFileSync(join(dir, 'mapping.yaml'), 'utf8');
    expect(yaml).toContain('# samples:');
    expect(yaml).toContain('file: CASES.CSV');

    const human = await ferry('map', 'propose');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/CLIENTS\.CSV\s+contact → person/);
    expect(human.stdout).toMatch(/PHONE 3/);
  });

  it("keeps the person's edits when proposing again", async () => {
    const path = join(dir, 'mapping.yaml');
    const yaml = readFileSync(path, 'utf8');
    const edited = yaml
      .replace(/(- column: DOB\n\s+target: )person\.custom:Date of Birth/, '$1person.custom:Birthday')
      .replace(/(\n)(\s+)(- column: DOB\n)/, '$1$2# checked with Dana: birthdays only\n$2$3');
    expect(edited).not.toBe(yaml);
    writeFileSync(path, edited);
    const again = await ferry('map', 'propose');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Kept 1 of your edits/);
    const after = readFileSync(path, 'utf8');
    expect(after).toMatch(/- column: DOB\n\s+target: person\.custom:Birthday/);
    expect(after).toContain('# kept your edit');
    expect(after).toContain('# checked with Dana: birthdays only');
    expect(after.match(/checked with Dana/g)).toHaveLength(1);
  });

  it('re-proposes the columns of a file whose object the person changed', async () => {
    const path = join(dir, 'mapping.yaml');
    const yaml = readFileSync(path, 'utf8');
    const edited = yaml.replace(
      '- file: CALENDAR.CSV\n    object: event\n',
      '- file: CALENDAR.CSV\n    object: task\n',
    );
    expect(edited).not.toBe(yaml);
    writeFileSync(path, edited);
    const again = await ferry('map', 'propose', '--json');
    expect(again.code, again.stderr).toBe(0);
    const calendar = (
      JSON.parse(again.stdout) as {
        objects: {
          file: string;
          object: string;
          entity: string;
          fields: { column: string; target: string | null }[];
        }[];
      }
    ).objects.find((o) => o.file === 'CALENDAR.CSV')!;
    expect(calendar).toMatchObject({ object: 'task', entity: 'activity' });
    expect(calendar.fields.find((f) => f.column === 'EVENT ID')!.target).toBe('activity.ref:task');
  });

  it('confirms (lock) and blocks when the file changes; an invalid file exits 2 naming line and key', async () => {
    const confirm = await ferry('map', 'confirm', '--json');
    expect(confirm.code, confirm.stderr).toBe(0);
    const body = JSON.parse(confirm.stdout) as { confirmed: boolean; hash: string; path: string };
    expect(body).toMatchObject({ confirmed: true, path: join(dir, 'mapping.yaml') });
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);

    const store = SqliteStore.open({ path: join(dir, '.ferry', 'ferry.db') });
    try {
      expect(
        assertMappingConfirmed({ mappingPath: join(dir, 'mapping.yaml') }, sqliteMappingStore(store)),
      ).toBe(body.hash);
      const path = join(dir, 'mapping.yaml');
      const text = readFileSync(path, 'utf8');
      const broken = text.replace(/(- column: E-MAIL\n\s+target: )person\.emails/, '$1person.emailz.wrong');
      writeFileSync(path, broken);
      expect(() => assertMappingConfirmed({ mappingPath: path }, sqliteMappingStore(store))).toThrow(
        /Re-run `ferry map confirm`/,
      );
      const invalid = await ferry('map', 'confirm');
      expect(invalid.code).toBe(2);
      const line = broken.split('\n').findIndex((l) => l.includes('person.emailz.wrong')) + 1;
      expect(invalid.stderr).toContain(`mapping.yaml:${line} objects[CLIENTS.CSV].fields[E-MAIL].target`);
      writeFileSync(path, text);
    } finally {
      store.close();
    }
  });
});

describe('ferry map before extract', () => {
  it('says to run ferry extract first (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-map-empty-'));
    try {
      mkdirSync(join(dir, 'export'));
      expect((await runCli(['--workspace', dir, 'init', '--source', join(dir, 'export')])).code).toBe(0);
      const result = await runCli(['--workspace', dir, 'map', 'propose']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Run `ferry extract` first/);
      const confirm = await runCli(['--workspace', dir, 'map', 'confirm', '--json']);
      expect(confirm.code).toBe(2);
      expect(confirm.stdout).toBe('');
      expect(confirm.stderr).toMatch(/ferry map propose/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
