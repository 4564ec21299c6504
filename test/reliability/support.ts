import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { loadSimState, type SimServer, saveSimState, startSimServer } from '../../src/sim/index.ts';
import { FERRY_BIN, runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';
import type { Fingerprints } from './fingerprint.ts';

/** How many seeded runs each randomised scenario makes; CI uses the default. */
export const RUNS = Math.max(1, Number(process.env.FERRY_RELIABILITY_RUNS ?? 1) || 1);
/** The first seed; set it to replay a failure exactly (the failing seed is printed). */
export const FIRST_SEED = Number(process.env.FERRY_RELIABILITY_SEED ?? 1) || 1;

export const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };

/** The faults of the "done when", from the very first request of the first command. */
export const DONE_WHEN_FAULTS = '5xx=0.03,lost=0.02,timeout=0.01,reset=0.01';

type Rec = Record<string, unknown>;
export interface SimStateJson {
  entities: Record<string, Rec[]>;
  fields: Record<string, { field_name: string; field_code: string; is_deleted?: boolean }[]>;
  counters: { requests: number; byStatus: Record<string, number> };
  budget: { limit: number; spent: number; remaining: number };
}

/** A small seeded generator (mulberry32): the same seed gives the same kill instants. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ferry-rel-${prefix}-`));
}

export async function startSim(
  token: string,
  seed: string,
  extra: Parameters<typeof startSimServer>[0] = {},
): Promise<SimServer> {
  return startSimServer({ port: 0, seed, token, users: [ADMIN], rateLimits: false, ...extra });
}

export interface Workspace {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** A workspace with its own copy of the export, taken to the point a migration can start. */
export async function workspaceFor(
  exportDir: string,
  sim: SimServer,
  token: string,
  plan = 'ultimate',
  options: { schema?: boolean } = {},
): Promise<Workspace> {
  const dir = tempDir('ws');
  cpSync(exportDir, join(dir, 'export'), { recursive: true });
  const env = { PIPEDRIVE_API_TOKEN: token, PIPEDRIVE_BASE_URL: sim.url };
  await prepareWorkspace({ dir, env, fallbackOwnerEmail: ADMIN.email, ...options });
  // Ferry paces itself to the plan's burst limit; the largest plan keeps the suite within minutes.
  const configPath = join(dir, 'ferry.yaml');
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace(/plan: \w+/, `plan: ${plan}`));
  return { dir, env };
}

/** A workspace taken to the point a migration can start, and the simulated account it was prepared against. */
export interface PreparedAccount {
  readonly workspaceDir: string;
  readonly stateFile: string;
}

/**
 * Prepares once (init, extract, propose, confirm, schema apply: a dozen seconds of CLI runs) and keeps the
 * account, so each scenario starts from a copy instead of preparing again.
 */
export async function prepareOnce(
  exportDir: string,
  token: string,
  seed: string,
  options: { schema?: boolean } = {},
): Promise<PreparedAccount> {
  const sim = await startSim(token, seed);
  try {
    const ws = await workspaceFor(exportDir, sim, token, 'ultimate', options);
    const stateFile = join(tempDir('sim-state'), 'account.json');
    saveSimState(sim.simulator, stateFile);
    return { workspaceDir: ws.dir, stateFile };
  } finally {
    await sim.close();
  }
}

/** A fresh simulator holding the prepared account, and a copy of the prepared workspace pointing at it. */
export async function cloneAccount(
  prepared: PreparedAccount,
  token: string,
  seed: string,
  extra: Parameters<typeof startSimServer>[0] = {},
): Promise<{ sim: SimServer; ws: Workspace }> {
  const state = loadSimState(prepared.stateFile);
  expect(state, prepared.stateFile).toBeDefined();
  const sim = await startSim(token, seed, { ...extra, ...(state ? { state } : {}) });
  const dir = tempDir('ws-copy');
  cpSync(prepared.workspaceDir, dir, { recursive: true });
  return { sim, ws: { dir, env: { PIPEDRIVE_API_TOKEN: token, PIPEDRIVE_BASE_URL: sim.url } } };
}

