import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { FERRY_BIN, runCli } from '../helpers/run-cli.ts';
import { prepareWorkspace } from '../helpers/workspace.ts';

const TOKEN = 'deafdeafdeafdeafdeafdeafdeafdeafdeafdeaf';

describe('a rollback killed midway resumes to the same end', () => {
  let sim: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'rollback-crash',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Admin', email: 'admin@smithlawfirm.com' }],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-rollback-crash-'));
    await generateExport({ outDir: join(dir, 'export'), records: 12, seed: 4 });
    env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
    const migrated = await ferry('migrate', '--full');
    expect(migrated.code, migrated.stderr).toBe(0);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('deletes everything Ferry wrote after several SIGKILLs', async () => {
    for (const delay of [600, 900, 400]) {
      const child = spawn(process.execPath, [FERRY_BIN, '--workspace', dir, 'rollback', '--yes', '--force'], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
    }
    const result = await ferry('rollback', '--yes', '--force', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).remaining).toBe(0);
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as {
      entities: Record<string, Record<string, unknown>[]>;
    };
    for (const collection of ['organizations', 'persons', 'deals', 'leads', 'activities', 'notes', 'files']) {
      const live = (state.entities[collection] ?? []).filter(
        (record) => record.is_deleted !== true && record.active_flag !== false,
      );
      expect(live, collection).toEqual([]);
    }
    const status = await ferry('status', '--json');
    expect(JSON.parse(status.stdout).migratedRecords).toBe(0);
  }, 240_000);
});
