import { stableHash } from '../core/hash.ts';
import type { BackdocketObject } from '../core/objects.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import { parseTarget } from '../mapping/model.ts';
import { normaliseValueKey } from '../mapping/transforms/index.ts';
import { keyCoreForms, referenceCore } from '../source/backdocket/keys/key-core.ts';
import { foldName } from '../source/backdocket/quality/normalize.ts';
import type { ExtractedFile, SourceRow } from '../source/model.ts';

/**
 * Resolves a reference as an export writes it to the key of the row it points at. A reference may be the
 * parent's key as written (`1042`), the same key spelled with other case or spaces, or another value
 * unique to the parent (a claim number, a company name, a contact's full name) that extraction found the
 * column's values in, or the number inside a padded or prefixed key (`20012` for `M-020012`) when no key
 * is written so and no other row's key holds the same number, or a name in another order (`Harper, Sofia`
 * for `Sofia Harper`) when no other row has the same name. Pure: the mapping, the inventory and the parents' rows in, a lookup out.
 */
export interface ReferenceIndex {
  /** The key of the `object` row the value points at; undefined when none, or when several rows could be. */
  resolve(object: BackdocketObject, value: string): string | undefined;
}

/** Which object a link target points at (`deal.person_id` → contact). */
const LINKED_OBJECT: Readonly<Record<string, BackdocketObject>> = {
  person_id: 'contact',
  participants: 'contact',
  org_id: 'company',
  organization_id: 'company',
  deal_id: 'claim',
};

