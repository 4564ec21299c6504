import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

describe('ferry init --source URL', () => {
  it('makes the workspace source an MCP server, with no token in ferry.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-init-'));
    const result = await runCli(
      ['--workspace', dir, 'init', '--source', 'https://ai.backdocket.com/mcp', '--json'],
      {
        env: { BACKDOCKET_TOKEN: 'bd-init-secret-token-1234' },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).source).toBe('https://ai.backdocket.com/mcp');
    const config = readFileSync(join(dir, 'ferry.yaml'), 'utf8');
    expect(config).toContain('source: "https://ai.backdocket.com/mcp"');
    expect(config).not.toContain('bd-init-secret-token-1234');
  });

  it('refuses a URL a token could leak from: plain http to another machine, or a query string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-init-'));
    const plain = await runCli(['--workspace', dir, 'init', '--source', 'http://ai.backdocket.com/mcp']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('Ferry sends credentials only over https');
    const query = await runCli([
      '--workspace',
      dir,
      'init',
      '--source',
      'https://ai.backdocket.com/mcp?token=abc',
    ]);
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('without a user name, password or query string');
  });

  it('source commands explain themselves on an export-folder workspace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-init-'));
    expect((await runCli(['--workspace', dir, 'init', '--source', '.'])).code).toBe(0);
    const inspect = await runCli(['--workspace', dir, 'source', 'inspect']);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toContain('`ferry source` is for a BackDocket MCP server');
  });
});
