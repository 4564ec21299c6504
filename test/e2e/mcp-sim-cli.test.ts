import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { FERRY_BIN } from '../helpers/run-cli.ts';

const TOKEN = 'bd-sim-cli-token-5a5a';

describe('ferry sim backdocket (real CLI)', () => {
  it('serves an export over MCP on 127.0.0.1 with the given token, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-sim-cli-'));
    await generateExport({ outDir: join(dir, 'export'), records: 5, seed: 1 });
    const child = spawn(
      process.execPath,
      [
        FERRY_BIN,
        'sim',
        'backdocket',
        '--from',
        join(dir, 'export'),
        '--port',
        '0',
        '--token',
        TOKEN,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const started = await new Promise<{ url: string; token: string; auth: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
        });
        child.on('close', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(started).toMatchObject({ auth: 'bearer', token: TOKEN });
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const rpc = (token: string) =>
        fetch(started.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${token}`,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
        });
      expect((await rpc('not-the-token')).status).toBe(401);
      const listed = (await (await rpc(TOKEN)).json()) as {
        result: { tools: { name: string; annotations?: { readOnlyHint?: boolean } }[] };
      };
      const tools = new Map(listed.result.tools.map((tool) => [tool.name, tool]));
      expect(tools.get('search_claims')?.annotations?.readOnlyHint).toBe(true);
      expect(tools.get('update_claim')?.annotations?.readOnlyHint).toBe(false);
      expect([...tools.keys()]).toEqual(
        expect.arrayContaining([
          'get_claim',
          'search_contacts',
          'list_tasks',
          'advanced_search',
          'get_document_content',
        ]),
      );
      const calls = (await (await fetch(new URL('/__sim/calls', started.url))).json()) as {
        method: string;
      }[];
      expect(calls.map((call) => call.method)).toContain('tools/list');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a folder that does not exist, or an unknown break, with exit 2', async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [FERRY_BIN, 'sim', 'backdocket', ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const missing = await run('--from', '/nonexistent/export');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not a folder');
    const dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-sim-cli-'));
    const unknown = await run('--from', dir, '--break', 'explode');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--break takes repeat-page, shifting-data');
  });
});
