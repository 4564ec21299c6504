import { hash53 } from '../core/hash.ts';
import { type Issue, type IssueExample, MAX_EXAMPLES } from '../core/issues.ts';
import type { PlannedRecord } from '../core/records.ts';
import {
  type ExpectedParent,
  LINK_RELATIONSHIPS,
  type LinkExpectation,
  type LinkRelationship,
  type ReferenceSource,
} from '../verify/expected-links.ts';

/** Below this share of the references present, a relationship blocks the migration (`ferry validate` exit 3). */
export const MIN_LINK_COVERAGE = 0.99;

/** How many of a relationship's references will become links in Pipedrive. */
export interface LinkCoverage {
  readonly relationship: LinkRelationship;
  /** Rows carrying a reference for this relationship (a claim with a client contact id …). */
  readonly withReference: number;
  /** …whose reference names a row the export has (the parent file's key). */
  readonly resolved: number;
  /** …whose parent is not quarantined, and whose record the plan links to it: the links that will be made. */
  readonly linked: number;
  /** …that resolve to a parent, but whose planned record does not link to it. */
  readonly notPlanned: number;
  /** `linked / withReference`; 1 when no row carries a reference. */
  readonly share: number;
  /** The same counts per reference column. */
  readonly columns: readonly ColumnCoverage[];
  /** Rows whose reference names no row of the parent file (first few). */
  readonly unresolved: readonly ReferenceSource[];
  /** Rows whose parent is in the export but quarantined (first few), with why. */
  readonly parentHeldBack: readonly (ReferenceSource & { readonly reason: string })[];
  /** Rows whose reference resolves but whose planned record lacks the link (first few). */
  readonly unplanned: readonly ReferenceSource[];
}

export interface ColumnCoverage {
  readonly file: string;
  readonly column: string;
  readonly withReference: number;
  readonly linked: number;
}

/**
 * The links a plan makes, kept as hashes of (record, parent) so a whole export's fit in a few bytes each:
 * validation checks that the plan links each record as its rows say.
 * @example const planned = new PlannedLinks(); planMigration({ …, onRecord: planned.add }); planned.links('claim:1042', 'contact:501')
 */
export class PlannedLinks {
  private readonly records = new Set<number>();
  private readonly pairs = new Set<number>();

  add = (record: PlannedRecord): void => {
    this.records.add(hash53(record.identity));
    for (const link of record.links) this.pairs.add(hash53(`${record.identity}>${link.identity}`));
  };

  /** Whether the plan makes a record with this identity (held and quarantined rows make none). */
  plans(identity: string): boolean {
    return this.records.has(hash53(identity));
  }

  links(identity: string, parentIdentity: string): boolean {
    return this.pairs.has(hash53(`${identity}>${parentIdentity}`));
  }
}

/**
 * Counts, per relationship, the rows carrying a reference and how many will be linked: the reference must
 * name a row of the parent file, that row must not be quarantined, and — when the plan is given — the
 * record planned from the row must link to it. Every row with a reference counts, whatever becomes of
 * it: a row held for its owner, or quarantined for another field, moves later with the same reference.
 * Pure.
 * @example assembleLinkCoverage(deriveLinkExpectations({ mapping, readRows }), { heldBack, planned })
 */
export function assembleLinkCoverage(
  expectations: Iterable<LinkExpectation>,
  options: {
    /** Why a parent row will not be migrated (quarantined …), or undefined when it will be. */
    readonly heldBack?: ((row: { file: string; sourceKey: string }) => string | undefined) | undefined;
    /** The links the plan makes; without it, a resolved reference to a parent that moves counts as linked. */
    readonly planned?: PlannedLinks | undefined;
    readonly relationships?: readonly LinkRelationship[] | undefined;
  } = {},
): LinkCoverage[] {
  const heldBack = options.heldBack ?? (() => undefined);
  const tallies = new Map(
    (options.relationships ?? LINK_RELATIONSHIPS).map((relationship) => [
      relationship,
      new Tally(relationship),
    ]),
  );
  for (const expected of expectations) {
    const { planned } = options;
    const childPlanned = planned?.plans(expected.child.identity) ?? false;
    const isPlanned = (parent: ExpectedParent) =>
      !planned || !childPlanned || planned.links(expected.child.identity, parent.identity as string);
    tallies.get(expected.relationship)?.add(expected.parents, heldBack, isPlanned);
  }
  return [...tallies.values()].map((tally) => tally.coverage());
}

