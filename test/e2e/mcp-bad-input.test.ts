import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type BackdocketSim, startBackdocketSim } from '../../src/source/mcp/sim/backdocket-sim.ts';
import type { SimBreak } from '../../src/source/mcp/sim/sim-tools.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'bd-bad-input-token-4471';

describe('bad input from an MCP source ends with a clear error and nothing partial presented as complete', () => {
  let dir: string;
  let exportDir: string;
  const sims: BackdocketSim[] = [];
  let workspaces = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-bad-'));
    exportDir = join(dir, 'export');
    await generateExport({ outDir: exportDir, records: 12, seed: 3 });
  });
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
  });

  async function serve(
    breaks: SimBreak[] = [],
    extra: { forbiddenTokens?: string[] } = {},
  ): Promise<BackdocketSim> {
    const sim = await startBackdocketSim({ exportDir, token: TOKEN, port: 0, breaks, ...extra });
    sims.push(sim);
    return sim;
  }

  async function workspaceFor(url: string, options: { smallPages?: boolean } = {}): Promise<string> {
    workspaces += 1;
    const workspace = join(dir, `ws-${workspaces}`);
    const init = await runCli(['--workspace', workspace, 'init', '--source', url]);
    expect(init.code, init.stderr).toBe(0);
    // Small pages, so that the small export's claims take several.
    if (options.smallPages !== false)
      writeFileSync(
        join(workspace, 'source.yaml'),
        'tables:\n  claims:\n    paging: { style: page, size: 4 }\n',
      );
    return workspace;
  }

  const extract = (workspace: string, token = TOKEN) =>
    runCli(['--workspace', workspace, 'extract'], { env: { BACKDOCKET_TOKEN: token } });
  const extractedRows = (workspace: string) => {
    const db = new Database(join(workspace, '.ferry', 'ferry.db'), { readonly: true });
    try {
      return Number(db.prepare('SELECT count(*) FROM source_rows').pluck().get());
    } finally {
      db.close();
    }
  };

  it('an unreachable server: exit 1, naming the server', async () => {
    const sim = await serve();
    const url = sim.url;
    await sim.close();
    sims.splice(sims.indexOf(sim), 1);
    const workspace = await workspaceFor(url);
    const result = await extract(workspace);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${url} cannot be reached (ECONNREFUSED)`);
  });

  it('a refused token (401) and a forbidden one (403): exit 2, the token never shown', async () => {
    const sim = await serve([], { forbiddenTokens: ['bd-read-nothing-token-99'] });
    const workspace = await workspaceFor(sim.url);
    const wrong = await extract(workspace, 'bd-wrong-token-12345678');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`${sim.url} refused Ferry's credentials (401)`);
    expect(wrong.stderr).toContain('BACKDOCKET_TOKEN');
    expect(wrong.stderr + wrong.stdout).not.toContain('bd-wrong-token-12345678');
    const forbidden = await extract(workspace, 'bd-read-nothing-token-99');
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toContain('answered 403');
  });

  it('a TLS certificate that is not trusted: exit 2, saying how to trust a firm CA', async () => {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      {
        stdio: 'ignore',
      },
    );
    const server = createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (_req, res) =>
      res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://localhost:${(server.address() as AddressInfo).port}/mcp`;
      const workspace = await workspaceFor(url);
      const result = await extract(workspace);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`TLS error talking to ${url.replace(/[./]/g, '\\$&')} \\(\\w+`),
      );
      expect(result.stderr).toContain('NODE_EXTRA_CA_CERTS');
    } finally {
      server.close();
    }
  });

  const failures: { break: SimBreak; code: number; message: RegExp }[] = [
    {
      break: 'is-error',
      code: 1,
      message:
        /search_contacts \(table contacts, page 1\) on http:\S+ answered with an error: Search is temporarily disabled/,
    },
    {
      break: 'malformed-json',
      code: 1,
      message: /get_contact \(table contacts, page 1, record \d+\) on http:\S+ answered malformed JSON/,
    },
    {
      break: 'truncated-json',
      code: 1,
      message: /get_claim \(table claims, page 1, record \d+\) on http:\S+ answered truncated JSON/,
    },
    {
      break: 'repeat-page',
      code: 1,
      message: /search_claims \(table claims, page 2\) on http:\S+ repeats itself/,
    },
    {
      break: 'endless',
      code: 1,
      message: /list_tasks \(table tasks, page 3\) on http:\S+ never ends: 3 empty pages/,
    },
  ];
  for (const failure of failures) {
    it(`a server that answers ${failure.break}: exit ${failure.code}, naming server, tool and page; nothing extracted`, async () => {
      const sim = await serve([failure.break]);
      const workspace = await workspaceFor(sim.url);
      const result = await extract(workspace);
      expect(result.code, result.stderr).toBe(failure.code);
      expect(result.stderr).toMatch(failure.message);
      expect(result.stderr).toContain('Nothing from this pull was stored as extracted');
      expect(extractedRows(workspace)).toBe(0);
      const status = await runCli(['--workspace', workspace, 'map', 'propose']);
      expect(status.code).not.toBe(0);
    });
  }

  it('data that changes between pages: exit 1; the re-run reads that table again from its first page', async () => {
    const sim = await serve(['shifting-data']);
    const workspace = await workspaceFor(sim.url);
    const first = await extract(workspace);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /The data changed while Ferry was paging search_claims \(table claims, page 2\) on http:\S+: the total went from \d+ to \d+ between pages/,
    );
    expect(extractedRows(workspace)).toBe(0);
    // The server's data holds still now (the new claim stays): the table is listed again from page 1.
    const callsBefore = sim.calls().length;
    const second = await extract(workspace);
    expect(second.code, second.stderr).toBe(0);
    const pageOne = sim
      .calls()
      .slice(callsBefore)
      .filter((call) => call.tool === 'search_claims' && call.arguments?.page === 1);
    expect(pageOne).toHaveLength(1);
    expect(extractedRows(workspace)).toBeGreaterThan(0);
  });

  it('a failed re-pull leaves the previous extraction as it was', async () => {
    const good = await serve();
    const workspace = await workspaceFor(good.url);
    expect((await extract(workspace)).code).toBe(0);
    const rows = extractedRows(workspace);
    const broken = await serve(['repeat-page']);
    const config = join(workspace, 'ferry.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(good.url, broken.url));
    const result = await extract(workspace);
    expect(result.code).toBe(1);
    expect(extractedRows(workspace)).toBe(rows);
    expect((await runCli(['--workspace', workspace, 'map', 'propose'])).code).toBe(0);
  });

  it('a server with no tool that lists records: exit 2, naming its tools', async () => {
    const sim = await serve(['no-record-tools']);
    const workspace = await workspaceFor(sim.url, { smallPages: false });
    const result = await extract(workspace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${sim.url}: no read-only tool lists records (tools: update_claim, create_note, delete_task, archive_contact, get_or_create_contact)`,
    );
  });

  it('a source.yaml mistake: exit 2, naming the line and key', async () => {
    const sim = await serve();
    const workspace = await workspaceFor(sim.url);
    writeFileSync(join(workspace, 'source.yaml'), 'tables:\n  claims:\n    tool: update_claim\n');
    const result = await extract(workspace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "source.yaml:3 [tables.claims.tool]: tables.claims.tool: 'update_claim' is not read-only",
    );
    expect(sim.calls().some((call) => call.tool === 'update_claim')).toBe(false);
  });
});
