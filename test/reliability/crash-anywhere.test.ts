import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { writeNewerExport } from '../helpers/newer-export.ts';
import { type Fingerprints, fingerprints } from './fingerprint.ts';
import {
  cloneAccount,
  DONE_WHEN_FAULTS,
  expectRowsAccounted,
  expectSameAccount,
  FIRST_SEED,
  ferry,
  killAtPoints,
  killPoints,
  type PreparedAccount,
  prepareOnce,
  RUNS,
  seededRandom,
  setFaults,
  simState,
  tempDir,
  type Workspace,
  withSeed,
  writesSeen,
} from './support.ts';

const TOKEN = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';
const RECORDS = Number(process.env.FERRY_RELIABILITY_RECORDS ?? 8) || 8;
/** SIGKILLs per command and seed (the issue asks for at least 20). */
const KILLS = Number(process.env.FERRY_RELIABILITY_KILLS ?? 20) || 20;
const SIM_SEED = 'crash-anywhere';

/**
 * The "done when" faults plus the harsher ones at seeded rates: header-less 429s, Cloudflare's 403 block,
 * answers slower than the client waits, bodies cut mid-stream, writes committed but answered 5xx. The
 * simulator's own seed stays the undisturbed run's, so both accounts get the same custom field keys.
 */
function faultsFor(random: () => number): string {
  const rate = (max: number) => (0.0005 + random() * max).toFixed(4);
  // A header-less 429 or a 403 block pauses every request for seconds: a few of each, not dozens.
  return `${DONE_WHEN_FAULTS},429=${rate(0.005)},403=${rate(0.002)}@1000,slow=${rate(0.01)}@2000,cut=${rate(0.01)},committed5xx=${rate(0.02)},latency=3±3`;
}

/** Every writing command, in the order a migration runs them. */
function commandsOf(newerDir: string) {
  return [
    { name: 'apply', args: ['schema', 'apply'] },
    { name: 'full', args: ['migrate', '--full'] },
    { name: 'delta', args: ['migrate', '--delta', newerDir] },
    { name: 'rollback', args: ['rollback', '--yes'] },
  ] as const;
}
type CommandName = ReturnType<typeof commandsOf>[number]['name'];

interface Undisturbed {
  readonly before: Fingerprints;
  readonly after: Record<CommandName, Fingerprints>;
  readonly writes: Record<CommandName, number>;
  readonly requests: Record<CommandName, number>;
  readonly ms: Record<CommandName, number>;
}

/** Short timeouts keep "no answer" cheap; the simulator commits at once, so an unknown outcome is looked up soon. */
const FAST_FAULTS_ENV = { FERRY_REQUEST_TIMEOUT_MS: '1000', FERRY_RESOLVE_AFTER_MS: '100' };

async function verifyClean(ws: Workspace, context: string): Promise<void> {
  const verified = await ferry(ws, 'verify', '--json');
  expect(verified.code, `${context}: ferry verify: ${verified.stdout.slice(0, 2000)}${verified.stderr}`).toBe(
    0,
  );
}

