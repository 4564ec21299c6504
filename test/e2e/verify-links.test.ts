import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMappingFile, renderMappingFile } from '../../src/mapping/index.ts';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'decadedecadedecadedecadedecadedecadedeca';
const ADMIN = 'admin@firm.com';

/** Companies, contacts working for them, claims naming a client and a company, events and notes under the claims. */
const EXPORT: Record<string, string> = {
  'staff.csv': 'Staff ID,Name,Email,Active\n1,Dana Whitfield,dwhitfield@firm.com,Yes\n',
  'companies.csv':
    'Company ID,Company Name,City\n300,Acme Freight,Houston\n301,Bayou Logistics,Dallas\n302,Lone Star Insurance,Austin\n',
  'contacts.csv': [
    'Contact ID,First Name,Last Name,Email,Company ID,Employer',
    '5000,Maria,Gonzalez,maria@example.com,300,Acme Freight',
    '5001,Earl,Price,earl@example.com,301,Bayou Logistics',
    '5002,Ann,Lee,ann@example.com,,',
    '5003,Bo,Diaz,bo@example.com,302,Lone Star Insurance',
  ].join('\n'),
  'claims.csv': [
    'Claim ID,Claim Name,Claim Type,Status,Lead Attorney,Client Contact ID,Company ID',
    '1000,Gonzalez v. Acme,Auto,Active,Dana Whitfield,5000,300',
    '1001,Price v. Bayou,Auto,Active,Dana Whitfield,5001,301',
    '1002,Lee v. Lone Star,Auto,Active,Dana Whitfield,5002,302',
  ].join('\n'),
  'calendar_events.csv': [
    'Event ID,Claim ID,Title,Start Date,Event Type,Contact ID',
    'E1,1000,Hearing,03/04/2024,Court Hearing,5000',
    'E2,1001,Deposition,03/05/2024,Deposition,5001',
    'E3,1002,Mediation,03/06/2024,Mediation,',
  ].join('\n'),
  'notes.csv':
    'Note ID,Claim ID,Note,Note Date\nN1,1000,Called client,01/02/2024\nN2,1002,Sent letter,01/03/2024\n',
};

/** The references, as a person would write them in mapping.yaml (the proposal is another piece of work). */
const LINK_TARGETS: Record<string, Record<string, string | null>> = {
  'contacts.csv': { 'Contact ID': 'person.ref:contact', 'Company ID': 'person.org_id', Employer: null },
  'companies.csv': { 'Company ID': 'organization.ref:company' },
  'claims.csv': {
    'Claim ID': 'deal.ref:claim',
    'Client Contact ID': 'deal.person_id',
    'Company ID': 'deal.org_id',
  },
  'calendar_events.csv': { 'Claim ID': 'activity.deal_id', 'Contact ID': 'activity.participants' },
  'notes.csv': { 'Claim ID': 'note.deal_id' },
};

interface SimState {
  entities: Record<string, Record<string, unknown>[]>;
  fields: Record<string, { field_code: string; field_name: string }[]>;
}
interface VerifyJson {
  ok: boolean;
  diffs: unknown[];
  links: {
    relationship: string;
    checked: number;
    linked: number;
    missing: number;
    wrong: number;
    share: number;
  }[];
  linkDifferences: {
    relationship: string;
    kind: string;
    field: string;
    child: { entity: string; identity: string; pipedriveId: string; file: string; line: number };
    expected: { identity: string }[];
    actual: { pipedriveId: string; identity?: string }[];
  }[];
  identities: { checked: number; differences: unknown[] };
}

