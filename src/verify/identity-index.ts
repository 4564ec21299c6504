import type { BackdocketObject } from '../core/objects.ts';
import type { WriteEntity } from '../core/records.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import { type LinkedRecord, linkIds, type RecordsByIdentity } from './diff-links.ts';
import type { LinkField } from './expected-links.ts';

/** The link fields worth keeping per entity: what the relationships read. */
const LINK_FIELDS: Readonly<Record<WriteEntity, readonly LinkField[]>> = {
  organization: [],
  person: ['org_id'],
  deal: ['person_id', 'org_id'],
  lead: ['person_id'],
  activity: ['deal_id', 'participants'],
  note: ['deal_id'],
  file: ['deal_id'],
};

/**
 * Pipedrive's live records by the BackDocket identity they carry, kept small (id and link fields) so a
 * large migration's read-back fits in memory while every entity is indexed. When two records carry one
 * identity (a copy made by hand), the one Ferry wrote wins.
 * @example const index = new IdentityIndex(); index.add('deal', records, readIdentity, ferryIds); index.find('deal', 'claim:1042')
 */
export class IdentityIndex implements RecordsByIdentity {
  private readonly byIdentity = new Map<WriteEntity, Map<string, LinkedRecord>>();
  private readonly identityById = new Map<WriteEntity, Map<string, string>>();

  /**
   * Indexes one entity's read-back, all at once or a slice at a time. `identityOf` reads the identity a record carries (field or marker; for
   * files, which carry none, the journal's); `written` is Ferry's own id per identity, which wins when two
   * records carry one identity.
   */
  add(input: {
    entity: WriteEntity;
    records: Iterable<Readonly<Record<string, unknown>>>;
    identityOf: (record: Readonly<Record<string, unknown>>) => string | undefined;
    written: ReadonlyMap<string, string>;
  }): void {
    const identities = getOrCreate(this.byIdentity, input.entity);
    const byId = getOrCreate(this.identityById, input.entity);
    for (const record of input.records) {
      if (record.is_deleted === true || record.active_flag === false) continue;
      const id = String(record.id);
      const identity = input.identityOf(record);
      if (identity === undefined) continue;
      byId.set(id, identity);
      const slim: LinkedRecord = {
        id,
        links: Object.fromEntries(LINK_FIELDS[input.entity].map((field) => [field, linkIds(record, field)])),
      };
      const current = identities.get(identity);
      if (!current || input.written.get(identity) === id) identities.set(identity, slim);
    }
  }

  find(entity: WriteEntity, identity: string): LinkedRecord | undefined {
    return this.byIdentity.get(entity)?.get(identity);
  }

  identityOf(entity: WriteEntity, pipedriveId: string): string | undefined {
    return this.identityById.get(entity)?.get(pipedriveId);
  }
}

function getOrCreate<V>(maps: Map<WriteEntity, Map<string, V>>, entity: WriteEntity): Map<string, V> {
  let map = maps.get(entity);
  if (!map) {
    map = new Map();
    maps.set(entity, map);
  }
  return map;
}

/** Objects whose rows become records of their own, named `<object>:<source key>`. */
const RECORD_OBJECTS: ReadonlySet<BackdocketObject> = new Set([
  'contact',
  'company',
  'claim',
  'intake',
  'event',
  'task',
  'note',
  'document',
]);

/** A source row a run recorded as migrated, with the record it went to. */
export interface MigratedRow {
  readonly file: string;
  readonly sourceKey: string;
  readonly entity: string;
  readonly pipedriveId: string | null;
}

/** A migrated row whose record Pipedrive does not hold under the identity derived from the row. */
export interface IdentityDifference {
  readonly file: string;
  readonly sourceKey: string;
  readonly entity: string;
  /** `<object>:<source key>`, as derived from the row and the mapping. */
  readonly identity: string;
  /** The record the run recorded for the row. */
  readonly pipedriveId: string | null;
  /** absent: no live record carries the identity; elsewhere: another record than the row's carries it. */
  readonly kind: 'absent' | 'elsewhere';
  readonly foundOn?: string | undefined;
}

/**
 * Re-derives each migrated row's identity from its file's object and its key, and checks that the record
 * the run recorded for it carries that identity in Pipedrive. Files are left out: a file carries no
 * identity of its own (Ferry finds it by name and size). Pure.
 * @example diffIdentities({ mapping, rows: migratedRows, records: index }).differences
 */
export function diffIdentities(input: {
  mapping: Mapping;
  rows: Iterable<MigratedRow>;
  records: RecordsByIdentity;
}): { checked: number; differences: IdentityDifference[] } {
  const objectOf = new Map(input.mapping.objects.map((file) => [file.file, file.object]));
  const differences: IdentityDifference[] = [];
  let checked = 0;
  for (const row of input.rows) {
    const object = objectOf.get(row.file);
    if (!object || !RECORD_OBJECTS.has(object) || row.entity === 'file') continue;
    const entity = row.entity as WriteEntity;
    const identity = `${object}:${row.sourceKey}`;
    checked += 1;
    const found = input.records.find(entity, identity);
    if (found && (row.pipedriveId === null || found.id === row.pipedriveId)) continue;
    differences.push({
      file: row.file,
      sourceKey: row.sourceKey,
      entity: row.entity,
      identity,
      pipedriveId: row.pipedriveId,
      kind: found ? 'elsewhere' : 'absent',
      foundOn: found?.id,
    });
  }
  return { checked, differences };
}
