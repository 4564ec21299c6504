import { basename } from 'node:path';
import { formatExample, type Issue } from '../core/issues.ts';
import type { RowOutcome } from '../core/records.ts';
import type { WorkspaceSession } from '../run/session.ts';
import { readUsage } from '../run/usage.ts';
import {
  describeIdentityDifference,
  describeLinkDifference,
  type VerifyResult,
} from '../run/verify-migration.ts';
import { loadExtractIssues, loadInventory } from '../source/backdocket/index.ts';
import { loadUnavailableDocuments } from '../source/mcp/unavailable-documents.ts';
import type {
  FileAccountability,
  RebuildItem,
  ReportData,
  RunSummary as StoredRun,
  VerificationSummary,
} from './model.ts';

/** What was saved by `ferry validate` for the report (see saved-validation.ts). */
export interface SavedValidation {
  readonly at: string;
  readonly counts: { error: number; warning: number; info: number };
  readonly byCode?: readonly {
    code: string;
    severity: 'error' | 'warning' | 'info';
    count: number;
    example?: string;
    /** Where it was seen: `file:line (id)` of the first few rows. */
    rows?: readonly string[];
  }[];
  readonly ownership?: ReportData['ownership'];
  /** Per relationship: rows carrying a reference, and the links the plan will make. */
  readonly links?: readonly {
    relationship: string;
    withReference: number;
    resolved: number;
    linked: number;
    share: number;
  }[];
}

/**
 * Gathers the migration summary from the workspace store: row accountability per file, outcomes, issues,
 * ownership, schema, timestamps that could not be kept, verification, runs, requests and tokens, and the
 * rebuild reference. Reads only the store (no Pipedrive calls).
 */
