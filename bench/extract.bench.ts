/**
 * `ferry extract` throughput and memory on an export of about 1,000,000 rows, against a bare csv-parse
 * pass over the same files in the same run. Each side runs in its own child process to read its peak RSS.
 * Run alone: npx tsx bench/run.ts extract   (EXTRACT_BENCH_ROWS=200000 for a quicker run)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSection } from './run.ts';

const TARGET_ROWS = Number(process.env.EXTRACT_BENCH_ROWS ?? 1_000_000);
const repo = fileURLToPath(new URL('..', import.meta.url));

interface Measure {
  readonly rows: number;
  readonly ms: number;
  readonly maxRssMb: number;
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-extract-'));
  try {
    const exportDir = process.env.EXTRACT_BENCH_KEEP ?? join(dir, 'export');
    const source = await buildExport(exportDir);
    const bytes = readdirSync(exportDir)
      .filter((n) => n.endsWith('.csv'))
      .reduce((n, f) => n + statSync(join(exportDir, f)).size, 0);
    // The machines are shared: bare passes run before and after the first extract, and the ratio uses
    // their mean, so a load change during the run skews it less.
    const bareBefore = child(['bare', exportDir]);
    const ferry = child(['ferry', exportDir, join(dir, 'ferry.db')]);
    const bareAfter = child(['bare', exportDir]);
    const rerun = child(['ferry', exportDir, join(dir, 'ferry.db')]);
    const bare: Measure = {
      rows: bareBefore.rows,
      ms: (bareBefore.ms + bareAfter.ms) / 2,
      maxRssMb: Math.max(bareBefore.maxRssMb, bareAfter.maxRssMb),
    };
    const rate = (m: Measure) => Math.round(m.rows / (m.ms / 1000)).toLocaleString('en-US');
    const ratio = (ferry.ms / bare.ms).toFixed(2);
    const markdown = [
      `Export: ${source}; ${ferry.rows.toLocaleString('en-US')} rows in ${readdirSync(exportDir).filter((n) => n.endsWith('.csv')).length} CSV files, ${(bytes / 2 ** 20).toFixed(0)} MiB.`,
      '',
      '| pass | rows | seconds | rows/s | peak RSS (MB) |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| bare csv-parse (floor, mean of 2) | ${bare.rows.toLocaleString('en-US')} | ${(bare.ms / 1000).toFixed(1)} | ${rate(bare)} | ${bare.maxRssMb.toFixed(0)} |`,
      `| ferry extract (first, into SQLite) | ${ferry.rows.toLocaleString('en-US')} | ${(ferry.ms / 1000).toFixed(1)} | ${rate(ferry)} | ${ferry.maxRssMb.toFixed(0)} |`,
      `| ferry extract (re-run, no changes) | ${rerun.rows.toLocaleString('en-US')} | ${(rerun.ms / 1000).toFixed(1)} | ${rate(rerun)} | ${rerun.maxRssMb.toFixed(0)} |`,
      '',
      `Ferry / bare parse: **${ratio}×** (aim: within 3×). Peak RSS budget: 500 MB (${ferry.maxRssMb < 500 && rerun.maxRssMb < 500 ? 'met' : 'NOT met'}).`,
      'Ferry does per row: decoding, header/artefact checks, mojibake repair, profiling every cell, SHA-1 content hash',
      'and JSON; a writer thread inserts the rows into SQLite meanwhile. The cross-file checks then re-read only the',
      'columns they use (claims, contacts, staff, history, documents and the files that name staff), and hash every document.',
    ].join('\n');
    return { title: 'Extract (~1M rows)', command: 'npx tsx bench/run.ts extract', markdown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function child(args: string[]): Measure {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repo, 'bench', 'extract-child.ts'), ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (result.status !== 0) throw new Error(`bench child failed (${args[0]}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Measure;
}

/** The generator when it exists (about 33 rows per claim), otherwise a synthetic export of the same shape. */
async function buildExport(outDir: string): Promise<string> {
  const generator = join(repo, 'src', 'source', 'backdocket', 'generate', 'index.ts');
  if (existsSync(generator)) {
    const module = (await import(pathToFileURL(generator).href)) as {
      generateExport?: (options: { outDir: string; records: number; seed: number }) => Promise<unknown>;
    };
    if (module.generateExport) {
      // About 33 rows per claim across the export set (measured at 300 claims).
      const records = Math.round(TARGET_ROWS / 33);
      await module.generateExport({ outDir, records, seed: 7 });
      return `ferry generate, ${records.toLocaleString('en-US')} claims, seed 7`;
    }
  }
  writeSynthetic(outDir, TARGET_ROWS);
  return 'synthetic (bench/extract.bench.ts)';
}

