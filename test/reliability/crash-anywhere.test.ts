import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type Fingerprints, fingerprints } from './fingerprint.ts';
import {
  cloneAccount,
  expectRowsAccounted,
  expectSameAccount,
  FIRST_SEED,
  ferry,
  killDelays,
  killRepeatedlyThenFinish,
  type PreparedAccount,
  prepareOnce,
  RUNS,
  seededRandom,
  setFaults,
  simState,
  tempDir,
  withSeed,
} from './support.ts';

const TOKEN = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';
const RECORDS = Number(process.env.FERRY_RELIABILITY_RECORDS ?? 8) || 8;
const KILLS_PER_PHASE = 3;
const SIM_SEED = 'crash-anywhere';

/**
 * Per request: 5xx without doing the work, resets, and writes committed whose answer is lost, at rates drawn
 * from the run's seed. The simulator's own seed stays the same as the undisturbed run's, so both accounts
 * get the same custom field keys, lead labels and mailbox addresses.
 */
function faultsFor(random: () => number): string {
  const rate = (max: number) => (0.01 + random() * max).toFixed(3);
  return `5xx=${rate(0.05)},reset=${rate(0.03)},lost=${rate(0.05)},latency=3±3`;
}

/** A newer export: two claims renamed, one contact added, one note gone. */
function writeNewerExport(exportDir: string, into: string): void {
  cpSync(exportDir, into, { recursive: true });
  const claimsPath = join(into, 'claims.csv');
  const claims = readFileSync(claimsPath, 'utf8').split('\r\n');
  for (const index of [1, 2]) {
    const cells = claims[index]!.split(',');
    // Column 2 is the claim name in the generated export; a marker keeps the edit visible in Pipedrive.
    claims[index] = claims[index]!.replace(cells[1]!, `${cells[1]} (renamed)`);
  }
  writeFileSync(claimsPath, claims.join('\r\n'));
  const contactsPath = join(into, 'contacts.csv');
  const contacts = readFileSync(contactsPath, 'utf8');
  const columns = contacts.split('\r\n')[0]!.split(',').length;
  const added = ['9999', 'Person', '', 'Delta', '', 'Newcomer', ...Array(columns - 6).fill('')];
  added[11] = 'delta.newcomer@example.com';
  writeFileSync(contactsPath, `${contacts}${added.join(',')}\r\n`);
  const notesPath = join(into, 'notes.csv');
  const notes = readFileSync(notesPath, 'utf8').split('\r\n');
  const removable = notes.findIndex((line, index) => index > 0 && /^\d+,/.test(line) && !line.includes('"'));
  notes.splice(removable, 1);
  writeFileSync(notesPath, notes.join('\r\n'));
}

/** Another integration on the same token, so the burst window fills and Ferry meets real 429s. */
function noisyNeighbour(sim: SimServer): () => Promise<number> {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    while (running) {
      await Promise.all(
        Array.from({ length: 6 }, () =>
          fetch(`${sim.url}/api/v1/users/me`, { headers: { 'x-api-token': TOKEN } })
            .then((response) => response.arrayBuffer())
            .catch(() => undefined),
        ),
      );
      sent += 6;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return sent;
  };
}

interface Expected {
  full: Fingerprints;
  delta: Fingerprints;
  rolledBack: Fingerprints;
}

/** The undisturbed run: full, delta, rollback, with no faults and no kills. */
async function undisturbedRun(prepared: PreparedAccount, newerDir: string): Promise<Expected> {
  const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED);
  try {
    const steps: [string, string[]][] = [
      ['full', ['migrate', '--full']],
      ['delta', ['migrate', '--delta', newerDir]],
      ['rolledBack', ['rollback', '--yes']],
    ];
    const out: Partial<Expected> = {};
    for (const [name, args] of steps) {
      const result = await ferry(ws, ...args);
      expect(result.code, `undisturbed ${args.join(' ')}: ${result.stderr}`).toBe(0);
      out[name as keyof Expected] = fingerprints(await simState(sim));
    }
    return out as Expected;
  } finally {
    await sim.close();
  }
}

describe('crash-anywhere: SIGKILL at seeded instants under seeded faults resumes to the undisturbed state', () => {
  let exportDir: string;
  let newerDir: string;
  let expected: Expected;
  let prepared: PreparedAccount;

  beforeAll(async () => {
    exportDir = tempDir('export');
    await generateExport({ outDir: exportDir, records: RECORDS, seed: 11 });
    newerDir = tempDir('export-newer');
    writeNewerExport(exportDir, newerDir);
    prepared = await prepareOnce(exportDir, TOKEN, SIM_SEED);
    expected = await undisturbedRun(prepared, newerDir);
    expect(expected.full.identities.deals?.length).toBeGreaterThan(5);
    expect(expected.rolledBack.identities.deals).toEqual([]);
  });
  afterAll(() => {
    console.log(`crash-anywhere: ${RUNS} run(s) from seed ${FIRST_SEED}, ${RECORDS} claims`);
  });

  for (let run = 0; run < RUNS; run += 1) {
    const seed = FIRST_SEED + run;
    it(`seed ${seed}: migrate --full, --delta and rollback --yes, each killed ${KILLS_PER_PHASE} times`, async () => {
      await withSeed(seed, async () => {
        const random = seededRandom(seed);
        const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, {
          rateLimits: true,
          plan: 'ultimate',
          // Ignored 429s escalate to Cloudflare's block in real life; the neighbour would trip it here.
          abuse: false,
        });
        const stopNeighbour = noisyNeighbour(sim);
        try {
          ws.env.FERRY_REQUEST_TIMEOUT_MS = '1500';
          const faults = faultsFor(random);
          await setFaults(sim, faults);
          const figures: string[] = [`faults ${faults}`];
          const phase = async (name: keyof Expected, args: string[]) => {
            const delays = killDelays(random, KILLS_PER_PHASE, 400, 5_000);
            const outcome = await killRepeatedlyThenFinish(ws, args, delays);
            const state = await simState(sim);
            try {
              expectSameAccount(fingerprints(state), expected[name], `seed ${seed} ${name}`);
            } catch (error) {
              const dump = join(tempDir('crash-state'), 'state.json');
              writeFileSync(dump, JSON.stringify(state, null, 1));
              console.error(
                `crash-anywhere seed ${seed} ${name}: simulator state in ${dump}, workspace ${ws.dir}`,
              );
              throw error;
            }
            figures.push(
              `${name}: delays ${delays.join('/')} ms, ${outcome.killsLanded} kills landed, ${outcome.attempts} finishing run(s)`,
            );
          };
          await phase('full', ['migrate', '--full']);
          const rowsAfterFull = await expectRowsAccounted(ws);
          await phase('delta', ['migrate', '--delta', newerDir]);
          const rowsAfterDelta = await expectRowsAccounted(ws);
          await phase('rolledBack', ['rollback', '--yes']);
          const status = await ferry(ws, 'status', '--json');
          expect(JSON.parse(status.stdout).migratedRecords).toBe(0);
          const state = await simState(sim);
          console.log(
            `crash-anywhere seed ${seed}: ${figures.join('; ')}; rows accounted ${rowsAfterFull.rows} (full), ${rowsAfterDelta.rows} + ${rowsAfterDelta.vanished} vanished (delta); ` +
              `simulator answered ${state.counters.requests} requests, by status ${JSON.stringify(state.counters.byStatus)}`,
          );
        } finally {
          console.log(`crash-anywhere seed ${seed}: neighbour sent ${await stopNeighbour()} requests`);
          await sim.close();
        }
      });
    });
  }
});
