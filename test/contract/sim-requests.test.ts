import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/sim/index.ts';
import { HAVE_SPECS, PipedriveSpecs } from './sim-openapi.ts';

if (!HAVE_SPECS)
  console.warn('skipping simulator request-contract tests: ../shared/reference/pipedrive-openapi/ is absent');

type Json = Record<string, unknown>;

let specs: PipedriveSpecs;
let sim: Simulator;
const ids: Record<string, unknown> = {};

async function send(
  version: 'v1' | 'v2',
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Json }> {
  const prefix = version === 'v2' ? '/api/v2' : '/v1';
  const response = await sim.fetch(
    new Request(`http://sim.test${prefix}${path}`, {
      method,
      headers: { 'x-api-token': sim.token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as Json };
}

/** A value of the wrong JSON type for a schema type (v2 never coerces). */
function wrongValue(type: unknown): unknown {
  switch (type) {
    case 'integer':
    case 'number':
      return '1';
    case 'string':
      return 12345;
    case 'boolean':
      return 'true';
    case 'array':
      return 'x';
    case 'object':
      return 'x';
    default:
      return undefined;
  }
}

/** Properties of a request schema (merging allOf parts). */
function properties(schema: Json | undefined): Record<string, Json> {
  if (!schema) return {};
  const own = (schema.properties ?? {}) as Record<string, Json>;
  const parts = ((schema.allOf ?? []) as Json[]).map(properties);
  return Object.assign({}, own, ...parts);
}

/** Required property names of a request schema (merging allOf parts). */
function requiredOf(schema: Json | undefined): string[] {
  if (!schema) return [];
  return [...((schema.required ?? []) as string[]), ...((schema.allOf ?? []) as Json[]).flatMap(requiredOf)];
}

/** v2 write operations, each with a body the simulator accepts; path ids are filled in from the fixtures. */
const V2_WRITES: readonly { method: string; spec: string; path: () => string; body: () => Json }[] = [
  { method: 'POST', spec: '/persons', path: () => '/persons', body: () => ({ name: 'Valid Person' }) },
  {
    method: 'PATCH',
    spec: '/persons/{id}',
    path: () => `/persons/${ids.person}`,
    body: () => ({ name: 'Still valid' }),
  },
  {
    method: 'POST',
    spec: '/organizations',
    path: () => '/organizations',
    body: () => ({ name: 'Valid Org' }),
  },
  {
    method: 'PATCH',
    spec: '/organizations/{id}',
    path: () => `/organizations/${ids.org}`,
    body: () => ({ name: 'Org' }),
  },
  { method: 'POST', spec: '/deals', path: () => '/deals', body: () => ({ title: 'Valid Deal' }) },
  { method: 'PATCH', spec: '/deals/{id}', path: () => `/deals/${ids.deal}`, body: () => ({ title: 'Deal' }) },
  { method: 'POST', spec: '/activities', path: () => '/activities', body: () => ({ subject: 'Valid' }) },
  {
    method: 'PATCH',
    spec: '/activities/{id}',
    path: () => `/activities/${ids.activity}`,
    body: () => ({ subject: 'Ok' }),
  },
  { method: 'POST', spec: '/pipelines', path: () => '/pipelines', body: () => ({ name: 'P' }) },
  {
    method: 'PATCH',
    spec: '/pipelines/{id}',
    path: () => `/pipelines/${ids.pipeline}`,
    body: () => ({ name: 'P2' }),
  },
  {
    method: 'POST',
    spec: '/stages',
    path: () => '/stages',
    body: () => ({ name: 'S', pipeline_id: ids.pipeline }),
  },
  { method: 'PATCH', spec: '/stages/{id}', path: () => `/stages/${ids.stage}`, body: () => ({ name: 'S2' }) },
  {
    method: 'POST',
    spec: '/dealFields',
    path: () => '/dealFields',
    body: () => ({ field_name: 'F', field_type: 'varchar' }),
  },
  {
    method: 'PATCH',
    spec: '/dealFields/{field_code}',
    path: () => `/dealFields/${ids.field}`,
    body: () => ({ field_name: 'F2' }),
  },
  {
    method: 'POST',
    spec: '/personFields',
    path: () => '/personFields',
    body: () => ({ field_name: 'F', field_type: 'text' }),
  },
  {
    method: 'POST',
    spec: '/organizationFields',
    path: () => '/organizationFields',
    body: () => ({ field_name: 'F', field_type: 'double' }),
  },
];

describe.skipIf(!HAVE_SPECS)('the simulator refuses requests that violate the request schemas (400)', () => {
  beforeAll(async () => {
    specs = new PipedriveSpecs();
    sim = createSimulator({ seed: 'requests', rateLimits: false });
    ids.person = (await send('v2', 'POST', '/persons', { name: 'Fixture' })).body.data;
    ids.person = (ids.person as Json).id;
    ids.org = ((await send('v2', 'POST', '/organizations', { name: 'Fixture' })).body.data as Json).id;
    ids.deal = ((await send('v2', 'POST', '/deals', { title: 'Fixture' })).body.data as Json).id;
    ids.activity = ((await send('v2', 'POST', '/activities', { subject: 'Fixture' })).body.data as Json).id;
    ids.pipeline = ((await send('v2', 'POST', '/pipelines', { name: 'Fixture' })).body.data as Json).id;
    ids.stage = (
      (await send('v2', 'POST', '/stages', { name: 'Fixture', pipeline_id: ids.pipeline })).body.data as Json
    ).id;
    ids.field = (
      (await send('v2', 'POST', '/dealFields', { field_name: 'Fixture', field_type: 'varchar' })).body
        .data as Json
    ).field_code;
  });

  it('accepts the valid base bodies (so the refusals below are about the one bad property)', async () => {
    for (const op of V2_WRITES) {
      const result = await send('v2', op.method, op.path(), op.body());
      expect(result.status, `${op.method} ${op.spec}: ${JSON.stringify(result.body)}`).toBe(200);
    }
  });

  it('refuses every wrongly typed property the spec declares, and unknown top-level keys', async () => {
    let checked = 0;
    for (const op of V2_WRITES) {
      const schema = specs.operation('v2', op.method, op.spec).requestSchema;
      for (const [name, prop] of Object.entries(properties(schema))) {
        const wrong = wrongValue(prop.type);
        if (wrong === undefined) continue;
        const result = await send('v2', op.method, op.path(), { ...op.body(), [name]: wrong });
        expect(
          result.status,
          `${op.method} ${op.spec} with ${name}=${JSON.stringify(wrong)}: ${JSON.stringify(result.body)}`,
        ).toBe(400);
        expect(result.body.success).toBe(false);
        checked++;
      }
      const unknown = await send('v2', op.method, op.path(), { ...op.body(), not_a_field_9f8e: 1 });
      expect(unknown.status, `${op.method} ${op.spec} with an unknown key`).toBe(400);
      expect(unknown.body.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('refuses v2 bodies missing a required property the spec declares', async () => {
    for (const op of V2_WRITES.filter((o) => o.method === 'POST')) {
      const schema = specs.operation('v2', op.method, op.spec).requestSchema;
      const props = properties(schema);
      // The spec's persons/organizations schemas require "title", which is not even a property (copy-paste bug).
      const required = requiredOf(schema).filter((name) => name in props);
      for (const name of required) {
        const body = op.body();
        delete body[name];
        const result = await send('v2', op.method, op.path(), body);
        expect(result.status, `${op.method} ${op.spec} without ${name}`).toBe(400);
      }
    }
  });

  it('refuses v1 bodies missing a required property (leads, notes, lead labels, activity types, fields)', async () => {
    const v1Ops: readonly { spec: string; body: Json }[] = [
      { spec: '/leads', body: { title: 'Lead', person_id: ids.person } },
      { spec: '/notes', body: { content: 'Note', deal_id: ids.deal } },
      { spec: '/leadLabels', body: { name: 'Hot', color: 'red' } },
      { spec: '/activityTypes', body: { name: 'Hearing', icon_key: 'camera' } },
      { spec: '/dealFields', body: { name: 'Field', field_type: 'varchar' } },
    ];
    for (const op of v1Ops) {
      const ok = await send('v1', 'POST', op.spec, op.body);
      expect(ok.status, `${op.spec}: ${JSON.stringify(ok.body)}`).toBeLessThan(300);
      const required = requiredOf(specs.operation('v1', 'POST', op.spec).requestSchema);
      expect(required.length, op.spec).toBeGreaterThan(0);
      for (const name of required) {
        const body = { ...op.body };
        delete body[name];
        const result = await send('v1', 'POST', op.spec, body);
        expect(result.status, `POST ${op.spec} without ${name}`).toBe(400);
        expect(result.body).toMatchObject({ success: false });
      }
    }
    const unlinkedLead = await send('v1', 'POST', '/leads', { title: 'No link' });
    expect(unlinkedLead.status).toBe(400);
    const unlinkedNote = await send('v1', 'POST', '/notes', { content: 'No parent' });
    expect(unlinkedNote.status).toBe(400);
  });
});