class Tally {
  private withReference = 0;
  private resolved = 0;
  private linked = 0;
  private notPlanned = 0;
  private readonly columns = new Map<
    string,
    { file: string; column: string; withReference: number; linked: number }
  >();
  private readonly unresolved: ReferenceSource[] = [];
  private readonly parentHeldBack: (ReferenceSource & { reason: string })[] = [];
  private readonly unplanned: ReferenceSource[] = [];

  constructor(private readonly relationship: LinkRelationship) {}

  add(
    parents: readonly ExpectedParent[],
    heldBack: (row: { file: string; sourceKey: string }) => string | undefined,
    isPlanned: (parent: ExpectedParent) => boolean,
  ) {
    const first = parents[0];
    if (!first) return;
    this.withReference += 1;
    const column = this.columnOf(first.source);
    column.withReference += 1;
    const resolved = parents.filter((parent) => parent.identity !== undefined);
    if (resolved.length === 0) {
      if (this.unresolved.length < MAX_EXAMPLES) this.unresolved.push(first.source);
      return;
    }
    this.resolved += 1;
    const moving = resolved.filter((parent) => !parent.row || heldBack(parent.row) === undefined);
    if (moving.length === 0) {
      const parent = resolved[0] as ExpectedParent;
      if (this.parentHeldBack.length < MAX_EXAMPLES)
        this.parentHeldBack.push({
          ...parent.source,
          reason: `${parent.identity} ${parent.row ? heldBack(parent.row) : 'is not migrated'}`,
        });
      return;
    }
    if (!moving.some(isPlanned)) {
      this.notPlanned += 1;
      if (this.unplanned.length < MAX_EXAMPLES) this.unplanned.push((moving[0] as ExpectedParent).source);
      return;
    }
    this.linked += 1;
    column.linked += 1;
  }

  private columnOf(source: ReferenceSource) {
    const key = `${source.file}\u0000${source.column}`;
    let column = this.columns.get(key);
    if (!column) {
      column = { file: source.file, column: source.column, withReference: 0, linked: 0 };
      this.columns.set(key, column);
    }
    return column;
  }

  coverage(): LinkCoverage {
    return {
      relationship: this.relationship,
      withReference: this.withReference,
      resolved: this.resolved,
      linked: this.linked,
      notPlanned: this.notPlanned,
      share: this.withReference === 0 ? 1 : this.linked / this.withReference,
      columns: [...this.columns.values()],
      unresolved: this.unresolved,
      parentHeldBack: this.parentHeldBack,
      unplanned: this.unplanned,
    };
  }
}

/** The mapping target that makes each relationship's link, for the fix a person reads. */
const LINK_TARGET: Readonly<Record<LinkRelationship, string>> = {
  'deal→person': 'deal.person_id',
  'deal→organization': 'deal.org_id',
  'person→organization': 'person.org_id',
  'activity→deal': 'activity.deal_id',
  'note→deal': 'note.deal_id',
  'file→deal': 'file.deal_id',
  'activity→person': 'activity.participants',
  'lead→person': 'lead.person_id',
};

/**
 * The gate: a relationship that would link fewer than 99% of the references present is an error naming
 * the file, the column and example rows, with what to do. Pure.
 */
