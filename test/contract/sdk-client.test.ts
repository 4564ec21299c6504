/**
 * Pipedrive's own client (the official `pipedrive` SDK, v33) against `ferry sim` over a real socket: every
 * operation Ferry uses is driven through the SDK, and each answer is what that client expects — the success
 * envelope it unwraps with the fields Ferry reads, and the error envelopes it hands back (400, 401, 404,
 * 429, 5xx, Cloudflare's 403 page). Beside the OpenAPI response checks (sim-responses.test.ts), this keeps
 * the simulator from drifting away from the client Pipedrive ships. The list of operations is checked
 * against what a real Ferry workflow sends, so a new operation in Ferry fails here until the SDK covers it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActivityTypesApi,
  DealsApi as DealsApiV1,
  FilesApi,
  LeadLabelsApi,
  LeadsApi,
  NotesApi,
  PersonsApi as PersonsApiV1,
  UsersApi,
  Configuration as V1Configuration,
} from 'pipedrive/v1';
import {
  ActivitiesApi,
  DealFieldsApi,
  DealsApi,
  OrganizationFieldsApi,
  OrganizationsApi,
  PersonFieldsApi,
  PersonsApi,
  PipelinesApi,
  StagesApi,
  Configuration as V2Configuration,
} from 'pipedrive/v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { writeNewerExport } from '../helpers/newer-export.ts';
import { FERRY_BIN, runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = '5d45d45d45d45d45d45d45d45d45d45d45d45d4';

// biome-ignore lint/suspicious/noExplicitAny: the SDK's envelopes are read as plain JSON here
type Json = any;

/** A `ferry sim` process on a free port, as a person would start it. */
async function startFerrySim(args: readonly string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [FERRY_BIN, '--json', 'sim', '--port', '0', '--token', TOKEN, '--seed', 'sdk', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`ferry sim exited ${code}`)));
  });
  return { url, child };
}

