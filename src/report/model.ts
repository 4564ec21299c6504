import type { RowOutcome, RunKind, RunStatus } from '../core/records.ts';

/**
 * Everything the migration summary says, as data. `assembleReport` (I/O: reads the store) produces it,
 * `renderReportHtml` / JSON render it. The JSON report is this object.
 */
export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  /** Firm or workspace name shown in the heading. */
  readonly workspaceName: string;
  readonly sourceDir: string;
  /** Plain-words summary lines for a managing partner, most important first. */
  readonly headline: readonly string[];
  readonly accountability: readonly FileAccountability[];
  readonly recordsByEntity: readonly {
    entity: string;
    created: number;
    updated: number;
    failed: number;
    skipped: number;
  }[];
  readonly issuesByKind: readonly {
    code: string;
    severity: 'error' | 'warning' | 'info';
    count: number;
    example?: string;
    /** Where it was seen: `file:line (id)` of the first few rows. */
    rows?: readonly string[] | undefined;
  }[];
  readonly ownership: readonly OwnershipRow[];
  /** Per relationship (deal→person …): references in the export, links planned, links in Pipedrive. */
  readonly links: readonly LinkRow[];
  readonly schemaCreated: readonly { kind: string; name: string; entity?: string | undefined }[];
  readonly timestampsNotKept: readonly {
    entity: string;
    field: string;
    count: number;
    keptIn?: string | undefined;
  }[];
  readonly verification: VerificationSummary | null;
  readonly runs: readonly RunSummary[];
  readonly tokensPerDay: readonly { day: string; tokens: number; requests: number }[];
  readonly totals: { readonly requests: number; readonly tokens: number; readonly durationMs: number };
  readonly rebuild: readonly RebuildItem[];
  /**
   * Documents the source listed but could not give (an MCP server without a document download tool, or
   * files its tool refused): not migrated, named here so the firm can move them another way.
   */
  readonly documentsNotAvailable: {
    readonly reason: string | null;
    readonly documents: readonly {
      table: string;
      record: string;
      name: string;
      path: string;
      reason: string;
    }[];
  } | null;
}

/** Row accountability for one source file: the outcomes add up to the extracted rows. */
export interface FileAccountability {
  readonly file: string;
  readonly object: string | null;
  readonly extracted: number;
  /** Counted in `extracted`: the rows the latest extract of the file holds. */
  readonly outcomes: Readonly<Partial<Record<RowOutcome | 'pending', number>>>;
  /** Rows migrated earlier that a newer export no longer holds (left in Pipedrive as they were). */
  readonly vanishedSinceMigrated: number;
}

export interface OwnershipRow {
  readonly staff: string;
  readonly email: string | null;
  readonly pipedriveUser: string | null;
  readonly status: 'matched' | 'inactive' | 'unmatched' | 'fallback';
  readonly records: number;
  /** Both sides named: `inactive in BackDocket; no Pipedrive user`. */
  readonly standing?: string | undefined;
}

/** One relationship in the report's link table. */
export interface LinkRow {
  readonly relationship: string;
  /** From the last validation: rows carrying a reference, and the links the plan will make. */
  readonly withReference?: number | undefined;
  readonly willLink?: number | undefined;
  readonly share?: number | undefined;
  /** From the last verification: migrated records carrying a reference, and how Pipedrive links them. */
  readonly inPipedrive?:
    | {
        readonly checked: number;
        readonly linked: number;
        readonly missing: number;
        readonly wrong: number;
        readonly parentAbsent: number;
        readonly share: number;
      }
    | undefined;
}

export interface VerificationSummary {
  readonly checkedAt: string;
  /** Records, links and identities all as expected. */
  readonly ok: boolean;
  /** Links missing or wrong in Pipedrive (first 50), and how many in all. */
  readonly linkDifferences: readonly { relationship: string; record: string; row: string; problem: string }[];
  readonly linkDifferenceCount: number;
  /** Migrated rows whose record lacks its identity (first 50), in words. */
  readonly identityDifferences: readonly string[];
  readonly entities: readonly {
    entity: string;
    expected: number;
    found: number;
    matching: number;
    differing: number;
    missing: number;
    unexpected: number;
  }[];
  readonly sampleDiffs: readonly {
    entity: string;
    record: string;
    field: string;
    expected: string;
    actual: string;
  }[];
  readonly tokens: number;
}

export interface RunSummary {
  readonly id: number;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
}

/** Something Pipedrive cannot take over its API, with a concrete checklist to rebuild it by hand. */
export interface RebuildItem {
  readonly topic: string;
  readonly why: string;
  readonly count: number;
  readonly steps: readonly string[];
}
