import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = 'beadbeadbeadbeadbeadbeadbeadbeadbeadbead';
type Rec = Record<string, unknown>;
interface State {
  entities: Record<string, Rec[]>;
  fields: Record<string, { field_name: string; field_code: string }[]>;
}

describe('a generated export migrates completely, linked, exactly once, and a delta does what it says', () => {
  let sim: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as State;
  const live = (s: State, collection: string) =>
    (s.entities[collection] ?? []).filter((r) => r.is_deleted !== true && r.active_flag !== false);
  const identityKey = (s: State, entity: string) =>
    s.fields[entity]?.find((field) => field.field_name === 'BackDocket ID')?.field_code ?? '';
  const dealFor = (s: State, claimId: string) =>
    live(s, 'deals').find((d) => (d.custom_fields as Rec)[identityKey(s, 'deal')] === `claim:${claimId}`);

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'generated',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Firm Admin', email: 'admin@smithlawfirm.com' }],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-generated-'));
    await generateExport({ outDir: join(dir, 'export'), records: 30, seed: 5 });
    env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('creates every object with every link pointing at a live record', async () => {
    const result = await ferry('migrate', '--full', '--json');
    expect(result.code, result.stderr).toBe(0);
    const s = await state();
    const ids = (collection: string) => new Set(live(s, collection).map((r) => r.id));
    const [orgs, persons, deals, leads, users, pipelines, stages] = [
      ids('organizations'),
      ids('persons'),
      ids('deals'),
      ids('leads'),
      ids('users'),
      ids('pipelines'),
      ids('stages'),
    ];
    for (const collection of ['organizations', 'persons', 'deals', 'leads', 'activities', 'notes', 'files']) {
      expect(live(s, collection).length, collection).toBeGreaterThan(0);
    }
    const linked = (id: unknown, set: Set<unknown>) => id === null || id === undefined || set.has(id);
    for (const p of live(s, 'persons')) expect(linked(p.org_id, orgs)).toBe(true);
    for (const d of live(s, 'deals')) {
      expect(persons.has(d.person_id), `deal ${d.id} person`).toBe(true);
      expect(linked(d.org_id, orgs)).toBe(true);
      expect(users.has(d.owner_id)).toBe(true);
      expect(pipelines.has(d.pipeline_id) && stages.has(d.stage_id)).toBe(true);
    }
    for (const a of live(s, 'activities')) {
      expect(deals.has(a.deal_id), `activity ${a.id} deal`).toBe(true);
      for (const participant of (a.participants as { person_id: number }[] | null) ?? []) {
        expect(persons.has(participant.person_id)).toBe(true);
      }
    }
    for (const n of live(s, 'notes')) expect(deals.has(n.deal_id) || persons.has(n.person_id)).toBe(true);
    for (const f of live(s, 'files')) expect(deals.has(f.deal_id) || persons.has(f.person_id)).toBe(true);
    for (const l of live(s, 'leads'))
      expect(persons.has(l.person_id) || orgs.has(l.organization_id)).toBe(true);
    expect(leads.size).toBeGreaterThan(0);

    const again = await ferry('migrate', '--full', '--json');
    const stats = JSON.parse(again.stdout).stats as Record<string, { created: number }>;
    expect(Object.values(stats).reduce((sum, entity) => sum + entity.created, 0)).toBe(0);
  });

  it('delta: updates changed rows, creates new ones, reports vanished ones and Pipedrive-side edits', async () => {
    const before = await state();
    const editedInPipedrive = dealFor(before, '1004')!;
    await fetch(`${sim.url}/__sim/records/deals/${editedInPipedrive.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Renamed by the firm in Pipedrive' }),
    });

    const newer = join(dir, 'export-newer');
    cpSync(join(dir, 'export'), newer, { recursive: true });
    const claimsPath = join(newer, 'claims.csv');
    const claims = parse(readFileSync(claimsPath), {
      columns: true,
      bom: true,
      relax_column_count: true,
    }) as Rec[];
    const nameOf = (id: string) => String(claims.find((row) => row['Claim ID'] === id)?.['Claim Name']);
    let text = readFileSync(claimsPath, 'utf8');
    text = text
      .replace(nameOf('1003'), 'Changed Claim Title')
      .replace(nameOf('1004'), 'Changed In Export Too');
    writeFileSync(claimsPath, text);
    const contactsPath = join(newer, 'contacts.csv');
    const contacts = readFileSync(contactsPath, 'utf8');
    const columns = contacts.split('\r\n')[0]!.split(',').length;
    const newRow = ['9999', 'Person', '', 'Newly', '', 'Added', ...Array(columns - 6).fill('')];
    newRow[11] = 'newly.added@example.com';
    writeFileSync(contactsPath, `${contacts}${newRow.join(',')}\r\n`);
    const notesPath = join(newer, 'notes.csv');
    const noteLines = readFileSync(notesPath, 'utf8').split('\r\n');
    const removable = noteLines.findIndex(
      (line, index) => index > 0 && /^\d+,/.test(line) && !line.includes('"'),
    );
    const removedNote = noteLines[removable]!.split(',')[0];
    noteLines.splice(removable, 1);
    writeFileSync(notesPath, noteLines.join('\r\n'));

    const result = await ferry('migrate', '--delta', newer, '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      stats: Record<string, { updated: number; created: number }>;
      problems: { code: string; message: string }[];
      vanished: { file: string; sourceKey: string }[];
    };
    const after = await state();
    expect(dealFor(after, '1003')?.title).toBe('Changed Claim Title');
    expect(dealFor(after, '1004')?.title).toBe('Renamed by the firm in Pipedrive');
    expect(
      report.problems.some((p) => p.code === 'edited_in_pipedrive' && p.message.includes('claim:1004')),
    ).toBe(true);
    expect(live(after, 'persons').some((p) => p.name === 'Newly Added')).toBe(true);
    expect(report.vanished).toContainEqual({ file: 'notes.csv', sourceKey: removedNote, change: 'vanished' });
    expect(live(after, 'notes').length + live(after, 'activities').length).toBe(
      live(before, 'notes').length + live(before, 'activities').length,
    );
    // The report's outcomes still add up to each file's rows; the vanished note is counted apart.
    const summary = JSON.parse((await ferry('report', '--json')).stdout) as {
      accountability: {
        file: string;
        extracted: number;
        outcomes: Record<string, number>;
        vanishedSinceMigrated: number;
      }[];
    };
    for (const file of summary.accountability) {
      const settled = Object.values(file.outcomes).reduce((sum, n) => sum + n, 0);
      expect(settled, file.file).toBe(file.extracted);
    }
    expect(summary.accountability.find((file) => file.file === 'notes.csv')?.vanishedSinceMigrated).toBe(1);
  });

  it('rolls back full + delta: the account holds no live record Ferry wrote', async () => {
    const result = await ferry('rollback', '--yes', '--force');
    expect(result.code, result.stderr).toBe(0);
    const s = await state();
    for (const collection of ['organizations', 'persons', 'deals', 'leads', 'activities', 'notes', 'files']) {
      expect(live(s, collection), collection).toEqual([]);
    }
  }, 300_000);
});
