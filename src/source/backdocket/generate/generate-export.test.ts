import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_QUALITY_PROBLEMS } from '../problems.ts';
import { type GenerateResult, generateExport } from './index.ts';
import {
  type Manifest,
  type ManifestInjection,
  type ParsedFile,
  readGenerated,
  readManifest,
  referenceHeaders,
} from './test-support.ts';

const REFERENCE = fileURLToPath(
  new URL('../../../../../shared/reference/backdocket-exports.md', import.meta.url),
);

const FILES = [
  'staff.csv',
  'companies.csv',
  'contacts.csv',
  'claim_types.csv',
  'claim_type_fields.csv',
  'claims.csv',
  'claim_contacts.csv',
  'claim_staff.csv',
  'claim_status_history.csv',
  'intake_submissions.csv',
  'calendar_events.csv',
  'tasks.csv',
  'notes.csv',
  'documents.csv',
  'billing_entries.csv',
  'check_approvals.csv',
  'document_templates.csv',
];

/** The column whose value is an injection's `sourceKey`, per file. */
const KEY_OF: Record<string, (get: (column: string) => string) => string> = {
  'staff.csv': (get) => get('Staff ID'),
  'companies.csv': (get) => get('Company ID'),
  'contacts.csv': (get) => get('Contact ID'),
  'claims.csv': (get) => get('Claim ID'),
  'claim_contacts.csv': (get) => `${get('Claim ID')}:${get('Contact ID')}`,
  'claim_status_history.csv': (get) => get('Claim ID'),
  'calendar_events.csv': (get) => get('Event ID'),
  'tasks.csv': (get) => get('Task ID'),
  'notes.csv': (get) => get('Note ID'),
  'documents.csv': (get) => get('Document ID'),
  'billing_entries.csv': (get) => get('Entry ID'),
};

/** Codes whose `detail` quotes the dirty cell itself. */
const DETAIL_QUOTES_CELL = new Set([
  'percent_variant',
  'currency_string',
  'hours_format',
  'mixed_date_formats',
  'inconsistent_boolean',
  'excel_mangling',
  'status_spelling_drift',
  'multi_value_cell',
]);

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

function foldStatus(status: string): string {
  return status
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace('w/ contract', 'w/contract')
    .replace('with contract', 'w/contract');
}

function money(text: string): number {
  const negative = text.startsWith('(') || text.startsWith('-');
  const value = Number(text.replace(/[$,()\-\s]/g, ''));
  return negative ? -value : value;
}

