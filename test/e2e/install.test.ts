/**
 * The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a temporary prefix
 * (production dependencies only), then `ferry` from that prefix in a folder outside the repository.
 *
 * npm resolves the tarball's dependencies afresh (a tarball's own lock file is not used). Ferry pins its
 * production dependencies exactly, so the installed better-sqlite3 is the release this checkout tested; with no
 * prebuilt binary to download here it would compile from source (about 100 s on a loaded two-core machine), so
 * the test seeds a local prebuild from this checkout's own compiled driver (better-sqlite3's prebuilt-binary
 * mechanism, keyed by its version, the Node ABI and the platform) in the user's cache folder.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** What `npm pack` reads: the manifest, the build configuration and the sources. */
const PACK_INPUTS = [
  'package.json',
  'package-lock.json',
  'README.md',
  'LICENSE',
  'tsconfig.json',
  'tsconfig.build.json',
  'bin',
  'src',
];
/** npm's codes for a registry it could not reach (the dependencies are resolved there, see above). */
const NETWORK_ERRORS = /npm error code (ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)/;
const PREBUILDS = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ferry-tests', 'prebuilds');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function manifestOf(root: string): { version: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
}

/** The file name prebuild-install looks for in a local prebuilds folder. */
function prebuildName(version: string): string {
  return `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
}

/** Keeps an installed, compiled better-sqlite3 as a local prebuild for the next install. */
async function keepPrebuild(packageDir: string): Promise<void> {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = join(PREBUILDS, prebuildName(version));
  if (existsSync(target) || !existsSync(join(packageDir, 'build', 'Release', 'better_sqlite3.node'))) return;
  mkdirSync(PREBUILDS, { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  const tar = await run('tar', ['-czf', partial, 'build/Release/better_sqlite3.node'], { cwd: packageDir });
  if (tar.code === 0) renameSync(partial, target);
  else rmSync(partial, { force: true });
}

const scratch = mkdtempSync(join(tmpdir(), 'ferry-install-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('ferry installed from the packed tarball', () => {
  it('packs, installs with npm install -g into a prefix and runs generate → init → extract elsewhere', async (context) => {
    // `npm pack` runs in a copy so that its clean build does not pull dist/ from under the other test files.
    const source = join(scratch, 'source');
    for (const input of PACK_INPUTS) cpSync(join(repo, input), join(source, input), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(source, 'node_modules'), 'dir');
    const pack = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: source });
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = packed!.files.map((file) => file.path);
    expect(shipped).toContain('bin/ferry.js');
    expect(shipped).toContain('dist/cli/main.js');
    // Compiled code, its maps and types, and the manifest: no tests, fixtures, benchmarks or TypeScript.
    const unexpected = shipped.filter(
      (path) =>
        !/^dist\/.+\.(js|js\.map|d\.ts)$/.test(path) &&
        !['bin/ferry.js', 'package.json', 'README.md', 'LICENSE'].includes(path),
    );
    expect(unexpected).toEqual([]);
    expect(shipped.filter((path) => /\.test\.|fixtures|bench|(^|\/)test\//.test(path))).toEqual([]);

    // The pin makes npm pick this checkout's better-sqlite3 release, so its compiled driver serves.
    await keepPrebuild(join(repo, 'node_modules', 'better-sqlite3'));
    const prefix = join(scratch, 'prefix');
    const install = await run(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--allow-scripts=better-sqlite3',
        join(scratch, packed!.filename),
      ],
      { cwd: scratch, env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: PREBUILDS } },
    );
    if (install.code !== 0 && NETWORK_ERRORS.test(install.stderr)) {
      process.stderr.write(`install test skipped: the npm registry is not reachable\n${install.stderr}\n`);
      context.skip();
    }
    expect(install.code, install.stderr).toBe(0);
    const installed = join(prefix, 'lib', 'node_modules', 'ferry');
    await keepPrebuild(join(installed, 'node_modules', 'better-sqlite3'));
    // Production dependencies are pinned: the install holds exactly the releases this checkout tested.
    const versionOf = (root: string, name: string) =>
      (
        JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    for (const name of Object.keys(manifestOf(repo).dependencies)) {
      expect(versionOf(installed, name), name).toBe(versionOf(repo, name));
    }
    for (const devOnly of ['tsx', 'typescript', 'vitest', '@biomejs/biome']) {
      expect(existsSync(join(installed, 'node_modules', devOnly)), devOnly).toBe(false);
    }

    // From a folder outside the repository, with only the prefix's bin and node on the PATH.
    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere);
    const env = {
      HOME: process.env.HOME,
      PATH: [join(prefix, 'bin'), dirname(process.execPath)].join(delimiter),
      FORCE_COLOR: '0',
    };
    const ferry = (...args: string[]) => run('ferry', args, { cwd: elsewhere, env });

    const version = await ferry('--version');
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(manifestOf(repo).version);

    const generate = await ferry('generate', '--out', 'export', '--records', '20', '--seed', '5', '--json');
    expect(generate.code, generate.stderr).toBe(0);
    const generated = JSON.parse(generate.stdout) as { files: { file: string; rows: number }[] };
    const rows = generated.files.reduce((sum, file) => sum + file.rows, 0);

    const init = await ferry('init', '--source', 'export');
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'ferry.yaml'))).toBe(true);

    // A file-backed workspace: rows go through the writer thread, documents through the hashing thread.
    const extract = await ferry('extract', '--json');
    expect(extract.code, extract.stderr).toBe(0);
    const extracted = JSON.parse(extract.stdout) as { files: { file: string; rowCount: number }[] };
    expect(extracted.files.map((file) => [file.file, file.rowCount]).sort()).toEqual(
      generated.files.map((file) => [file.file, file.rows]).sort(),
    );
    expect(existsSync(join(elsewhere, '.ferry'))).toBe(true);

    const status = await ferry('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { extract: { rows: number } }).extract.rows).toBe(rows);
  }, 900_000);
});
