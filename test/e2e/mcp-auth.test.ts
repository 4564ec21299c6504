import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type BackdocketSim, startBackdocketSim } from '../../src/source/mcp/sim/backdocket-sim.ts';
import { type CliResult, FERRY_BIN, runCli } from '../helpers/run-cli.ts';
import { filesContaining } from './mcp-helpers.ts';

interface Credentials {
  servers: Record<
    string,
    {
      client?: { client_id: string; redirect_uris: string[] };
      tokens?: { access_token: string; refresh_token: string };
    }
  >;
}

/** `ferry source login --no-browser`: reads the address it prints and follows it as a browser would. */
function login(workspace: string, env: NodeJS.ProcessEnv): Promise<CliResult & { authorizationUrl: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FERRY_BIN, '--workspace', workspace, 'source', 'login', '--no-browser', '--port', '0'],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let authorizationUrl = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /https?:\/\/\S+\/authorize\?\S+/.exec(stderr)?.[0];
      if (url && !authorizationUrl) {
        authorizationUrl = url;
        // The rehearsal server approves at once and redirects to Ferry's loopback address.
        fetch(url).catch(reject);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, authorizationUrl });
    });
  });
}

describe('OAuth sign-in to an MCP source (ferry source login against ferry sim backdocket --auth oauth)', () => {
  let dir: string;
  let sim: BackdocketSim;
  let workspace: string;
  let env: NodeJS.ProcessEnv;
  const outputs: CliResult[] = [];
  const credentialsPath = () => join(dir, 'config', 'credentials.json');
  const credentials = () => JSON.parse(readFileSync(credentialsPath(), 'utf8')) as Credentials;
  const ferry = async (...args: string[]) => {
    const result = await runCli(['--workspace', workspace, ...args], { env });
    outputs.push(result);
    return result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-auth-'));
    await generateExport({ outDir: join(dir, 'export'), records: 10, seed: 4 });
    sim = await startBackdocketSim({ exportDir: join(dir, 'export'), auth: 'oauth', port: 0 });
    workspace = join(dir, 'workspace');
    // No BACKDOCKET_TOKEN: the sign-in is the only credential.
    env = { FERRY_CONFIG_DIR: join(dir, 'config'), BACKDOCKET_TOKEN: '' };
    expect((await ferry('init', '--source', sim.url)).code).toBe(0);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('without a sign-in, extract stops with what to run', async () => {
    const result = await ferry('extract');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ferry source login');
  });

  it('signs in: discovery, dynamic registration, PKCE and a loopback redirect; tokens kept 0600 outside the workspace', async () => {
    const result = await login(workspace, env);
    outputs.push(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Signed in to ${sim.url}`);
    const url = new URL(result.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.oauth?.counts).toMatchObject({ registered: 1, authorized: 1, codeGrants: 1 });
    expect(statSync(credentialsPath()).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'config')).mode & 0o777).toBe(0o700);
    const stored = credentials().servers[sim.url.replace(/\/$/, '')];
    expect(stored?.tokens?.access_token).toMatch(/^bd_at_/);
  });

  it('the server really checks PKCE: a code exchanged with the wrong verifier is refused', async () => {
    const client = credentials().servers[sim.url.replace(/\/$/, '')]?.client;
    if (!client) throw new Error('no client was registered');
    const base = new URL('/', sim.url);
    const authorize = new URL('/authorize', base);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0]!,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(new URL('/token', base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: client.client_id,
        code_verifier: 'not-the-verifier-of-that-challenge-not-the-verifier-of-it',
        redirect_uri: client.redirect_uris[0]!,
      }),
    });
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('inspects and extracts with the stored sign-in, and refreshes an expired access token', async () => {
    const inspect = await ferry('source', 'inspect', '--json');
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout).auth).toBe('oauth');
    const before = credentials().servers[sim.url.replace(/\/$/, '')]?.tokens?.access_token;
    sim.advanceClock(2 * 3600);
    const extract = await ferry('extract');
    expect(extract.code, extract.stderr).toBe(0);
    expect(sim.oauth?.counts.refreshGrants).toBeGreaterThanOrEqual(1);
    const after = credentials().servers[sim.url.replace(/\/$/, '')]?.tokens?.access_token;
    expect(after).not.toBe(before);
  });

  it('no token ever reaches the workspace or the output', () => {
    const issued = sim.oauth?.issuedTokens() ?? [];
    expect(issued.length).toBeGreaterThan(2);
    const stored = Object.values(credentials().servers).flatMap((server) => [
      server.tokens?.access_token,
      server.tokens?.refresh_token,
    ]);
    for (const token of [...issued, ...stored]) {
      if (typeof token !== 'string') continue;
      expect(filesContaining(workspace, token)).toEqual([]);
      for (const output of outputs) expect(output.stdout + output.stderr).not.toContain(token);
    }
  });

  it('logout forgets the sign-in', async () => {
    const result = await ferry('source', 'logout');
    expect(result.code).toBe(0);
    expect(credentials().servers[sim.url.replace(/\/$/, '')]).toBeUndefined();
  });
});
