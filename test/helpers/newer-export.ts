import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * A claim type becomes a pipeline of a dozen stages: keeping only the types the export's claims use makes a
 * small export's schema a few dozen parts instead of two hundred, for tests that apply and remove it often.
 */
export function keepUsedClaimTypes(exportDir: string): void {
  const claims = parse(readFileSync(join(exportDir, 'claims.csv'), 'utf8'), {
    columns: true,
    bom: true,
  }) as Record<string, string>[];
  const used = new Set(claims.map((claim) => claim['Claim Type']));
  const path = join(exportDir, 'claim_types.csv');
  const [header, ...lines] = readFileSync(path, 'utf8').split('\r\n');
  const kept = lines.filter((line) => line === '' || used.has(line.split(',')[1] ?? ''));
  writeFileSync(path, [header, ...kept].join('\r\n'));
}

/**
 * A newer copy of a generated export that a delta turns into updates of every kind of record, a create and
 * a vanished row: every contact's e-mail domain and every company's website change (persons,
 * organizations), every claim is renamed (deals), call notes and tasks are reworded (activities), notes
 * are reworded (notes); one contact is added and one note removed. Returns how many rows it changed.
 */
export function writeNewerExport(exportDir: string, into: string): number {
  cpSync(exportDir, into, { recursive: true });
  let changed = 0;
  const edit = (file: string, change: (text: string) => string) => {
    const path = join(into, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the newer export changed nothing in ${file}`);
    changed += after.split('\n').filter((line, index) => line !== before.split('\n')[index]).length;
    writeFileSync(path, after);
  };
  edit('contacts.csv', (text) => text.replaceAll('@example.com', '@example.org'));
  edit('companies.csv', (text) => text.replaceAll('https://www.', 'https://web.'));
  edit('claims.csv', (text) => text.replaceAll(' v. ', ' vs. '));
  edit('notes.csv', (text) =>
    text.replaceAll('discussed treatment and next steps.', 'discussed treatment, billing and next steps.'),
  );
  edit('tasks.csv', (text) => text.replaceAll(',See notes,', ',See the notes,'));
  edit('contacts.csv', (text) => {
    const columns = text.split('\r\n')[0]!.split(',').length;
    const added = ['9999', 'Person', '', 'Delta', '', 'Newcomer', ...Array(columns - 6).fill('')];
    added[11] = 'delta.newcomer@example.org';
    return `${text}${added.join(',')}\r\n`;
  });
  edit('notes.csv', (text) => {
    const lines = text.split('\r\n');
    const removable = lines.findIndex(
      (line, index) => index > 0 && /^\d+,/.test(line) && !line.includes('"'),
    );
    lines.splice(removable, 1);
    return lines.join('\r\n');
  });
  return changed;
}
