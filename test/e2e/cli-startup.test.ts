import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FERRY_BIN, runCli } from '../helpers/run-cli.ts';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

// A module hook that names every file the process loads (ES modules: Ferry's own code and its imports).
const HOOKS = `export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n');
  return next(url, context);
}`;
const TRACE = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

/** Runs the built CLI and returns the dist/ modules it loaded, relative to dist/. */
function distModulesLoadedBy(args: readonly string[], cwd: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(TRACE)}`, FERRY_BIN, ...args],
      { cwd, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ferry ${args.join(' ')} exited ${code}:\n${stderr}`));
      const loaded = [...stderr.matchAll(/^loaded (file:\S+)$/gm)].map((match) => fileURLToPath(match[1]!));
      resolve(loaded.filter((path) => path.startsWith(dist)).map((path) => path.slice(dist.length)));
    });
  });
}

describe('ferry starts from compiled JavaScript and loads only what a command needs', () => {
  it('prints the package version', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it('loads no command module for --version', async () => {
    const loaded = await distModulesLoadedBy(['--version'], tmpdir());
    expect(loaded).toContain('cli/main.js');
    expect(loaded.filter((path) => path.startsWith('cli/commands/'))).toEqual(['cli/commands/index.js']);
    expect(loaded.every((path) => path.startsWith('cli/') || path.startsWith('core/'))).toBe(true);
  });

  it('loads status without the other commands, the client, the simulator or the web UI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-startup-'));
    mkdirSync(join(dir, 'export'));
    expect((await runCli(['init', '--source', 'export'], { cwd: dir })).code).toBe(0);
    const loaded = await distModulesLoadedBy(['--workspace', dir, 'status', '--json'], dir);
    expect(loaded).toContain('cli/commands/status.js');
    expect(loaded.filter((path) => path.startsWith('cli/commands/'))).toEqual([
      'cli/commands/index.js',
      'cli/commands/status.js',
    ]);
    for (const part of ['sim/', 'web/', 'demo/', 'pipedrive/', 'verify/', 'report/']) {
      expect(loaded.filter((path) => path.startsWith(part))).toEqual([]);
    }
  });

  it('shows a lazily loaded command’s own help, and suggests a command for a misspelt one', async () => {
    const help = await runCli(['help', 'migrate']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--sample <n>');
    const typo = await runCli(['statsu']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'statsu'");
    expect(typo.stderr).toContain('(Did you mean status?)');
  });
});

describe('a reader that leaves early', () => {
  it('does not turn a closed stdout into a crash (`ferry status | head -1`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-epipe-'));
    mkdirSync(join(dir, 'export'));
    expect((await runCli(['init', '--source', 'export'], { cwd: dir })).code).toBe(0);
    const child = spawn(process.execPath, [FERRY_BIN, '--workspace', dir, 'status'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // Like `head -1`: read the first line, then close the pipe while status is still writing.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
