import type { WriteEntity } from '../core/records.ts';
import {
  type LinkExpectation,
  type LinkField,
  type LinkRelationship,
  linkFieldOf,
} from './expected-links.ts';

/**
 * Compares the links Pipedrive holds with the links the export says it must hold (`deriveLinkExpectations`),
 * record by record, finding records by their BackDocket identity. Pure.
 */

/** What verification keeps of a Pipedrive record: its id and its link fields. */
export interface LinkedRecord {
  readonly id: string;
  readonly links: Readonly<Partial<Record<LinkField, readonly string[]>>>;
}

/** The live records Pipedrive holds, found by the BackDocket identity they carry. */
export interface RecordsByIdentity {
  find(entity: WriteEntity, identity: string): LinkedRecord | undefined;
  /** The identity a record of that entity carries, to name what a wrong link points at. */
  identityOf(entity: WriteEntity, pipedriveId: string): string | undefined;
}

/** Where each relationship's child and parent records live in Pipedrive. */
const ENTITIES: Readonly<Record<LinkRelationship, { child: readonly WriteEntity[]; parent: WriteEntity }>> = {
  'deal→person': { child: ['deal'], parent: 'person' },
  'deal→organization': { child: ['deal'], parent: 'organization' },
  'person→organization': { child: ['person'], parent: 'organization' },
  'activity→deal': { child: ['activity'], parent: 'deal' },
  // A call or e-mail logged as a note becomes a done activity: the same identity, on either entity.
  'note→deal': { child: ['note', 'activity'], parent: 'deal' },
  'file→deal': { child: ['file'], parent: 'deal' },
  'activity→person': { child: ['activity'], parent: 'person' },
  'lead→person': { child: ['lead'], parent: 'person' },
};

/** A link Pipedrive does not hold as the export says: missing, or pointing at another record. */
export interface LinkDifference {
  readonly relationship: LinkRelationship;
  readonly kind: 'missing' | 'wrong';
  readonly child: {
    readonly entity: WriteEntity;
    readonly identity: string;
    readonly pipedriveId: string;
    readonly file: string;
    readonly line: number;
  };
  readonly field: LinkField;
  /** The parents the export names that are in Pipedrive (identity and id). */
  readonly expected: readonly { readonly identity: string; readonly pipedriveId: string }[];
  /** What the field holds: ids and, where Ferry wrote them, their identities. */
  readonly actual: readonly { readonly pipedriveId: string; readonly identity: string | undefined }[];
}

/** A relationship as Pipedrive holds it, over the child records Ferry wrote that carry a reference. */
export interface LinkCheck {
  readonly relationship: LinkRelationship;
  /** Child records in Pipedrive whose rows carry a reference: linked + missing + wrong + parentAbsent. */
  readonly checked: number;
  /** …whose link points at a parent the export names. */
  readonly linked: number;
  readonly missing: number;
  readonly wrong: number;
  /** …with no link, whose parents are none of them in Pipedrive (not in the export, or not migrated). */
  readonly parentAbsent: number;
  /** `linked / checked`; 1 when nothing was checked. */
  readonly share: number;
  /** A few children whose parent is absent, for the report. */
  readonly absentExamples: readonly { file: string; line: number; sourceKey: string; reference: string }[];
}

export interface LinkDiff {
  readonly checks: readonly LinkCheck[];
  readonly differences: readonly LinkDifference[];
}

const ABSENT_EXAMPLES = 5;

/**
 * Checks every expected link against Pipedrive: the child record (found by identity) must point at one of
 * the parents its rows reference. A child not in Pipedrive (not migrated, a sample) is not checked; a
 * parent not in Pipedrive cannot be linked and is counted apart, so that a mapping whose references find
 * no parent shows as low coverage rather than as nothing to check.
 * @example diffLinks(deriveLinkExpectations({ mapping, readRows }), records).differences
 */
