import type { BackdocketObject } from '../core/objects.ts';
import type { FieldMapping, FileMapping, Mapping } from '../mapping/mapping-schema.ts';
import { parseTarget } from '../mapping/model.ts';
import type { SourceRow } from '../source/model.ts';

/**
 * The links the export says Pipedrive must hold, derived from the extracted rows and the confirmed
 * mapping alone: the columns the mapping points at another object (`<entity>.ref:<object>`, or a link
 * field such as `deal.person_id`), resolved against that object's key column. Nothing here reads what the
 * record planner made of the rows: validation gates on these links and verification compares Pipedrive
 * with them, so a link the planner never made is still seen. Pure, over a row reader.
 */

/** The relationships whose coverage `ferry validate` gates and `ferry verify` checks. */
export const LINK_RELATIONSHIPS = [
  'deal→person',
  'deal→organization',
  'person→organization',
  'activity→deal',
  'note→deal',
  'file→deal',
  'activity→person',
  'lead→person',
] as const;
export type LinkRelationship = (typeof LINK_RELATIONSHIPS)[number];

/** The Pipedrive field a relationship's link is in, on the child record. */
export type LinkField = 'person_id' | 'org_id' | 'deal_id' | 'participants';

interface RelationshipSpec {
  /** Files of these objects hold the child rows. */
  readonly childObjects: readonly BackdocketObject[];
  /** Targets of these entities in a child file are the child's own (an intake's person.* is its caller). */
  readonly childEntities: readonly string[];
  readonly parentObject: BackdocketObject;
  readonly field: LinkField;
  /** Files of these objects add references to the claim they name (claim contacts → the claim's deal). */
  readonly feeders?: readonly BackdocketObject[];
  /** Leads: the caller made from the intake row, and the client of the claim it names, are also its person. */
  readonly leadPerson?: boolean;
}

const SPECS: Readonly<Record<LinkRelationship, RelationshipSpec>> = {
  'deal→person': {
    childObjects: ['claim'],
    childEntities: ['deal'],
    parentObject: 'contact',
    field: 'person_id',
    feeders: ['claim_contact'],
  },
  'deal→organization': {
    childObjects: ['claim'],
    childEntities: ['deal'],
    parentObject: 'company',
    field: 'org_id',
    feeders: ['claim_contact'],
  },
  'person→organization': {
    childObjects: ['contact'],
    childEntities: ['person'],
    parentObject: 'company',
    field: 'org_id',
  },
  'activity→deal': {
    childObjects: ['event', 'task'],
    childEntities: ['activity'],
    parentObject: 'claim',
    field: 'deal_id',
  },
  'note→deal': {
    childObjects: ['note'],
    childEntities: ['note', 'activity'],
    parentObject: 'claim',
    field: 'deal_id',
  },
  'file→deal': {
    childObjects: ['document'],
    childEntities: ['file'],
    parentObject: 'claim',
    field: 'deal_id',
  },
  'activity→person': {
    childObjects: ['event', 'task'],
    childEntities: ['activity'],
    parentObject: 'contact',
    field: 'participants',
  },
  'lead→person': {
    childObjects: ['intake'],
    childEntities: ['lead'],
    parentObject: 'contact',
    field: 'person_id',
    leadPerson: true,
  },
};

/** The Pipedrive field a relationship's link is read from. */
export function linkFieldOf(relationship: LinkRelationship): LinkField {
  return SPECS[relationship].field;
}

/** Standard link fields and the object whose key they hold. */
const LINK_FIELD_OBJECT: Readonly<Record<string, BackdocketObject>> = {
  person_id: 'contact',
  participants: 'contact',
  org_id: 'company',
  organization_id: 'company',
  deal_id: 'claim',
};

/** Where a reference was read, for examples a person can open. */
export interface ReferenceSource {
  readonly file: string;
  readonly line: number;
  readonly sourceKey: string;
  /** The column holding the reference; for a lead's caller, the caller's name column. */
  readonly column: string;
  readonly value: string;
}

/** One reference of a child, resolved against the parent's key column where the export has that parent. */
export interface ExpectedParent {
  readonly source: ReferenceSource;
  /** The parent's BackDocket identity (`contact:501`), or undefined when no row of the parent file has that key. */
  readonly identity: string | undefined;
  /** The parent's row, when resolved. */
  readonly row?: { readonly file: string; readonly sourceKey: string } | undefined;
}

/**
 * What one child row says about one relationship: its identity and every parent its rows reference. A
 * link is right when the child's field points at one of them (a claim may name several contacts, through
 * its claim-contact rows; its deal takes one).
 * @example { relationship: 'deal→person', child: { identity: 'claim:1042', … }, parents: [{ identity: 'contact:501', … }] }
 */
export interface LinkExpectation {
  readonly relationship: LinkRelationship;
  readonly child: {
    readonly identity: string;
    readonly file: string;
    readonly line: number;
    readonly sourceKey: string;
  };
  readonly parents: readonly ExpectedParent[];
}

