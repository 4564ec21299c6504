import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { keepUsedClaimTypes, writeNewerExport } from '../helpers/newer-export.ts';
import { type Fingerprints, fingerprints } from './fingerprint.ts';
import {
  cloneAccount,
  DONE_WHEN_FAULTS,
  expectSameAccount,
  FIRST_SEED,
  ferry,
  type KillPoint,
  killAtPoints,
  type PreparedAccount,
  prepareOnce,
  RUNS,
  seededRandom,
  setFaults,
  simState,
  tempDir,
} from './support.ts';

const TOKEN = 'feedbeeffeedbeeffeedbeeffeedbeeffeedbeef';
const SIM_SEED = 'converge';
/** Generated sequences per `npm run test:reliability` (times FERRY_RELIABILITY_RUNS). */
const SEQUENCES = 2 * RUNS;

const COMMAND_NAMES = ['apply', 'sample', 'full', 'delta', 'rollback'] as const;
type CommandName = (typeof COMMAND_NAMES)[number];

interface Step {
  readonly command: CommandName;
  readonly kills: readonly KillPoint[];
}

const step: fc.Arbitrary<Step> = fc.record({
  command: fc.constantFrom(...COMMAND_NAMES),
  kills: fc.array(
    fc.oneof(
      fc.record({ afterWrites: fc.integer({ min: 1, max: 120 }) }),
      fc.record({ afterMs: fc.integer({ min: 50, max: 2_000 }) }),
    ),
    { maxLength: 2 },
  ),
});

describe('property: any sequence of writing commands, killed and faulted anywhere, converges to its fault-free twin', () => {
  let prepared: PreparedAccount;
  let newerDir: string;
  const seen: string[] = [];

  beforeAll(async () => {
    const exportDir = tempDir('converge-export');
    await generateExport({ outDir: exportDir, records: 4, seed: 29 });
    keepUsedClaimTypes(exportDir);
    newerDir = tempDir('converge-newer');
    writeNewerExport(exportDir, newerDir);
    prepared = await prepareOnce(exportDir, TOKEN, SIM_SEED, { schema: false });
  });
  afterAll(() => {
    console.log(`converge: ${seen.length} sequence(s)\n  ${seen.join('\n  ')}`);
  });

  const argsOf = (command: CommandName): string[] =>
    ({
      apply: ['schema', 'apply'],
      sample: ['migrate', '--sample', '2'],
      full: ['migrate', '--full'],
      delta: ['migrate', '--delta', newerDir],
      rollback: ['rollback', '--yes'],
    })[command];

  /** The twin: the same commands on the same prepared account, no fault and no kill. */
  async function twinOf(
    steps: readonly Step[],
  ): Promise<{ codes: (number | null)[]; after: Fingerprints[] }> {
    const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, { rateLimits: true, plan: 'ultimate' });
    try {
      const codes: (number | null)[] = [];
      const after: Fingerprints[] = [];
      for (const { command } of steps) {
        const result = await ferry(ws, ...argsOf(command));
        // Calm, a command either finishes (0) or refuses to start (3: e.g. migrate before schema apply).
        expect([0, 3], `twin ${command}: ${result.stdout}${result.stderr}`).toContain(result.code);
        codes.push(result.code);
        after.push(fingerprints(await simState(sim)));
      }
      return { codes, after };
    } finally {
      await sim.close();
    }
  }

  it(
    `${SEQUENCES} random sequences of apply, sample, full, delta and rollback`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          // The schema first (killed and faulted like the rest), so the random steps after it have work to do.
          fc
            .tuple(
              step.map((first): Step => ({ ...first, command: 'apply' })),
              fc.array(step, { minLength: 2, maxLength: 4 }),
            )
            .map(([first, rest]) => [first, ...rest]),
          fc.integer({ min: 1, max: 1_000_000 }),
          async (steps, faultSeed) => {
            const twin = await twinOf(steps);
            const random = seededRandom(faultSeed);
            const rate = (max: number) => (random() * max).toFixed(4);
            const faults = `${DONE_WHEN_FAULTS},429=${rate(0.004)},slow=${rate(0.01)}@2000,cut=${rate(0.01)},committed5xx=${rate(0.02)}`;
            const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, {
              rateLimits: true,
              plan: 'ultimate',
            });
            Object.assign(ws.env, { FERRY_REQUEST_TIMEOUT_MS: '1000', FERRY_RESOLVE_AFTER_MS: '100' });
            const story = `${steps.map((s) => `${s.command}${s.kills.length ? `×${s.kills.length}` : ''}`).join(' → ')} (faults ${faults})`;
            try {
              // Faults from the very first request of the first command.
              await setFaults(sim, faults);
              for (const [index, { command, kills }] of steps.entries()) {
                await killAtPoints(ws, sim, argsOf(command), kills);
                const finished = await ferry(ws, ...argsOf(command));
                expect(
                  finished.code,
                  `${story}: step ${index + 1} ${command}: ${finished.stdout}${finished.stderr}`,
                ).toBe(twin.codes[index]);
                expectSameAccount(
                  fingerprints(await simState(sim)),
                  twin.after[index]!,
                  `${story}: after ${command}`,
                );
              }
              seen.push(story);
            } finally {
              await sim.close();
            }
          },
        ),
        // No shrinking: each sequence costs a minute of real processes; the failing one is printed as is.
        { numRuns: SEQUENCES, seed: FIRST_SEED, endOnFailure: true },
      );
    },
    SEQUENCES * 240_000,
  );
});
