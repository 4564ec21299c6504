/**
 * The unit of work of a run: one Pipedrive record Ferry wants to exist, planned from source rows.
 * Plain data; the planner builds them (pure) and the executor writes them (I/O).
 */

/** Entities Ferry creates, in dependency order: parents before children. */
export const WRITE_ORDER = ['organization', 'person', 'deal', 'lead', 'activity', 'note', 'file'] as const;
export type WriteEntity = (typeof WRITE_ORDER)[number];

/** A link to another planned record, filled in with that record's Pipedrive id at write time. */
export interface ParentLink {
  /** Dotted path in the payload, e.g. `org_id` or `participants.0.person_id`. */
  readonly field: string;
  readonly entity: WriteEntity;
  readonly identity: string;
  /** A required link whose parent is not in Pipedrive skips the record (with a reason) instead of writing it. */
  readonly required: boolean;
}

/** The value a resolved link writes: the id itself, or for `participants` the v2 participant list. */
export function linkValue(field: string, id: string): unknown {
  const value = /^\d+$/.test(id) ? Number(id) : id;
  return field === 'participants' ? [{ person_id: value, primary: true }] : value;
}

/** A source row a record accounts for (row accountability). */
export interface RowRef {
  readonly file: string;
  readonly sourceKey: string;
}

/**
 * One record to create or update.
 * @example { entity: 'person', identity: 'contact:1042', payload: { name: 'Maria Gonzalez' },
 *            links: [{ field: 'org_id', entity: 'organization', identity: 'company:88', required: false }], … }
 */
export interface PlannedRecord {
  readonly entity: WriteEntity;
  /** BackDocket identity, stable across runs and exports: `<object>:<source key>`. */
  readonly identity: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly links: readonly ParentLink[];
  /** Rows whose outcome this record decides. */
  readonly rows: readonly RowRef[];
  /** Hash of the payload and links (before ids are resolved), for delta detection. */
  readonly contentHash: string;
  /** For files: what to upload. */
  readonly upload?: { readonly path: string; readonly fileName: string; readonly size: number } | undefined;
}

/**
 * What became of a source row (row accountability): `held` rows wait for something a person decides (an
 * owner for their records) and move on a later run once it is decided; `quarantined` rows need their data
 * fixed; `skipped` rows are not migrated by design (staff, duplicates merged, files not mapped).
 */
export const ROW_OUTCOMES = ['migrated', 'updated', 'skipped', 'held', 'quarantined', 'failed'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export const RUN_KINDS = ['schema', 'sample', 'full', 'delta', 'rollback'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed';

/** Sets `value` at a dotted path, creating objects and arrays (numeric segments) on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < segments.length - 1; i += 1) {
    const key = segments[i]!;
    const nextIsIndex = /^\d+$/.test(segments[i + 1]!);
    const container = node as Record<string, unknown>;
    if (container[key] === undefined || container[key] === null) container[key] = nextIsIndex ? [] : {};
    node = container[key] as Record<string, unknown> | unknown[];
  }
  (node as Record<string, unknown>)[segments.at(-1)!] = value;
}

/** Text Ferry puts in records that have no custom fields (activities, notes) so they can be found again. */
export function identityMarker(identity: string): string {
  return `[BackDocket ${identity}]`;
}
