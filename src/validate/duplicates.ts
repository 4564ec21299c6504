import type { FileMapping } from '../mapping/mapping-schema.ts';
import { normaliseValueKey } from '../mapping/transforms/index.ts';
import type { SourceRow } from '../source/model.ts';

export type DuplicatePolicy = 'email' | 'name_phone' | 'none';

/**
 * Contacts that duplicate an earlier contact under the duplicate policy: by e-mail (any of the person's
 * e-mail columns, case-insensitive) or by name + phone (accents, case and punctuation ignored; phone
 * digits). Returns duplicate key → the key of the first contact it duplicates. Pure.
 * @example findDuplicateContacts(contactsMapping, rows, 'email').get('502') // '501'
 */
export function findDuplicateContacts(
  file: FileMapping,
  rows: Iterable<SourceRow>,
  policy: DuplicatePolicy,
): Map<string, string> {
  const duplicates = new Map<string, string>();
  if (policy === 'none') return duplicates;
  const columns = (target: string) =>
    file.fields.filter((field) => field.target === target).map((field) => field.column);
  const emailColumns = columns('person.emails');
  const phoneColumns = columns('person.phones');
  const nameColumns = [
    ...columns('person.name'),
    ...columns('person.first_name'),
    ...columns('person.last_name'),
  ];
  const firstSeen = new Map<string, string>();
  for (const row of rows) {
    const keys: string[] = [];
    if (policy === 'email') {
      for (const column of emailColumns) {
        const email = (row.values[column] ?? '').trim().toLowerCase();
        if (email.includes('@')) keys.push(`e:${email}`);
      }
    } else {
      const name = normaliseValueKey(
        nameColumns
          .map((column) => row.values[column] ?? '')
          .join(' ')
          .normalize('NFD')
          .replace(/\p{Diacritic}/gu, ''),
      )
        .split(' ')
        .sort()
        .join(' ');
      for (const column of phoneColumns) {
        const digits = (row.values[column] ?? '').replace(/\D/g, '').slice(-10);
        if (name && digits.length >= 7) keys.push(`n:${name}|${digits}`);
      }
    }
    const canonical = keys.map((key) => firstSeen.get(key)).find((found) => found !== undefined);
    if (canonical !== undefined && canonical !== row.sourceKey) {
      duplicates.set(row.sourceKey, canonical);
      continue;
    }
    for (const key of keys) if (!firstSeen.has(key)) firstSeen.set(key, row.sourceKey);
  }
  return duplicates;
}
