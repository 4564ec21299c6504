/**
 * `npm run bench`: runs every benchmark section and writes docs/benchmarks.md with the machine, the
 * command and the date. Each section lives in bench/<name>.bench.ts and exports `run()`.
 * Run one: npx tsx bench/run.ts extract
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

const sections: BenchSection[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const module = (await import(pathToFileURL(join(benchDir, file)).href)) as {
    run: () => Promise<BenchSection>;
  };
  sections.push(await module.run());
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const doc = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
  `Machine: ${machine}. The machines are shared and noisy: compare ratios measured in the same run.`,
  '',
  ...sections.flatMap((section) => [
    `## ${section.title}`,
    '',
    `Command: \`${section.command}\``,
    '',
    section.markdown,
    '',
  ]),
].join('\n');
const target = only.length === 0 ? 'benchmarks.md' : `benchmarks-${only.join('-')}.md`;
writeFileSync(join(benchDir, '..', 'docs', target), doc);
process.stderr.write(`bench: wrote docs/${target}\n`);