describe('generateExport', () => {
  let dir: string;
  let result: GenerateResult;
  let manifest: Manifest;
  const parsed = new Map<string, ParsedFile>();
  const file = (name: string): ParsedFile => {
    let f = parsed.get(name);
    if (!f) {
      const meta = manifest.files[name];
      if (!meta) throw new Error(`${name} not in the manifest`);
      f = readGenerated(dir, name, meta);
      parsed.set(name, f);
    }
    return f;
  };
  const injectedAt = (code: string, name: string) =>
    new Set(manifest.injected.filter((i) => i.code === code && i.file === name).map((i) => i.line));

  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'ferry-gen-')), 'export');
    result = await generateExport({ outDir: dir, records: 300, seed: 20240501 });
    manifest = readManifest(dir);
  }, 60_000);

  it('is byte-identical for the same seed and differs for another seed', async () => {
    const again = join(mkdtempSync(join(tmpdir(), 'ferry-gen-')), 'export');
    await generateExport({ outDir: again, records: 300, seed: 20240501 });
    const a = hashTree(dir);
    const b = hashTree(again);
    expect(a.size).toBeGreaterThan(FILES.length + 100);
    expect([...b.entries()]).toEqual([...a.entries()]);

    const other = join(mkdtempSync(join(tmpdir(), 'ferry-gen-')), 'export');
    await generateExport({ outDir: other, records: 300, seed: 7 });
    expect(hashTree(other).get('claims.csv')).not.toEqual(a.get('claims.csv'));
  }, 60_000);

  it('writes every file of the export set, with the rows the result and the manifest report', () => {
    expect(result.files.map((f) => f.file)).toEqual(FILES);
    expect(manifest).toMatchObject({ generator: 'ferry', version: 1, seed: 20240501, records: 300 });
    for (const { file: name, rows } of result.files) {
      expect(manifest.files[name]?.rows, name).toBe(rows);
      const data = file(name).rows.filter(
        (r) =>
          !(name === 'billing_entries.csv' && (r.cells[5] === 'Total' || r.cells[0]?.startsWith('Page '))),
      );
      expect(data.length, name).toBe(rows);
    }
    expect(manifest.files['staff.csv']).toMatchObject({ bom: true, encoding: 'utf-8' });
    expect(manifest.files['companies.csv']).toMatchObject({ bom: false, encoding: 'windows-1252' });
    expect(readFileSync(join(dir, 'staff.csv')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // Excel line endings everywhere: no bare LF outside quoted cells either.
    for (const name of FILES) expect(/[^\r]\n/.test(file(name).text), name).toBe(false);
    const counts = Object.fromEntries(result.files.map((f) => [f.file, f.rows]));
    expect(counts['staff.csv']).toBe(8);
    expect(counts['contacts.csv']).toBe(750);
    expect(counts['companies.csv']).toBe(90);
    expect(counts['claim_types.csv']).toBe(22);
    expect(counts['calendar_events.csv']).toBe(900);
    expect(counts['tasks.csv']).toBe(1200);
    expect(counts['notes.csv']).toBe(1800);
    expect(counts['documents.csv']).toBe(450);
    expect(counts['billing_entries.csv']).toBe(1500);
    expect(counts['check_approvals.csv']).toBe(150);
    expect(counts['claim_status_history.csv']).toBeGreaterThan(600);
    expect(counts['document_templates.csv']).toBeGreaterThanOrEqual(15);
  });

  it.skipIf(!existsSync(REFERENCE))('writes the headers of backdocket-exports.md §5 exactly', () => {
    const reference = referenceHeaders(readFileSync(REFERENCE, 'utf8'));
    const withExtras = new Set(['claims.csv', 'intake_submissions.csv']);
    let compared = 0;
    for (const name of FILES) {
      const expected = reference.get(name);
      if (!expected) continue;
      compared += 1;
      const header = file(name).header;
      if (withExtras.has(name)) expect(header.slice(0, expected.length), name).toEqual(expected);
      else expect(header, name).toEqual(expected);
    }
    expect(compared).toBe(16);
    const claims = file('claims.csv').header;
    expect(claims.filter((h) => h === 'Notes')).toHaveLength(2);
    expect(claims).toContain('Auto: Vehicle Year');
    expect(claims).toContain('WC: Date of Injury');
    expect(file('intake_submissions.csv').header.some((h) => h.startsWith('Q: '))).toBe(true);
  });

  it('injects all 24 problems, each counted, with the codes of problems.ts', () => {
    const codes = new Set(manifest.injected.map((i) => i.code));
    expect([...codes].sort()).toEqual(DATA_QUALITY_PROBLEMS.map((p) => p.code).sort());
    const counted: Record<string, number> = {};
    for (const i of manifest.injected) counted[i.code] = (counted[i.code] ?? 0) + 1;
    expect(manifest.counts).toEqual(counted);
    expect(result.injectedCounts).toEqual(counted);
  });

  it('points every row-level injection at the physical line of the row with its sourceKey', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const injection of manifest.injected) {
      if (injection.line === undefined || injection.sourceKey === undefined) continue;
      const keyOf = KEY_OF[injection.file];
      if (!keyOf) {
        problems.push(`no key rule for ${injection.file}`);
        continue;
      }
      const row = file(injection.file).rows.find((r) => r.line === injection.line);
      if (!row) {
        problems.push(`${injection.code} ${injection.file}:${injection.line}: no row starts there`);
        continue;
      }
      if (keyOf(row.get) !== injection.sourceKey)
        problems.push(
          `${injection.code} ${injection.file}:${injection.line}: key ${keyOf(row.get)} ≠ ${injection.sourceKey}`,
        );
      if (injection.column && DETAIL_QUOTES_CELL.has(injection.code)) {
        const cell = row.get(injection.column);
        const detail =
          injection.code === 'status_spelling_drift'
            ? (JSON.parse(injection.detail) as string)
            : injection.detail;
        if (cell === '' || !detail.includes(cell))
          problems.push(
            `${injection.code} ${injection.file}:${injection.line} [${injection.column}] ${JSON.stringify(cell)} vs ${injection.detail}`,
          );
      }
      checked += 1;
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('marks the report artefacts, the duplicate header and the multi-line cells where they are', () => {
    const billing = file('billing_entries.csv');
    const physical = billing.text.split('\r\n');
    const artefacts = manifest.injected.filter((i) => i.code === 'report_artefact');
    expect(artefacts.map((a) => physical[(a.line ?? 0) - 1]?.split(',').find((c) => c !== ''))).toEqual([
      'Smith Law Firm — Claim Ledger Report',
      'Total',
      'Page 1 of 1',
    ]);
    const duplicate = manifest.injected.find((i) => i.code === 'duplicate_header');
    expect(duplicate).toMatchObject({ file: 'claims.csv', line: 1, column: 'Notes' });
    const multiLine = manifest.injected.filter((i) => i.code === 'embedded_newline');
    expect(multiLine.length).toBeGreaterThan(10);
    for (const injection of multiLine) {
      const row = file(injection.file).rows.find((r) => r.line === injection.line);
      expect(row?.get(injection.column ?? '')).toContain('\r\n');
    }
  });

  it('keeps every reference intact apart from the injected orphans and truncation', () => {
    const ids = (name: string, column: string) => new Set(file(name).rows.map((r) => r.get(column)));
    const staffIds = ids('staff.csv', 'Staff ID');
    const staffNames = new Set(
      file('staff.csv').rows.map((r) => `${r.get('First Name')} ${r.get('Last Name')}`),
    );
    const contacts = ids('contacts.csv', 'Contact ID');
    const companies = ids('companies.csv', 'Company ID');
    const claims = ids('claims.csv', 'Claim ID');
    const broken: string[] = [];
    const expectIn = (set: Set<string>, value: string, where: string) => {
      if (value !== '' && !set.has(value)) broken.push(`${where}: ${value}`);
    };
    for (const row of file('claims.csv').rows) {
      expectIn(contacts, row.get('Client Contact ID'), `claims:${row.line}`);
      expectIn(staffNames, row.get('Lead Attorney'), `claims:${row.line}`);
      expectIn(staffNames, row.get('Case Manager'), `claims:${row.line}`);
    }
    const clients = new Map(
      file('claims.csv').rows.map((r) => [r.get('Claim ID'), r.get('Client Contact ID')]),
    );
    const clientRows = new Map<string, string>();
    for (const row of file('claim_contacts.csv').rows) {
      expectIn(claims, row.get('Claim ID'), `claim_contacts:${row.line}`);
      expectIn(contacts, row.get('Contact ID'), `claim_contacts:${row.line}`);
      expectIn(companies, row.get('Company ID'), `claim_contacts:${row.line}`);
      if (row.get('Role') === 'Client') clientRows.set(row.get('Claim ID'), row.get('Contact ID'));
    }
    expect(clientRows).toEqual(clients);
    const leads = new Map<string, number>();
    for (const row of file('claim_staff.csv').rows) {
      expectIn(claims, row.get('Claim ID'), `claim_staff:${row.line}`);
      expectIn(staffIds, row.get('Staff ID'), `claim_staff:${row.line}`);
      if (row.get('Is Lead') === 'Y')
        leads.set(row.get('Claim ID'), (leads.get(row.get('Claim ID')) ?? 0) + 1);
    }
    expect([...leads.keys()].sort()).toEqual([...claims].sort());
    expect([...leads.values()].every((n) => n === 1)).toBe(true);
    for (const row of file('contacts.csv').rows)
      expectIn(companies, row.get('Company ID'), `contacts:${row.line}`);

    for (const name of [
      'claim_status_history.csv',
      'intake_submissions.csv',
      'calendar_events.csv',
      'tasks.csv',
      'notes.csv',
      'documents.csv',
      'billing_entries.csv',
      'check_approvals.csv',
    ]) {
      const truncated = injectedAt('truncated_export', name);
      for (const row of file(name).rows) {
        const claim = row.get('Claim ID');
        if (name === 'billing_entries.csv' && row.cells[5] === 'Total') continue;
        if (claim !== '' && !claims.has(claim) && !truncated.has(row.line))
          broken.push(`${name}:${row.line} claim ${claim}`);
      }
    }
    const orphans = injectedAt('orphan_reference', 'notes.csv');
    for (const row of file('notes.csv').rows)
      if (!orphans.has(row.line)) expectIn(contacts, row.get('Contact ID'), `notes:${row.line}`);
    const inactive = new Set(
      file('staff.csv')
        .rows.filter((r) => !['Yes', 'Y', 'TRUE', '1'].includes(r.get('Active')))
        .map((r) => `${r.get('First Name')} ${r.get('Last Name')}`),
    );
    const owned = injectedAt('inactive_staff_owner', 'tasks.csv');
    for (const row of file('tasks.csv').rows) {
      expectIn(staffNames, row.get('Assigned To'), `tasks:${row.line}`);
      if (inactive.has(row.get('Assigned To')) !== owned.has(row.line))
        broken.push(`tasks:${row.line} owner`);
    }
    expect(broken).toEqual([]);
    // The injected ones really are broken.
    expect(manifest.injected.some((i) => i.code === 'truncated_export' && i.file === 'notes.csv')).toBe(true);
    for (const line of orphans) {
      const row = file('notes.csv').rows.find((r) => r.line === line);
      expect(contacts.has(row?.get('Contact ID') ?? '')).toBe(false);
    }
  });

  it('writes status histories as chains ending at the claim status, except the injected gaps', () => {
    const status = new Map(
      file('claims.csv').rows.map((r) => [r.get('Claim ID'), foldStatus(r.get('Status'))]),
    );
    const last = new Map<string, { to: string; line: number }>();
    const breaks: string[] = [];
    for (const row of file('claim_status_history.csv').rows) {
      const claim = row.get('Claim ID');
      const previous = last.get(claim);
      if ((previous?.to ?? '') !== row.get('From Status')) breaks.push(`chain broken at line ${row.line}`);
      last.set(claim, { to: row.get('To Status'), line: row.line });
    }
    const gaps = injectedAt('status_history_gap', 'claim_status_history.csv');
    for (const [claim, current] of status) {
      const end = last.get(claim);
      if (!end) breaks.push(`claim ${claim} has no history`);
      else if ((foldStatus(end.to) !== current) !== gaps.has(end.line))
        breaks.push(`claim ${claim}: history ends at ${end.to}, status ${current}`);
    }
    expect(breaks).toEqual([]);
    expect(gaps.size).toBeGreaterThan(0);
  });

  it('writes every document file with its size and SHA-256, except the injected missing ones', () => {
    const injected = new Map(
      manifest.injected.filter((i) => i.code === 'document_missing').map((i) => [i.line, i] as const),
    );
    const wrong: string[] = [];
    let onDisk = 0;
    for (const row of file('documents.csv').rows) {
      const path = join(dir, row.get('Storage Path'));
      expect(row.get('Storage Path')).toMatch(/^files\/\d+\/[^/]+\/[^/]+\.(pdf|txt)$/);
      const ok =
        existsSync(path) &&
        statSync(path).size > 0 &&
        statSync(path).size === Number(row.get('File Size (bytes)')) &&
        createHash('sha256').update(readFileSync(path)).digest('hex') === row.get('SHA-256');
      if (ok) {
        onDisk += 1;
        const bytes = readFileSync(path);
        if (path.endsWith('.pdf')) expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      }
      if (ok === injected.has(row.line)) wrong.push(`documents.csv:${row.line}`);
    }
    expect(wrong).toEqual([]);
    expect(onDisk).toBeGreaterThan(400);
    const details = new Set([...injected.values()].map((i) => i.detail));
    expect(details).toEqual(new Set(['file missing', 'zero bytes', 'SHA-256 mismatch']));
  });

  it('adds up Net to Client on every settled claim except the injected ones', () => {
    const injected = injectedAt('money_does_not_add_up', 'claims.csv');
    const wrong: number[] = [];
    let settled = 0;
    for (const row of file('claims.csv').rows) {
      if (row.get('Net to Client') === '') continue;
      settled += 1;
      const net =
        money(row.get('Settlement Amount')) -
        money(row.get('Attorney Fee')) -
        money(row.get('Case Costs')) -
        money(row.get('Liens Total'));
      const adds = Math.abs(net - money(row.get('Net to Client'))) < 0.011;
      if (adds === injected.has(row.line)) wrong.push(row.line);
    }
    expect(wrong).toEqual([]);
    expect(settled).toBeGreaterThan(20);
  });

  it('keeps each row-level problem at a realistic rate (at most ~6% of the rows of its file)', () => {
    const perFile = new Map<string, number>();
    for (const i of manifest.injected as ManifestInjection[])
      if (i.line !== undefined && i.sourceKey !== undefined) {
        const key = `${i.code} ${i.file}`;
        perFile.set(key, (perFile.get(key) ?? 0) + 1);
      }
    const tooMany = [...perFile].filter(([key, n]) => {
      const name = key.split(' ')[1] ?? '';
      const rows = manifest.files[name]?.rows ?? 0;
      // Staff is a handful of rows: one injection there is already a large share.
      return rows > 50 && n / rows > 0.065;
    });
    expect(tooMany).toEqual([]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const out = join(mkdtempSync(join(tmpdir(), 'ferry-gen-')), 'export');
    await expect(
      generateExport({ outDir: out, records: 50, seed: 1, signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(existsSync(join(out, 'generated-manifest.json'))).toBe(false);
  });
});
