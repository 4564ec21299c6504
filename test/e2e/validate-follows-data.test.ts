import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasLocation, type Issue } from '../../src/core/issues.ts';
import { parseMappingFile, renderMappingFile } from '../../src/mapping/index.ts';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { createUiCore } from '../../src/web/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'cafecafecafecafecafecafecafecafecafecafe';
const UI_TOKEN = 'ui-token-for-this-test';

/**
 * A small export with what validation must follow: a contact with a phone but no e-mail, one with
 * nothing, two contacts that look alike, a staff file whose Status column says Tina is Inactive (and
 * Pipedrive has no user for her), her claim with its event, note, status history and a document whose path
 * leaves the export.
 */
const EXPORT: Record<string, string> = {
  'staff.csv':
    "Staff ID,Name,Email,Status\n1,Dana Whitfield,dwhitfield@firm.com,Active\n2,Tina O'Neil,toneil@firm.com,Inactive\n",
  'contacts.csv': [
    'Contact ID,First Name,Last Name,Email,Mobile Phone',
    '501,Maria,Gonzalez,maria.g@example.com,(713) 555-0144',
    '502,María,González,MARIA.G@example.com,713.555.0144',
    '503,Earl,Price,,(713) 555-0177',
    '504,Bo,Diaz,,',
  ].join('\n'),
  'claims.csv': [
    'Claim ID,Claim Name,Claim Type,Status,Lead Attorney,Client Contact ID',
    '1042,Gonzalez v. Lone Star,Auto,Active,Dana Whitfield,502',
    "1043,Price v. Acme,Auto,Active,Tina O'Neil,503",
    '1044,Diaz v. Bayou,Auto,Active,Dana Whitfield,504',
  ].join('\n'),
  'calendar_events.csv':
    'Event ID,Claim ID,Title,Start Date,Event Type\nE1,1042,Hearing,03/04/2024,Court Hearing\nE2,1043,Deposition,03/05/2024,Deposition\n',
  'notes.csv':
    'Note ID,Claim ID,Note,Note Date\nN1,1043,Called client,01/02/2024\nN2,1042,Sent letter,01/03/2024\n',
  'documents.csv':
    'Document ID,Claim ID,File Name,Storage Path\nD1,1042,ok.pdf,files/1042/ok.pdf\nD2,1043,evil.pdf,../outside.pdf\n',
  'claim_status_history.csv':
    'Claim ID,From Status,To Status,Changed On\n1043,,Intake,01/01/2024\n1043,Intake,Active,01/05/2024\n',
};

interface ValidationJson {
  issues: Issue[];
  held: { file: string; sourceKey: string; reason: string }[];
  quarantined: { file: string; sourceKey: string; reason: string }[];
  ownership: {
    entries: { staff: { name: string; active: boolean }; ownedRecords: number; ownerUserId: number | null }[];
  };
  duplicates: { duplicate: string; into: string; accepted: boolean }[];
}