export function writeSynthetic(outDir: string, total: number): void {
  mkdirSync(outDir, { recursive: true });
  const claims = Math.round(total * 0.07);
  const contacts = Math.round(total * 0.1);
  const shares = { notes: 0.38, billing: 0.3, tasks: 0.15 };
  const write = (name: string, header: string[], count: number, row: (i: number) => (string | number)[]) => {
    const lines: string[] = [header.join(',')];
    for (let i = 1; i <= count; i += 1) lines.push(row(i).map(csvCell).join(','));
    writeFileSync(join(outDir, name), `${lines.join('\r\n')}\r\n`);
  };
  const names = [
    'Maria Gonzalez',
    'Earl Price',
    'José Muñoz',
    'Dana Whitfield',
    'Tina O’Neil',
    'Marco Reyes',
  ];
  const statuses = ['Active w/Contract', 'Chase Call', 'No Decision', 'Closed', 'Rejected', 'Referred'];
  write(
    'contacts.csv',
    [
      'Contact ID',
      'First Name',
      'Last Name',
      'Email',
      'Mobile Phone',
      'City',
      'Zip',
      'Date of Birth',
      'Notes',
    ],
    contacts,
    (i) => [
      i,
      names[i % 6]?.split(' ')[0] ?? '',
      `${names[i % 6]?.split(' ')[1]}${i}`,
      `c${i}@example.com`,
      `(713) 555-${String(i % 10000).padStart(4, '0')}`,
      'Houston',
      String(77000 + (i % 100)),
      `0${(i % 9) + 1}/1${i % 9}/19${50 + (i % 49)}`,
      i % 7 === 0 ? 'Prefers text; Spanish' : '',
    ],
  );
  const adHoc = Array.from({ length: 30 }, (_, k) => `${['Auto', 'WC', 'Mass Tort'][k % 3]}: Field ${k}`);
  write(
    'claims.csv',
    [
      'Claim ID',
      'Claim Number',
      'Claim Name',
      'Claim Type',
      'Status',
      'Client Contact ID',
      'Lead Attorney',
      'Date of Incident',
      'Settlement Amount',
      'Attorney Fee %',
      'Active',
      ...adHoc,
    ],
    claims,
    (i) => [
      i,
      `BD-2021-${i}`,
      `${names[i % 6]} v. Lone Star Freight`,
      ['Auto', 'Workers Comp', 'Mass Tort'][i % 3] ?? '',
      statuses[i % 6] ?? '',
      (i % contacts) + 1,
      names[(i % 3) + 3] ?? '',
      `${(i % 12) + 1}/${(i % 28) + 1}/2021`,
      i % 4 === 0 ? `$${(i * 13) % 90000},000.00` : '',
      '33 1/3%',
      i % 2 ? 'Yes' : 'Y',
      ...adHoc.map((_, k) => (k % 3 === i % 3 && k < 12 ? `value ${i % 50}` : '')),
    ],
  );
  write(
    'notes.csv',
    ['Note ID', 'Claim ID', 'Contact ID', 'Note Type', 'Subject', 'Note', 'Created By', 'Created Date'],
    Math.round(total * shares.notes),
    (i) => [
      i,
      (i % claims) + 1,
      i % 5 === 0 ? (i % contacts) + 1 : '',
      'Phone Call In',
      'Client update',
      `Called adjuster re: claim ${i}. Left voicemail; will follow up next week.${i % 9 === 0 ? '\r\nSecond line with "quotes".' : ''} Treatment ongoing at Memorial Hermann.`,
      names[i % 6] ?? '',
      `2021-04-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00`,
    ],
  );
  write(
    'billing_entries.csv',
    [
      'Entry ID',
      'Claim ID',
      'Entry Date',
      'Entry Type',
      'Description',
      'Staff',
      'Hours',
      'Rate',
      'Amount',
      'Billable',
      'Invoice No.',
    ],
    Math.round(total * shares.billing),
    (i) => [
      i,
      (i % claims) + 1,
      `04/${String((i % 28) + 1).padStart(2, '0')}/2021`,
      'Time Entry',
      'Call w/ client re: treatment',
      names[i % 6] ?? '',
      i % 3 ? '0.3' : '0:18',
      '$350.00',
      `$${(i % 900) + 100}.00`,
      i % 2 ? 'Y' : 'N',
      `INV-${i % 5000}`,
    ],
  );
  write(
    'tasks.csv',
    ['Task ID', 'Claim ID', 'Subject', 'Assigned To', 'Due Date', 'Status', 'Priority'],
    Math.round(total * shares.tasks),
    (i) => [
      i,
      (i % claims) + 1,
      'Request medical records',
      names[i % 6] ?? '',
      `2021-05-${String((i % 28) + 1).padStart(2, '0')}`,
      i % 2 ? 'Open' : 'Done',
      'Normal',
    ],
  );
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
