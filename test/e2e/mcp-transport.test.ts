import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import {
  type BackdocketSim,
  type BackdocketSimOptions,
  startBackdocketSim,
} from '../../src/source/mcp/sim/backdocket-sim.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'bd-transport-token-20ad5e';

describe('MCP transports and a busy server', () => {
  let dir: string;
  const sims: BackdocketSim[] = [];
  let workspaces = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-transport-'));
    await generateExport({ outDir: join(dir, 'export'), records: 10, seed: 8 });
  });
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
  });

  async function pull(options: Partial<BackdocketSimOptions>) {
    const sim = await startBackdocketSim({
      exportDir: join(dir, 'export'),
      token: TOKEN,
      port: 0,
      ...options,
    });
    sims.push(sim);
    workspaces += 1;
    const workspace = join(dir, `ws-${workspaces}`);
    expect((await runCli(['--workspace', workspace, 'init', '--source', sim.url])).code).toBe(0);
    const extract = await runCli(['--workspace', workspace, 'extract', '--json'], {
      env: { BACKDOCKET_TOKEN: TOKEN },
    });
    expect(extract.code, extract.stderr).toBe(0);
    const db = new Database(join(workspace, '.ferry', 'ferry.db'), { readonly: true });
    const rows = db
      .prepare('SELECT file, source_key, content_hash FROM source_rows ORDER BY file, source_key')
      .all();
    db.close();
    return {
      sim,
      workspace,
      result: JSON.parse(extract.stdout) as { retries: { retries: number; rateLimited: number } },
      rows,
    };
  }

  it('falls back to the older HTTP+SSE transport and extracts the same rows', async () => {
    const streamable = await pull({});
    const sse = await pull({ transport: 'sse' });
    expect(sse.rows).toEqual(streamable.rows);
    const inspect = await runCli(['--workspace', sse.workspace, 'source', 'inspect', '--json'], {
      env: { BACKDOCKET_TOKEN: TOKEN },
    });
    expect(JSON.parse(inspect.stdout).transport).toBe('sse');
  });

  it('waits out 429s (Retry-After) and 503s, and extracts the same rows', async () => {
    const calm = await pull({});
    const busy = await pull({
      faults: { rateLimited: 0.12, unavailable: 0.08, retryAfterSeconds: 1 },
      seed: 'busy',
    });
    expect(busy.result.retries.rateLimited).toBeGreaterThan(0);
    expect(busy.result.retries.retries).toBeGreaterThan(busy.result.retries.rateLimited);
    expect(busy.rows).toEqual(calm.rows);
  });
});
