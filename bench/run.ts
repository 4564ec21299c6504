/**
 * `npm run bench`: runs every benchmark section and writes docs/benchmarks.md with the machine, the
 * command and the date of each. Each section lives in bench/<name>.bench.ts and exports `run()`.
 * Run one (its section in docs/benchmarks.md is replaced, the others kept): npx tsx bench/run.ts extract
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCli } from '../test/helpers/build-cli.ts';

/** What a benchmark returns: a titled Markdown section that says what was run and what was seen. */
export interface BenchSection {
  readonly title: string;
  /** The command that reproduces this section alone. */
  readonly command: string;
  readonly markdown: string;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
  .sort();

// Sections that spawn bin/ferry.js run dist/: build it from the current sources first.
buildCli();
const sections: BenchSection[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const module = (await import(pathToFileURL(join(benchDir, file)).href)) as {
    run: () => Promise<BenchSection>;
  };
  sections.push(await module.run());
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const today = new Date().toISOString().slice(0, 10);
const target = join(benchDir, '..', 'docs', 'benchmarks.md');
const previous = existsSync(target) ? readSections(readFileSync(target, 'utf8')) : new Map<string, string>();
// A run of some sections replaces those and keeps the others, each with the date and machine it ran on.
for (const section of sections) {
  previous.set(
    section.title,
    [
      `## ${section.title}`,
      '',
      `Command: \`${section.command}\` · run on ${today} · ${machine}`,
      '',
      section.markdown.trim(),
      '',
    ].join('\n'),
  );
}
const doc = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (all sections) or `npx tsx bench/run.ts NAME` (one section, the others kept).',
  'The machines are shared and noisy: compare ratios measured in the same run, not figures across sections.',
  '',
  ...previous.values(),
].join('\n');
writeFileSync(target, doc);
process.stderr.write('bench: wrote docs/benchmarks.md\n');

/** The `## ` sections of an earlier benchmarks.md, by title. */
function readSections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/^(?=## )/m).slice(1)) {
    const title = part.slice(3, part.indexOf('\n')).trim();
    out.set(title, part.trimEnd().concat('\n'));
  }
  return out;
}