async function admin(url: string, path: string, body: unknown): Promise<Json> {
  const response = await fetch(`${url}/__sim/${path}`, {
    method: path === 'state' ? 'GET' : 'POST',
    ...(path === 'state'
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return response.json();
}

/** What the SDK rejects with: the error envelope (the body), or a string for an HTML page. */
async function rejectionOf(call: Promise<unknown>): Promise<Json> {
  return call.then(
    () => {
      throw new Error('expected the SDK call to fail');
    },
    (error: unknown) => error,
  );
}

/**
 * The operations a Ferry workflow sends (schema apply, sample, full, verify, delta, rollback) — read from
 * the simulator's counters — plus those only a fault or a crash makes it send: looking up a file among a
 * deal's or a person's files, a custom field by its key, adding options to an existing field, updating a
 * lead, and reading a pipeline or stage to see whether its removal landed.
 */
const ONLY_ON_RECOVERY = [
  'GET /api/v1/deals/{id}/files',
  'GET /api/v1/persons/{id}/files',
  'GET /api/v2/dealFields/{field_code}',
  'GET /api/v2/personFields/{field_code}',
  'GET /api/v2/organizationFields/{field_code}',
  'POST /api/v2/dealFields/{field_code}/options',
  'PATCH /api/v1/leads/{id}',
  'GET /api/v1/leads/{id}',
  'GET /api/v2/pipelines/{id}',
  'GET /api/v2/stages/{id}',
];

describe('the official Pipedrive SDK against ferry sim: every operation Ferry uses', () => {
  let sim: { url: string; child: ChildProcess };
  let v1: V1Configuration;
  let v2: V2Configuration;
  /** Operations driven through the SDK below, with a check of the answer each. */
  const driven = new Set<string>();
  let ferryUses: string[] = [];

  beforeAll(async () => {
    sim = await startFerrySim(['--plan', 'ultimate']);
    v1 = new V1Configuration({ apiKey: TOKEN, basePath: `${sim.url}/api/v1` });
    v2 = new V2Configuration({ apiKey: TOKEN, basePath: `${sim.url}/api/v2` });
    ferryUses = await operationsOfAFerryWorkflow();
  }, 180_000);
  afterAll(() => {
    sim?.child.kill('SIGTERM');
  });
  // The SDK does nothing about 429s (reference §9.5): each test starts with the burst window empty.
  beforeEach(() => new Promise((resolve) => setTimeout(resolve, 2_100)));

  const sdk = (operation: string) => driven.add(operation);

  it('custom fields: create with options, list, read one, add options, delete (v2)', async () => {
    const fields = new DealFieldsApi(v2);
    const created: Json = await fields.addDealField({
      AddDealFieldRequest: { field_name: 'Matter Type', field_type: 'enum', options: [{ label: 'Injury' }] },
    });
    sdk('POST /api/v2/dealFields');
    expect(created.success).toBe(true);
    expect(created.data.field_code).toMatch(/^[0-9a-f]{40}$/);
    const code = created.data.field_code;
    const listed: Json = await fields.getDealFields({ limit: 500 });
    sdk('GET /api/v2/dealFields');
    expect(
      listed.data.some((field: Json) => field.field_code === code && field.field_name === 'Matter Type'),
    ).toBe(true);
    const added: Json = await fields.addDealFieldOptions({
      field_code: code,
      AddDealFieldOptionsRequestInner: [{ label: 'Contract' }],
    });
    sdk('POST /api/v2/dealFields/{field_code}/options');
    expect(added.data.map((option: Json) => option.label)).toEqual(['Contract']);
    const one: Json = await fields.getDealField({ field_code: code });
    sdk('GET /api/v2/dealFields/{field_code}');
    expect(one.data.options.map((option: Json) => option.label)).toEqual(['Injury', 'Contract']);
    for (const [api, entity] of [
      [new PersonFieldsApi(v2), 'person'],
      [new OrganizationFieldsApi(v2), 'organization'],
    ] as const) {
      const field: Json =
        entity === 'person'
          ? await (api as PersonFieldsApi).addPersonField({
              AddPersonFieldRequest: { field_name: 'BackDocket ID', field_type: 'varchar' },
            })
          : await (api as OrganizationFieldsApi).addOrganizationField({
              AddOrganizationFieldRequest: { field_name: 'BackDocket ID', field_type: 'varchar' },
            });
      sdk(`POST /api/v2/${entity}Fields`);
      const key = field.data.field_code;
      const list: Json =
        entity === 'person'
          ? await (api as PersonFieldsApi).getPersonFields({})
          : await (api as OrganizationFieldsApi).getOrganizationFields({});
      sdk(`GET /api/v2/${entity}Fields`);
      expect(list.data.some((candidate: Json) => candidate.field_code === key)).toBe(true);
      const read: Json =
        entity === 'person'
          ? await (api as PersonFieldsApi).getPersonField({ field_code: key })
          : await (api as OrganizationFieldsApi).getOrganizationField({ field_code: key });
      sdk(`GET /api/v2/${entity}Fields/{field_code}`);
      expect(read.data.field_name).toBe('BackDocket ID');
      const removed: Json =
        entity === 'person'
          ? await (api as PersonFieldsApi).deletePersonField({ field_code: key })
          : await (api as OrganizationFieldsApi).deleteOrganizationField({ field_code: key });
      sdk(`DELETE /api/v2/${entity}Fields/{field_code}`);
      expect(removed.success).toBe(true);
    }
    const gone: Json = await fields.deleteDealField({ field_code: code });
    sdk('DELETE /api/v2/dealFields/{field_code}');
    expect(gone.success).toBe(true);
  });

  it('pipelines, stages, activity types and lead labels: create, list, read, delete', async () => {
    const pipelines = new PipelinesApi(v2);
    const pipeline: Json = await pipelines.addPipeline({ AddPipelineRequest: { name: 'Personal Injury' } });
    sdk('POST /api/v2/pipelines');
    const pipelineId = pipeline.data.id;
    expect((await pipelines.getPipelines({})) as Json).toMatchObject({ success: true });
    sdk('GET /api/v2/pipelines');
    expect(((await pipelines.getPipeline({ id: pipelineId })) as Json).data.name).toBe('Personal Injury');
    sdk('GET /api/v2/pipelines/{id}');
    const stages = new StagesApi(v2);
    const stage: Json = await stages.addStage({
      AddStageRequest: { name: 'Intake', pipeline_id: pipelineId },
    });
    sdk('POST /api/v2/stages');
    const listed: Json = await stages.getStages({ pipeline_id: pipelineId });
    sdk('GET /api/v2/stages');
    expect(listed.data.map((candidate: Json) => candidate.name)).toEqual(['Intake']);
    expect(((await stages.getStage({ id: stage.data.id })) as Json).data.pipeline_id).toBe(pipelineId);
    sdk('GET /api/v2/stages/{id}');
    expect(((await stages.deleteStage({ id: stage.data.id })) as Json).success).toBe(true);
    sdk('DELETE /api/v2/stages/{id}');
    expect(((await pipelines.deletePipeline({ id: pipelineId })) as Json).success).toBe(true);
    sdk('DELETE /api/v2/pipelines/{id}');

    const types = new ActivityTypesApi(v1);
    const type: Json = await types.addActivityType({
      AddActivityTypeRequest: { name: 'Court Hearing', icon_key: 'signpost' },
    });
    sdk('POST /api/v1/activityTypes');
    expect(type.data.key_string).toMatch(/court/);
    expect(((await types.getActivityTypes()) as Json).data.some((t: Json) => t.id === type.data.id)).toBe(
      true,
    );
    sdk('GET /api/v1/activityTypes');
    expect(((await types.deleteActivityType({ id: type.data.id })) as Json).data.active_flag).toBe(false);
    sdk('DELETE /api/v1/activityTypes/{id}');

    const labels = new LeadLabelsApi(v1);
    const label: Json = await labels.addLeadLabel({
      AddLeadLabelRequest: { name: 'BackDocket intake', color: 'blue' },
    });
    sdk('POST /api/v1/leadLabels');
    expect(((await labels.getLeadLabels()) as Json).data.map((l: Json) => l.name)).toContain(
      'BackDocket intake',
    );
    sdk('GET /api/v1/leadLabels');
    expect(((await labels.deleteLeadLabel({ id: label.data.id })) as Json).data.id).toBe(label.data.id);
    sdk('DELETE /api/v1/leadLabels/{id}');
  });

  it('organizations, persons, deals and activities: create, list by time and ids, read, update, delete (v2)', async () => {
    const since = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const organizations = new OrganizationsApi(v2);
    const org: Json = await organizations.addOrganization({ AddOrganizationRequest: { name: 'Acme' } });
    sdk('POST /api/v2/organizations');
    const orgs: Json = await organizations.getOrganizations({
      updated_since: since,
      sort_by: 'update_time',
      limit: 500,
    });
    sdk('GET /api/v2/organizations');
    expect(orgs.data.map((o: Json) => o.id)).toContain(org.data.id);
    expect(orgs.additional_data).toHaveProperty('next_cursor');
    await organizations.updateOrganization({
      id: org.data.id,
      UpdateOrganizationRequest: { name: 'Acme Co' },
    });
    sdk('PATCH /api/v2/organizations/{id}');
    expect(((await organizations.getOrganization({ id: org.data.id })) as Json).data.name).toBe('Acme Co');
    sdk('GET /api/v2/organizations/{id}');

    const persons = new PersonsApi(v2);
    const person: Json = await persons.addPerson({
      AddPersonRequest: {
        name: 'Jane Doe',
        org_id: org.data.id,
        emails: [{ value: 'jane@doe.test', primary: true, label: 'work' }],
      },
    });
    sdk('POST /api/v2/persons');
    const byIds: Json = await persons.getPersons({ ids: String(person.data.id) });
    sdk('GET /api/v2/persons');
    expect(byIds.data.map((p: Json) => p.name)).toEqual(['Jane Doe']);
    await persons.updatePerson({ id: person.data.id, UpdatePersonRequest: { name: 'Jane Roe' } });
    sdk('PATCH /api/v2/persons/{id}');
    expect(((await persons.getPerson({ id: person.data.id })) as Json).data.name).toBe('Jane Roe');
    sdk('GET /api/v2/persons/{id}');

    const deals = new DealsApi(v2);
    const deal: Json = await deals.addDeal({
      AddDealRequest: { title: 'Doe v. Acme', person_id: person.data.id, org_id: org.data.id, value: 1000 },
    });
    sdk('POST /api/v2/deals');
    expect(((await deals.getDeals({ updated_since: since })) as Json).data.map((d: Json) => d.id)).toContain(
      deal.data.id,
    );
    sdk('GET /api/v2/deals');
    await deals.updateDeal({ id: deal.data.id, UpdateDealRequest: { title: 'Doe vs. Acme' } });
    sdk('PATCH /api/v2/deals/{id}');
    expect(((await deals.getDeal({ id: deal.data.id })) as Json).data.title).toBe('Doe vs. Acme');
    sdk('GET /api/v2/deals/{id}');

    const activities = new ActivitiesApi(v2);
    const activity: Json = await activities.addActivity({
      AddActivityRequest: {
        subject: 'Deposition',
        type: 'meeting',
        deal_id: deal.data.id,
        due_date: '2026-03-01',
        due_time: '09:30',
        note: 'Bring exhibits <p>[BackDocket event:1]</p>',
      },
    });
    sdk('POST /api/v2/activities');
    const children: Json = await activities.getActivities({ deal_id: deal.data.id, updated_since: since });
    sdk('GET /api/v2/activities');
    expect(children.data.map((a: Json) => a.note)).toEqual([expect.stringContaining('[BackDocket event:1]')]);
    await activities.updateActivity({ id: activity.data.id, AddActivityRequest: { done: true } });
    sdk('PATCH /api/v2/activities/{id}');
    expect(((await activities.getActivity({ id: activity.data.id })) as Json).data.done).toBe(true);
    sdk('GET /api/v2/activities/{id}');

    for (const [remove, operation] of [
      () => activities.deleteActivity({ id: activity.data.id }),
      () => deals.deleteDeal({ id: deal.data.id }),
      () => persons.deletePerson({ id: person.data.id }),
      () => organizations.deleteOrganization({ id: org.data.id }),
    ].map((remove, index) => [remove, ['activities', 'deals', 'persons', 'organizations'][index]] as const)) {
      const removed: Json = await remove();
      sdk(`DELETE /api/v2/${operation}/{id}`);
      expect(removed).toMatchObject({ success: true, data: { id: expect.any(Number) } });
    }
  });

  it('leads, notes and files: create, list, read, update, delete (v1), a file among a deal’s and a person’s', async () => {
    const person: Json = await new PersonsApi(v2).addPerson({ AddPersonRequest: { name: 'Lead Person' } });
    const deal: Json = await new DealsApi(v2).addDeal({ AddDealRequest: { title: 'Filed' } });
    const leads = new LeadsApi(v1);
    const lead: Json = await leads.addLead({
      AddLeadRequest: { title: 'Intake 1', person_id: person.data.id },
    });
    sdk('POST /api/v1/leads');
    expect(lead.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await leads.getLeads({ limit: 500, start: 0 })) as Json).data.map((l: Json) => l.id)).toContain(
      lead.data.id,
    );
    sdk('GET /api/v1/leads');
    await leads.updateLead({ id: lead.data.id, UpdateLeadRequest: { title: 'Intake one' } });
    sdk('PATCH /api/v1/leads/{id}');
    expect(((await leads.getLead({ id: lead.data.id })) as Json).data.title).toBe('Intake one');
    sdk('GET /api/v1/leads/{id}');

    const notes = new NotesApi(v1);
    const note: Json = await notes.addNote({
      AddNoteRequest: { content: 'Called <p>[BackDocket note:1]</p>', deal_id: deal.data.id },
    });
    sdk('POST /api/v1/notes');
    const listed: Json = await notes.getNotes({ deal_id: deal.data.id, start: 0, limit: 500 });
    sdk('GET /api/v1/notes');
    expect(listed.data.map((n: Json) => n.id)).toEqual([note.data.id]);
    await notes.updateNote({
      id: note.data.id,
      NoteRequest: { content: 'Called again <p>[BackDocket note:1]</p>' },
    });
    sdk('PUT /api/v1/notes/{id}');
    expect(((await notes.getNote({ id: note.data.id })) as Json).data.content).toContain('again');
    sdk('GET /api/v1/notes/{id}');

    const files = new FilesApi(v1);
    const file: Json = await files.addFile({
      file: new File([new TextEncoder().encode('%PDF-1.4 police report')], 'Police Report.pdf'),
      deal_id: deal.data.id,
    });
    sdk('POST /api/v1/files');
    const personFile: Json = await files.addFile({
      file: new File([new TextEncoder().encode('id card')], 'ID.pdf'),
      person_id: person.data.id,
    });
    expect(((await files.getFiles({ start: 0, limit: 100 })) as Json).data.length).toBe(2);
    sdk('GET /api/v1/files');
    const ofDeal: Json = await new DealsApiV1(v1).getDealFiles({ id: deal.data.id, start: 0, limit: 100 });
    sdk('GET /api/v1/deals/{id}/files');
    expect(ofDeal.data.map((f: Json) => [f.name, Number(f.file_size)])).toEqual([['Police Report.pdf', 22]]);
    const ofPerson: Json = await new PersonsApiV1(v1).getPersonFiles({
      id: person.data.id,
      start: 0,
      limit: 100,
    });
    sdk('GET /api/v1/persons/{id}/files');
    expect(ofPerson.data.map((f: Json) => f.id)).toEqual([personFile.data.id]);

    for (const [remove, operation] of [
      [() => files.deleteFile({ id: file.data.id }), 'DELETE /api/v1/files/{id}'],
      [() => notes.deleteNote({ id: note.data.id }), 'DELETE /api/v1/notes/{id}'],
      [() => leads.deleteLead({ id: lead.data.id }), 'DELETE /api/v1/leads/{id}'],
    ] as const) {
      expect(((await remove()) as Json).success).toBe(true);
      sdk(operation);
    }
  });

  it('users: the list and the token’s own user', async () => {
    const users = new UsersApi(v1);
    const all: Json = await users.getUsers();
    sdk('GET /api/v1/users');
    expect(all.data[0]).toMatchObject({
      id: expect.any(Number),
      email: expect.any(String),
      active_flag: true,
    });
    const me: Json = await users.getCurrentUser();
    sdk('GET /api/v1/users/me');
    expect(me.data.company_domain).toEqual(expect.any(String));
  });

  it('error envelopes come back as the SDK hands them on: 400, 404, 401, 429, 5xx and Cloudflare’s 403 page', async () => {
    const persons = new PersonsApi(v2);
    const invalid = await rejectionOf(
      persons.addPerson({ AddPersonRequest: { name: 7 as unknown as string } }),
    );
    expect(invalid).toMatchObject({ success: false, code: 'ERR_SCHEMA_VALIDATION_FAILED' });
    const missing = await rejectionOf(persons.getPerson({ id: 987_654 }));
    expect(missing).toMatchObject({ success: false, error: 'Person not found', code: 'ERR_NOT_FOUND' });
    const v1Missing = await rejectionOf(
      new LeadsApi(v1).getLead({ id: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(v1Missing).toMatchObject({ success: false, error: expect.any(String) });
    const stranger = new PersonsApi(
      new V2Configuration({ apiKey: 'f'.repeat(40), basePath: `${sim.url}/api/v2` }),
    );
    expect(await rejectionOf(stranger.getPersons({}))).toMatchObject({ success: false, errorCode: 401 });

    await admin(sim.url, 'faults', { spec: '429=1' });
    expect(await rejectionOf(persons.getPersons({}))).toMatchObject({
      success: false,
      error: 'Rate limit has been exceeded',
    });
    await admin(sim.url, 'faults', { spec: 'committed5xx=1' });
    const failed = await rejectionOf(persons.addPerson({ AddPersonRequest: { name: 'Committed anyway' } }));
    expect(typeof failed === 'string' ? failed : failed.success).toSatisfy(
      (value: unknown) => value === false || (typeof value === 'string' && /50[23]/.test(value)),
    );
    await admin(sim.url, 'faults', { spec: '403=1@200' });
    expect(String(await rejectionOf(persons.getPersons({})))).toMatch(/Cloudflare/);
    await admin(sim.url, 'faults', { spec: '' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const state: Json = await admin(sim.url, 'state', undefined);
    expect(state.entities.persons.map((p: Json) => p.name)).toContain('Committed anyway');
  });

  it('covers every operation a Ferry workflow sends, and those only recovery sends', () => {
    expect(ferryUses.length).toBeGreaterThan(30);
    const needed = [...new Set([...ferryUses, ...ONLY_ON_RECOVERY])].sort();
    expect(needed.filter((operation) => !driven.has(operation))).toEqual([]);
  });
});

/** Runs Ferry's writing commands and verify on a tiny export against an in-test simulator; returns the operations sent. */
async function operationsOfAFerryWorkflow(): Promise<string[]> {
  const server = await startSimServer({
    port: 0,
    seed: 'sdk-workflow',
    token: TOKEN,
    rateLimits: false,
    users: [{ name: 'Firm Admin', email: 'admin@smithlawfirm.com' }],
  });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sdk-'));
    await generateExport({ outDir: join(dir, 'export'), records: 3, seed: 5 });
    writeNewerExport(join(dir, 'export'), join(dir, 'newer'));
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: server.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
    for (const args of [
      ['migrate', '--sample', '1'],
      ['migrate', '--full'],
      ['verify'],
      ['migrate', '--delta', join(dir, 'newer')],
      ['rollback', '--yes'],
    ]) {
      const result = await runCli(['--workspace', dir, ...args], { env });
      expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
    }
    return Object.keys(server.simulator.state.counters.byOperation);
  } finally {
    await server.close();
  }
}
