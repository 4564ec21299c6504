import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasLocation } from '../../../core/issues.ts';
import { SqliteStore } from '../../../store/sqlite-store.ts';
import { extractExport, extractInMemory } from '../extract-export.ts';

const csv = (text: string) => Buffer.from(text);

describe('contacts without an e-mail', () => {
  it('are a warning of their own, apart from contacts with no contact details at all', async () => {
    const { issues } = await extractInMemory([
      {
        name: 'contacts.csv',
        content: csv(
          [
            'Contact ID,First Name,Last Name,Email,Mobile Phone',
            '501,Ann,Lee,ann@x.com,(713) 555-0144',
            '502,Bo,Diaz,,(713) 555-0145',
            '503,Cy,Ray,,',
            '504,Di,Fox,,713-555-01',
            '505,Ed,Moe,,+1 713 555 0199',
          ].join('\n'),
        ),
      },
    ]);
    const rowsOf = (code: string) =>
      issues.filter((i) => i.code === code && i.line !== undefined).map((i) => [i.sourceKey, i.line]);
    expect(rowsOf('missing_email')).toEqual([
      ['502', 3],
      ['505', 6],
    ]);
    expect(rowsOf('missing_contact_info')).toEqual([
      ['503', 4],
      ['504', 5],
    ]);
    const summary = issues.find((i) => i.code === 'missing_email' && i.line === undefined);
    expect(summary?.message).toContain('2 contact(s) have a phone number but no e-mail (ids 502, 505)');
    expect(summary?.examples).toEqual([
      { file: 'contacts.csv', line: 3, sourceKey: '502' },
      { file: 'contacts.csv', line: 6, sourceKey: '505' },
    ]);
  });
});

describe('documents whose path leaves the export folder', () => {
  it('are document_outside_export (an error, with the row), not document_missing', async () => {
    const { issues } = await extractInMemory([
      {
        name: 'documents.csv',
        content: csv(
          [
            'Document ID,Claim ID,File Name,Storage Path',
            'D1,1,a.pdf,files/a.pdf',
            'D2,1,b.pdf,../../etc/passwd',
            'D3,1,c.pdf,/etc/shadow',
            'D4,1,d.pdf,files/missing.pdf',
          ].join('\n'),
        ),
      },
      { name: 'files/a.pdf', content: csv('%PDF-1.4') },
    ]);
    const at = (code: string) =>
      issues.filter((i) => i.code === code && i.line !== undefined).map((i) => [i.line, i.severity]);
    expect(at('document_outside_export')).toEqual([
      [3, 'error'],
      [4, 'error'],
    ]);
    expect(at('document_missing')).toEqual([[5, 'warning']]);
  });

  it('include a link inside the export that points outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-outside-'));
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'not for Pipedrive');
    mkdirSync(join(dir, 'export', 'files'), { recursive: true });
    writeFileSync(join(dir, 'export', 'files', 'fine.txt'), 'a document');
    symlinkSync(secret, join(dir, 'export', 'files', 'link.txt'));
    symlinkSync(dir, join(dir, 'export', 'files', 'up'));
    writeFileSync(
      join(dir, 'export', 'documents.csv'),
      'Document ID,Claim ID,File Name,Storage Path\nD1,1,fine.txt,files/fine.txt\nD2,1,link.txt,files/link.txt\nD3,1,s.txt,files/up/secret.txt\n',
    );
    const store = SqliteStore.open({ path: join(dir, 'ferry.db') });
    try {
      const { issues } = await extractExport({ store, sourceDir: join(dir, 'export') });
      const outside = issues.filter((i) => i.code === 'document_outside_export');
      expect(outside.map((i) => [i.line, i.sourceKey])).toEqual([
        [3, 'D2'],
        [4, 'D3'],
      ]);
      expect(issues.filter((i) => i.code === 'document_missing')).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('examples', () => {
  it('every issue of an extract names a row: its own, or file:line examples', async () => {
    const many = Array.from(
      { length: 520 },
      (_, n) => `${n + 1},Name ${n},,(713) 555-${String(n).padStart(4, '0')}`,
    );
    const { issues } = await extractInMemory([
      { name: 'contacts.csv', content: csv(['Contact ID,Name,Email,Phone', ...many].join('\n')) },
      {
        name: 'billing.csv',
        content: csv('Entry ID,Claim ID,Amount\n1,7,"$1,200.00"\n2,7,$30.00\n3,7,12.5\n4,7,n/a\n'),
      },
    ]);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.filter((issue) => !hasLocation(issue))).toEqual([]);
    // The summary of the 520 contacts without e-mail (500 listed) names its first rows.
    const summary = issues.find((i) => i.code === 'missing_email' && i.line === undefined);
    expect(summary?.message).toMatch(/520 contact\(s\).*first 500 listed/);
    expect(summary?.examples?.[0]).toEqual({ file: 'contacts.csv', line: 2, sourceKey: '1' });
    // A column-level finding points at rows of that column.
    const currency = issues.find((i) => i.code === 'currency_string' && i.line === undefined);
    expect(currency?.examples?.length).toBeGreaterThan(0);
    expect(currency?.examples?.every((e) => e.file === 'billing.csv' && (e.line ?? 0) >= 2)).toBe(true);
  });
});
