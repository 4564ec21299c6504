import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FERRY_BIN } from '../helpers/run-cli.ts';

/** Starts `ferry sim` and resolves with the child and the first stdout line (the --json document). */
function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [FERRY_BIN, ...args], {
    env: { ...process.env, PIPEDRIVE_API_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`ferry sim exited with ${code}: ${stderr}`)));
  });
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, firstLine, exited };
}

describe('ferry sim (real CLI)', () => {
  it('starts on a free port, prints url and token as JSON, answers, and saves --state on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sim-cli-'));
    const stateFile = join(dir, 'sim.json');
    const { child, firstLine, exited } = startCli([
      'sim',
      '--port',
      '0',
      '--json',
      '--plan',
      'premium',
      '--seats',
      '3',
      '--seed',
      'cli',
      '--state',
      stateFile,
    ]);
    try {
      const doc = JSON.parse(await firstLine) as { url: string; token: string; plan: string; seats: number };
      expect(doc).toMatchObject({ plan: 'premium', seats: 3 });
      expect(doc.token).toMatch(/^[0-9a-f]{40}$/);
      expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const created = await fetch(`${doc.url}/api/v2/persons`, {
        method: 'POST',
        headers: { 'x-api-token': doc.token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'From CLI' }),
      });
      expect(created.status).toBe(200);
      expect(created.headers.get('x-daily-ratelimit-token-limit')).toBe(String(30_000 * 5 * 3));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(stateFile)).toBe(true);
    expect(readFileSync(stateFile, 'utf8')).toContain('From CLI');
  });

  it('uses --token and prints human-readable lines without --json', async () => {
    const { child, firstLine, exited } = startCli(['sim', '--port', '0', '--token', 'given-token-123456']);
    try {
      const line = await firstLine;
      expect(line).toMatch(/^Pipedrive simulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice(line.indexOf('http'));
      const ok = await fetch(`${url}/v1/users/me`, { headers: { 'x-api-token': 'given-token-123456' } });
      expect(ok.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --faults spec with a usage error naming the part', async () => {
    const { exited, child } = startCli(['sim', '--port', '0', '--faults', '5xx=7']);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    expect(await exited).toBe(2);
    expect(stderr).toContain('--faults "5xx=7"');
  });
});