export function linkCoverageIssues(coverage: readonly LinkCoverage[]): Issue[] {
  const issues: Issue[] = [];
  for (const row of coverage) {
    if (row.withReference === 0 || row.share >= MIN_LINK_COVERAGE) continue;
    const worst = [...row.columns].sort(
      (a, b) => a.linked / a.withReference - b.linked / b.withReference || b.withReference - a.withReference,
    )[0];
    const noun = parentNoun(row.relationship);
    const notResolved = row.withReference - row.resolved;
    const quarantined = row.resolved - row.linked - row.notPlanned;
    const causes = [
      { count: notResolved, kind: 'unresolved' as const },
      { count: row.notPlanned, kind: 'unplanned' as const },
      { count: quarantined, kind: 'quarantined' as const },
    ].sort((a, b) => b.count - a.count);
    const main = causes[0]?.kind ?? 'unresolved';
    const values = [...new Set(row.unresolved.map((source) => source.value))].slice(0, 3);
    const said: Record<typeof main, string> = {
      unresolved: `${notResolved} of them name no row of the ${noun} file (e.g. ${values.map((value) => `"${value}"`).join(', ')})`,
      unplanned: `${row.notPlanned} of them name their ${noun}, but the planned record does not link to it (the column is mapped as ${
        worst?.column ? `[${worst.column}]` : 'a reference'
      }, which makes no ${LINK_TARGET[row.relationship]} link)`,
      quarantined: `${quarantined} of them name a ${noun} that is quarantined (${row.parentHeldBack[0]?.reason ?? 'see its issues'})`,
    };
    const fixes: Record<typeof main, string> = {
      unresolved: `Check in mapping.yaml that [${worst?.column ?? 'the column'}] holds the ${noun} ids, and that the ${noun} file's keyColumn is its id column (the values above must appear in it). If the export lacks those ${noun}s (a filtered or capped export), export again as an administrator; if the references point at records that no longer exist, set the column's target to null to migrate without the link. Then confirm and validate again.`,
      unplanned: `Map [${worst?.column ?? 'the column'}] to ${LINK_TARGET[row.relationship]} in mapping.yaml, confirm, and validate again.`,
      quarantined: `Fix the quarantined ${noun}s (see their own issues), then validate again.`,
    };
    const examples: IssueExample[] = [
      ...(main === 'unplanned' ? row.unplanned : []),
      ...row.unresolved,
      ...row.parentHeldBack,
      ...row.unplanned,
    ]
      .slice(0, MAX_EXAMPLES)
      .map((source) => ({ file: source.file, line: source.line, sourceKey: source.sourceKey }));
    issues.push({
      code: 'link_coverage_low',
      severity: 'error',
      ...(worst ? { file: worst.file, field: worst.column } : {}),
      message: `${row.relationship}: only ${row.linked} of ${row.withReference} reference(s) will be linked (${percent(
        row.share,
      )}, below ${percent(MIN_LINK_COVERAGE)})${
        worst ? `; ${worst.file} [${worst.column}] links ${worst.linked} of ${worst.withReference}` : ''
      }: ${causes
        .filter((cause) => cause.count > 0)
        .map((cause) => said[cause.kind])
        .join('; ')}.`,
      examples,
      fix: fixes[main],
    });
  }
  return issues;
}

/** `deal→person` → 'contact' as a person reads it in the export. */
function parentNoun(relationship: LinkRelationship): string {
  if (relationship.endsWith('person')) return 'contact';
  if (relationship.endsWith('organization')) return 'company';
  return 'claim';
}

/**
 * A share as a person reads it, never rounded up to a whole 100% nor down to 0%.
 * @example percent(0.995) // '99.5%' · percent(1) // '100%' · percent(0.9999) // '99.9%'
 */
export function percent(share: number): string {
  const tenths = Math.floor(share * 1000) / 10;
  const shown = tenths === 0 && share > 0 ? 0.1 : tenths;
  return `${Number.isInteger(shown) ? shown.toFixed(0) : shown.toFixed(1)}%`;
}
