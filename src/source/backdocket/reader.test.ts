import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ExtractedFile } from '../model.ts';
import { extractInMemory, listTableFiles } from './index.ts';

const EDGE = fileURLToPath(new URL('../../../test/fixtures/exports/edge/', import.meta.url));
const fixture = (name: string) => ({ name, content: readFileSync(EDGE + name) });

async function one(name: string, content: Buffer) {
  const result = await extractInMemory([{ name, content }]);
  const file = result.files[0] as ExtractedFile;
  return { ...result, file };
}

function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? le : Buffer.from(le).swap16();
  const mark = order === 'le' ? Buffer.from([0xff, 0xfe]) : Buffer.from([0xfe, 0xff]);
  return bom ? Buffer.concat([mark, body]) : body;
}

describe('encodings', () => {
  it('strips a UTF-8 BOM from the first header and reads CRLF rows', async () => {
    const { file, rows } = await extractInMemory([fixture('bom-crlf.csv')]).then((r) => ({
      ...r,
      file: r.files[0],
    }));
    expect(file?.columns.map((c) => c.name)).toEqual(['Staff ID', 'Name', 'Email']);
    expect(file?.keyColumn).toBe('Staff ID');
    expect(rows.map((r) => r.values.Email)).toEqual(['ann@x.com', 'bob@x.com']);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8, and understands Spanish headers', async () => {
    const { file, rows } = await extractInMemory([fixture('clientes-1252.csv')]).then((r) => ({
      ...r,
      file: r.files[0],
    }));
    expect(rows[0]?.values.Nombre).toBe('José');
    expect(rows[0]?.values.Apellido).toBe('Muñoz');
    expect(file?.columns.map((c) => c.name)).toContain('Correo electrónico');
    expect(file?.detection.object).toBe('contact');
    expect(file?.columns.find((c) => c.name === 'Teléfono')?.kinds[0]?.kind).toBe('phone');
  });

  it.each([
    ['le', true],
    ['le', false],
    ['be', true],
    ['be', false],
  ] as const)('reads UTF-16 %s (BOM: %s)', async (order, bom) => {
    const { rows } = await one('staff.csv', utf16('Staff ID,Name\r\n1,Zoë Ünal\r\n', order, bom));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.values.Name).toBe('Zoë Ünal');
  });

  it('repairs mojibake (UTF-8 read as 1252) and reports the cell', async () => {
    const { rows, issues } = await extractInMemory([fixture('mojibake.tsv')]);
    expect(rows[0]?.values['Last Name']).toBe('O’Neil');
    const damage = issues.filter((i) => i.code === 'encoding_damage');
    expect(damage).toHaveLength(1);
    expect(damage[0]).toMatchObject({ file: 'mojibake.tsv', line: 2, field: 'Last Name' });
  });
});

