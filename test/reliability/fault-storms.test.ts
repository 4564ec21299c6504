import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type Fingerprints, fingerprints } from './fingerprint.ts';
import {
  cloneAccount,
  expectRowsAccounted,
  expectSameAccount,
  ferry,
  type PreparedAccount,
  prepareOnce,
  setFaults,
  simAdmin,
  simState,
  spawnFerry,
  tempDir,
  type Workspace,
} from './support.ts';

const TOKEN = '5a1f5a1f5a1f5a1f5a1f5a1f5a1f5a1f5a1f5a1f';
const SIM_SEED = 'fault-storms';
const RECORDS = 8;

/** Waits until `ready` holds, polling; fails the test when it never does. */
async function until(what: string, ready: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    expect(Date.now() < deadline, `timed out waiting for ${what}`).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const liveDeals = async (sim: SimServer) =>
  (await simState(sim)).entities.deals?.filter((deal) => deal.is_deleted !== true).length ?? 0;

/** Every output a scenario produced: the token must never appear in one of them. */
const outputs: string[] = [];

describe('fault storms: Ferry stops or waits as documented, loses nothing, and says what to do', () => {
  let exportDir: string;
  let expected: Fingerprints;
  /** Tokens the calm run spent preparing (schema) and migrating: the budget scenario is sized from them. */
  let preparedSpent = 0;
  let migrateSpent = 0;
  const sims: SimServer[] = [];

  let prepared: PreparedAccount;
  /** The prepared account on a fresh simulator with rate limits on, and a copy of the workspace. */
  const scenario = async (extra: Parameters<typeof cloneAccount>[3] = {}) => {
    const cloned = await cloneAccount(prepared, TOKEN, SIM_SEED, {
      rateLimits: true,
      plan: 'ultimate',
      ...extra,
    });
    sims.push(cloned.sim);
    return cloned;
  };
  const finishAndCompare = async (ws: Workspace, sim: SimServer, context: string) => {
    const finished = await ferry(ws, 'migrate', '--full');
    outputs.push(finished.stdout, finished.stderr);
    expect(finished.code, `${context}: ${finished.stdout}${finished.stderr}`).toBe(0);
    expectSameAccount(fingerprints(await simState(sim)), expected, context);
    await expectRowsAccounted(ws);
  };

  beforeAll(async () => {
    exportDir = tempDir('storm-export');
    await generateExport({ outDir: exportDir, records: RECORDS, seed: 23 });
    prepared = await prepareOnce(exportDir, TOKEN, SIM_SEED);
    const { sim: calm, ws } = await scenario();
    preparedSpent = (await simState(calm)).budget.spent;
    const result = await ferry(ws, 'migrate', '--full');
    expect(result.code, result.stderr).toBe(0);
    const state = await simState(calm);
    migrateSpent = state.budget.spent - preparedSpent;
    expected = fingerprints(state);
  });
  afterAll(async () => {
    for (const sim of sims) await sim.close();
    const leaked = outputs.filter((output) => output.includes(TOKEN));
    expect(leaked, 'the API token appeared in command output').toEqual([]);
  });

  it('a burst of 5xx, resets, timeouts and lost answers: exit 0, or exit 1 saying to run again; nothing lost or doubled', async () => {
    const { sim, ws } = await scenario();
    ws.env.FERRY_REQUEST_TIMEOUT_MS = '1500';
    const before = (await simState(sim)).counters.requests;
    await setFaults(sim, '5xx=0.2,reset=0.08,timeout=0.04,lost=0.08');
    const child = spawnFerry(ws, ['migrate', '--full']);
    // The storm blows for the first 200 requests of the run (or until it gives up), then the account calms down.
    let exited = false;
    void child.exited.then(() => {
      exited = true;
    });
    await until(
      '200 requests into the run',
      async () => exited || (await simState(sim)).counters.requests - before >= 200,
      120_000,
    );
    await setFaults(sim, '');
    const code = await child.exited;
    outputs.push(child.output());
    expect([0, 1], child.output()).toContain(code);
    if (code === 1) expect(child.output()).toMatch(/run (the same command )?again/i);
    const byStatus = (await simState(sim)).counters.byStatus;
    console.log(
      `fault storm: first run exit ${code}; simulator answers by status ${JSON.stringify(byStatus)}`,
    );
    await finishAndCompare(ws, sim, 'storm');
  });

  it('a 401 mid-run (token revoked): exit 2 naming PIPEDRIVE_API_TOKEN; after the token is back, a re-run completes', async () => {
    const { sim, ws } = await scenario();
    const child = spawnFerry(ws, ['migrate', '--full']);
    await until('the first deals', async () => (await liveDeals(sim)) >= 2);
    await simAdmin(sim, 'token', { revoke: true });
    const code = await child.exited;
    outputs.push(child.output());
    expect(code, child.output()).toBe(2);
    expect(child.output()).toContain('Pipedrive rejected the API token (401)');
    expect(child.output()).toContain('PIPEDRIVE_API_TOKEN');
    const whileRevoked = await ferry(ws, 'migrate', '--full');
    outputs.push(whileRevoked.stdout, whileRevoked.stderr);
    expect(whileRevoked.code).toBe(2);
    await simAdmin(sim, 'token', {});
    await finishAndCompare(ws, sim, 'after 401');
  });

  it('the daily budget runs out mid-run: Ferry pauses saying until when; stopped and re-run after the reset, it completes', async () => {
    // Enough for the schema and about half the records.
    const dailyBudget = preparedSpent + Math.round(migrateSpent / 2);
    const { sim, ws } = await scenario({ dailyBudget });
    expect((await simState(sim)).budget.remaining).toBeGreaterThan(0);
    const child = spawnFerry(ws, ['migrate', '--full']);
    // A paused run sleeps until the real midnight: never leave one behind when an assertion fails.
    onTestFinished(() => {
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    });
    await until('the pause message', () => /Paused: daily token budget used up/.test(child.output()));
    expect(child.output()).toMatch(/Resuming by itself at \d{4}-\d\d-\d\dT/);
    const state = await simState(sim);
    // Ferry counts tokens locally and pauses before a request the budget cannot pay for beyond the 10% it
    // leaves to other integrations: what is left is that share and less than one request's cost (a search,
    // 40 tokens, is the dearest).
    expect(state.budget.remaining).toBeLessThan(dailyBudget * 0.1 + 40);
    // The account's day turns over on the simulated clock; the person stops the paused run and re-runs.
    await simAdmin(sim, 'clock', { advanceDays: 1 });
    child.process.kill('SIGINT');
    const code = await child.exited;
    outputs.push(child.output());
    expect(code, child.output()).toBe(1);
    expect(child.output()).toMatch(/Run the same command again to resume/);
    // Writes the stopped run left open: each is one look-up before the resume sends anything.
    const status = await ferry(ws, 'status', '--json');
    const open = (JSON.parse(status.stdout) as { uncertainWrites?: number }).uncertainWrites;
    console.log(
      `budget: ${dailyBudget} tokens/day (schema ${preparedSpent}, full run ${migrateSpent}); paused with ${state.budget.remaining} left; ${open} write(s) left to look up`,
    );
    await finishAndCompare(ws, sim, 'after the budget reset');
  });
});