/** A workspace with the export above, a confirmed mapping (with `edit` applied) and the schema in the account. */
async function prepare(input: {
  sim: SimServer;
  edit?: (file: string, column: string, target: string | null) => string | null;
}) {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-verify-links-'));
  mkdirSync(join(dir, 'export'));
  for (const [name, text] of Object.entries(EXPORT)) writeFileSync(join(dir, 'export', name), `${text}\n`);
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: input.sim.url };
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  for (const args of [['init', '--source', join(dir, 'export')], ['extract'], ['map', 'propose']]) {
    const result = await ferry(...args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  const path = join(dir, 'mapping.yaml');
  const mapping = parseMappingFile(readFileSync(path, 'utf8')).mapping!;
  writeFileSync(
    path,
    renderMappingFile({
      ...mapping,
      owners: { ...mapping.owners, fallbackOwnerEmail: ADMIN, unresolved: 'fallback' },
      objects: mapping.objects.map((file) => ({
        ...file,
        fields: file.fields.map((field) => {
          const pins = LINK_TARGETS[file.file] ?? {};
          const pinned = field.column in pins ? (pins[field.column] as string | null) : field.target;
          const target = input.edit ? input.edit(file.file, field.column, pinned) : pinned;
          return target === field.target ? field : { column: field.column, target };
        }),
      })),
    }),
  );
  for (const args of [
    ['map', 'confirm'],
    ['schema', 'apply'],
  ]) {
    const result = await ferry(...args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  return { dir, ferry };
}

describe('verify re-derives every link from the export and finds one broken in Pipedrive', () => {
  let sim: SimServer;
  let ferry: Awaited<ReturnType<typeof prepare>>['ferry'];
  let dir: string;
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;
  const patch = (path: string, body: unknown) =>
    fetch(`${sim.url}/api/v2/${path}`, {
      method: 'PATCH',
      headers: { 'x-api-token': TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const verify = async () => {
    const result = await ferry('verify', '--json');
    return { code: result.code, report: JSON.parse(result.stdout) as VerifyJson };
  };
  const byIdentity = async (collection: string, identity: string) => {
    const s = await state();
    const entity = collection === 'deals' ? 'deal' : 'person';
    const key = s.fields[entity]?.find((field) => field.field_name === 'BackDocket ID')?.field_code as string;
    return s.entities[collection]?.find(
      (record) =>
        (record.custom_fields as Record<string, unknown>)[key] === identity && record.is_deleted !== true,
    ) as Record<string, unknown>;
  };

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'verify-links',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Sam Admin', email: ADMIN }],
    });
    ({ ferry, dir } = await prepare({ sim }));
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('validate shows the link table, every relationship linked', async () => {
    const result = await ferry('validate', '--json');
    const report = JSON.parse(result.stdout) as {
      links: { relationship: string; withReference: number; linked: number }[];
    };
    expect(result.code, result.stderr).toBe(0);
    const counts = Object.fromEntries(
      report.links.map((row) => [row.relationship, [row.withReference, row.linked]]),
    );
    expect(counts).toMatchObject({
      'deal→person': [3, 3],
      'deal→organization': [3, 3],
      'person→organization': [3, 3],
      'activity→deal': [3, 3],
      'note→deal': [2, 2],
      'activity→person': [2, 2],
    });
    const text = await ferry('validate');
    expect(text.stdout).toMatch(/deal→person\s+3 with a reference\s+3 linked\s+100%/);
  }, 60_000);

  it('a clean migration verifies: exit 0, every link and identity as the rows say', async () => {
    const migrated = await ferry('migrate', '--full');
    expect(migrated.code, migrated.stderr).toBe(0);
    const { code, report } = await verify();
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.linkDifferences).toEqual([]);
    expect(report.links.find((check) => check.relationship === 'deal→person')).toMatchObject({
      checked: 3,
      linked: 3,
      share: 1,
    });
    expect(report.identities.checked).toBeGreaterThanOrEqual(15);
    expect(report.identities.differences).toEqual([]);
  }, 120_000);

  it("exits 4 naming the deal and the link when a deal's person is changed in Pipedrive, and when it is cleared", async () => {
    const deal = await byIdentity('deals', 'claim:1000');
    const maria = await byIdentity('persons', 'contact:5000');
    const earl = await byIdentity('persons', 'contact:5001');
    expect(deal.person_id).toBe(maria.id);
    expect((await patch(`deals/${deal.id}`, { person_id: earl.id })).status).toBe(200);

    const text = await ferry('verify');
    expect(text.code).toBe(4);
    expect(text.stdout).toContain(
      `link wrong: deal ${deal.id} (claim:1000, claims.csv:2) deal→person: person_id points at ${earl.id} (contact:5001); the rows reference ${maria.id} (contact:5000)`,
    );
    const { report } = await verify();
    expect(report.linkDifferences).toEqual([
      expect.objectContaining({
        relationship: 'deal→person',
        kind: 'wrong',
        field: 'person_id',
        child: expect.objectContaining({ identity: 'claim:1000', file: 'claims.csv', line: 2 }),
        expected: [expect.objectContaining({ identity: 'contact:5000' })],
        actual: [expect.objectContaining({ identity: 'contact:5001' })],
      }),
    ]);

    expect((await patch(`deals/${deal.id}`, { person_id: null })).status).toBe(200);
    const cleared = await verify();
    expect(cleared.code).toBe(4);
    expect(cleared.report.linkDifferences).toEqual([
      expect.objectContaining({ relationship: 'deal→person', kind: 'missing', actual: [] }),
    ]);

    expect((await patch(`deals/${deal.id}`, { person_id: maria.id })).status).toBe(200);
    expect((await verify()).code).toBe(0);
  }, 120_000);

  it("exits 4 when an activity's deal is cleared", async () => {
    const s = await state();
    const activity = s.entities.activities?.find((a) =>
      String(a.note ?? '').includes('[BackDocket event:E2]'),
    );
    expect(activity?.deal_id).toBeTruthy();
    expect((await patch(`activities/${activity!.id}`, { deal_id: null })).status).toBe(200);
    const { code, report } = await verify();
    expect(code).toBe(4);
    expect(report.linkDifferences).toEqual([
      expect.objectContaining({
        relationship: 'activity→deal',
        kind: 'missing',
        child: expect.objectContaining({ identity: 'event:E2', file: 'calendar_events.csv', line: 3 }),
      }),
    ]);
    expect((await patch(`activities/${activity!.id}`, { deal_id: activity!.deal_id })).status).toBe(200);
  }, 120_000);

  it('the report (HTML and JSON) shows the link table from validate and verify, and the broken link', async () => {
    const deal = await byIdentity('deals', 'claim:1001');
    expect((await patch(`deals/${deal.id}`, { person_id: null })).status).toBe(200);
    expect((await ferry('validate')).code).toBe(0);
    expect((await ferry('verify')).code).toBe(4);
    const report = await ferry('report', '--json');
    expect(report.code, report.stderr).toBe(0);
    const data = JSON.parse(report.stdout) as {
      links: {
        relationship: string;
        withReference?: number;
        willLink?: number;
        inPipedrive?: Record<string, number>;
      }[];
      verification: {
        ok: boolean;
        linkDifferenceCount: number;
        linkDifferences: { row: string; problem: string }[];
      };
    };
    expect(data.links.find((row) => row.relationship === 'deal→person')).toEqual({
      relationship: 'deal→person',
      withReference: 3,
      willLink: 3,
      share: 1,
      inPipedrive: { checked: 3, linked: 2, missing: 1, wrong: 0, parentAbsent: 0, share: 2 / 3 },
    });
    expect(data.verification).toMatchObject({ ok: false, linkDifferenceCount: 1 });
    expect(data.verification.linkDifferences[0]).toMatchObject({ row: 'claims.csv:3' });
    const html = readFileSync(join(dir, '.ferry', 'report', 'report.html'), 'utf8');
    expect(html).toContain('<h2>Links between records</h2>');
    expect(html).toMatch(
      /<td>deal→person<\/td><td class="num">3<\/td><td class="num">3<\/td><td class="num">100%<\/td><td class="num">3<\/td><td class="num">2<\/td><td class="num">66\.6%<\/td>/,
    );
    expect(html).toContain('Links missing or wrong (1)');
    expect(
      (await patch(`deals/${deal.id}`, { person_id: (await byIdentity('persons', 'contact:5001')).id }))
        .status,
    ).toBe(200);
  }, 120_000);
});

describe('links the plan never made, and references that find no record, are seen before and after migrating', () => {
  let sim: SimServer;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'verify-links-unplanned',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Sam Admin', email: ADMIN }],
    });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('a reference written as deal.ref:contact makes no link: validate blocks, and verify (not the field diff) sees it', async () => {
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    const { ferry } = await prepare({
      sim,
      edit: (file, column, target) =>
        file === 'claims.csv' && column === 'Client Contact ID' ? 'deal.ref:contact' : target,
    });
    const validated = await ferry('validate', '--json');
    expect(validated.code).toBe(3);
    const issue = (
      JSON.parse(validated.stdout) as {
        issues: { code: string; message: string; fix: string; file: string; field: string }[];
      }
    ).issues.find((i) => i.code === 'link_coverage_low');
    expect(issue).toMatchObject({ file: 'claims.csv', field: 'Client Contact ID' });
    expect(issue?.message).toMatch(/^deal→person: only 0 of 3 reference\(s\) will be linked/);
    expect(issue?.fix).toBe(
      'Map [Client Contact ID] to deal.person_id in mapping.yaml, confirm, and validate again.',
    );

    // Migrating anyway: what Ferry wrote reads back as written, but the links the rows name are not there.
    expect((await ferry('migrate', '--full')).code).toBe(0);
    const verified = await ferry('verify', '--json');
    expect(verified.code).toBe(4);
    const report = JSON.parse(verified.stdout) as VerifyJson;
    expect(report.diffs).toEqual([]);
    expect(report.linkDifferences.map((d) => [d.relationship, d.kind, d.child.identity])).toEqual([
      ['deal→person', 'missing', 'claim:1000'],
      ['deal→person', 'missing', 'claim:1001'],
      ['deal→person', 'missing', 'claim:1002'],
    ]);
  }, 180_000);

  it('references by company name where companies are keyed by id are linked through the names', async () => {
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    const { ferry } = await prepare({
      sim,
      edit: (file, column, target) =>
        file !== 'contacts.csv'
          ? target
          : column === 'Employer'
            ? 'person.org_id'
            : column === 'Company ID'
              ? null
              : target,
    });
    const validated = await ferry('validate');
    expect(validated.stdout).toMatch(/person→organization\s+3 with a reference\s+3 linked\s+100%/);
    expect(validated.stdout).not.toContain('contacts.csv [Employer]: person→organization: only');
  }, 180_000);

  it('a reference column whose values name no company blocks validate, naming file, column and rows', async () => {
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    const { ferry } = await prepare({
      sim,
      edit: (file, column, target) =>
        file !== 'contacts.csv'
          ? target
          : column === 'Last Name'
            ? 'person.org_id'
            : column === 'Company ID'
              ? null
              : target,
    });
    const validated = await ferry('validate');
    expect(validated.code).toBe(3);
    expect(validated.stdout).toMatch(/person→organization\s+4 with a reference\s+0 linked\s+0%\s+BLOCKS/);
    expect(validated.stdout).toContain(
      'contacts.csv [Last Name]: person→organization: only 0 of 4 reference(s) will be linked (0%, below 99%)',
    );
    expect(validated.stdout).toMatch(
      /4 of them name no row of the company file \(e\.g\. "\w+", "\w+", "\w+"\)/,
    );
    expect(validated.stdout).toContain(
      'rows: contacts.csv:2 (5000), contacts.csv:3 (5001), contacts.csv:4 (5002)',
    );
    expect(validated.stdout).toMatch(/fix: Check in mapping\.yaml that \[Last Name\] holds the company ids/);
  }, 180_000);
});