describe('CSV structure', () => {
  it('keeps quoted values with embedded newlines and doubled quotes, and counts physical lines', async () => {
    const { rows, issues } = await extractInMemory([fixture('quoted-newlines.csv')]);
    expect(rows.map((r) => r.values.Note)).toEqual(['line one\nline "two"', 'a, b']);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(issues.some((i) => i.code === 'embedded_newline' && i.line === 2)).toBe(true);
  });

  it.each([
    [';', 'semi.csv'],
    ['\t', 'tabs.csv'],
    ['|', 'pipes.csv'],
  ])('detects the delimiter %j', async (delimiter, name) => {
    const text =
      ['Contact ID', 'First Name', 'Email'].join(delimiter) +
      '\n' +
      ['1', 'Ann', 'a@x.com'].join(delimiter) +
      '\n';
    const { rows } = await one(name, Buffer.from(text));
    expect(rows[0]?.values['First Name']).toBe('Ann');
  });

  it('finds the header under title rows and drops totals, footers and blank rows, saying where', async () => {
    const { file, rows, issues } = await extractInMemory([fixture('claims-report.csv')]).then((r) => ({
      ...r,
      file: r.files[0],
    }));
    expect(file?.columns.map((c) => c.name)).toEqual([
      'Claim ID',
      'Claim Type',
      'Status',
      'Settlement Amount',
    ]);
    expect(rows.map((r) => r.sourceKey)).toEqual(['1', '2']);
    const artefacts = issues.filter((i) => i.code === 'report_artefact');
    expect(artefacts.map((i) => i.line)).toEqual(expect.arrayContaining([1, 2, 8, 9, 10]));
    expect(artefacts.some((i) => /blank row/.test(i.message) && i.message.includes('line 6'))).toBe(true);
    expect(file?.detection.object).toBe('claim');
  });

  it('de-duplicates repeated headers deterministically and warns', async () => {
    const { file, rows, issues } = await extractInMemory([fixture('dup-headers.csv')]).then((r) => ({
      ...r,
      file: r.files[0],
    }));
    expect(file?.columns.map((c) => c.name)).toEqual(['Task ID', 'Notes', 'Subject', 'Notes_3', 'Notes_2']);
    expect(file?.columns.map((c) => c.originalName)).toEqual([
      'Task ID',
      'Notes',
      'Subject',
      'Notes',
      'Notes_2',
    ]);
    expect(rows[0]?.values.Notes_3).toBe('c');
    expect(issues.filter((i) => i.code === 'duplicate_header')).toHaveLength(1);
  });

  it('profiles a date column with blanks: fill rate and format', async () => {
    const { file } = await extractInMemory([fixture('blank-dates.csv')]).then((r) => ({
      ...r,
      file: r.files[0],
    }));
    const start = file?.columns.find((c) => c.name === 'Start Date');
    expect(start?.fillRate).toBeCloseTo(1 / 3, 3);
    expect(start?.kinds).toEqual([{ kind: 'date', share: 1, format: 'MM/DD/YYYY' }]);
  });

  it('reads a column of eight-digit calendar days as dates, and a column of eight-digit ids as ids', async () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) => `${20040001 + i},2015${String(1 + i).padStart(2, '0')}2${i},${20150101 + i * 7}`,
    );
    const { file } = await one('cases.txt', Buffer.from(`CASE_NO,OPENED,BATCH\n${lines.join('\n')}\n`));
    const kinds = (name: string) => file.columns.find((c) => c.name === name)?.kinds;
    expect(kinds('OPENED')).toEqual([{ kind: 'date', share: 1, format: 'YYYYMMDD' }]);
    // Month 00 is no calendar day: a case number, whatever its length.
    expect(kinds('CASE_NO')?.[0]?.kind).toBe('integer');
    // Only half are days (from 20150136 on they are not): not a column of dates.
    expect(kinds('BATCH')?.[0]?.kind).toBe('integer');
  });

  it('reports duplicate e-mails (case-insensitive) among contacts', async () => {
    const { issues } = await extractInMemory([fixture('pipes.csv')]);
    const dup = issues.filter((i) => i.code === 'duplicate_contact' && i.line !== undefined);
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ file: 'pipes.csv', line: 3, sourceKey: '2' });
  });
});

describe('XLSX', () => {
  it('reads the first sheet of a workbook with dates, numbers and a title row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clients');
    sheet.addRow(['Clients Export']);
    sheet.addRow(['Contact ID', 'First Name', 'Last Name', 'Email', 'Date of Birth', 'Phone']);
    sheet.addRow([
      501,
      'Maria',
      'Gonzalez',
      'maria@example.com',
      new Date(Date.UTC(1980, 2, 4)),
      { formula: '+17135550144', result: 17135550144 },
    ]);
    sheet.addRow([502, 'Earl', 'Price', '', null, '713-555-0100']);
    workbook.addWorksheet('Other').addRow(['ignored']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const { file, rows, issues } = await one('Clients Export 2024.xlsx', content);
    expect(file.detection.object).toBe('contact');
    expect(rows.map((r) => r.sourceKey)).toEqual(['501', '502']);
    expect(rows[0]?.values['Date of Birth']).toBe('1980-03-04');
    expect(rows[0]?.line).toBe(3);
    expect(issues.some((i) => i.code === 'excel_mangling' && i.line === 3 && i.field === 'Phone')).toBe(true);
  });
});

describe('broken XLSX', () => {
  it('refuses a truncated workbook with a config error naming the file', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('a').addRow(['Contact ID', 'Email']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const attempt = extractInMemory([
      { name: 'cut.xlsx', content: content.subarray(0, content.length - 30) },
    ]);
    await expect(attempt).rejects.toMatchObject({ name: 'FerryError', failure: 'config' });
    await expect(attempt).rejects.toThrow(/cut\.xlsx: cannot read the workbook/);
  });
});

