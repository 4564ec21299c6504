import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = 'cafecafecafecafecafecafecafecafecafecafe';
const COLLECTIONS = ['organizations', 'persons', 'deals', 'leads', 'activities', 'notes', 'files'] as const;
const FIELD_ENTITIES = ['person', 'organization', 'deal'] as const;

interface SimState {
  entities: Record<string, Record<string, unknown>[]>;
  fields: Record<string, Record<string, unknown>[]>;
}

/** Edits to three rows of the export, each changing a field Ferry maps: a contact, a company and a claim. */
const DELTA_EDITS: readonly { file: string; from: string; to: string }[] = [
  { file: 'contacts.csv', from: '5000,Person,,Patricia,,Wright,', to: '5000,Person,,Patricia,,Wrightson,' },
  { file: 'companies.csv', from: 'Pioneer Workforce Commission', to: 'Pioneer Workforce Board' },
  {
    file: 'claims.csv',
    from: '"Wright, Patricia v. Summit Freight"',
    to: '"Wright, Patricia v. Summit Freight Lines"',
  },
];

/**
 * The live records of the account, keyed by collection and id. `update_time` is left out: Pipedrive moves it
 * on every write, a restore included, and no API call can set it back — every other field must match.
 */
function liveRecords(state: SimState): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const collection of COLLECTIONS) {
    out[collection] = Object.fromEntries(
      (state.entities[collection] ?? [])
        .filter((record) => record.is_deleted !== true && record.active_flag !== false)
        .map((record) => {
          const { update_time: _moved, ...fields } = record;
          return [String(record.id), fields];
        }),
    );
  }
  return out;
}

function liveFields(state: SimState): Record<string, string[]> {
  return Object.fromEntries(
    FIELD_ENTITIES.map((entity) => [
      entity,
      (state.fields[entity] ?? [])
        .filter((field) => field.is_deleted !== true)
        .map((field) => String(field.field_code))
        .sort(),
    ]),
  );
}

describe('rollback after a full run and a delta puts the account back, field by field', () => {
  let sim: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let beforeMigration: SimState;
  let afterFull: SimState;
  let deltaRunId: number;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'rollback-delta',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Admin', email: 'admin@smithlawfirm.com' }],
    });
    // Records the firm already had in Pipedrive: Ferry must leave them exactly as they were.
    const seeded = await fetch(`${sim.url}/__sim/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizations: [{ name: 'Existing Client Co' }],
        persons: [{ name: 'Existing Person', emails: [{ value: 'existing@example.com', primary: true }] }],
        deals: [{ title: 'Existing deal' }],
      }),
    });
    expect(seeded.status).toBe(200);
    beforeMigration = await state();
    dir = mkdtempSync(join(tmpdir(), 'ferry-rollback-delta-'));
    await generateExport({ outDir: join(dir, 'export'), records: 12, seed: 4 });
    env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
    const full = await ferry('migrate', '--full', '--json');
    expect(full.code, full.stderr).toBe(0);
    afterFull = await state();

    const newer = join(dir, 'export-newer');
    cpSync(join(dir, 'export'), newer, { recursive: true });
    for (const edit of DELTA_EDITS) {
      const path = join(newer, edit.file);
      const text = readFileSync(path, 'utf8');
      expect(text, `${edit.file} holds ${edit.from}`).toContain(edit.from);
      writeFileSync(path, text.replace(edit.from, edit.to));
    }
    const delta = await ferry('migrate', '--delta', newer, '--json');
    expect(delta.code, delta.stderr).toBe(0);
    const result = JSON.parse(delta.stdout) as {
      runId: number;
      stats: Record<string, { updated: number; created: number }>;
    };
    deltaRunId = result.runId;
    expect(result.stats.person?.updated).toBe(1);
    expect(result.stats.organization?.updated).toBe(1);
    expect(result.stats.deal?.updated).toBeGreaterThanOrEqual(1);
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('the delta changed records that existed before it', async () => {
    const s = await state();
    const names = (collection: string, field: string) =>
      (s.entities[collection] ?? []).map((record) => String(record[field]));
    expect(names('persons', 'name')).toContain('Patricia Wrightson');
    expect(names('organizations', 'name')).toContain('Pioneer Workforce Board');
    expect(names('deals', 'title')).toContain('Wright, Patricia v. Summit Freight Lines');
    expect(liveRecords(s)).not.toEqual(liveRecords(afterFull));
  });

  it('rolling back the delta restores the records it updated to their state after the full run', async () => {
    const result = await ferry(
      'rollback',
      '--run',
      String(deltaRunId),
      '--scope',
      'records',
      '--yes',
      '--json',
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { restored: number; leftAlone: unknown[]; failed: unknown[] };
    expect(report.leftAlone).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.restored).toBeGreaterThanOrEqual(3);
    expect(liveRecords(await state())).toEqual(liveRecords(afterFull));
    const verify = await ferry('verify', '--json');
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('the same delta run again after its rollback writes the change again', async () => {
    const again = await ferry('migrate', '--delta', join(dir, 'export-newer'), '--json');
    expect(again.code, again.stderr).toBe(0);
    const stats = JSON.parse(again.stdout).stats as Record<string, { updated: number }>;
    expect(stats.person?.updated).toBe(1);
    expect(stats.organization?.updated).toBe(1);
    expect(stats.deal?.updated).toBeGreaterThanOrEqual(1);
    const names = (await state()).entities.persons?.map((record) => record.name);
    expect(names).toContain('Patricia Wrightson');
  });

  it('a --concurrency that is not a positive whole number is a usage error and changes nothing', async () => {
    const before = liveRecords(await state());
    for (const command of [
      ['rollback', '--yes', '--concurrency', '0'],
      ['schema', 'apply', '--yes', '--concurrency', 'many'],
    ]) {
      const result = await ferry(...command);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('--concurrency takes a positive whole number');
    }
    expect(liveRecords(await state())).toEqual(before);
  });

  it('rolling back the full run and the delta leaves the account as it was before the migration', async () => {
    // A fixed bound (`--concurrency`) changes how many deletes are under way, not what is removed.
    const result = await ferry('rollback', '--yes', '--json', '--concurrency', '3');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      remaining: number;
      leftAlone: unknown[];
      failed: unknown[];
    };
    expect(report.leftAlone).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.remaining).toBe(0);
    const s = await state();
    expect(liveRecords(s)).toEqual(liveRecords(beforeMigration));
    expect(liveFields(s)).toEqual(liveFields(beforeMigration));
    // Ferry never wrote to the records the firm already had: not even their update_time moved.
    for (const collection of ['organizations', 'persons', 'deals'])
      expect(s.entities[collection]?.filter((record) => record.is_deleted !== true)).toEqual(
        beforeMigration.entities[collection],
      );
  });
});
