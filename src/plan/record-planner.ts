import type { BackdocketObject } from '../core/objects.ts';
import type { PlannedRecord, RowRef, WriteEntity } from '../core/records.ts';
import type { FileMapping } from '../mapping/mapping-schema.ts';
import type { SourceRow } from '../source/model.ts';
import { PlanContext } from './planners/context.ts';
import {
  addFeederRow,
  addOversizeDocument,
  FEEDER_OBJECTS,
  foldedRows,
  heldFeeds,
  ledgerRecord,
  ledgers,
  orphanFeeds,
  statusNotes,
} from './planners/feeds.ts';
import { plannerFor } from './planners/index.ts';
import type { AlongRow, PlannerOptions, RowPlan } from './planners/planner.ts';

export type { AlongRow, OwnerResolution, PlannerOptions, RowPlan } from './planners/planner.ts';

/** The entities records link to (parents); the planner makes no link to any other. */
export const LINK_TARGETS = ['organization', 'person', 'deal'] as const satisfies readonly WriteEntity[];

const NOT_WRITABLE: Readonly<Partial<Record<BackdocketObject, string>>> = {
  staff: 'staff are matched to Pipedrive users by e-mail, not created',
  claim_type: 'claim types become pipelines and the Matter Type field (ferry schema apply)',
  check_approval: 'Pipedrive has nothing to hold check approvals: see the rebuild reference',
  document_template: 'document templates cannot be created over the API: see the rebuild reference',
};

/**
 * Turns extracted rows into the Pipedrive records to write, following the confirmed mapping. Pure: rows,
 * mapping and the target schema in, records and issues out. Feeder files (claim contacts, claim staff,
 * ledger lines, status history) are added first with `addFeederRow`; then every other row is planned
 * with `planRow` by its entity's planner (src/plan/planners/), and the per-claim timeline notes and ledger
 * files come from `statusNotes` and `ledgers`. Feeder rows wait in `ClaimFeeds` (a file on large exports),
 * so memory does not grow with them.
 */
export class RecordPlanner {
  private readonly context: PlanContext;

  constructor(options: PlannerOptions) {
    this.context = new PlanContext(options);
  }

  static isFeeder(file: FileMapping): boolean {
    return file.object !== null && FEEDER_OBJECTS.has(file.object);
  }

  /** First pass: remember what a claim contact / staff / ledger / status row adds to its deal. */
  addFeederRow(file: FileMapping, row: SourceRow): RowPlan {
    return addFeederRow(this.context, file, row);
  }

  /**
   * First pass over documents: a file over the upload limit is not uploaded; its name and storage path go
   * to its deal's "Documents Not Uploaded" field instead, so the deal links to it.
   */
  addOversizeDocument(file: FileMapping, row: SourceRow): void {
    addOversizeDocument(this.context, file, row);
  }

  /**
   * Plans one row of a non-feeder file. `along`: rows of other files holding more columns of the same
   * record (the same key in a second contacts file); their fields join the record, their rows its outcome.
   */
  planRow(file: FileMapping, row: SourceRow, along: readonly AlongRow[] = []): RowPlan {
    const notWritable = file.object ? NOT_WRITABLE[file.object] : undefined;
    if (notWritable) return { kind: 'none', outcome: 'skipped', reason: notWritable, issues: [] };
    if (!file.object || !file.entity || file.entity === 'user') {
      return {
        kind: 'none',
        outcome: 'skipped',
        reason: 'the file is not mapped to a Pipedrive object',
        issues: [],
      };
    }
    const planner = plannerFor(file.object);
    if (!planner) {
      return {
        kind: 'none',
        outcome: 'skipped',
        reason: `${file.object} rows are not migrated`,
        issues: [],
      };
    }
    return planner.plan(this.context, { file, row, along });
  }

  /** Claim-contact and claim-staff rows folded into a claim's deal (they share its outcome). */
  foldedRows(claimKey: string): RowRef[] {
    return foldedRows(this.context, claimKey);
  }

  /** Folded rows whose claim was never planned: they point at a claim the export does not have. */
  orphanFeeds(): Generator<{ claimKey: string; rows: readonly RowRef[] }> {
    return orphanFeeds(this.context);
  }

  /**
   * Status history and ledger rows of claims held until their owner is resolved: they make no record yet
   * and wait with their claim (`held`, with the reason). Ask after every claim was planned.
   */
  heldFeeds(): Generator<{ rows: readonly RowRef[]; reason: string }> {
    return heldFeeds(this.context);
  }

  /** Records made from feeder rows: one status timeline note per claim, built as they are read. */
  statusNotes(): Generator<PlannedRecord> {
    return statusNotes(this.context);
  }

  /** The ledger lines of each claim, for attaching as a CSV file to its deal, one claim at a time. */
  ledgers(): ReturnType<typeof ledgers> {
    return ledgers(this.context);
  }

  /** A ledger CSV file record for a claim, once the CSV has been written to `path`. */
  ledgerRecord(
    claimKey: string,
    rows: readonly RowRef[],
    file: { path: string; size: number },
  ): PlannedRecord {
    return ledgerRecord(this.context, claimKey, rows, file);
  }
}
