import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import {
  FIRST_SEED,
  ferry,
  killDelays,
  RUNS,
  seededRandom,
  setFaults,
  spawnFerry,
  startSim,
  tempDir,
  type Workspace,
  withSeed,
  workspaceFor,
} from './support.ts';

const TOKEN = '0b0e0b0e0b0e0b0e0b0e0b0e0b0e0b0e0b0e0b0e';

const storePath = (dir: string) => join(dir, '.ferry', 'ferry.db');

/** Opens the store as SQLite itself would after a crash, and asks it to check every page. */
function integrityOf(dir: string): { check: string; rows: number } {
  const db = new Database(storePath(dir), { readonly: true });
  try {
    const check = db.pragma('integrity_check', { simple: true }) as string;
    const rows = (db.prepare('SELECT count(*) AS n FROM source_rows').get() as { n: number }).n;
    return { check, rows };
  } finally {
    db.close();
  }
}

describe('store safety', () => {
  let bigExport: string;

  beforeAll(async () => {
    // Large enough that extract spends seconds writing rows, so kills land inside write transactions.
    bigExport = tempDir('store-export');
    await generateExport({ outDir: bigExport, records: 400, seed: 3 });
  });

  for (let run = 0; run < RUNS; run += 1) {
    const seed = FIRST_SEED + run;
    it(`seed ${seed}: SIGKILL during extract leaves a readable store; re-running gives the undisturbed rows`, async () => {
      await withSeed(seed, async () => {
        const calmDir = tempDir('store-calm');
        const ws = { dir: calmDir, env: {} };
        expect((await ferry(ws, 'init', '--source', bigExport)).code).toBe(0);
        const calm = await ferry(ws, 'extract');
        expect(calm.code, calm.stderr).toBe(0);
        const undisturbed = integrityOf(calmDir);

        const dir = tempDir('store-killed');
        const killed: Workspace = { dir, env: {} };
        expect((await ferry(killed, 'init', '--source', bigExport)).code).toBe(0);
        const delays = killDelays(seededRandom(seed), 4, 800, 4_000);
        const seen: string[] = [];
        for (const delay of delays) {
          const child = spawnFerry(killed, ['extract']);
          let running = true;
          void child.exited.then(() => {
            running = false;
          });
          await new Promise((resolve) => setTimeout(resolve, delay));
          const landed = running;
          child.process.kill('SIGKILL');
          await child.exited;
          const after = integrityOf(dir);
          expect(after.check, `after a kill at ${delay} ms`).toBe('ok');
          const status = await ferry(killed, 'status', '--json');
          expect(status.code, status.stderr).toBe(0);
          seen.push(`${delay} ms${landed ? '' : ' (already done)'} → ${after.rows} rows`);
        }
        const resumed = await ferry(killed, 'extract');
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(integrityOf(dir)).toEqual(undisturbed);
        console.log(
          `store kill seed ${seed}: ${seen.join(', ')}; after re-run ${undisturbed.rows} rows, integrity ok`,
        );
      });
    });
  }

  describe('with a workspace ready to migrate', () => {
    let sim: SimServer;
    let ws: Workspace;

    beforeAll(async () => {
      sim = await startSim(TOKEN, 'store-safety');
      const exportDir = tempDir('store-small');
      await generateExport({ outDir: exportDir, records: 6, seed: 8 });
      ws = await workspaceFor(exportDir, sim, TOKEN);
    });
    afterAll(async () => {
      await sim?.close();
    });

    it('refuses a second concurrent migrate on the same workspace (exit 2, says who holds it); the first completes', async () => {
      // Slow answers keep the first run alive while the second one tries.
      await setFaults(sim, 'latency=150±50');
      const first = spawnFerry(ws, ['migrate', '--full']);
      const deadline = Date.now() + 30_000;
      while (!/\d+\/\d+/.test(first.output()) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const second = await ferry(ws, 'migrate', '--full');
      expect(second.code, second.stdout + second.stderr).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(
          `Another Ferry command \\(migrate, pid ${first.process.pid}, since .+\\) is using this workspace`,
        ),
      );
      const rollback = await ferry(ws, 'rollback', '--yes');
      expect(rollback.code, rollback.stderr).toBe(2);
      await setFaults(sim, '');
      expect(await first.exited, first.output()).toBe(0);
      const again = await ferry(ws, 'migrate', '--full');
      expect(again.code, again.stderr).toBe(0);
    });

    it('refuses a workspace written by a newer Ferry with exit 2 and says to upgrade', async () => {
      const db = new Database(storePath(ws.dir));
      const version = db.pragma('user_version', { simple: true }) as number;
      db.pragma(`user_version = ${version + 1}`);
      db.close();
      for (const args of [['status'], ['migrate', '--full'], ['extract']]) {
        const result = await runCli(['--workspace', ws.dir, ...args], { env: ws.env });
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(`written by a newer Ferry (store version ${version + 1}`);
        expect(result.stderr).toContain('Upgrade Ferry');
      }
      const untouched = new Database(storePath(ws.dir), { readonly: true });
      expect(untouched.pragma('user_version', { simple: true })).toBe(version + 1);
      untouched.close();
    });
  });
});