export function diffLinks(
  expectations: Iterable<LinkExpectation>,
  records: RecordsByIdentity,
  relationships: readonly LinkRelationship[],
): LinkDiff {
  const tallies = new Map(relationships.map((relationship) => [relationship, newTally(relationship)]));
  const differences: LinkDifference[] = [];
  for (const expected of expectations) {
    const tally = tallies.get(expected.relationship);
    if (!tally) continue;
    const entities = ENTITIES[expected.relationship];
    const found = findChild(records, entities.child, expected.child.identity);
    if (!found) continue;
    tally.checked += 1;
    const field = linkFieldOf(expected.relationship);
    const actualIds = found.record.links[field] ?? [];
    const parents = new Map<string, string>();
    for (const parent of expected.parents) {
      if (parent.identity === undefined) continue;
      const record = records.find(entities.parent, parent.identity);
      if (record) parents.set(record.id, parent.identity);
    }
    if (actualIds.some((id) => parents.has(id))) {
      tally.linked += 1;
      continue;
    }
    if (parents.size === 0 && actualIds.length === 0) {
      tally.parentAbsent += 1;
      const source = expected.parents[0]?.source;
      if (source && tally.absentExamples.length < ABSENT_EXAMPLES)
        tally.absentExamples.push({
          file: source.file,
          line: source.line,
          sourceKey: source.sourceKey,
          reference: `${source.column}=${source.value}`,
        });
      continue;
    }
    const kind = actualIds.length === 0 ? 'missing' : 'wrong';
    if (kind === 'missing') tally.missing += 1;
    else tally.wrong += 1;
    differences.push({
      relationship: expected.relationship,
      kind,
      child: {
        entity: found.entity,
        identity: expected.child.identity,
        pipedriveId: found.record.id,
        file: expected.child.file,
        line: expected.child.line,
      },
      field,
      expected: [...parents].map(([pipedriveId, identity]) => ({ identity, pipedriveId })),
      actual: actualIds.map((pipedriveId) => ({
        pipedriveId,
        identity: records.identityOf(entities.parent, pipedriveId),
      })),
    });
  }
  return {
    checks: [...tallies.values()].map((tally) => ({
      ...tally,
      share: tally.checked === 0 ? 1 : tally.linked / tally.checked,
    })),
    differences,
  };
}

function newTally(relationship: LinkRelationship) {
  return {
    relationship,
    checked: 0,
    linked: 0,
    missing: 0,
    wrong: 0,
    parentAbsent: 0,
    absentExamples: [] as { file: string; line: number; sourceKey: string; reference: string }[],
  };
}

function findChild(records: RecordsByIdentity, entities: readonly WriteEntity[], identity: string) {
  for (const entity of entities) {
    const record = records.find(entity, identity);
    if (record) return { entity, record };
  }
  return undefined;
}

/**
 * The ids a record's link field holds, however the API spells them: a number, a numeric string, an object
 * with `value` or `id` (v1 expansions), or for `participants` a list of `{ person_id }`.
 * @example linkIds({ participants: [{ person_id: 7, primary: true }] }, 'participants') // ['7']
 */
export function linkIds(record: Readonly<Record<string, unknown>>, field: LinkField): string[] {
  const value = record[field];
  if (field === 'participants') {
    const list = Array.isArray(value) ? value : [];
    const ids = list.map((item) => idOf((item as Record<string, unknown> | null)?.person_id)).filter(isId);
    // v2 keeps the primary participant in person_id too.
    const primary = idOf(record.person_id);
    return [...new Set(primary ? [...ids, primary] : ids)];
  }
  const id = idOf(value);
  return id ? [id] : [];
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (value && typeof value === 'object') {
    const nested = (value as Record<string, unknown>).value ?? (value as Record<string, unknown>).id;
    return nested === value ? undefined : idOf(nested);
  }
  return undefined;
}

function isId(value: string | undefined): value is string {
  return value !== undefined;
}
