/**
 * The "done when", at `npm test` size: every writing command (schema apply, migrate --full,
 * migrate --delta with updates, rollback) under `5xx=0.03,lost=0.02,timeout=0.01,reset=0.01` from the very
 * first request, each SIGKILLed a few times and then run once more, on a generated export holding every
 * kind of record (deals, activities, notes, files…). Each step must end exactly as an undisturbed run of it
 * (no duplicate, nothing missing, schema by name and order), `ferry verify` must exit 0, and the rollback
 * must leave nothing behind. `npm run test:reliability` does the same with 20 kills per command and harsher
 * faults (test/reliability/crash-anywhere.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { keepUsedClaimTypes, writeNewerExport } from '../helpers/newer-export.ts';
import { type Fingerprints, fingerprints } from '../reliability/fingerprint.ts';
import {
  cloneAccount,
  DONE_WHEN_FAULTS,
  expectRowsAccounted,
  expectSameAccount,
  ferry,
  killAtPoints,
  type PreparedAccount,
  prepareOnce,
  setFaults,
  simState,
  tempDir,
  type Workspace,
  writesSeen,
} from '../reliability/support.ts';

const TOKEN = 'b1ab1ab1ab1ab1ab1ab1ab1ab1ab1ab1ab1ab1ab';
const SIM_SEED = 'write-commands-crash';

type Step = 'apply' | 'full' | 'delta' | 'rollback';

describe('every writing command, killed under the "done when" faults from the first request, ends as an undisturbed run', () => {
  let prepared: PreparedAccount;
  let newerDir: string;
  const expected = {} as Record<Step, Fingerprints>;
  const writes = {} as Record<Step, number>;
  let before: Fingerprints;
  const sims: SimServer[] = [];
  const argsOf = (step: Step) =>
    ({
      apply: ['schema', 'apply'],
      full: ['migrate', '--full'],
      delta: ['migrate', '--delta', newerDir],
      rollback: ['rollback', '--yes'],
    })[step];
  const steps: readonly Step[] = ['apply', 'full', 'delta', 'rollback'];
  const verified = async (ws: Workspace, context: string) => {
    const result = await ferry(ws, 'verify', '--json');
    expect(result.code, `${context}: ${result.stdout.slice(0, 1500)}${result.stderr}`).toBe(0);
  };

  beforeAll(async () => {
    const exportDir = tempDir('crash-e2e-export');
    await generateExport({ outDir: exportDir, records: 5, seed: 11 });
    keepUsedClaimTypes(exportDir);
    newerDir = tempDir('crash-e2e-newer');
    writeNewerExport(exportDir, newerDir);
    prepared = await prepareOnce(exportDir, TOKEN, SIM_SEED, { schema: false });
    const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, { rateLimits: true, plan: 'ultimate' });
    sims.push(sim);
    before = fingerprints(await simState(sim));
    for (const step of steps) {
      const start = writesSeen(sim);
      const result = await ferry(ws, ...argsOf(step));
      expect(result.code, `undisturbed ${step}: ${result.stdout}${result.stderr}`).toBe(0);
      writes[step] = writesSeen(sim) - start;
      expected[step] = fingerprints(await simState(sim));
    }
    for (const collection of ['organizations', 'persons', 'deals', 'leads', 'activities', 'notes', 'files'])
      expect(expected.full.identities[collection]?.length, collection).toBeGreaterThan(0);
    expect(expected.rollback).toEqual(before);
  }, 240_000);
  afterAll(async () => {
    for (const sim of sims) await sim.close();
  });

  it('kills each command 3 times (by write count and by time), then one run finishes it', async () => {
    const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, { rateLimits: true, plan: 'ultimate' });
    sims.push(sim);
    Object.assign(ws.env, { FERRY_REQUEST_TIMEOUT_MS: '1000', FERRY_RESOLVE_AFTER_MS: '100' });
    await setFaults(sim, DONE_WHEN_FAULTS);
    const outputs: string[] = [];
    for (const step of steps) {
      const third = Math.max(1, Math.floor(writes[step] / 3));
      const killed = await killAtPoints(ws, sim, argsOf(step), [
        { afterWrites: third },
        { afterMs: 900 },
        { afterWrites: 2 * third },
      ]);
      outputs.push(...killed.outputs);
      expect(killed.killsLanded, `${step}: kills that landed`).toBeGreaterThanOrEqual(2);
      const finished = await ferry(ws, ...argsOf(step));
      outputs.push(finished.stdout, finished.stderr);
      expect(
        finished.code,
        `${step} after the kills: ${finished.stdout.slice(-2000)}${finished.stderr}`,
      ).toBe(0);
      expectSameAccount(fingerprints(await simState(sim)), expected[step], step);
      if (step === 'full' || step === 'delta') {
        await verified(ws, step);
        await expectRowsAccounted(ws);
      }
    }
    // Residue after the rollback: none — the account is as it was before the schema was applied.
    expectSameAccount(fingerprints(await simState(sim)), before, 'after the rollback');
    expect(outputs.filter((output) => /edited in Pipedrive/.test(output))).toEqual([]);
    expect(JSON.parse((await ferry(ws, 'status', '--json')).stdout).migratedRecords).toBe(0);
  }, 300_000);
});