export function assembleReport(
  session: WorkspaceSession,
  options: { now?: Date; rebuild?: (counts: Record<string, number>) => readonly RebuildItem[] } = {},
): ReportData {
  const { store, journal, workspace } = session;
  const db = store.db;
  const inventory = loadInventory(store);
  // Rows a newer export no longer holds keep their outcome (what Ferry wrote stays in Pipedrive) but are
  // counted apart, so each file's outcomes add up to the rows its latest extract holds.
  const outcomes = db
    .prepare(
      `SELECT o.file, o.outcome, sum(CASE WHEN s.state = 'vanished' THEN 0 ELSE 1 END) AS n,
              sum(CASE WHEN s.state = 'vanished' THEN 1 ELSE 0 END) AS vanished
       FROM row_outcomes o LEFT JOIN source_rows s ON s.file = o.file AND s.source_key = o.source_key
       GROUP BY o.file, o.outcome`,
    )
    .all() as { file: string; outcome: RowOutcome; n: number; vanished: number }[];
  const accountability: FileAccountability[] = inventory.map((file) => {
    const counts: Partial<Record<RowOutcome | 'pending', number>> = {};
    let settled = 0;
    let vanished = 0;
    for (const row of outcomes.filter((candidate) => candidate.file === file.file)) {
      if (row.n > 0) counts[row.outcome] = row.n;
      settled += row.n;
      vanished += row.vanished;
    }
    if (file.rowCount - settled > 0) counts.pending = file.rowCount - settled;
    return {
      file: file.file,
      object: file.detection.object,
      extracted: file.rowCount,
      outcomes: counts,
      vanishedSinceMigrated: vanished,
    };
  });
  const entityRows = db
    .prepare(
      `SELECT entity, operation, state, count(*) AS n FROM journal
       WHERE entity IN ('organization','person','deal','lead','activity','note','file') GROUP BY entity, operation, state`,
    )
    .all() as { entity: string; operation: string; state: string; n: number }[];
  const live = db.prepare('SELECT entity, count(*) AS n FROM id_map GROUP BY entity').all() as {
    entity: string;
    n: number;
  }[];
  const skipped = db
    .prepare(
      "SELECT entity, count(*) AS n FROM row_outcomes WHERE outcome = 'skipped' AND entity IS NOT NULL GROUP BY entity",
    )
    .all() as { entity: string; n: number }[];
  const entities = ['organization', 'person', 'deal', 'lead', 'activity', 'note', 'file'];
  const recordsByEntity = entities.map((entity) => ({
    entity,
    created: live.find((row) => row.entity === entity)?.n ?? 0,
    updated:
      entityRows.find((row) => row.entity === entity && row.operation === 'update' && row.state === 'done')
        ?.n ?? 0,
    failed:
      entityRows.find((row) => row.entity === entity && row.operation === 'create' && row.state === 'failed')
        ?.n ?? 0,
    skipped: skipped.find((row) => row.entity === entity)?.n ?? 0,
  }));
  const validation = readJson<SavedValidation>(store.getMeta('validation'));
  const extractIssues = loadExtractIssues(store);
  const issuesByKind = mergeIssueCounts(validation?.byCode ?? [], extractIssues);
  const schemaCreated = [
    'pipeline',
    'stage',
    'dealField',
    'personField',
    'organizationField',
    'activityType',
  ].flatMap((entity) =>
    journal.idMap(entity).map((entry) => ({
      kind: entity.endsWith('Field') ? 'custom field' : entity === 'activityType' ? 'activity type' : entity,
      name: entry.identity,
      entity: entity.endsWith('Field') ? entity.replace('Field', '') : undefined,
    })),
  );
  const created = (entity: string) => recordsByEntity.find((row) => row.entity === entity)?.created ?? 0;
  const timestampsNotKept = [
    {
      entity: 'deal',
      field: 'creation date',
      count: created('deal'),
      keptIn: 'custom field "Original Create Date"',
    },
    {
      entity: 'activity',
      field: 'creation and done times',
      count: created('activity'),
      keptIn: 'due date and time',
    },
    { entity: 'lead', field: 'creation date', count: created('lead'), keptIn: 'custom field "Submitted On"' },
    { entity: 'file', field: 'upload date', count: created('file'), keptIn: undefined },
  ].filter((row) => row.count > 0);
  const verified = readJson<VerifyResult>(store.getMeta('verification'));
  const verification = toVerificationSummary(verified);
  const links = assembleLinkRows(validation, verified);
  const runs: StoredRun[] = journal.runs().map((run) => {
    const stats = (
      run.summary as { stats?: Record<string, { created: number; updated: number; failed: number }> } | null
    )?.stats;
    const sum = (key: 'created' | 'updated' | 'failed') =>
      stats ? Object.values(stats).reduce((total, entity) => total + (entity[key] ?? 0), 0) : 0;
    return {
      id: run.id,
      kind: run.kind,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      created: sum('created'),
      updated: sum('updated'),
      failed: sum('failed'),
    };
  });
  const usage = readUsage(store);
  const durationMs = runs.reduce(
    (total, run) => total + (run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : 0),
    0,
  );
  const rowsOf = (object: string) =>
    inventory
      .filter((file) => file.detection.object === object)
      .reduce((total, file) => total + file.rowCount, 0);
  const rebuild =
    options.rebuild?.({
      checkApprovals: rowsOf('check_approval'),
      documentTemplates: rowsOf('document_template'),
      claimTypes: rowsOf('claim_type'),
      tasks: rowsOf('task'),
      intake: rowsOf('intake'),
    }) ?? [];
  const extracted = accountability.reduce((total, file) => total + file.extracted, 0);
  const migrated = outcomes
    .filter((row) => row.outcome === 'migrated' || row.outcome === 'updated')
    .reduce((t, r) => t + r.n, 0);
  const rowsWith = (outcome: RowOutcome) =>
    outcomes.filter((row) => row.outcome === outcome).reduce((t, r) => t + r.n, 0);
  const quarantined = rowsWith('quarantined');
  const held = rowsWith('held');
  const failed = rowsWith('failed');
  const headline = [
    `${migrated.toLocaleString('en-US')} of ${extracted.toLocaleString('en-US')} source rows are in Pipedrive (${recordsByEntity
      .filter((row) => row.created > 0)
      .map((row) => `${row.created.toLocaleString('en-US')} ${entityNoun(row.entity, row.created)}`)
      .join(', ')}).`,
    verification
      ? verification.ok
        ? 'Every migrated record was read back from Pipedrive and matches, field by field, with every link the export names.'
        : 'Verification found differences: see "Verification" below.'
      : 'The migration has not been verified yet (run ferry verify).',
    quarantined + failed > 0
      ? `${quarantined.toLocaleString('en-US')} row(s) were quarantined for review and ${failed} failed; each is listed with its reason.`
      : 'No row was quarantined or failed.',
    ...(held > 0
      ? [
          `${held.toLocaleString('en-US')} row(s) are held until their owner is resolved (owners.staff or a fallback owner in mapping.yaml); they move on the next run.`,
        ]
      : []),
    `${rebuild.length} thing(s) Pipedrive cannot take over its API need rebuilding by hand (checklist below).`,
  ];
  const unavailable = loadUnavailableDocuments(store);
  if (unavailable.documents.length > 0)
    headline.push(
      `${unavailable.documents.length.toLocaleString('en-US')} document(s) are not available from this source and were not migrated (listed below).`,
    );
  return {
    title: 'BackDocket → Pipedrive migration summary',
    generatedAt: (options.now ?? new Date()).toISOString(),
    workspaceName: basename(workspace.dir),
    sourceDir: workspace.sourceUrl ?? workspace.sourceDir,
    headline,
    accountability,
    recordsByEntity,
    issuesByKind,
    ownership: validation?.ownership ?? [],
    links,
    schemaCreated,
    timestampsNotKept,
    verification,
    runs,
    tokensPerDay: usage.byDay,
    totals: { requests: usage.requests, tokens: usage.tokens, durationMs },
    rebuild,
    documentsNotAvailable: unavailable.documents.length > 0 ? unavailable : null,
  };
}

