import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

describe('ferry demo --source mcp', () => {
  it('runs the whole job pulling the generated export from a local BackDocket-like MCP server', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ferry-mcp-demo-')), 'demo');
    const result = await runCli(['demo', '--source', 'mcp', '--records', '10', '--dir', dir], {
      timeoutMs: 240_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /BackDocket-like MCP server \(ferry sim backdocket\) serving the export at http:\/\/127\.0\.0\.1:\d+\/mcp/,
    );
    expect(result.stdout).toContain('Extracted 17 tables from the MCP server (read-only tools only)');
    expect(result.stdout).toMatch(/Verified \d+ records: all match/);
    expect(result.stdout).toMatch(/file \d+\)/);
  }, 300_000);
});