describe('object detection', () => {
  const cases: [string, string, string | null][] = [
    [
      'Case List.csv',
      'Case ID,Case Type,Case Status,Date of Loss,Responsible Attorney,Gross Settlement\n1,Auto,Open,1/2/2020,Ann,100\n',
      'claim',
    ],
    [
      'Clients Export 2024.csv',
      'Client ID,First Name,Last Name,E-mail Address,Cell Phone\n1,Ann,Lee,a@x.com,555-123-4567\n',
      'contact',
    ],
    [
      'export_3.csv',
      'staff_id,first_name,last_name,email,role,bar_number,is_active\n1,Ann,Lee,a@x.com,Attorney,TX1,Yes\n',
      'staff',
    ],
    ['Matter Parties.csv', 'ClaimID,ContactID,Role,Is Primary\n1,2,Client,Y\n', 'claim_contact'],
    ['audit.csv', 'Claim #,Old Status,New Status,Date Changed\n1,Open,Closed,1/2/2020\n', null],
    ['weather.csv', 'City,Temperature,Humidity\nParis,20,0.5\n', null],
  ];
  it.each(cases)('%s → %s', async (name, text, expected) => {
    const { file } = await one(name, Buffer.from(text));
    if (expected === null && name === 'weather.csv') {
      expect(file.detection.object).toBeNull();
      expect(file.detection.reason).toMatch(/not recognised/);
      return;
    }
    if (expected) {
      expect(file.detection.object).toBe(expected);
      expect(file.detection.confidence).toBeGreaterThan(0.4);
      expect(file.detection.reason.length).toBeGreaterThan(10);
    }
  });

  it('links claim columns to the contact file by key overlap', async () => {
    const { files } = await extractInMemory([
      {
        name: 'contacts.csv',
        content: Buffer.from('Contact ID,First Name,Last Name,Email\n501,A,B,a@x.com\n502,C,D,c@x.com\n'),
      },
      {
        name: 'claims.csv',
        content: Buffer.from(
          'Claim ID,Claim Type,Status,Client Contact ID\n1,Auto,Open,501\n2,Auto,Open,502\n3,Auto,Open,999\n',
        ),
      },
    ]);
    const column = files
      .find((f) => f.file === 'claims.csv')
      ?.columns.find((c) => c.name === 'Client Contact ID');
    expect(column?.references).toEqual([
      { object: 'contact', file: 'contacts.csv', overlap: 0.6667, column: 'Contact ID', byKey: true },
    ]);
  });

  it('links bare references to padded, prefixed keys by the number inside, never across prefixes', async () => {
    const accounts = Array.from({ length: 5 }, (_, i) => `AC-00${i + 71},Account ${i + 1}`);
    const agents = Array.from({ length: 5 }, (_, i) => `AG-00${i + 71},Agent ${i + 1}`);
    const calls = Array.from({ length: 8 }, (_, i) => `${i + 1},${71 + (i % 5)},ag-${71 + ((i + 2) % 5)},x`);
    const { files } = await extractInMemory([
      { name: 'accounts.csv', content: Buffer.from(`Code,Label\n${accounts.join('\n')}\n`) },
      { name: 'agents.csv', content: Buffer.from(`Code,Label\n${agents.join('\n')}\n`) },
      { name: 'calls.csv', content: Buffer.from(`Call,Account,Agent,Note\n${calls.join('\n')}\n`) },
    ]);
    const calls2 = files.find((f) => f.file === 'calls.csv');
    const target = (name: string) =>
      calls2?.columns.find((c) => c.name === name)?.references.map((r) => `${r.file}:${r.overlap}`);
    // A bare 71 could be either file's AC-0071 or AG-0071 … both are listed, as for plain integer keys;
    expect(target('Account')).toEqual(['accounts.csv:1', 'agents.csv:1']);
    // … while 'ag-71' names its prefix: the agents only.
    expect(target('Agent')).toEqual(['agents.csv:1']);
  });

  it('links names written family name first to a column of full names, and not to names of other people', async () => {
    const team = ['Sofia Harper', 'Linh Kowalski', 'Omar Reyes', 'Dana Nash'];
    const people = team.map((name, i) => `${11 + i},${name}`);
    const flip = (name: string) => `"${name.split(' ').reverse().join(', ')}"`;
    const diary = Array.from(
      { length: 8 },
      (_, i) => `${i + 1},${flip(team[i % 4]!)},${flip(['Ann Lee', 'Bo Park'][i % 2]!)}`,
    );
    const { files } = await extractInMemory([
      { name: 'team.csv', content: Buffer.from(`Code,Full Name\n${people.join('\n')}\n`) },
      { name: 'diary.csv', content: Buffer.from(`Entry,Who,Guest\n${diary.join('\n')}\n`) },
    ]);
    const columns = files.find((f) => f.file === 'diary.csv')?.columns;
    expect(columns?.find((c) => c.name === 'Who')?.references).toMatchObject([
      { file: 'team.csv', column: 'Full Name', overlap: 1 },
    ]);
    expect(columns?.find((c) => c.name === 'Guest')?.references).toEqual([]);
  });

  it('reads a database export’s NULL as no value, so a sparse reference column still points at its parent', async () => {
    const guid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;
    const vendors = Array.from({ length: 6 }, (_, i) => `${guid(i + 1)},Vendor ${i + 1}`);
    // Most rows name no vendor: NULL as text would be one value of the six that no vendor has.
    const orders = Array.from({ length: 12 }, (_, i) => `${i + 1},${i < 5 ? guid(i + 1) : 'NULL'},Null,NULL`);
    const { files, rows } = await extractInMemory([
      { name: 'vendors.csv', content: Buffer.from(`VendorKey,Title\n${vendors.join('\n')}\n`) },
      { name: 'orders.csv', content: Buffer.from(`OrderNo,SupplierRef,Word,Middle\n${orders.join('\n')}\n`) },
    ]);
    const orderFile = files.find((f) => f.file === 'orders.csv');
    const supplier = orderFile?.columns.find((c) => c.name === 'SupplierRef');
    expect(supplier?.fillRate).toBeCloseTo(5 / 12, 3);
    expect(supplier?.references[0]).toMatchObject({ file: 'vendors.csv', column: 'VendorKey', overlap: 1 });
    const last = rows.filter((r) => r.file === 'orders.csv').at(-1);
    // Only the upper-case marker is a null: the word 'Null' is a value.
    expect(last?.values).toMatchObject({ Word: 'Null' });
    expect(last?.values.Middle ?? '').toBe('');
  });
});

