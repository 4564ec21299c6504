import type { Issue } from '../../core/issues.ts';
import type { BackdocketObject } from '../../core/objects.ts';
import type { PlannedRecord, RowOutcome, WriteEntity } from '../../core/records.ts';
import type { FileMapping, Mapping } from '../../mapping/mapping-schema.ts';
import type { SourceRow } from '../../source/model.ts';
import type { ClaimFeeds } from '../claim-feeds.ts';
import type { TargetSchema } from '../target-schema.ts';
import type { PlanContext } from './context.ts';

/** Who owns a record: a Pipedrive user, or nobody yet (the record is held until the owner is resolved). */
export type OwnerResolution = { readonly userId: number } | { readonly held: string } | undefined;

export interface PlannerOptions {
  readonly mapping: Mapping;
  readonly schema: TargetSchema;
  /** Staff reference (id, name or e-mail as the export writes it) → owner. */
  readonly resolveOwner: (staffRef: string) => OwnerResolution;
  /** Contact key → key of the contact it duplicates (duplicate policy), when it is a duplicate. */
  readonly duplicateOf?: (contactKey: string) => string | undefined;
  /**
   * A reference as the export writes it (a key in other case, a claim number, a company or full name) →
   * the key of the row it points at (`ReferenceIndex.resolve`); undefined leaves the value as the key.
   */
  readonly resolveKey?: (object: BackdocketObject, value: string) => string | undefined;
  /** Documents: resolves a storage path inside the export folder; undefined when it escapes or is missing. */
  readonly documentFile?: (storagePath: string) => { path: string; size: number } | undefined;
  /**
   * Why a document's file is not available from the source at all (an MCP server that gives no
   * document content): such a row is skipped with that reason, not held back as missing.
   */
  readonly documentUnavailable?: ((sourceKey: string) => string | undefined) | undefined;
  readonly maxUploadBytes?: number;
  /** `visible_to` for created records (3 = entire company on Lite/Growth). */
  readonly visibleTo?: number | undefined;
  /** Where feeder rows wait for their claim (in memory unless given: a large export needs a file). */
  readonly feeds?: ClaimFeeds | undefined;
}

/** What becomes of one source row. */
export type RowPlan =
  | {
      readonly kind: 'records';
      readonly records: readonly PlannedRecord[];
      readonly issues: readonly Issue[];
    }
  /** Rolled into its claim's deal (contacts/staff on the claim, ledger lines, status changes). */
  | { readonly kind: 'folded'; readonly into: string; readonly issues: readonly Issue[] }
  | {
      readonly kind: 'none';
      readonly outcome: RowOutcome;
      readonly reason: string;
      readonly issues: readonly Issue[];
    };

/** A row of another file holding more columns of the record a row plans (same object, same key). */
export interface AlongRow {
  readonly file: FileMapping;
  readonly row: SourceRow;
}

/** One row to plan: its file's mapping, the row, and rows of other files holding more of the same record. */
export interface RowInput {
  readonly file: FileMapping;
  readonly row: SourceRow;
  readonly along: readonly AlongRow[];
}

/**
 * The planner of one Pipedrive entity: which BackDocket objects' rows it turns into its records, and how.
 * Pure like the whole planning stage: a row in, records and issues out; what planners share (the mapping,
 * the schema, the claims planned so far, the feeder rows) is in the `PlanContext`.
 * @example dealPlanner.plan(context, { file, row, along: [] }) // { kind: 'records', records: [deal], issues: [] }
 */
export interface EntityPlanner {
  /** The entity its records are (a row may also yield a record it carries, planned before it). */
  readonly entity: WriteEntity;
  /** The BackDocket objects whose rows it plans. */
  readonly objects: readonly BackdocketObject[];
  plan(context: PlanContext, input: RowInput): RowPlan;
}
