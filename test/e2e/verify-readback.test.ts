import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = 'beadbeadbeadbeadbeadbeadbeadbeadbeadbead';
const DAY_MS = 86_400_000;
const PRE_EXISTING_PERSONS = 3_000;
/** v2 lists return at most 500 records a call. */
const LIST_PAGE = 500;
const READ_BACK_OPERATIONS = [
  'GET /api/v2/organizations',
  'GET /api/v2/persons',
  'GET /api/v2/deals',
  'GET /api/v1/leads',
  'GET /api/v2/activities',
  'GET /api/v1/notes',
  'GET /api/v1/files',
];

interface SimState {
  entities: Record<string, Record<string, unknown>[]>;
  fields: Record<string, { field_code: string; field_name: string }[]>;
  counters: { byOperation: Record<string, { requests: number; tokens: number }> };
}

describe('verify reads back only what the migration touched, on an account that already holds thousands of persons', () => {
  let sim: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  const admin = (path: string, body: unknown) =>
    fetch(`${sim.url}/__sim/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;
  const live = (s: SimState, collection: string) =>
    (s.entities[collection] ?? []).filter((r) => r.is_deleted !== true);

  beforeAll(async () => {
    // The account's persons were made a day before the migration: the simulator starts a day behind the
    // wall clock Ferry's journal uses, and is moved to the present once they are seeded.
    sim = await startSimServer({
      port: 0,
      seed: 'verify-readback',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Admin', email: 'admin@smithlawfirm.com' }],
      clock: { now: () => Date.now() - DAY_MS, sleep: systemClock.sleep },
    });
    const persons = Array.from({ length: PRE_EXISTING_PERSONS }, (_, n) => ({
      name: `Existing Person ${n}`,
    }));
    expect((await admin('seed', { persons })).status).toBe(200);
    expect((await admin('clock', { advanceMs: DAY_MS })).status).toBe(200);
    dir = mkdtempSync(join(tmpdir(), 'ferry-verify-readback-'));
    await generateExport({ outDir: join(dir, 'export'), records: 12, seed: 4 });
    env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
    const migrated = await ferry('migrate', '--full');
    expect(migrated.code, migrated.stderr).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('is clean with one list call per entity, far fewer than listing the account would take', async () => {
    const before = await state();
    const migratedPersons = live(before, 'persons').length - PRE_EXISTING_PERSONS;
    expect(migratedPersons).toBeGreaterThan(0);
    const result = await ferry('verify', '--json');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      requests: number;
      tokens: number;
      entities: { entity: string; expected: number; matching: number }[];
    };
    expect(report.ok).toBe(true);
    const person = report.entities.find((e) => e.entity === 'person')!;
    expect(person).toMatchObject({ expected: migratedPersons, matching: migratedPersons });

    // Listing every person alone would take this many calls; the whole verify takes one per entity.
    const fullPersonList = Math.ceil(live(before, 'persons').length / LIST_PAGE);
    const entitiesWritten = report.entities.filter((e) => e.expected > 0).length;
    expect(fullPersonList).toBeGreaterThanOrEqual(6);
    expect(report.requests).toBe(entitiesWritten);
    // What verify counts is what the account charged for the read-back lists.
    const after = await state();
    const charged = (operation: string) =>
      (after.counters.byOperation[operation]?.tokens ?? 0) -
      (before.counters.byOperation[operation]?.tokens ?? 0);
    expect(charged('GET /api/v2/persons')).toBeGreaterThan(0);
    expect(report.tokens).toBe(READ_BACK_OPERATIONS.reduce((sum, operation) => sum + charged(operation), 0));
  });

  it('still finds a deleted record (asked for by id) and a duplicate made after the migration', async () => {
    const s = await state();
    const identityKey = s.fields.person?.find((field) => field.field_name === 'BackDocket ID')
      ?.field_code as string;
    const migrated = live(s, 'persons').filter(
      (p) => (p.custom_fields as Record<string, unknown>)[identityKey] != null,
    );
    const [deleted, copied] = migrated;
    await fetch(`${sim.url}/__sim/records/persons/${deleted!.id}`, { method: 'DELETE' });
    const identity = String((copied!.custom_fields as Record<string, unknown>)[identityKey]);
    await admin('seed', { persons: [{ name: 'Copy', custom_fields: { [identityKey]: identity } }] });

    const result = await ferry('verify', '--json');
    expect(result.code).toBe(4);
    const report = JSON.parse(result.stdout) as {
      requests: number;
      entities: { expected: number }[];
      missing: { entity: string; pipedriveId: string }[];
      unexpected: { entity: string; identity: string }[];
    };
    expect(report.missing).toContainEqual(expect.objectContaining({ pipedriveId: String(deleted!.id) }));
    expect(report.unexpected).toContainEqual(expect.objectContaining({ entity: 'person', identity }));
    const entitiesWritten = report.entities.filter((e) => e.expected > 0).length;
    // The window list, plus one `ids=` call for the person it no longer returns.
    expect(report.requests).toBe(entitiesWritten + 1);
  });
});