/** The undisturbed run: every command once, no faults, no kills; the account after each step. */
async function undisturbedRun(prepared: PreparedAccount, newerDir: string): Promise<Undisturbed> {
  const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, { rateLimits: true, plan: 'ultimate' });
  try {
    const before = fingerprints(await simState(sim));
    const after = {} as Record<CommandName, Fingerprints>;
    const writes = {} as Record<CommandName, number>;
    const requests = {} as Record<CommandName, number>;
    const ms = {} as Record<CommandName, number>;
    for (const command of commandsOf(newerDir)) {
      const [writesBefore, requestsBefore, startedAt] = [
        writesSeen(sim),
        sim.simulator.state.counters.requests,
        Date.now(),
      ];
      const result = await ferry(ws, ...command.args);
      expect(result.code, `undisturbed ${command.args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
      ms[command.name] = Date.now() - startedAt;
      writes[command.name] = writesSeen(sim) - writesBefore;
      requests[command.name] = sim.simulator.state.counters.requests - requestsBefore;
      after[command.name] = fingerprints(await simState(sim));
      if (command.name === 'full' || command.name === 'delta')
        await verifyClean(ws, `undisturbed ${command.name}`);
    }
    return { before, after, writes, requests, ms };
  } finally {
    await sim.close();
  }
}

describe('crash-anywhere: every writing command, killed anywhere under faults from the first request, ends as an undisturbed run', () => {
  let newerDir: string;
  let expected: Undisturbed;
  let prepared: PreparedAccount;

  beforeAll(async () => {
    const exportDir = tempDir('export');
    await generateExport({ outDir: exportDir, records: RECORDS, seed: 11 });
    newerDir = tempDir('export-newer');
    writeNewerExport(exportDir, newerDir);
    prepared = await prepareOnce(exportDir, TOKEN, SIM_SEED, { schema: false });
    expected = await undisturbedRun(prepared, newerDir);
    // Every kind of record is there to be killed in the middle of, and the delta updates each kind.
    for (const collection of ['organizations', 'persons', 'deals', 'leads', 'activities', 'notes', 'files'])
      expect(expected.after.full.identities[collection]?.length, collection).toBeGreaterThan(0);
    expect(expected.writes.delta).toBeGreaterThan(50);
    expect(expected.after.rollback.identities.deals).toEqual([]);
    expect(expected.after.rollback.schema).toEqual(expected.before.schema);
    console.log(
      `crash-anywhere undisturbed: writes ${JSON.stringify(expected.writes)}, requests ${JSON.stringify(expected.requests)}, ms ${JSON.stringify(expected.ms)}`,
    );
  });
  afterAll(() => {
    console.log(
      `crash-anywhere: ${RUNS} run(s) from seed ${FIRST_SEED}, ${RECORDS} claims, ${KILLS} kills per command`,
    );
  });

  for (let run = 0; run < RUNS; run += 1) {
    const seed = FIRST_SEED + run;
    it(`seed ${seed}: schema apply, migrate --full, migrate --delta and rollback, each killed ${KILLS} times`, async () => {
      await withSeed(seed, async () => {
        const random = seededRandom(seed);
        const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, {
          rateLimits: true,
          plan: 'ultimate',
        });
        Object.assign(ws.env, FAST_FAULTS_ENV);
        const outputs: string[] = [];
        try {
          const faults = faultsFor(random);
          await setFaults(sim, faults);
          const figures: string[] = [`faults ${faults}`];
          for (const command of commandsOf(newerDir)) {
            const counters = sim.simulator.state.counters;
            const [writesBefore, requestsBefore, faultsBefore, startedAt] = [
              writesSeen(sim),
              counters.requests,
              { ...counters.faults },
              Date.now(),
            ];
            const points = killPoints(random, KILLS, expected.writes[command.name], 2_500);
            const killed = await killAtPoints(ws, sim, command.args, points);
            const killedMs = Date.now() - startedAt;
            outputs.push(...killed.outputs);
            // Exit 1 ("run again") is fine for a run that was killed; the run after the kills finishes at once.
            const finished = await ferry(ws, ...command.args, '--json');
            outputs.push(finished.stdout, finished.stderr);
            expect(
              finished.code,
              `${command.args.join(' ')} after the kills: ${finished.stdout.slice(-3000)}${finished.stderr}`,
            ).toBe(0);
            const state = await simState(sim);
            try {
              expectSameAccount(
                fingerprints(state),
                expected.after[command.name],
                `seed ${seed} ${command.name}`,
              );
            } catch (error) {
              const dump = join(tempDir('crash-state'), 'state.json');
              writeFileSync(dump, JSON.stringify(state, null, 1));
              console.error(
                `crash-anywhere seed ${seed} ${command.name}: simulator state in ${dump}, workspace ${ws.dir}`,
              );
              throw error;
            }
            if (command.name === 'full' || command.name === 'delta') {
              await verifyClean(ws, `seed ${seed} ${command.name}`);
              await expectRowsAccounted(ws);
            }
            const injected = Object.entries(counters.faults)
              .map(([kind, n]) => [kind, n - (faultsBefore[kind] ?? 0)] as const)
              .filter(([, n]) => n > 0);
            const summary = JSON.parse(finished.stdout) as {
              writes?: Record<string, number>;
              requestsRetried?: number;
            };
            const tally = { ...summary.writes, requestsRetried: summary.requestsRetried };
            figures.push(
              `${command.name}: ${killed.killsLanded}/${points.length} kills landed; ` +
                `${writesSeen(sim) - writesBefore} writes (undisturbed ${expected.writes[command.name]}), ` +
                `${counters.requests - requestsBefore} requests (undisturbed ${expected.requests[command.name]}); ` +
                `faults ${injected.map(([kind, n]) => `${kind}×${n}`).join(' ')}; last run's writes ${JSON.stringify(tally)}; ` +
                `${Math.round(killedMs / 1000)} s killed + ${Math.round((Date.now() - startedAt - killedMs) / 1000)} s to finish (undisturbed ${Math.round(expected.ms[command.name] / 1000)} s)`,
            );
            expect(killed.killsLanded, `${command.name}: kills that landed`).toBeGreaterThanOrEqual(
              Math.floor(KILLS * 0.75),
            );
          }
          // Ferry never takes its own write for a person's edit, however its answers were lost.
          expect(outputs.filter((output) => /edited in Pipedrive/.test(output))).toEqual([]);
          const status = await ferry(ws, 'status', '--json');
          expect(JSON.parse(status.stdout).migratedRecords).toBe(0);
          console.log(`crash-anywhere seed ${seed}:\n  ${figures.join('\n  ')}`);
        } finally {
          await sim.close();
        }
      });
    });
  }
});