/** Reads the rows of one extracted file. */
export type LinkRowReader = (file: string) => Iterable<SourceRow>;

export interface DeriveLinksInput {
  readonly mapping: Mapping;
  readonly readRows: LinkRowReader;
  /** Contacts merged into another (accepted merges): duplicate key → the key of the contact it merges into. */
  readonly mergedInto?: ((contactKey: string) => string | undefined) | undefined;
  /** Only these relationships (all when not given). */
  readonly relationships?: readonly LinkRelationship[] | undefined;
  /**
   * A reference written otherwise than the parent's key (other case, a claim number, a company or full
   * name) → the parent row's key, as extraction found the column pointing at it (the reference index).
   */
  readonly resolveKey?: ((object: BackdocketObject, value: string) => string | undefined) | undefined;
}

/**
 * Every child row that carries a reference, relationship by relationship, with the parents it references.
 * Child rows without any reference are not yielded. Memory holds the parents' keys (and, for claims, the
 * references their claim-contact rows add), never the rows.
 * @example for (const expected of deriveLinkExpectations({ mapping, readRows })) count(expected.relationship)
 */
export function* deriveLinkExpectations(input: DeriveLinksInput): Generator<LinkExpectation> {
  const { mapping } = input;
  const keys = new ParentKeys(mapping, input.readRows, input.resolveKey);
  const identityOf = (object: BackdocketObject, sourceKey: string) =>
    `${object}:${object === 'contact' ? (input.mergedInto?.(sourceKey) ?? sourceKey) : sourceKey}`;
  const resolve = (object: BackdocketObject, source: ReferenceSource): ExpectedParent => {
    const row = keys.find(object, source.value);
    return row
      ? { source, identity: identityOf(object, row.sourceKey), row }
      : { source, identity: undefined };
  };
  const wanted = input.relationships ?? LINK_RELATIONSHIPS;
  // Claim-contact rows are read once per parent they name, and reused (deal→person, then a lead's client).
  const fedBy = new Map<BackdocketObject, Map<string, ReferenceSource[]>>();
  const feederOf = (spec: RelationshipSpec) => {
    let fed = fedBy.get(spec.parentObject);
    if (!fed) {
      fed = feederReferences(mapping, input.readRows, spec);
      fedBy.set(spec.parentObject, fed);
    }
    return fed;
  };
  // Each child file is read once for every relationship it holds (events: their deal and their person).
  for (const file of mapping.objects) {
    const object = file.object;
    if (!object) continue;
    const readers = wanted
      .filter((relationship) => SPECS[relationship].childObjects.includes(object))
      .map((relationship) => {
        const spec = SPECS[relationship];
        return {
          relationship,
          spec,
          columns: referenceColumns(file, spec),
          fed: spec.feeders ? feederOf(spec) : undefined,
          clients: spec.leadPerson
            ? claimClients(mapping, input.readRows, feederOf(SPECS['deal→person']))
            : undefined,
          claimColumns: spec.leadPerson ? referenceColumns(file, { ...spec, parentObject: 'claim' }) : [],
          callerColumns: spec.leadPerson ? callerNameColumns(file) : [],
        };
      })
      .filter((reader) => reader.columns.length > 0 || reader.fed || reader.spec.leadPerson);
    if (readers.length === 0) continue;
    for (const row of input.readRows(file.file)) {
      const at = (column: string, value: string): ReferenceSource => ({
        file: row.file,
        line: row.line,
        sourceKey: row.sourceKey,
        column,
        value,
      });
      for (const { relationship, spec, columns, fed, clients, claimColumns, callerColumns } of readers) {
        const parents: ExpectedParent[] = [];
        for (const column of columns) {
          const value = (row.values[column] ?? '').trim();
          if (value) parents.push(resolve(spec.parentObject, at(column, value)));
        }
        // A claim's own column decides its deal's link; its claim-contact rows do only when it has none.
        if (parents.length === 0 && fed) {
          for (const source of fed.get(row.sourceKey) ?? []) parents.push(resolve(spec.parentObject, source));
        }
        const caller = callerColumns.find((column) => (row.values[column] ?? '').trim() !== '');
        if (caller) {
          parents.push({
            source: at(caller, (row.values[caller] ?? '').trim()),
            identity: `intake_caller:${row.sourceKey}`,
            row: { file: row.file, sourceKey: row.sourceKey },
          });
        }
        for (const column of claimColumns) {
          const value = (row.values[column] ?? '').trim();
          const claim = value ? keys.find('claim', value) : undefined;
          for (const client of claim ? (clients?.get(claim.sourceKey) ?? []) : []) {
            parents.push(resolve('contact', { ...at(column, value), value: client }));
          }
        }
        if (parents.length === 0) continue;
        yield {
          relationship,
          child: {
            identity: `${object}:${row.sourceKey}`,
            file: row.file,
            line: row.line,
            sourceKey: row.sourceKey,
          },
          parents,
        };
      }
    }
  }
}

