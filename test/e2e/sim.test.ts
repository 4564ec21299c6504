import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { type Api, apiFor, simState } from './sim-helpers.ts';

let server: SimServer;
let api: Api;

beforeAll(async () => {
  server = await startSimServer({ seed: 'crud', rateLimits: false });
  api = apiFor(server);
});
afterAll(async () => {
  await server.close();
});

describe('ferry sim: CRUD per entity over a real socket', () => {
  it('creates, reads, updates and soft-deletes persons, organizations, deals and activities (v2)', async () => {
    const org = await api('POST', '/api/v2/organizations', {
      name: 'Acme LLP',
      address: { value: '1 Main St' },
    });
    expect(org.status).toBe(200);
    expect(org.body.data.address).toMatchObject({ value: '1 Main St', locality: null });
    const person = await api('POST', '/api/v2/persons', {
      name: 'Jane Roe',
      org_id: org.body.data.id,
      emails: [{ value: 'jane@roe.test' }, { value: 'j@home.test', label: 'home' }],
    });
    expect(person.status).toBe(200);
    expect(person.body.data).toMatchObject({
      first_name: 'Jane',
      last_name: 'Roe',
      org_id: org.body.data.id,
    });
    expect(person.body.data.emails).toEqual([
      { value: 'jane@roe.test', primary: true, label: 'work' },
      { value: 'j@home.test', primary: false, label: 'home' },
    ]);
    const deal = await api('POST', '/api/v2/deals', {
      title: 'Roe v. Doe',
      person_id: person.body.data.id,
      value: 1500,
    });
    expect(deal.body.data).toMatchObject({
      status: 'open',
      pipeline_id: 1,
      stage_id: 1,
      currency: 'USD',
      is_deleted: false,
    });
    const activity = await api('POST', '/api/v2/activities', {
      subject: 'Court date',
      type: 'meeting',
      deal_id: deal.body.data.id,
      due_date: '2026-02-01',
      due_time: '09:30',
      participants: [{ person_id: person.body.data.id }],
    });
    expect(activity.status).toBe(200);
    expect(activity.body.data).toMatchObject({ person_id: person.body.data.id, due_time: '09:30:00' });

    const patched = await api('PATCH', `/api/v2/deals/${deal.body.data.id}`, {
      status: 'lost',
      lost_reason: 'Settled',
    });
    expect(patched.body.data).toMatchObject({ status: 'lost', lost_reason: 'Settled', won_time: null });
    expect(patched.body.data.close_time).toBe(patched.body.data.lost_time);
    const got = await api('GET', `/api/v2/deals/${deal.body.data.id}`);
    expect(got.body.data.lost_reason).toBe('Settled');

    const deleted = await api('DELETE', `/api/v2/persons/${person.body.data.id}`);
    expect(deleted.body).toEqual({ success: true, data: { id: person.body.data.id } });
    const list = await api('GET', '/api/v2/persons');
    expect(list.body.data.map((p: { id: number }) => p.id)).not.toContain(person.body.data.id);
  });

  it('refuses what v2 refuses: unknown keys, wrong types, person_id on activities, missing title', async () => {
    const wrongType = await api('POST', '/api/v2/deals', { title: 'x', value: '100' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
    const stringBool = await api('POST', '/api/v2/activities', { subject: 'x', done: 'true' });
    expect(stringBool.body.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
    const addTime = await api('POST', '/api/v2/deals', { title: 'x', add_time: '2020-01-01T00:00:00Z' });
    expect(addTime.body.error).toContain("Parameter 'add_time' is not allowed for this request");
    const personId = await api('POST', '/api/v2/activities', { subject: 'x', person_id: 1 });
    expect(personId.status).toBe(400);
    expect(personId.body.code).toBe('ERR_BAD_REQUEST');
    expect(personId.body.error).toContain("'person_id' is a read-only field");
    const noTitle = await api('POST', '/api/v2/deals', { value: 3 });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error).toBe('Deal title must be given.');
    const noName = await api('POST', '/api/v2/persons', { emails: [{ value: 'a@b.c' }] });
    expect(noName.body.error).toBe('Name must be given.');
    const wonTimeWhenOpen = await api('POST', '/api/v2/deals', {
      title: 'x',
      won_time: '2024-01-01T00:00:00Z',
    });
    expect(wonTimeWhenOpen.status).toBe(400);
    const deletedOnCreate = await api('POST', '/api/v2/deals', { title: 'x', is_deleted: true });
    expect(deletedOnCreate.status).toBe(400);
  });

  it('honours add_time on v2 persons and on v1 notes', async () => {
    const person = await api('POST', '/api/v2/persons', {
      name: 'Old Client',
      add_time: '2015-03-04T05:06:07Z',
    });
    expect(person.body.data.add_time).toBe('2015-03-04T05:06:07Z');
    const note = await api('POST', '/api/v1/notes', {
      content: '<p>hi</p><script>alert(1)</script>',
      person_id: person.body.data.id,
      add_time: '2014-01-02 03:04:05',
    });
    expect(note.status).toBe(200);
    expect(note.body.data).toMatchObject({ add_time: '2014-01-02 03:04:05', content: '<p>hi</p>' });
    const orphan = await api('POST', '/api/v1/notes', { content: 'x' });
    expect(orphan.status).toBe(400);
    const updated = await api('PUT', `/v1/notes/${note.body.data.id}`, { content: 'changed' });
    expect(updated.body.data.content).toBe('changed');
    expect((await api('DELETE', `/v1/notes/${note.body.data.id}`)).body).toEqual({
      success: true,
      data: true,
    });
    expect((await api('GET', `/api/v1/notes/${note.body.data.id}`)).status).toBe(404);
  });

  it('round-trips custom fields: v2 nested on deals, v1 flat on leads using the deal fields', async () => {
    const matterType = await api('POST', '/api/v2/dealFields', {
      field_name: 'Matter Type',
      field_type: 'enum',
      options: [{ label: 'Injury' }, { label: 'Contract' }],
    });
    const fee = await api('POST', '/api/v2/dealFields', { field_name: 'Fee', field_type: 'monetary' });
    const [injury, contract] = matterType.body.data.options;
    expect(Number.isInteger(injury.id)).toBe(true);
    const mt = matterType.body.data.field_code;
    const feeKey = fee.body.data.field_code;
    expect(mt).toMatch(/^[0-9a-f]{40}$/);
    const deal = await api('POST', '/api/v2/deals', {
      title: 'Custom',
      custom_fields: { [mt]: contract.id, [feeKey]: { value: 250, currency: 'EUR' } },
    });
    expect(deal.body.data.custom_fields[mt]).toBe(contract.id);
    expect(deal.body.data.custom_fields[feeKey]).toEqual({ value: 250, currency: 'EUR' });
    const badOption = await api('POST', '/api/v2/deals', { title: 'x', custom_fields: { [mt]: 999_999 } });
    expect(badOption.status).toBe(400);
    const topLevel = await api('POST', '/api/v2/deals', { title: 'x', [mt]: injury.id });
    expect(topLevel.body.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');

    const person = await api('POST', '/api/v2/persons', { name: 'Lead Person' });
    const lead = await api('POST', '/api/v1/leads', {
      title: 'Intake 1',
      person_id: person.body.data.id,
      [mt]: String(injury.id),
      [feeKey]: 99,
      [`${feeKey}_currency`]: 'GBP',
    });
    expect(lead.status).toBe(201);
    expect(lead.body.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lead.body.data[mt]).toBe(String(injury.id));
    expect(lead.body.data[feeKey]).toBe(99);
    expect(lead.body.data[`${feeKey}_currency`]).toBe('GBP');
    expect(lead.body.data.add_time).toMatch(/\.\d{3}Z$/);
    const noLink = await api('POST', '/api/v1/leads', { title: 'Orphan' });
    expect(noLink.status).toBe(400);
    const patched = await api('PATCH', `/api/v1/leads/${lead.body.data.id}`, { [mt]: null });
    expect(patched.body.data[mt]).toBeUndefined();
    expect((await api('DELETE', `/api/v1/leads/${lead.body.data.id}`)).body.data.id).toBe(lead.body.data.id);
    expect((await api('GET', `/api/v1/leads/${lead.body.data.id}`)).body.error).toBe(
      'requested lead not found',
    );
  });

  it('serves field definitions on v2 and v1, with options add/update/delete and readable system keys', async () => {
    const v2 = await api('GET', '/api/v2/dealFields?limit=500');
    const codes = v2.body.data.map((f: { field_code: string }) => f.field_code);
    expect(codes).toEqual(
      expect.arrayContaining(['title', 'value', 'org_id', 'person_id', 'stage_id', 'status']),
    );
    const v1 = await api('GET', '/v1/personFields');
    expect(v1.body.data.find((f: { key: string }) => f.key === 'name')).toMatchObject({ edit_flag: false });
    const field = await api('POST', '/v1/organizationFields', {
      name: 'Tier',
      field_type: 'set',
      options: [{ label: 'A' }],
    });
    expect(field.body.data.key).toMatch(/^[0-9a-f]{40}$/);
    const code = field.body.data.key;
    const added = await api('POST', `/api/v2/organizationFields/${code}/options`, [{ label: 'B' }]);
    expect(added.body.data).toHaveLength(1);
    const renamed = await api('PATCH', `/api/v2/organizationFields/${code}/options`, [
      { id: added.body.data[0].id, label: 'B+' },
    ]);
    expect(renamed.body.data[0].label).toBe('B+');
    const missing = await api('PATCH', `/api/v2/organizationFields/${code}/options`, [
      { id: 123_456, label: 'x' },
    ]);
    expect(missing.status).toBe(400);
    const removed = await api('DELETE', `/api/v2/organizationFields/${code}/options`, [
      { id: added.body.data[0].id },
    ]);
    expect(removed.body.data[0].label).toBe('B+');
    expect((await api('DELETE', `/api/v2/organizationFields/${code}`)).status).toBe(200);
    expect((await api('GET', `/api/v2/organizationFields/${code}`)).status).toBe(404);
    expect(
      (await api('POST', '/api/v2/activityFields', { field_name: 'x', field_type: 'varchar' })).status,
    ).toBe(405);
    expect((await api('GET', '/api/v2/activityFields')).body.data.length).toBeGreaterThan(5);
  });

  it('keys differ between seeds', async () => {
    const other = await startSimServer({ seed: 'another-seed', rateLimits: false });
    try {
      const a = await api('POST', '/api/v2/personFields', { field_name: 'Same', field_type: 'varchar' });
      const b = await apiFor(other)('POST', '/api/v2/personFields', {
        field_name: 'Same',
        field_type: 'varchar',
      });
      expect(a.body.data.field_code).not.toBe(b.body.data.field_code);
    } finally {
      await other.close();
    }
  });

  it('has pipelines, stages, users, activity types and lead labels', async () => {
    const pipeline = await api('POST', '/api/v2/pipelines', { name: 'Personal Injury' });
    const s1 = await api('POST', '/api/v2/stages', { name: 'Intake', pipeline_id: pipeline.body.data.id });
    const s2 = await api('POST', '/api/v2/stages', { name: 'Filed', pipeline_id: pipeline.body.data.id });
    expect(s2.body.data.order_nr).toBe(s1.body.data.order_nr + 1);
    const stages = await api('GET', `/api/v2/stages?pipeline_id=${pipeline.body.data.id}`);
    expect(stages.body.data.map((s: { name: string }) => s.name)).toEqual(['Intake', 'Filed']);
    const deal = await api('POST', '/api/v2/deals', { title: 'PI', pipeline_id: pipeline.body.data.id });
    expect(deal.body.data.stage_id).toBe(s1.body.data.id);

    const users = await api('GET', '/api/v1/users');
    expect(users.body.data.some((u: { active_flag: boolean }) => u.active_flag === false)).toBe(true);
    const me = await api('GET', '/api/v1/users/me');
    expect(me.body.data.company_domain).toMatch(/^sim-/);
    expect(me.body.data.access).toContainEqual(expect.objectContaining({ app: 'global', admin: true }));
    const found = await api(
      'GET',
      '/api/v1/users/find?term=ALICE.attorney@example-law.test&search_by_email=1',
    );
    expect(found.body.data).toHaveLength(1);
    expect((await api('GET', '/api/v1/users/999')).body).toEqual({
      success: false,
      error: 'User not found or not accessible.',
    });
    const inactiveOwner = users.body.data.find((u: { active_flag: boolean }) => !u.active_flag);
    expect((await api('POST', '/api/v2/persons', { name: 'x', owner_id: inactiveOwner.id })).status).toBe(
      400,
    );

    const type = await api('POST', '/api/v1/activityTypes', { name: 'Court Hearing', icon_key: 'camera' });
    expect(type.body.data.key_string).toBe('court_hearing');
    const act = await api('POST', '/api/v2/activities', { subject: 'Hearing', type: 'court_hearing' });
    expect(act.status).toBe(200);
    const label = await api('POST', '/api/v1/leadLabels', { name: 'Hot', color: 'red' });
    expect(label.body.data.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uploads, lists, downloads and deletes files (multipart)', async () => {
    const person = await api('POST', '/api/v2/persons', { name: 'File Owner' });
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4 retainer'], { type: 'application/pdf' }), 'retainer.pdf');
    form.append('person_id', String(person.body.data.id));
    const upload = await fetch(`${server.url}/api/v1/files`, {
      method: 'POST',
      headers: { 'x-api-token': server.token },
      body: form,
    });
    const file = (
      (await upload.json()) as { data: { id: number; file_type: string; name: string; file_size: number } }
    ).data;
    expect(file).toMatchObject({ file_type: 'pdf', name: 'retainer.pdf', file_size: 17 });
    const download = await fetch(`${server.url}/api/v1/files/${file.id}/download`, {
      headers: { 'x-api-token': server.token },
    });
    expect(await download.text()).toBe('%PDF-1.4 retainer');
    const perPerson = await api('GET', `/api/v1/persons/${person.body.data.id}/files`);
    expect(perPerson.body.data.map((f: { id: number }) => f.id)).toEqual([file.id]);
    expect((await api('GET', '/api/v1/files?limit=101')).status).toBe(400);
    expect((await api('DELETE', `/api/v1/files/${file.id}`)).body.data.id).toBe(file.id);
    expect((await api('GET', `/api/v1/persons/${person.body.data.id}/files`)).body.data).toEqual([]);
  });

  it('searches persons by e-mail exactly (case-insensitive) and by custom field', async () => {
    const bd = await api('POST', '/api/v2/personFields', {
      field_name: 'BackDocket ID',
      field_type: 'varchar',
    });
    const key = bd.body.data.field_code;
    await api('POST', '/api/v2/persons', {
      name: 'Searchable Sam',
      emails: [{ value: 'Sam@Search.test' }],
      custom_fields: { [key]: 'BD-4242' },
    });
    const byEmail = await api(
      'GET',
      '/api/v2/persons/search?term=sam%40search.test&fields=email&exact_match=true',
    );
    expect(byEmail.body.data.items).toHaveLength(1);
    expect(byEmail.body.data.items[0].item.emails).toEqual(['Sam@Search.test']);
    const byCustom = await api(
      'GET',
      '/api/v2/persons/search?term=BD-4242&fields=custom_fields&exact_match=true',
    );
    expect(byCustom.body.data.items[0].item.name).toBe('Searchable Sam');
    const items = await api('GET', '/api/v2/itemSearch?term=searchable&item_types=person');
    expect(items.body.data.items[0].item.type).toBe('person');
    const field = await api(
      'GET',
      `/api/v2/itemSearch/field?term=BD-4242&entity_type=person&field=${key}&match=exact`,
    );
    expect(field.body.data).toHaveLength(1);
    expect((await api('GET', '/api/v2/itemSearch?term=x&limit=101')).status).toBe(400);
  });
});

describe('ferry sim: include_fields counts (for reconciliation)', () => {
  it('counts notes, files and activities per deal, and deals/people per organization', async () => {
    const org = await api('POST', '/api/v2/organizations', { name: 'Counted Org' });
    await api('POST', '/api/v2/persons', { name: 'Counted Person', org_id: org.body.data.id });
    const deal = await api('POST', '/api/v2/deals', {
      title: 'Counted',
      org_id: org.body.data.id,
      status: 'won',
    });
    const id = deal.body.data.id;
    await api('POST', '/api/v1/notes', { content: 'a', deal_id: id });
    await api('POST', '/api/v1/notes', { content: 'b', deal_id: id });
    await api('POST', '/api/v2/activities', { subject: 'x', deal_id: id, done: true });
    const got = await api(
      'GET',
      `/api/v2/deals/${id}?include_fields=notes_count,activities_count,done_activities_count,files_count,followers_count`,
    );
    expect(got.body.data).toMatchObject({
      notes_count: 2,
      activities_count: 1,
      done_activities_count: 1,
      files_count: 0,
      followers_count: null,
    });
    const orgs = await api(
      'GET',
      `/api/v2/organizations?ids=${org.body.data.id}&include_fields=people_count,won_deals_count,open_deals_count`,
    );
    expect(orgs.body.data[0]).toMatchObject({ people_count: 1, won_deals_count: 1, open_deals_count: 0 });
    expect((await api('GET', '/api/v2/deals?include_fields=people_count')).status).toBe(400);
  });
});

describe('ferry sim: pagination', () => {
  it('pages a v2 list to the end with cursors, and sorts', async () => {
    const fresh = await startSimServer({ seed: 'pages', rateLimits: false });
    const call = apiFor(fresh);
    try {
      for (let i = 0; i < 7; i++) await call('POST', '/api/v2/organizations', { name: `Org ${i}` });
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await call('GET', `/api/v2/organizations?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.body.data.map((o: { id: number }) => o.id));
        cursor = page.body.additional_data.next_cursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(pages).toBe(3);
      const desc = await call('GET', '/api/v2/organizations?limit=2&sort_by=id&sort_direction=desc');
      expect(desc.body.data.map((o: { id: number }) => o.id)).toEqual([7, 6]);
      const decoded = JSON.parse(Buffer.from(desc.body.additional_data.next_cursor, 'base64url').toString());
      expect(decoded).toEqual({ field: 'id', fieldValue: 6, sortDirection: 'desc', id: 6 });
      const byIds = await call('GET', '/api/v2/organizations?ids=2,4,99');
      expect(byIds.body.data.map((o: { id: number }) => o.id)).toEqual([2, 4]);
      expect((await call('GET', '/api/v2/organizations?limit=501')).status).toBe(400);
    } finally {
      await fresh.close();
    }
  });

  it('pages a v1 list with start/limit and next_start', async () => {
    const person = await api('POST', '/api/v2/persons', { name: 'Paging Lead Person' });
    const before = (await api('GET', '/api/v1/leads?limit=500')).body.data.length;
    for (let i = 0; i < 5; i++)
      await api('POST', '/api/v1/leads', { title: `L${i}`, person_id: person.body.data.id });
    const ids: string[] = [];
    let start: number | undefined = 0;
    while (start !== undefined) {
      const page = await api('GET', `/api/v1/leads?limit=2&start=${start}`);
      ids.push(...page.body.data.map((l: { id: string }) => l.id));
      const p = page.body.additional_data.pagination;
      expect(p.more_items_in_collection).toBe(p.next_start !== undefined);
      start = p.next_start;
    }
    expect(ids).toHaveLength(before + 5);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('filters by updated_since (inclusive) and updated_until (exclusive)', async () => {
    const all = await api('GET', '/api/v2/persons?limit=500');
    const t = all.body.data[0].update_time as string;
    const since = await api('GET', `/api/v2/persons?limit=500&updated_since=${t}`);
    expect(since.body.data.map((p: { id: number }) => p.id)).toContain(all.body.data[0].id);
    const until = await api('GET', `/api/v2/persons?limit=500&updated_until=${t}`);
    expect(until.body.data.map((p: { id: number }) => p.id)).not.toContain(all.body.data[0].id);
    expect((await api('GET', '/api/v2/persons?updated_since=2026-01-01T00:00:00.123Z')).status).toBe(400);
  });
});

describe('ferry sim: soft delete and purge', () => {
  it('hides deleted records, shows deleted deals with status=deleted, never undeletes, purges after 30 days', async () => {
    const deal = await api('POST', '/api/v2/deals', { title: 'To delete' });
    const id = deal.body.data.id;
    await api('DELETE', `/api/v2/deals/${id}`);
    expect(
      (await api('GET', '/api/v2/deals?limit=500')).body.data.map((d: { id: number }) => d.id),
    ).not.toContain(id);
    const deletedList = await api('GET', '/api/v2/deals?status=deleted&limit=500');
    expect(deletedList.body.data.map((d: { id: number }) => d.id)).toContain(id);
    const got = await api('GET', `/api/v2/deals/${id}`);
    expect(got.body.data.is_deleted).toBe(true);
    expect((await api('PATCH', `/api/v2/deals/${id}`, { title: 'back' })).status).toBe(404);
    expect((await api('PATCH', `/api/v2/deals/${id}`, { is_deleted: false })).status).toBe(404);
    expect((await api('DELETE', `/api/v2/deals/${id}`)).status).toBe(404);
    const live = await api('POST', '/api/v2/deals', { title: 'Live' });
    expect((await api('PATCH', `/api/v2/deals/${live.body.data.id}`, { is_deleted: true })).status).toBe(400);

    const state = await simState(server);
    expect(state.entities.deals.find((d: { id: number }) => d.id === id).is_deleted).toBe(true);
    await fetch(`${server.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 31 }) });
    expect((await api('GET', `/api/v2/deals/${id}`)).status).toBe(404);
    expect((await simState(server)).entities.deals.some((d: { id: number }) => d.id === id)).toBe(false);
    expect((await api('GET', `/api/v2/deals/${live.body.data.id}`)).status).toBe(200);
  });
});

describe('ferry sim: auth', () => {
  it('accepts x-api-token, Bearer and ?api_token=, and answers 401 with the documented body otherwise', async () => {
    const anon = apiFor(server, '');
    const bad = await anon('GET', '/api/v2/persons', undefined, { headers: { 'x-api-token': 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({
      success: false,
      error: 'unauthorized access',
      errorCode: 401,
      error_info: 'Please check developers.pipedrive.com',
    });
    expect((await anon('GET', '/api/v2/persons')).status).toBe(401);
    const bearer = await anon('GET', '/api/v2/persons', undefined, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(bearer.status).toBe(200);
    expect((await anon('GET', `/v1/users/me?api_token=${server.token}`)).status).toBe(200);

    await fetch(`${server.url}/__sim/token`, { method: 'POST', body: JSON.stringify({ revoke: true }) });
    expect((await api('GET', '/api/v2/persons')).status).toBe(401);
    await fetch(`${server.url}/__sim/token`, { method: 'POST', body: '{}' });
    expect((await api('GET', '/api/v2/persons')).status).toBe(200);
  });

  it('lets a non-admin token user work but not change note authors or fields', async () => {
    const plain = await startSimServer({ seed: 'plain', rateLimits: false, tokenUserAdmin: false });
    try {
      const call = apiFor(plain);
      expect(
        (await call('POST', '/api/v2/dealFields', { field_name: 'x', field_type: 'varchar' })).status,
      ).toBe(403);
      const person = await call('POST', '/api/v2/persons', { name: 'Ok' });
      expect(person.status).toBe(200);
      const note = await call('POST', '/api/v1/notes', {
        content: 'x',
        person_id: person.body.data.id,
        user_id: 2,
      });
      expect(note.status).toBe(403);
    } finally {
      await plain.close();
    }
  });
});

describe('ferry sim: admin API', () => {
  it('seeds records as if made in the UI without charging tokens, and resets the account', async () => {
    const fresh = await startSimServer({ seed: 'admin' });
    try {
      const seeded = await fetch(`${fresh.url}/__sim/seed`, {
        method: 'POST',
        body: JSON.stringify({
          users: [{ name: 'Extra User', email: 'extra@x.test', active_flag: false }],
          organizations: [{ name: 'Seeded Org' }],
          persons: [{ name: 'Seeded Person', emails: [{ value: 'seed@x.test' }] }],
          deals: [{ title: 'Seeded Deal' }],
        }),
      });
      expect(seeded.status).toBe(200);
      const state = await simState(fresh);
      expect(state.counters.tokens).toBe(0);
      expect(state.entities.persons[0].name).toBe('Seeded Person');
      expect(state.entities.deals[0].origin).toBe('ManuallyCreated');
      expect(state.entities.users.some((u: { email: string }) => u.email === 'extra@x.test')).toBe(true);
      expect(Object.keys(state.fields)).toEqual(['deal', 'person', 'organization', 'activity']);
      const call = apiFor(fresh);
      await call('GET', '/api/v2/persons');
      const after = await simState(fresh);
      expect(after.counters.byOperation['GET /api/v2/persons']).toEqual({ requests: 1, tokens: 10 });
      expect(after.counters.byStatus['200']).toBe(1);

      const edited = await fetch(`${fresh.url}/__sim/records/persons/${state.entities.persons[0].id}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'Edited In UI' }),
      });
      expect(((await edited.json()) as { data: { name: string } }).data.name).toBe('Edited In UI');

      await fetch(`${fresh.url}/__sim/reset`, { method: 'POST' });
      const empty = await simState(fresh);
      expect(empty.entities.persons).toEqual([]);
      expect(empty.counters.requests).toBe(0);
      expect(empty.entities.pipelines).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
