import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/sim/index.ts';
import { HAVE_SPECS, PipedriveSpecs, toJsonSchema } from './sim-openapi.ts';

if (!HAVE_SPECS)
  console.warn('skipping simulator contract tests: ../shared/reference/pipedrive-openapi/ is absent');

type Version = 'v1' | 'v2';
// biome-ignore lint/suspicious/noExplicitAny: contract tests read arbitrary JSON
type Body = any;

let specs: PipedriveSpecs;
let sim: Simulator;

async function call(
  version: Version,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const headers: Record<string, string> = { 'x-api-token': sim.token };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const prefix = version === 'v2' ? '/api/v2' : '/v1';
  const response = await sim.fetch(
    new Request(`http://sim.test${prefix}${path}`, {
      method,
      headers,
      ...(payload ? { body: payload } : {}),
    }),
  );
  return { status: response.status, body: await response.json() };
}

/** Calls an operation and checks the answer against the spec's response schema for its status. */
async function conforms(
  version: Version,
  method: string,
  specPath: string,
  path: string,
  body?: unknown,
): Promise<Body> {
  const result = await call(version, method, path, body);
  expect(result.status, `${method} ${path}: ${JSON.stringify(result.body).slice(0, 300)}`).toBeLessThan(300);
  const errors = specs.validateResponse(version, method, specPath, result.status, result.body);
  expect(errors, `${version} ${method} ${specPath}`).toEqual([]);
  return result.body;
}