/** The columns of a child file that reference the relationship's parent object. */
function referenceColumns(
  file: FileMapping,
  spec: Pick<RelationshipSpec, 'childEntities' | 'parentObject'>,
): string[] {
  return file.fields
    .filter((field) => referencedObject(file, field, spec.childEntities) === spec.parentObject)
    .map((field) => field.column);
}

/** The object a column's values are keys of: a `ref:` target to another object, or a link field. */
function referencedObject(
  file: FileMapping,
  field: FieldMapping,
  entities: readonly string[],
): BackdocketObject | undefined {
  const target = field.target ? parseTarget(field.target) : undefined;
  if (!target || !entities.includes(target.entity)) return undefined;
  if (target.kind === 'ref') return target.object === file.object ? undefined : target.object;
  if (target.kind === 'standard') return LINK_FIELD_OBJECT[target.field];
  return undefined;
}

/** An intake's caller: the columns naming the person made from the intake row itself. */
function callerNameColumns(file: FileMapping): string[] {
  return file.fields
    .filter((field) => ['person.name', 'person.first_name', 'person.last_name'].includes(field.target ?? ''))
    .map((field) => field.column);
}

/** Claim key → the references its feeder rows (claim contacts) add for the relationship's parent. */
function feederReferences(
  mapping: Mapping,
  readRows: LinkRowReader,
  spec: RelationshipSpec,
): Map<string, ReferenceSource[]> {
  const byClaim = new Map<string, ReferenceSource[]>();
  for (const file of mapping.objects) {
    if (!file.object || !spec.feeders?.includes(file.object)) continue;
    const claimColumn = referenceColumns(file, {
      childEntities: spec.childEntities,
      parentObject: 'claim',
    })[0];
    const columns = referenceColumns(file, spec);
    if (!claimColumn || columns.length === 0) continue;
    for (const row of readRows(file.file)) {
      const claim = (row.values[claimColumn] ?? '').trim();
      if (!claim) continue;
      for (const column of columns) {
        const value = (row.values[column] ?? '').trim();
        if (!value) continue;
        const list = byClaim.get(claim) ?? [];
        list.push({ file: row.file, line: row.line, sourceKey: row.sourceKey, column, value });
        byClaim.set(claim, list);
      }
    }
  }
  return byClaim;
}

/** Claim key → the contact key values naming its client (the claim's own column, else its claim contacts). */
function claimClients(
  mapping: Mapping,
  readRows: LinkRowReader,
  fed: ReadonlyMap<string, readonly ReferenceSource[]>,
): Map<string, string[]> {
  const spec = SPECS['deal→person'];
  const clients = new Map<string, string[]>();
  for (const file of mapping.objects) {
    if (file.object !== 'claim') continue;
    const columns = referenceColumns(file, spec);
    for (const row of readRows(file.file)) {
      const own = columns.map((column) => (row.values[column] ?? '').trim()).filter(Boolean);
      const values = own.length > 0 ? own : (fed.get(row.sourceKey) ?? []).map((source) => source.value);
      if (values.length > 0) clients.set(row.sourceKey, values);
    }
  }
  return clients;
}

/**
 * The keys of the parent objects' rows: a reference resolves when it equals a row's key column value (or
 * its stored key, or the key the reference index resolves it to). The key column is the one the mapping names (`keyColumn`, or the column mapped to the
 * file's own `ref:` target); the first row with a key wins, as it does in the store.
 */
class ParentKeys {
  private readonly byObject = new Map<BackdocketObject, Map<string, { file: string; sourceKey: string }>>();

  constructor(
    private readonly mapping: Mapping,
    private readonly readRows: LinkRowReader,
    private readonly resolveKey?:
      | ((object: BackdocketObject, value: string) => string | undefined)
      | undefined,
  ) {}

  find(object: BackdocketObject, value: string): { file: string; sourceKey: string } | undefined {
    const keys = this.keysOf(object);
    const exact = keys.get(value);
    if (exact) return exact;
    const key = this.resolveKey?.(object, value);
    return key === undefined ? undefined : keys.get(key);
  }

  private keysOf(object: BackdocketObject): Map<string, { file: string; sourceKey: string }> {
    let keys = this.byObject.get(object);
    if (keys) return keys;
    keys = new Map();
    this.byObject.set(object, keys);
    for (const file of this.mapping.objects) {
      if (file.object !== object) continue;
      const keyColumn = keyColumnOf(file);
      for (const row of this.readRows(file.file)) {
        const entry = { file: row.file, sourceKey: row.sourceKey };
        const value = keyColumn ? (row.values[keyColumn] ?? '').trim() : '';
        if (value && !keys.has(value)) keys.set(value, entry);
        if (!keys.has(row.sourceKey)) keys.set(row.sourceKey, entry);
      }
    }
    return keys;
  }
}

/** The column holding a file's keys, as the mapping names it. */
export function keyColumnOf(file: FileMapping): string | undefined {
  if (file.keyColumn) return file.keyColumn;
  return file.fields.find((field) => {
    const target = field.target ? parseTarget(field.target) : undefined;
    return target?.kind === 'ref' && target.object === file.object;
  })?.column;
}