describe('Windows-1252 punctuation', () => {
  it('decodes bytes 0x80-0x9F as Windows-1252 (smart quotes, euro), not Latin-1 control codes', async () => {
    const { rows } = await extractInMemory([fixture('cp1252-smart-quotes.csv')]);
    expect(rows[0]?.values.Name).toBe('Tina O’Neil');
    expect(rows[0]?.values.Note).toBe('“quoted” € 5');
  });
});

describe('files that are not an object', () => {
  it('reports claim type field definitions as unknown with a reason instead of guessing', async () => {
    const text =
      'Claim Type ID,Field ID,Section,Field Label,Field Type,Options,Required,Sort Order,Active\n1,10,Auto,Vehicle Year,Number,,N,1,Y\n';
    const { files } = await extractInMemory([{ name: 'claim_type_fields.csv', content: Buffer.from(text) }]);
    expect(files[0]?.detection.object).toBeNull();
    expect(files[0]?.detection.reason).toMatch(/field definitions/);
  });
});

describe('checks find columns by meaning, not by one spelling', () => {
  it('snake_case and Spanish exports get the same contact and staff checks', async () => {
    const { issues } = await extractInMemory([
      {
        name: 'usuarios.csv',
        content: Buffer.from(
          'id_usuario,nombre,apellido,correo_electronico,is_active\nU1,Tina,Oneil,t@x.com,false\nU2,Ana,Ruiz,a@x.com,true\n',
        ),
      },
      {
        name: 'people_export.csv',
        content: Buffer.from(
          'contact_id,first_name,last_name,email_address,cell_phone\n1,Ann,Lee,ann@x.com,\n2,ANN,LEE,Ann@X.com ,\n3,Bo,Diaz,,\n',
        ),
      },
      {
        name: 'todo_items.csv',
        content: Buffer.from(
          'task_id,subject,assigned_to,due_date,priority\n1,Call,Tina Oneil,2024-01-02,High\n2,Write,Ana Ruiz,2024-01-03,Low\n',
        ),
      },
    ]);
    const at = (code: string) =>
      issues.filter((i) => i.code === code && i.line !== undefined).map((i) => `${i.file}:${i.line}`);
    expect(at('duplicate_contact')).toEqual(['people_export.csv:3']);
    expect(at('missing_contact_info')).toEqual(['people_export.csv:4']);
    expect(at('inactive_staff_owner')).toEqual(['todo_items.csv:2']);
  });
});

describe('header detection', () => {
  it('skips a two-cell title row above a wider header', async () => {
    const text = 'Report:,Open claims,,\nClaim ID,Claim Type,Status,Date of Incident\n1,Auto,Open,1/2/2020\n';
    const { files, rows } = await extractInMemory([{ name: 'claims.csv', content: Buffer.from(text) }]);
    expect(files[0]?.columns.map((c) => c.name)).toEqual([
      'Claim ID',
      'Claim Type',
      'Status',
      'Date of Incident',
    ]);
    expect(rows.map((r) => r.line)).toEqual([3]);
  });
});

