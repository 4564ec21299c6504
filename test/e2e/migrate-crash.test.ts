import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { FERRY_BIN, runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';
const USERS = [{ name: 'Firm Admin', email: 'admin@smithlawfirm.com' }];

type Rec = Record<string, unknown>;
interface State {
  entities: Record<string, Rec[]>;
  fields: Record<string, { field_name: string; field_code: string }[]>;
}

/** A workspace ready to migrate into the given simulator, with its own copy of the export. */
async function workspaceFor(
  exportDir: string,
  sim: SimServer,
): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-crash-'));
  cpSync(exportDir, join(dir, 'export'), { recursive: true });
  const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
  await prepareWorkspace({ dir, env, fallbackOwnerEmail: USERS[0]!.email });
  return { dir, env };
}

async function stateOf(sim: SimServer): Promise<State> {
  return (await (await fetch(`${sim.url}/__sim/state`)).json()) as State;
}

/** Every live record's BackDocket identity (custom field or marker), per collection. */
function identities(state: State): Record<string, string[]> {
  const keyOf = (entity: string) =>
    state.fields[entity]?.find((field) => field.field_name === 'BackDocket ID')?.field_code;
  const out: Record<string, string[]> = {};
  const dealKey = keyOf('deal') ?? '';
  const personKey = keyOf('person') ?? '';
  const dealIdentity = new Map(
    (state.entities.deals ?? []).map((d) => [d.id, (d.custom_fields as Rec)?.[dealKey]]),
  );
  const personIdentity = new Map(
    (state.entities.persons ?? []).map((p) => [p.id, (p.custom_fields as Rec)?.[personKey]]),
  );
  const read: Record<string, (record: Rec) => string | undefined> = {
    organizations: (r) =>
      (r.custom_fields as Rec | undefined)?.[keyOf('organization') ?? ''] as string | undefined,
    persons: (r) => (r.custom_fields as Rec | undefined)?.[keyOf('person') ?? ''] as string | undefined,
    deals: (r) => (r.custom_fields as Rec | undefined)?.[keyOf('deal') ?? ''] as string | undefined,
    leads: (r) => r[keyOf('deal') ?? ''] as string | undefined,
    activities: (r) => /\[BackDocket ([^\]]+)\]/.exec(String(r.note ?? ''))?.[1],
    notes: (r) => /\[BackDocket ([^\]]+)\]/.exec(String(r.content ?? ''))?.[1],
    // Files carry no identity field: their parent's identity, name and size stand for it.
    files: (r) =>
      `${r.deal_id ? dealIdentity.get(r.deal_id) : personIdentity.get(r.person_id)}:${r.name ?? r.file_name}:${r.file_size}`,
  };
  for (const [collection, identityOf] of Object.entries(read)) {
    out[collection] = (state.entities[collection] ?? [])
      .filter((record) => record.is_deleted !== true && record.active_flag !== false)
      .map((record) => identityOf(record) ?? '(none)')
      .sort();
  }
  return out;
}

async function setFaults(sim: SimServer, spec: string): Promise<void> {
  const response = await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec }),
  });
  expect(response.ok).toBe(true);
}

function startMigrate(dir: string, env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, [FERRY_BIN, '--workspace', dir, 'migrate', '--full', '--concurrency', '6'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('exactly once: a migration killed at random instants under faults resumes to the undisturbed state', () => {
  let exportDir: string;
  const sims: SimServer[] = [];

  beforeAll(async () => {
    exportDir = mkdtempSync(join(tmpdir(), 'ferry-crash-export-'));
    await generateExport({ outDir: exportDir, records: 25, seed: 11 });
  });
  afterAll(async () => {
    for (const sim of sims) await sim.close();
  });

  it('leaves no duplicates and nothing missing after SIGKILLs, 5xx, resets and lost responses', async () => {
    const reference = await startSimServer({
      port: 0,
      seed: 'crash',
      token: TOKEN,
      users: USERS,
      rateLimits: false,
    });
    sims.push(reference);
    const calm = await workspaceFor(exportDir, reference);
    const undisturbed = await runCli(['--workspace', calm.dir, 'migrate', '--full'], { env: calm.env });
    expect(undisturbed.code, undisturbed.stderr).toBe(0);
    const expected = identities(await stateOf(reference));
    expect(expected.deals?.length).toBeGreaterThan(10);

    const stormy = await startSimServer({
      port: 0,
      seed: 'crash',
      token: TOKEN,
      users: USERS,
      rateLimits: false,
    });
    sims.push(stormy);
    const crashed = await workspaceFor(exportDir, stormy);
    crashed.env.FERRY_REQUEST_TIMEOUT_MS = '1500';
    await setFaults(stormy, '5xx=0.04,reset=0.02,lost=0.04,latency=5±5');
    // Kill the run at seeded pseudo-random instants, a few times, then let it finish.
    const delays = [700, 1300, 400, 2100, 900];
    for (const delay of delays) {
      const child = startMigrate(crashed.dir, crashed.env);
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
    }
    await setFaults(stormy, '5xx=0.02,lost=0.02');
    let finished = await runCli(['--workspace', crashed.dir, 'migrate', '--full'], { env: crashed.env });
    for (let attempt = 0; attempt < 3 && finished.code !== 0; attempt += 1) {
      finished = await runCli(['--workspace', crashed.dir, 'migrate', '--full'], { env: crashed.env });
    }
    expect(finished.code, finished.stdout + finished.stderr).toBe(0);
    const actual = identities(await stateOf(stormy));
    for (const collection of Object.keys(expected)) {
      expect(actual[collection], collection).toEqual(expected[collection]);
    }
    // Row accountability holds: every extracted row has exactly one outcome.
    const status = await runCli(['--workspace', crashed.dir, 'report', '--json'], { env: crashed.env });
    const report = JSON.parse(status.stdout) as {
      accountability: { extracted: number; outcomes: Record<string, number> }[];
    };
    for (const file of report.accountability) {
      const settled = Object.entries(file.outcomes)
        .filter(([outcome]) => outcome !== 'pending')
        .reduce((sum, [, n]) => sum + n, 0);
      expect(settled).toBe(file.extracted);
    }
  }, 300_000);
});
