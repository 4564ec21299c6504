import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../backdocket/generate/index.ts';
import { connectMcp, type McpConnection } from './mcp-connection.ts';
import { politeFetch } from './polite-fetch.ts';
import { assembleReadPlan } from './read-plan.ts';
import { type BackdocketSim, startBackdocketSim } from './sim/backdocket-sim.ts';

const TOKEN = 'bd-connection-token-71aa';

describe('the MCP connection', () => {
  let sim: BackdocketSim;
  let connection: McpConnection;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-connection-'));
    await generateExport({ outDir: join(dir, 'export'), records: 5, seed: 1 });
    sim = await startBackdocketSim({ exportDir: join(dir, 'export'), token: TOKEN, port: 0 });
    connection = await connectMcp({
      server: sim.url,
      auth: { kind: 'bearer', token: TOKEN },
      fetch: politeFetch(),
    });
  });
  afterAll(async () => {
    await connection?.close();
    await sim?.close();
  });

  it('refuses, before sending anything, a tool outside the read-only ones it was allowed', async () => {
    const { plan } = assembleReadPlan({ tools: connection.tools });
    connection.allowOnly(plan.tools.filter((tool) => tool.access === 'read').map((tool) => tool.name));
    const before = sim.calls().length;
    await expect(
      connection.callTool('update_claim', { claimId: 1000, fields: {} }, {}),
    ).rejects.toMatchObject({
      code: 'E_MCP_NOT_READ_ONLY',
    });
    await expect(connection.callTool('archive_contact', { contactId: 5000 }, {})).rejects.toMatchObject({
      code: 'E_MCP_NOT_READ_ONLY',
    });
    expect(sim.calls().slice(before)).toEqual([]);
    const answer = await connection.callTool('search_claims', { pageSize: 1 }, { table: 'claims', page: 0 });
    expect((answer.json as { claims: unknown[] }).claims).toHaveLength(1);
  });

  it('reads structured content, and text content as JSON', async () => {
    const tasks = await connection.callTool('list_tasks', { limit: 2 }, {});
    expect((tasks.json as { tasks: unknown[] }).tasks).toHaveLength(2);
    const claim = await connection.callTool('get_claim', { claimId: 1000 }, {});
    expect((claim.json as { id: number }).id).toBe(1000);
  });
});