describe('header detection with unnamed columns', () => {
  it('still finds a header narrower than its data rows', async () => {
    const text = 'Claims export\nClaim ID,Status,,\n1,Open,x,y\n2,Closed,x,y\n';
    const { files, rows } = await extractInMemory([{ name: 'claims.csv', content: Buffer.from(text) }]);
    expect(files[0]?.columns.map((c) => c.name)).toEqual(['Claim ID', 'Status', 'Column_3', 'Column_4']);
    expect(rows.map((r) => r.sourceKey)).toEqual(['1', '2']);
  });
});

describe('staff referenced by name', () => {
  it('reports names that are not in the staff file as orphans, and inactive ones as inactive owners', async () => {
    const { issues } = await extractInMemory([
      {
        name: 'staff.csv',
        content: Buffer.from(
          'Staff ID,Display Name,Email,Active\n1,Dana Whitfield,d@x.com,Yes\n2,"O\'Neil, Tina",t@x.com,No\n3,Marco Reyes,m@x.com,Y\n',
        ),
      },
      {
        name: 'tasks.csv',
        content: Buffer.from(
          "Task ID,Subject,Assigned To\n1,a,Dana Whitfield\n2,b,Tina O'Neil\n3,c,Marco Reyes\n4,d,Dana Whitfield\n5,e,Marco Reyes\n6,f,Dana Whitfield\n7,g,Marco Reyes\n8,h,Dana Whitfield\n9,i,Ghost Person\n",
        ),
      },
    ]);
    const at = (code: string) =>
      issues.filter((i) => i.code === code && i.line !== undefined).map((i) => `${i.file}:${i.line}`);
    expect(at('inactive_staff_owner')).toEqual(['tasks.csv:3']);
    expect(at('orphan_reference')).toEqual(['tasks.csv:10']);
  });
});

describe('text files that are tables', () => {
  const master = [
    'CLT_NBR|CLT_LAST_NM|CLT_FIRST_NM|CLT_OPEN_DT',
    '000101|GONZALEZ|MARIA|20240103',
    '000102|PRICE|EARL|20240211',
    '000103|LEE|ANN|20240302',
  ].join('\r\n');
  const readme = [
    'Export of 2024-06-30, made by the records team.',
    '',
    'Files: CLNTMAST.TXT holds clients; amounts are in dollars, dates as YYYYMMDD.',
    'Questions to the help desk, please, not to the partners.',
  ].join('\n');

  it('reads a pipe-delimited .TXT extract as a table and leaves a read-me out', async () => {
    const { files, rows } = await extractInMemory([
      { name: 'CLNTMAST.TXT', content: Buffer.from(master) },
      { name: 'README.txt', content: Buffer.from(readme) },
    ]);
    expect(files.map((f) => f.file)).toEqual(['CLNTMAST.TXT']);
    expect(files[0]?.columns.map((c) => c.name)).toEqual([
      'CLT_NBR',
      'CLT_LAST_NM',
      'CLT_FIRST_NM',
      'CLT_OPEN_DT',
    ]);
    expect(rows.map((r) => r.values.CLT_LAST_NM)).toEqual(['GONZALEZ', 'PRICE', 'LEE']);
  });

  it('reads a tab-delimited .txt saved as UTF-16 ("Unicode Text") as a table', async () => {
    const unicodeText = master.replaceAll('|', '\t').replaceAll('\n', '\r\n');
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { files, rows } = await extractInMemory([
      { name: 'Clients.txt', content: utf16(unicodeText) },
      { name: 'ReadMe.txt', content: utf16(readme) },
    ]);
    expect(files.map((f) => f.file)).toEqual(['Clients.txt']);
    expect(rows.map((r) => r.values.CLT_LAST_NM)).toEqual(['GONZALEZ', 'PRICE', 'LEE']);
  });

  it('lists text tables of an export folder, and only those', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-text-tables-'));
    writeFileSync(join(dir, 'CLNTMAST.TXT'), master);
    writeFileSync(join(dir, 'README.txt'), readme);
    writeFileSync(join(dir, 'claims.csv'), 'Claim ID,Claim Name\n1,A\n');
    expect(await listTableFiles(dir)).toEqual(['CLNTMAST.TXT', 'claims.csv']);
  });
});
