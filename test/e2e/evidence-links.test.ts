import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMappingFile } from '../../src/mapping/index.ts';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { buildExport, type EvalExport } from '../eval/build-eval-set.ts';
import type { Style } from '../eval/styles.ts';
import { runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

/**
 * An export in a hand Ferry was not written for: a report builder's files (Report_<Name>_2024-06.csv),
 * '#' ids that are not the first column, yes/no flags whose headers end in id words ('Photo ID', 'Has Tax
 * ID'), a staff Status of words, a status history under a report name. Migrated through the real CLI into
 * the simulator over a real socket; the links are read back from /__sim/state.
 */
const STYLE: Style = {
  name: 'e2e-report-builder',
  description: 'report builder files, # ids in the middle, Y/N flags named like ids',
  format: 'csv',
  casing: 'as-is',
  dates: 'us',
  booleans: ['Y', 'N'],
  keyPosition: 'middle',
  files: {
    staff: 'Report_Users_2024-06.csv',
    contact: 'Report_Contacts_2024-06.csv',
    company: 'Report_Organizations_2024-06.csv',
    claim: 'Report_Cases_2024-06.csv',
    claim_contact: 'Report_CaseParties_2024-06.csv',
    status_history: 'Report_StatusChanges_2024-06.csv',
    event: 'Report_Calendar_2024-06.csv',
    task: 'Report_Tasks_2024-06.csv',
  },
  values: { 'staff:Active': 'enum:Active|Inactive|Terminated|Former' },
  rename: {
    'staff:Staff ID': 'User #',
    'staff:Active': 'Status',
    'contact:Contact ID': 'Contact #',
    'contact:Company ID': 'Company #',
    'company:Company ID': 'Company #',
    'claim:Claim ID': 'Case #',
    'claim:Claim Number': 'File Number',
    'claim:Client Contact ID': 'Client #',
    'claim_contact:Claim ID': 'Case #',
    'claim_contact:Contact ID': 'Contact #',
    'claim_contact:Company ID': 'Company #',
    'status_history:Claim ID': 'Case #',
    'status_history:Claim Number': 'File Number',
    'event:Event ID': 'Event #',
    'event:Claim ID': 'Case #',
    'task:Task ID': 'Task #',
    'task:Claim ID': 'Case #',
  },
  extras: [
    { object: 'contact', header: 'Photo ID', gen: 'bool', expected: 'custom', fill: 1 },
    { object: 'company', header: 'Has Tax ID', gen: 'bool', expected: 'custom', fill: 1 },
  ],
  decoys: [],
};

type Rec = Record<string, unknown>;
interface SimState {
  entities: Record<string, Rec[]>;
  fields: Record<string, { field_code: string; field_name: string }[]>;
}

describe('an export whose keys, links and status history are found by evidence', () => {
  let sim: SimServer;
  let dir: string;
  let set: EvalExport;
  let state: SimState;
  const live = (collection: string) =>
    (state.entities[collection] ?? []).filter((r) => r.is_deleted !== true);
  const field = (entity: string, name: string) =>
    state.fields[entity]?.find((f) => f.field_name === name)?.field_code;
  const identity = (record: Rec, entity: string) =>
    String(((record.custom_fields ?? {}) as Rec)[field(entity, 'BackDocket ID') ?? ''] ?? '');
  const named = (collection: string, id: unknown) => live(collection).find((r) => r.id === id)?.name;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'evidence-links',
      rateLimits: false,
      users: [{ name: 'Sam Admin', email: 'admin@smithlawfirm.com' }],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-evidence-links-'));
    set = await buildExport(STYLE, 17);
    for (const file of set.files) {
      const path = join(dir, 'export', file.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    const env = { PIPEDRIVE_API_TOKEN: sim.token, PIPEDRIVE_BASE_URL: sim.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
    const run = await runCli(['--workspace', dir, 'migrate', '--full'], { env });
    expect(run.code, run.stderr).toBe(0);
    state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
  });

  const entities = (object: string) => [...set.entities.values()].filter((e) => e.object === object);
  const nameOf = (key: string | undefined) => (key ? set.entities.get(key)?.name : undefined);
  /** The export's id of a generated row: its object's base plus its number (`contact:7` → 1007). */
  const idOf = (key: string, base: number) => base + Number(key.split(':')[1]);
  const dealOf = (claimKey: string) =>
    live('deals').find((deal) => identity(deal, 'deal') === `claim:${idOf(claimKey, 20000)}`);

  it('keys contacts by the # column, not by a Y/N flag ending in ID, and maps the flags as fields', () => {
    const mapping = parseMappingFile(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).mapping!;
    const contacts = mapping.objects.find((o) => o.file === 'Report_Contacts_2024-06.csv')!;
    expect(contacts.keyColumn).toBe('Contact #');
    expect(contacts.fields.find((f) => f.column === 'Photo ID')?.target).toBe('person.custom:Photo ID');
    const companies = mapping.objects.find((o) => o.file === 'Report_Organizations_2024-06.csv')!;
    expect(companies.fields.find((f) => f.column === 'Has Tax ID')?.target).toBe(
      'organization.custom:Has Tax ID',
    );
    const staff = mapping.objects.find((o) => o.file === 'Report_Users_2024-06.csv')!;
    expect(staff.fields.find((f) => f.column === 'Status')?.target).toBe('user.active_flag');
    expect(mapping.objects.find((o) => o.file === 'Report_StatusChanges_2024-06.csv')?.object).toBe(
      'status_history',
    );
    // Identities are the export's ids, never row positions or hashes of a flag.
    const people = live('persons');
    expect(people.length).toBe(30);
    for (const person of people) expect(identity(person, 'person')).toMatch(/^contact:10\d\d$/);
  });

  it('gives every deal its client person, and its party company where the claim has one', () => {
    let withCompany = 0;
    for (const claim of entities('claim')) {
      const deal = dealOf(claim.key);
      expect(deal, claim.key).toBeDefined();
      expect(named('persons', deal?.person_id)).toBe(nameOf(claim.refs.get('Client Contact ID')));
      const parties = entities('claim_contact').filter((p) => p.refs.get('Claim ID') === claim.key);
      const companies = parties.map((p) => nameOf(p.refs.get('Company ID'))).filter(Boolean);
      if (companies.length === 0) continue;
      withCompany += 1;
      expect(companies).toContain(named('organizations', deal?.org_id));
    }
    expect(withCompany).toBeGreaterThan(0);
  });

  it('gives persons their organization', () => {
    let checked = 0;
    for (const contact of entities('contact')) {
      const company = contact.refs.get('Company ID');
      if (!company) continue;
      const person = live('persons').find(
        (p) => identity(p, 'person') === `contact:${idOf(contact.key, 1000)}`,
      );
      checked += 1;
      expect(named('organizations', person?.org_id), contact.key).toBe(nameOf(company));
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('gives activities their deal, and calendar events their attendee person', () => {
    const activities = live('activities');
    const marker = (record: Rec) => /\[BackDocket ([^\]]+)\]/.exec(String(record.note ?? ''))?.[1];
    let attendees = 0;
    for (const object of ['event', 'task'] as const) {
      for (const row of entities(object)) {
        const claim = row.refs.get('Claim ID');
        if (!claim) continue;
        const id = idOf(row.key, object === 'event' ? 40000 : 50000);
        const activity = activities.find((a) => marker(a) === `${object}:${id}`);
        expect(activity, row.key).toBeDefined();
        expect(activity?.deal_id, row.key).toBe(dealOf(claim)?.id);
        const attendee = object === 'event' ? row.refs.get('Contact Attendees') : undefined;
        if (!attendee) continue;
        attendees += 1;
        const people = ((activity?.participants ?? []) as Rec[]).map((p) => named('persons', p.person_id));
        expect(people, row.key).toContain(nameOf(attendee));
      }
    }
    expect(attendees).toBeGreaterThan(5);
  });

  it('puts the status history of each claim on its deal, from the report-named file', () => {
    const notes = live('notes');
    const claims = new Set(entities('status_history').map((row) => row.refs.get('Claim ID')));
    expect(claims.size).toBeGreaterThan(5);
    for (const claim of claims) {
      const deal = dealOf(claim!);
      expect(
        notes.some(
          (note) => note.deal_id === deal?.id && String(note.content).includes('BackDocket status history'),
        ),
        claim,
      ).toBe(true);
    }
  });
});