describe('validation follows the data: e-mails, inactive owners, held rows, merges a person accepts', () => {
  let sim: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  const validate = async () => {
    const result = await ferry('validate', '--json');
    return { code: result.code, report: JSON.parse(result.stdout) as ValidationJson };
  };
  const outcomes = () => {
    const store = SqliteStore.open({ path: join(dir, '.ferry', 'ferry.db') });
    try {
      return store.db
        .prepare(
          'SELECT file, source_key AS key, outcome, reason FROM row_outcomes ORDER BY file, source_key',
        )
        .all() as { file: string; key: string; outcome: string; reason: string | null }[];
    } finally {
      store.close();
    }
  };
  const outcomeOf = (file: string, key: string) => outcomes().find((o) => o.file === file && o.key === key);
  const editMapping = (edit: (text: string) => string) => {
    const path = join(dir, 'mapping.yaml');
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
  };

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'validate-follows-data',
      token: TOKEN,
      rateLimits: false,
      users: [
        { name: 'Sam Admin', email: 'admin@firm.com' },
        { name: 'Dana Whitfield', email: 'dwhitfield@firm.com' },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-validate-data-'));
    mkdirSync(join(dir, 'export', 'files', '1042'), { recursive: true });
    for (const [name, text] of Object.entries(EXPORT)) writeFileSync(join(dir, 'export', name), `${text}\n`);
    writeFileSync(join(dir, 'export', 'files', '1042', 'ok.pdf'), '%PDF-1.4 a letter\n');
    env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    for (const args of [['init', '--source', join(dir, 'export')], ['extract'], ['map', 'propose']]) {
      const result = await ferry(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    // A hand-written mapping of the staff Status column (proposing it is another piece of work).
    editMapping((text) => {
      const mapping = parseMappingFile(text).mapping!;
      return renderMappingFile({
        ...mapping,
        objects: mapping.objects.map((file) =>
          file.object !== 'staff'
            ? file
            : {
                ...file,
                fields: file.fields.map((field) =>
                  field.column === 'Status' ? { column: 'Status', target: 'user.active_flag' } : field,
                ),
              },
        ),
      });
    });
    for (const args of [
      ['map', 'confirm'],
      ['schema', 'apply'],
    ]) {
      const result = await ferry(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('reports e-mails, inactive owners, held rows, a path out of the export and proposed merges, each with rows', async () => {
    const { code, report } = await validate();
    expect(code).toBe(3);
    const rows = (issueCode: string) =>
      report.issues
        .filter((issue) => issue.code === issueCode && issue.line !== undefined)
        .map((issue) => `${issue.file}:${issue.line} ${issue.sourceKey}`);
    // A phone but no e-mail is its own warning; no contact details at all is another.
    expect(rows('missing_email')).toEqual(['contacts.csv:4 503']);
    expect(rows('missing_contact_info')).toEqual(['contacts.csv:5 504']);
    expect(report.issues.find((i) => i.code === 'missing_email' && i.line === undefined)?.message).toContain(
      '1 contact(s) have a phone number but no e-mail (ids 503)',
    );
    // Tina is named as inactive in BackDocket, with her records, and the staff row.
    const tina = report.issues.find((i) => i.code === 'inactive_staff_owner');
    expect(tina?.message).toMatch(
      /Tina O'Neil .* is inactive in BackDocket; no Pipedrive user, and owns \d+ record/,
    );
    expect(tina).toMatchObject({ severity: 'error', file: 'staff.csv', line: 3, sourceKey: '2' });
    const entry = report.ownership.entries.find((e) => e.staff.name === "Tina O'Neil");
    expect(entry).toMatchObject({ staff: { active: false }, ownerUserId: null });
    expect(entry?.ownedRecords).toBeGreaterThan(0);
    // Her claim and everything under it are held, with the reason; not skipped, not quarantined.
    expect(report.held.map((row) => `${row.file} ${row.sourceKey}`).sort()).toEqual(
      expect.arrayContaining(['calendar_events.csv E2', 'claims.csv 1043', 'notes.csv N1']),
    );
    expect(report.held.find((row) => row.file === 'calendar_events.csv')?.reason).toMatch(
      /its claim 1043 is held: Tina O'Neil has no active Pipedrive user/,
    );
    expect(rows('document_outside_export')).toEqual(['documents.csv:3 D2']);
    expect(report.issues.some((i) => i.code === 'document_missing')).toBe(false);
    // The look-alike contacts are a proposal, not merged.
    expect(report.duplicates).toEqual([
      expect.objectContaining({ duplicate: '502', into: '501', accepted: false }),
    ]);
    expect(report.issues.find((i) => i.code === 'duplicate_merge_proposed')?.examples).toEqual([
      { file: 'contacts.csv', line: 3, sourceKey: '502' },
    ]);
    // Every issue about the export names rows (account-level checks have no row to name).
    expect(report.issues.filter((issue) => issue.file !== undefined && !hasLocation(issue))).toEqual([]);
  }, 120_000);

  it('on the Validation page of ferry ui, a merge is a box a person ticks, saved to mapping.yaml', async () => {
    const ui = createUiCore({ workspaceDir: dir, token: UI_TOKEN, env });
    const url = (path: string) =>
      `http://127.0.0.1/${path}${path.includes('?') ? '&' : '?'}token=${UI_TOKEN}`;
    const post = (path: string, form: [string, string][]) =>
      ui.handle(
        new Request(url(path), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1' },
          body: new URLSearchParams([['token', UI_TOKEN], ...form]).toString(),
        }),
      );
    const page = async () => (await ui.handle(new Request(url('validate')))).text();
    const before = await page();
    expect(before).toContain('<h2 id="duplicates">Duplicate contacts</h2>');
    expect(before).toMatch(
      /<input type="checkbox" id="merge-0" name="merge" value="502">.*Merge contact 502 \(contacts\.csv:3\) into 501 \(line 2\)/s,
    );
    expect(before).toMatch(/<table id="link-coverage">.*deal→person/s);

    expect((await post('validate/duplicates', [['merge', '502']])).status).toBe(303);
    expect(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).toMatch(/accepted:\n\s+"502": "501"/);
    expect(await page()).toMatch(/id="merge-0" name="merge" value="502" checked/);
    // Unticking takes the merge back out.
    expect((await post('validate/duplicates', [])).status).toBe(303);
    expect(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).not.toMatch(/"502": "501"/);
  }, 120_000);

  it('merges the duplicate only once a person accepts it in map confirm', async () => {
    const plain = await ferry('map', 'confirm');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('1 likely duplicate(s) found and NOT merged');
    expect(plain.stdout).toContain('contacts.csv:3 contact 502 looks like 501 (line 2): the same e-mail');
    expect(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).not.toMatch(/accepted:/);

    const accepting = await ferry('map', 'confirm', '--accept-merges', '--json');
    expect(accepting.code, accepting.stderr).toBe(0);
    expect(JSON.parse(accepting.stdout).duplicates).toEqual({ accepted: 1, notAccepted: [] });
    expect(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).toMatch(
      /accepted:\n\s+"502": "501" # the same e-mail \(maria\.g@example\.com\)/,
    );
    const { report } = await validate();
    expect(report.duplicates).toEqual([expect.objectContaining({ duplicate: '502', accepted: true })]);
    expect(report.issues.some((i) => i.code === 'duplicate_merge_proposed')).toBe(false);
  }, 120_000);

  it('migrates: held rows are held in the store and the report, and move once an owner is chosen', async () => {
    const migrated = await ferry('migrate', '--full');
    expect(migrated.code, migrated.stderr).toBe(0);
    for (const [file, key] of [
      ['claims.csv', '1043'],
      ['calendar_events.csv', 'E2'],
      ['notes.csv', 'N1'],
    ] as const) {
      expect(outcomeOf(file, key), `${file} ${key}`).toMatchObject({ outcome: 'held' });
    }
    expect(
      outcomeOf(
        'claim_status_history.csv',
        outcomes().find((o) => o.file === 'claim_status_history.csv')!.key,
      ),
    ).toMatchObject({
      outcome: 'held',
      reason: expect.stringMatching(/its claim 1043 is held/),
    });
    expect(outcomeOf('contacts.csv', '502')).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/merged/),
    });
    expect(
      outcomes().filter(
        (o) => o.outcome === 'skipped' && o.file !== 'staff.csv' && o.file !== 'contacts.csv',
      ),
    ).toEqual([]);

    const report = await ferry('report', '--json');
    expect(report.code, report.stderr).toBe(0);
    const data = JSON.parse(readFileSync(join(dir, '.ferry', 'report', 'report.json'), 'utf8')) as {
      accountability: { file: string; extracted: number; outcomes: Record<string, number> }[];
      headline: string[];
    };
    const claims = data.accountability.find((file) => file.file === 'claims.csv');
    expect(claims?.outcomes).toMatchObject({ migrated: 2, held: 1 });
    for (const file of data.accountability) {
      expect(
        Object.values(file.outcomes).reduce((a, b) => a + b, 0),
        file.file,
      ).toBe(file.extracted);
    }
    expect(data.headline.join(' ')).toMatch(/row\(s\) are held until their owner is resolved/);

    // Choosing an owner for Tina lets her rows move on the next run.
    editMapping((text) => text.replace(/staff: \{\}/, "staff:\n    '2': admin@firm.com"));
    expect((await ferry('map', 'confirm')).code).toBe(0);
    expect((await ferry('migrate', '--full')).code).toBe(0);
    expect(outcomeOf('claims.csv', '1043')).toMatchObject({ outcome: 'migrated' });
    expect(outcomeOf('calendar_events.csv', 'E2')).toMatchObject({ outcome: 'migrated' });
  }, 180_000);
});