export function ferry(ws: Workspace, ...args: string[]) {
  return runCli(['--workspace', ws.dir, ...args], { env: ws.env });
}

export async function simState(sim: SimServer): Promise<SimStateJson> {
  return (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimStateJson;
}

export async function simAdmin(sim: SimServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sim.url}/__sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok, `/__sim/${path}`).toBe(true);
}

export const setFaults = (sim: SimServer, spec: string) => simAdmin(sim, 'faults', { spec });

/** A running `ferry` child whose output is kept (to scan it for the token, and to read messages). */
export interface Child {
  readonly process: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function spawnFerry(ws: Workspace, args: readonly string[]): Child {
  const child = spawn(process.execPath, [FERRY_BIN, '--workspace', ws.dir, ...args], {
    env: { ...process.env, ...ws.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

/** Write requests (POST, PUT, PATCH, DELETE) the simulator has answered or dropped: how far a command got. */
export function writesSeen(sim: SimServer): number {
  let writes = 0;
  for (const [operation, counter] of Object.entries(sim.simulator.state.counters.byOperation))
    if (!operation.startsWith('GET ')) writes += counter.requests;
  return writes;
}

/** Where a kill lands: once the command has made this many writes since it started, or this long after a start. */
export type KillPoint = { readonly afterWrites: number } | { readonly afterMs: number };

/**
 * `count` seeded kill points for one command: three in four at a number of writes into the command, spread
 * over the `writes` an undisturbed run of it makes (so kills land in every phase, however slow the machine),
 * the rest at an instant up to `maxMs` after a start (startup, reads, planning, look-ups).
 */
export function killPoints(random: () => number, count: number, writes: number, maxMs: number): KillPoint[] {
  const byWrites = Math.ceil((count * 3) / 4);
  const targets = Array.from({ length: byWrites }, () => 1 + Math.floor(random() * Math.max(1, writes - 1)))
    .sort((a, b) => a - b)
    .map((afterWrites) => ({ afterWrites }));
  const points: KillPoint[] = [...targets];
  for (let i = byWrites; i < count; i += 1) {
    const at = Math.floor(random() * (points.length + 1));
    points.splice(at, 0, { afterMs: Math.round(50 + random() * (maxMs - 50)) });
  }
  return points;
}

/**
 * Starts `ferry ARGS` once per kill point and SIGKILLs it there: at a count of writes since the first start
 * (targets only grow, so the kills walk through the command), or at an instant after its own start. A
 * process that ends first was not killed. Returns the outputs and the kills that landed.
 */
export async function killAtPoints(
  ws: Workspace,
  sim: SimServer,
  args: readonly string[],
  points: readonly KillPoint[],
): Promise<{ outputs: string[]; killsLanded: number; exitCodes: (number | null)[] }> {
  const outputs: string[] = [];
  const exitCodes: (number | null)[] = [];
  const base = writesSeen(sim);
  let killsLanded = 0;
  for (const point of points) {
    const child = spawnFerry(ws, args);
    const startedAt = Date.now();
    let exited = false;
    void child.exited.then(() => {
      exited = true;
    });
    const reached = () =>
      'afterMs' in point
        ? Date.now() - startedAt >= point.afterMs
        : writesSeen(sim) - base >= point.afterWrites;
    while (!exited && !reached()) await new Promise((resolve) => setTimeout(resolve, 2));
    if (!exited) {
      child.process.kill('SIGKILL');
      killsLanded += 1;
    }
    exitCodes.push(await child.exited);
    outputs.push(child.output());
  }
  return { outputs, killsLanded, exitCodes };
}

/** Draws `count` kill delays in [minMs, maxMs) from the seeded generator. */
export function killDelays(random: () => number, count: number, minMs: number, maxMs: number): number[] {
  return Array.from({ length: count }, () => Math.round(minMs + random() * (maxMs - minMs)));
}

/** Asserts two accounts hold the same live records: same identities (no duplicates), same values. */
export function expectSameAccount(actual: Fingerprints, expected: Fingerprints, context: string): void {
  for (const collection of Object.keys(expected.identities)) {
    expect(actual.identities[collection], `${context}: ${collection} identities`).toEqual(
      expected.identities[collection],
    );
  }
  const differing = Object.keys(expected.records).flatMap((key) => fieldDifferences(key, actual, expected));
  expect(differing, `${context}: field values that differ`).toEqual([]);
  // Schema parts by name: none created twice, none missing, stages in their order.
  expect(actual.schema, `${context}: schema`).toEqual(expected.schema);
}

/** `key.field: expected → actual` for each field whose value differs (short, so a failure is readable). */
function fieldDifferences(key: string, actual: Fingerprints, expected: Fingerprints): string[] {
  const want = expected.records[key] as Record<string, unknown>;
  const got = actual.records[key] as Record<string, unknown> | undefined;
  if (!got) return [`${key}: missing`];
  const short = (value: unknown) => JSON.stringify(value)?.slice(0, 120);
  return [...new Set([...Object.keys(want), ...Object.keys(got)])]
    .filter((field) => JSON.stringify(want[field]) !== JSON.stringify(got[field]))
    .map((field) => `${key}.${field}: ${short(want[field])} → ${short(got[field])}`);
}

interface AccountabilityReport {
  accountability: {
    file: string;
    extracted: number;
    outcomes: Record<string, number>;
    vanishedSinceMigrated: number;
  }[];
}

/**
 * Every extracted row has exactly one settled outcome in the report JSON, and nothing is pending. Rows that
 * vanished from a newer export keep their records in Pipedrive; the report counts them apart, and the
 * store's own count of them must agree. Returns the row total and the vanished rows.
 */
export async function expectRowsAccounted(ws: Workspace): Promise<{ rows: number; vanished: number }> {
  const result = await ferry(ws, 'report', '--json');
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as AccountabilityReport;
  const vanishedByFile = vanishedRowsWithOutcome(ws.dir);
  let rows = 0;
  let vanished = 0;
  for (const file of report.accountability) {
    const settled = Object.entries(file.outcomes)
      .filter(([outcome]) => outcome !== 'pending')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(settled, `${file.file}: ${JSON.stringify(file.outcomes)}`).toBe(file.extracted);
    expect(file.outcomes.pending ?? 0, `${file.file} pending`).toBe(0);
    expect(file.vanishedSinceMigrated, `${file.file} vanished`).toBe(vanishedByFile.get(file.file) ?? 0);
    rows += file.extracted;
    vanished += file.vanishedSinceMigrated;
  }
  return { rows, vanished };
}

function vanishedRowsWithOutcome(dir: string): Map<string, number> {
  const db = new Database(join(dir, '.ferry', 'ferry.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT o.file, count(*) AS n FROM row_outcomes o JOIN source_rows s
         ON s.file = o.file AND s.source_key = o.source_key WHERE s.state = 'vanished' GROUP BY o.file`,
      )
      .all() as { file: string; n: number }[];
    return new Map(rows.map((row) => [row.file, row.n]));
  } finally {
    db.close();
  }
}

/** Every file under `dir` (recursively) whose bytes contain `secret`, and how many files were read. */
export function filesContaining(dir: string, secret: string): { found: string[]; scanned: number } {
  const found: string[] = [];
  const needle = Buffer.from(secret);
  let scanned = 0;
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else if (stat.isFile()) {
      scanned += 1;
      if (readFileSync(path).includes(needle)) found.push(path);
    }
  };
  walk(dir);
  return { found, scanned };
}

/** Runs `body` and, when it fails, says which seed to replay. */
export async function withSeed(seed: number, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    console.error(`reliability: failed with seed ${seed}; replay with FERRY_RELIABILITY_SEED=${seed}`);
    throw error;
  }
}