describe.skipIf(!HAVE_SPECS)('simulator responses validate against the OpenAPI response schemas', () => {
  beforeAll(() => {
    specs = new PipedriveSpecs();
    sim = createSimulator({ seed: 'contract', rateLimits: false });
  });

  it('v2 fields, persons, organizations, deals, activities, pipelines, stages', async () => {
    const enumField = await conforms('v2', 'POST', '/dealFields', '/dealFields', {
      field_name: 'Matter Type',
      field_type: 'enum',
      options: [{ label: 'Injury' }],
    });
    const code = enumField.data.field_code;
    await conforms('v2', 'GET', '/dealFields', '/dealFields');
    await conforms('v2', 'GET', '/dealFields/{field_code}', `/dealFields/${code}`);
    await conforms('v2', 'PATCH', '/dealFields/{field_code}', `/dealFields/${code}`, {
      field_name: 'Matter type',
    });
    const added = await conforms(
      'v2',
      'POST',
      '/dealFields/{field_code}/options',
      `/dealFields/${code}/options`,
      [{ label: 'Contract' }],
    );
    await conforms('v2', 'PATCH', '/dealFields/{field_code}/options', `/dealFields/${code}/options`, [
      { id: added.data[0].id, label: 'Contracts' },
    ]);
    await conforms('v2', 'DELETE', '/dealFields/{field_code}/options', `/dealFields/${code}/options`, [
      { id: added.data[0].id },
    ]);
    const personField = await conforms('v2', 'POST', '/personFields', '/personFields', {
      field_name: 'BD ID',
      field_type: 'varchar',
    });
    await conforms('v2', 'GET', '/personFields', '/personFields');
    await conforms('v2', 'GET', '/personFields/{field_code}', `/personFields/${personField.data.field_code}`);
    const orgField = await conforms('v2', 'POST', '/organizationFields', '/organizationFields', {
      field_name: 'Tier',
      field_type: 'double',
    });
    await conforms('v2', 'GET', '/organizationFields', '/organizationFields');
    await conforms(
      'v2',
      'PATCH',
      '/organizationFields/{field_code}',
      `/organizationFields/${orgField.data.field_code}`,
      { field_name: 'Tier 2' },
    );
    await conforms(
      'v2',
      'DELETE',
      '/organizationFields/{field_code}',
      `/organizationFields/${orgField.data.field_code}`,
    );
    await conforms('v2', 'GET', '/activityFields', '/activityFields');
    await conforms('v2', 'GET', '/activityFields/{field_code}', '/activityFields/subject');

    const org = await conforms('v2', 'POST', '/organizations', '/organizations', {
      name: 'Acme',
      address: { value: '1 Main St', locality: 'Springfield' },
    });
    await conforms('v2', 'GET', '/organizations', '/organizations');
    await conforms('v2', 'GET', '/organizations/{id}', `/organizations/${org.data.id}`);
    await conforms('v2', 'PATCH', '/organizations/{id}', `/organizations/${org.data.id}`, { name: 'Acme 2' });
    const person = await conforms('v2', 'POST', '/persons', '/persons', {
      name: 'Jane Doe',
      org_id: org.data.id,
      emails: [{ value: 'jane@doe.test', primary: true, label: 'work' }],
      phones: [{ value: '+1 555 0100' }],
      custom_fields: { [personField.data.field_code]: 'BD-1' },
    });
    await conforms('v2', 'GET', '/persons', '/persons');
    await conforms('v2', 'GET', '/persons/{id}', `/persons/${person.data.id}`);
    await conforms('v2', 'PATCH', '/persons/{id}', `/persons/${person.data.id}`, { name: 'Jane Roe' });
    const pipeline = await conforms('v2', 'POST', '/pipelines', '/pipelines', { name: 'PI' });
    await conforms('v2', 'GET', '/pipelines', '/pipelines');
    await conforms('v2', 'GET', '/pipelines/{id}', `/pipelines/${pipeline.data.id}`);
    await conforms('v2', 'PATCH', '/pipelines/{id}', `/pipelines/${pipeline.data.id}`, {
      name: 'Personal Injury',
    });
    const stage = await conforms('v2', 'POST', '/stages', '/stages', {
      name: 'Intake',
      pipeline_id: pipeline.data.id,
    });
    await conforms('v2', 'GET', '/stages', `/stages?pipeline_id=${pipeline.data.id}`);
    await conforms('v2', 'GET', '/stages/{id}', `/stages/${stage.data.id}`);
    await conforms('v2', 'PATCH', '/stages/{id}', `/stages/${stage.data.id}`, { name: 'Intake call' });
    const deal = await conforms('v2', 'POST', '/deals', '/deals', {
      title: 'Doe v. Acme',
      person_id: person.data.id,
      org_id: org.data.id,
      stage_id: stage.data.id,
      value: 1000,
      currency: 'EUR',
      status: 'won',
      expected_close_date: '2026-03-01',
      custom_fields: { [code]: enumField.data.options[0].id },
    });
    await conforms('v2', 'GET', '/deals', '/deals');
    await conforms('v2', 'GET', '/deals', '/deals?status=won,deleted');
    await conforms('v2', 'GET', '/deals/{id}', `/deals/${deal.data.id}`);
    await conforms('v2', 'PATCH', '/deals/{id}', `/deals/${deal.data.id}`, {
      status: 'lost',
      lost_reason: 'Settled',
    });
    await conforms('v2', 'GET', '/deals/archived', '/deals/archived');
    const activity = await conforms('v2', 'POST', '/activities', '/activities', {
      subject: 'Hearing',
      type: 'meeting',
      deal_id: deal.data.id,
      due_date: '2026-02-01',
      due_time: '10:00',
      duration: '01:00',
      location: { value: 'Court house' },
      participants: [{ person_id: person.data.id, primary: true }],
      attendees: [{ email: 'guest@x.test', name: 'Guest' }],
    });
    await conforms('v2', 'GET', '/activities', '/activities?include_fields=attendees');
    await conforms('v2', 'GET', '/activities/{id}', `/activities/${activity.data.id}`);
    await conforms('v2', 'PATCH', '/activities/{id}', `/activities/${activity.data.id}`, { done: true });

    await conforms('v2', 'GET', '/persons/search', '/persons/search?term=jane');
    await conforms('v2', 'GET', '/organizations/search', '/organizations/search?term=acme');
    await conforms('v2', 'GET', '/deals/search', '/deals/search?term=doe');
    await conforms('v2', 'GET', '/itemSearch', '/itemSearch?term=doe');
    await conforms(
      'v2',
      'GET',
      '/itemSearch/field',
      '/itemSearch/field?term=Doe&entity_type=deal&field=title&match=middle',
    );

    await conforms('v2', 'DELETE', '/activities/{id}', `/activities/${activity.data.id}`);
    await conforms('v2', 'DELETE', '/deals/{id}', `/deals/${deal.data.id}`);
    await conforms('v2', 'DELETE', '/persons/{id}', `/persons/${person.data.id}`);
    await conforms('v2', 'DELETE', '/organizations/{id}', `/organizations/${org.data.id}`);
    await conforms('v2', 'DELETE', '/stages/{id}', `/stages/${stage.data.id}`);
    await conforms('v2', 'DELETE', '/pipelines/{id}', `/pipelines/${pipeline.data.id}`);
    await conforms('v2', 'DELETE', '/dealFields/{field_code}', `/dealFields/${code}`);
  });

  it('v1 leads, lead labels, notes, files, users, activity types, fields, recents', async () => {
    const person = (await call('v2', 'POST', '/persons', { name: 'Lead Person' })).body.data;
    const deal = (await call('v2', 'POST', '/deals', { title: 'Deal for files', person_id: person.id })).body
      .data;
    const label = await conforms('v1', 'POST', '/leadLabels', '/leadLabels', { name: 'Hot', color: 'red' });
    await conforms('v1', 'GET', '/leadLabels', '/leadLabels');
    await conforms('v1', 'PATCH', '/leadLabels/{id}', `/leadLabels/${label.data.id}`, { name: 'Warm' });
    const lead = await conforms('v1', 'POST', '/leads', '/leads', {
      title: 'Intake',
      person_id: person.id,
      label_ids: [label.data.id],
      value: { amount: 10, currency: 'USD' },
      expected_close_date: '2026-05-01',
    });
    await conforms('v1', 'GET', '/leads', '/leads');
    await conforms('v1', 'GET', '/leads/{id}', `/leads/${lead.data.id}`);
    await conforms('v1', 'PATCH', '/leads/{id}', `/leads/${lead.data.id}`, { title: 'Intake 2' });
    await conforms('v1', 'GET', '/leads/archived', '/leads/archived');
    await conforms('v2', 'GET', '/leads/search', '/leads/search?term=intake');

    const note = await conforms('v1', 'POST', '/notes', '/notes', {
      content: '<p>x</p>',
      deal_id: deal.id,
      add_time: '2020-01-01 10:00:00',
    });
    await conforms('v1', 'GET', '/notes', '/notes');
    await conforms('v1', 'GET', '/notes/{id}', `/notes/${note.data.id}`);
    await conforms('v1', 'PUT', '/notes/{id}', `/notes/${note.data.id}`, { content: 'y' });

    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    form.append('deal_id', String(deal.id));
    const file = await conforms('v1', 'POST', '/files', '/files', form);
    await conforms('v1', 'GET', '/files', '/files');
    await conforms('v1', 'GET', '/files/{id}', `/files/${file.data.id}`);
    await conforms('v1', 'PUT', '/files/{id}', `/files/${file.data.id}`, { name: 'renamed.txt' });
    await conforms('v1', 'GET', '/deals/{id}/files', `/deals/${deal.id}/files`);
    await conforms('v1', 'GET', '/persons/{id}/files', `/persons/${person.id}/files`);

    await conforms('v1', 'GET', '/users', '/users');
    await conforms('v1', 'GET', '/users/me', '/users/me');
    await conforms('v1', 'GET', '/users/{id}', '/users/2');
    await conforms('v1', 'GET', '/users/find', '/users/find?term=alice');
    const type = await conforms('v1', 'POST', '/activityTypes', '/activityTypes', {
      name: 'Court date',
      icon_key: 'calendar',
    });
    await conforms('v1', 'GET', '/activityTypes', '/activityTypes');
    await conforms('v1', 'PUT', '/activityTypes/{id}', `/activityTypes/${type.data.id}`, { color: 'FFFFFF' });
    await conforms('v1', 'DELETE', '/activityTypes/{id}', `/activityTypes/${type.data.id}`);

    const field = await conforms('v1', 'POST', '/dealFields', '/dealFields', {
      name: 'Stage note',
      field_type: 'enum',
      options: [{ label: 'a' }],
    });
    await conforms('v1', 'GET', '/dealFields', '/dealFields');
    await conforms('v1', 'GET', '/dealFields/{id}', `/dealFields/${field.data.id}`);
    await conforms('v1', 'PUT', '/dealFields/{id}', `/dealFields/${field.data.id}`, { name: 'Stage notes' });
    await conforms('v1', 'GET', '/personFields', '/personFields');
    await conforms('v1', 'GET', '/organizationFields', '/organizationFields');
    await conforms('v1', 'GET', '/activityFields', '/activityFields');
    await conforms('v1', 'GET', '/leadFields', '/leadFields');
    await conforms('v1', 'DELETE', '/dealFields/{id}', `/dealFields/${field.data.id}`);
    await conforms('v1', 'GET', '/recents', '/recents?since_timestamp=2000-01-01%2000:00:00');

    await conforms('v1', 'DELETE', '/files/{id}', `/files/${file.data.id}`);
    await conforms('v1', 'DELETE', '/notes/{id}', `/notes/${note.data.id}`);
    await conforms('v1', 'DELETE', '/leads/{id}', `/leads/${lead.data.id}`);
    await conforms('v1', 'DELETE', '/leadLabels/{id}', `/leadLabels/${label.data.id}`);
  });

  it('the schema conversion keeps the checks it should (null only where allowed)', () => {
    const strict = toJsonSchema(
      { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', nullable: true } } },
      false,
    );
    expect(strict).toEqual({
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: ['string', 'null'] } },
    });
    const wrong = specs.validateResponse('v2', 'GET', '/persons/{id}', 200, {
      success: true,
      data: { id: 'x', emails: 'no' },
    });
    expect(wrong.length).toBeGreaterThanOrEqual(2);
    expect(specs.validateResponse('v1', 'POST', '/leads', 200, { success: true })).toEqual([
      'status 200 is not declared (declared: 201)',
    ]);
  });
});