function mergeIssueCounts(
  validation: NonNullable<SavedValidation['byCode']>,
  extractIssues: readonly Issue[],
): ReportData['issuesByKind'] {
  interface KindRow {
    code: string;
    severity: Issue['severity'];
    count: number;
    example?: string;
    rows: string[];
  }
  const merged = new Map<string, KindRow>(
    validation.map((row) => [row.code, { ...row, rows: [...(row.rows ?? [])] }]),
  );
  if (validation.length === 0) {
    for (const issue of extractIssues) {
      const row = merged.get(issue.code) ?? {
        code: issue.code,
        severity: issue.severity,
        count: 0,
        example: issue.message,
        rows: [],
      };
      row.count += 1;
      const where =
        issue.file !== undefined && issue.line !== undefined
          ? [formatExample({ file: issue.file, line: issue.line, sourceKey: issue.sourceKey })]
          : (issue.examples ?? []).map(formatExample);
      for (const place of where) if (row.rows.length < 3 && !row.rows.includes(place)) row.rows.push(place);
      merged.set(issue.code, row);
    }
  }
  return [...merged.values()]
    .sort((a, b) => b.count - a.count)
    .map(({ rows, ...row }) => (rows.length > 0 ? { ...row, rows } : row));
}

function toVerificationSummary(result: VerifyResult | undefined): VerificationSummary | null {
  if (!result) return null;
  const linkDifferences = result.linkDifferences ?? [];
  const identityDifferences = result.identities?.differences ?? [];
  return {
    checkedAt: result.checkedAt,
    // A verification saved before links were checked reads as ok when its records matched.
    ok: result.ok ?? result.entities.every((e) => e.differing === 0 && e.missing === 0 && e.unexpected === 0),
    linkDifferences: linkDifferences.slice(0, 50).map((difference) => ({
      relationship: difference.relationship,
      record: `${difference.child.entity} ${difference.child.pipedriveId} (${difference.child.identity})`,
      row: `${difference.child.file}:${difference.child.line}`,
      problem: describeLinkDifference(difference),
    })),
    linkDifferenceCount: linkDifferences.length,
    identityDifferences: identityDifferences.slice(0, 50).map(describeIdentityDifference),
    entities: result.entities.map(({ sourceRows: _sourceRows, ...entity }) => entity),
    sampleDiffs: result.diffs.slice(0, 50).map((diff) => ({
      entity: diff.entity,
      record: diff.identity,
      field: diff.field,
      expected: typeof diff.expected === 'string' ? diff.expected : JSON.stringify(diff.expected),
      actual: typeof diff.actual === 'string' ? diff.actual : JSON.stringify(diff.actual),
    })),
    tokens: result.tokens,
  };
}

function readJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** 'activity' → '1 activity', '615 activities'. */
function entityNoun(entity: string, count: number): string {
  if (count === 1) return entity;
  return entity.endsWith('y') ? `${entity.slice(0, -1)}ies` : `${entity}s`;
}

/**
 * The link table: per relationship, the references in the export and the links the plan will make (from
 * the last validation), and the links Pipedrive holds as the rows say (from the last verification).
 */
function assembleLinkRows(
  validation: SavedValidation | undefined,
  verified: VerifyResult | undefined,
): ReportData['links'] {
  const planned = validation?.links ?? [];
  const checked = verified?.links ?? [];
  const relationships = [
    ...new Set([...planned.map((row) => row.relationship), ...checked.map((row) => row.relationship)]),
  ];
  return relationships.map((relationship) => {
    const before = planned.find((row) => row.relationship === relationship);
    const after = checked.find((row) => row.relationship === relationship);
    return {
      relationship,
      ...(before
        ? { withReference: before.withReference, willLink: before.linked, share: before.share }
        : {}),
      ...(after
        ? {
            inPipedrive: {
              checked: after.checked,
              linked: after.linked,
              missing: after.missing,
              wrong: after.wrong,
              parentAbsent: after.parentAbsent,
              share: after.share,
            },
          }
        : {}),
    };
  });
}