/** Trimmed, spaces collapsed, Unicode-composed, case-folded (as extraction compares references). */
function normal(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * @example assembleReferenceIndex({ mapping, inventory, rows: (file) => iterateRows(store, file) }).resolve('company', 'GEICO')
 */
export function assembleReferenceIndex(input: {
  mapping: Mapping;
  inventory: readonly ExtractedFile[];
  rows: (file: string) => Iterable<SourceRow>;
}): ReferenceIndex {
  const { mapping, inventory } = input;
  const referenced = referencedColumns(mapping, inventory);
  // Per object: normalised key → key, and normalised other unique value → key (null when ambiguous).
  const keys = new Map<BackdocketObject, Map<string, string>>();
  const values = new Map<BackdocketObject, Map<string, string | null>>();
  // Per object: the number inside each key (and prefix + number) → key (null when two keys share it).
  const cores = new Map<BackdocketObject, Map<string, string | null>>();
  // Per object: a referenced name's words, folded and sorted → key (null when two rows share it).
  const names = new Map<BackdocketObject, Map<string, string | null>>();
  for (const file of mapping.objects) {
    const object = file.object;
    if (object === null || !referenced.has(object)) continue;
    const columns = referenced.get(object)?.get(file.file) ?? [];
    const ownKeys = keys.get(object) ?? new Map<string, string>();
    keys.set(object, ownKeys);
    const ownValues = values.get(object) ?? new Map<string, string | null>();
    values.set(object, ownValues);
    const ownCores = cores.get(object) ?? new Map<string, string | null>();
    cores.set(object, ownCores);
    const ownNames = names.get(object) ?? new Map<string, string | null>();
    names.set(object, ownNames);
    for (const row of input.rows(file.file)) {
      ownKeys.set(normal(row.sourceKey), row.sourceKey);
      for (const form of keyCoreForms(row.sourceKey)) {
        const earlier = ownCores.get(form);
        ownCores.set(form, earlier === undefined || earlier === row.sourceKey ? row.sourceKey : null);
      }
      for (const column of columns) {
        for (const value of valuesOf(row, column)) {
          const key = normal(value);
          if (key === '') continue;
          const earlier = ownValues.get(key);
          ownValues.set(key, earlier === undefined || earlier === row.sourceKey ? row.sourceKey : null);
          const name = foldName(value);
          const named = ownNames.get(name);
          ownNames.set(name, named === undefined || named === row.sourceKey ? row.sourceKey : null);
        }
      }
    }
  }
  indexCarriedPeople(mapping, input.rows, values);
  return {
    resolve(object, value) {
      const key = normal(value);
      const found = keys.get(object)?.get(key) ?? values.get(object)?.get(key);
      if (found !== undefined) return found ?? undefined;
      const core = referenceCore(value);
      const byCore = core === undefined ? undefined : cores.get(object)?.get(core);
      if (byCore !== undefined) return byCore ?? undefined;
      return /[\s,]/.test(value.trim()) ? (names.get(object)?.get(foldName(value)) ?? undefined) : undefined;
    },
  };
}

/**
 * The key of a person or company a row carries in its own columns, when the row does not name it by a link
 * column: its normalised name and first e-mail, hashed (the planner and this index agree on it).
 * @example carriedKey('Maria Gonzalez', 'maria@x.com') // 'n:3f2a…'
 */
export function carriedKey(name: string, email: string): string {
  return `n:${stableHash([normaliseValueKey(name), normaliseValueKey(email)]).slice(0, 20)}`;
}

/**
 * People carried on the rows of another object's file (a case list's clients, when the export has no
 * contacts file) are known by their names too: index them under the key the planner gives them.
 */
function indexCarriedPeople(
  mapping: Mapping,
  rows: (file: string) => Iterable<SourceRow>,
  values: Map<BackdocketObject, Map<string, string | null>>,
): void {
  if (mapping.objects.some((file) => file.object === 'contact')) return;
  const people = values.get('contact') ?? new Map<string, string | null>();
  for (const file of mapping.objects) {
    if (file.object === null || file.object === 'intake') continue;
    const column = (target: string) => file.fields.find((field) => field.target === target)?.column;
    const first = column('person.first_name');
    const last = column('person.last_name');
    const full = column('person.name');
    const link = file.fields.find((field) => field.target === `${file.entity}.person_id`)?.column;
    const email = column('person.emails');
    if (!full && !(first && last)) continue;
    for (const row of rows(file.file)) {
      const given = (first ? row.values[first] : '')?.trim() ?? '';
      const family = (last ? row.values[last] : '')?.trim() ?? '';
      const name = full ? (row.values[full] ?? '').trim() : `${given} ${family}`.trim();
      if (!name) continue;
      const key =
        (link ? (row.values[link] ?? '').trim() : '') ||
        carriedKey(name, email ? (row.values[email] ?? '') : '');
      const names = given && family ? [`${given} ${family}`, `${family}, ${given}`] : [name];
      for (const value of names) {
        const normalised = normal(value);
        const earlier = people.get(normalised);
        people.set(normalised, earlier === undefined || earlier === key ? key : null);
      }
    }
  }
  values.set('contact', people);
}

/** A row's values of a referenced column, or of two joined as a full name (both orders). */
function valuesOf(row: SourceRow, column: string): string[] {
  const parts = column.split(' + ');
  if (parts.length !== 2) return [row.values[column] ?? ''];
  const first = (row.values[parts[0] as string] ?? '').trim();
  const last = (row.values[parts[1] as string] ?? '').trim();
  return first && last ? [`${first} ${last}`, `${last}, ${first}`] : [];
}

/** Per parent object and file: its non-key columns that mapped link columns were found to point at. */
function referencedColumns(
  mapping: Mapping,
  inventory: readonly ExtractedFile[],
): Map<BackdocketObject, Map<string, string[]>> {
  const out = new Map<BackdocketObject, Map<string, string[]>>();
  const add = (object: BackdocketObject, file: string, column: string) => {
    const perFile = out.get(object) ?? new Map<string, string[]>();
    out.set(object, perFile);
    const list = perFile.get(file) ?? [];
    if (!list.includes(column)) list.push(column);
    perFile.set(file, list);
  };
  // What each file holds is what the mapping says: extraction's guess (often none, for a file named
  // 'dbo.tblClient.csv') is only where the mapping started.
  const objectOf = new Map(mapping.objects.map((file) => [file.file, file.object]));
  for (const file of mapping.objects) {
    const profile = inventory.find((f) => f.file === file.file);
    for (const field of file.fields) {
      const target = field.target ? parseTarget(field.target) : undefined;
      if (!target) continue;
      const object =
        target.kind === 'ref'
          ? target.object
          : target.kind === 'standard'
            ? LINKED_OBJECT[target.field]
            : undefined;
      if (!object || (target.kind === 'ref' && object === file.object)) continue;
      // Every object that can be pointed at is indexed by its keys, so references spelled differently resolve.
      if (!out.has(object)) out.set(object, new Map());
      const column = profile?.columns.find((c) => c.name === field.column);
      for (const ref of column?.references ?? []) {
        if ((objectOf.get(ref.file) ?? ref.object) !== object || !ref.column) continue;
        const parent = inventory.find((f) => f.file === ref.file);
        if (parent && ref.column !== parent.keyColumn) add(object, ref.file, ref.column);
      }
    }
  }
  return out;
}
