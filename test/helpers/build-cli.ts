/**
 * Builds dist/ (what `bin/ferry.js` runs) from the current sources before tests or benchmarks spawn the CLI,
 * so they exercise the compiled JavaScript a user installs, never a stale build. Vitest runs it once per
 * run as a globalSetup; benchmarks call `buildCli()`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** tsc's incremental state; its time stamp says when dist/ was last built. */
const BUILD_INFO = join(repo, 'dist', '.tsbuildinfo');
/** tsc's exit status when it found type errors and still wrote every file. */
const EMITTED_WITH_ERRORS = 2;

/** The newest modification time among the files the build reads. */
function newestInput(): number {
  let newest = 0;
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    newest = Math.max(newest, statSync(join(repo, file)).mtimeMs);
  }
  for (const entry of readdirSync(join(repo, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Runs `tsc -p tsconfig.build.json` unless dist/ is newer than every source (a few milliseconds instead of
 * tsc's two seconds when nothing changed). Type errors do not stop the tests, as they did not when the CLI ran
 * through tsx: the JavaScript is written anyway and `npm run typecheck` is what reports them.
 */
export function buildCli(): void {
  if (existsSync(BUILD_INFO) && statSync(BUILD_INFO).mtimeMs >= newestInput()) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--pretty', 'false'], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (result.status === 0) {
    // An incremental build that found nothing to do leaves the file alone; mark dist/ as current.
    const now = new Date();
    utimesSync(BUILD_INFO, now, now);
    return;
  }
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status === EMITTED_WITH_ERRORS) {
    process.stderr.write(`build-cli: dist/ written despite type errors (npm run typecheck):\n${output}\n`);
    return;
  }
  throw new Error(`Building dist/ failed (tsc exit ${result.status ?? result.signal}):\n${output}`);
}

export default function setup(): void {
  buildCli();
}
