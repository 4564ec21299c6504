import { join } from 'node:path';
import { countBySeverity, type Issue } from '../core/issues.ts';
import type { WriteEntity } from '../core/records.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import type { PipedriveRequester, PipedriveUser } from '../pipedrive/api-types.ts';
import { type AccountLimits, type ImpliedTime, impliedTime, startingLimits } from '../plan/account-limits.ts';
import { type CostEstimate, estimateCost } from '../plan/estimate-cost.ts';
import { assembleSchemaPlan, type SchemaPlan } from '../plan/schema-plan.ts';
import { iterateRows, loadExtractIssues } from '../source/backdocket/index.ts';
import { type ContactMergeProposal, contactMergeIssues } from '../validate/duplicates.ts';
import {
  assembleLinkCoverage,
  type LinkCoverage,
  linkCoverageIssues,
  PlannedLinks,
} from '../validate/link-coverage.ts';
import { type OwnershipReport, ownershipIssues } from '../validate/ownership.ts';
import { deriveLinkExpectations } from '../verify/expected-links.ts';
import { accountAmbiguities } from './account-schema.ts';
import { planMigration } from './record-source.ts';
import { readPlanningInputs, type WorkspaceSession } from './session.ts';

export interface AccountCheck {
  readonly user: {
    readonly id: number;
    readonly name: string;
    readonly email: string;
    readonly admin: boolean;
  };
  readonly companyDomain: string | null;
  readonly dailyBudget: number;
  readonly plannedTokens: number;
  readonly days: number;
  /** `visible_to` given to created records. */
  readonly visibleTo: number;
}

export interface ValidationReport {
  readonly issues: readonly Issue[];
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  /** Errors that stop a migration from starting (schema conflicts, a non-admin token …). */
  readonly blocking: readonly Issue[];
  readonly quarantined: readonly { file: string; sourceKey: string; reason: string }[];
  /** Rows waiting for their owner to be resolved (they move once it is: owners.staff, a fallback owner). */
  readonly held: readonly { file: string; sourceKey: string; reason: string }[];
  readonly records: Readonly<Record<WriteEntity, number>>;
  readonly ownership: OwnershipReport;
  /** Likely duplicate contacts, each proposed for merging and merged only once accepted. */
  readonly duplicates: readonly ContactMergeProposal[];
  /**
   * Per relationship (deal→person, activity→deal …): rows carrying a reference and how many will be
   * linked. Below 99% the relationship blocks (`link_coverage_low`).
   */
  readonly links: readonly LinkCoverage[];
  readonly unknownStaff: readonly { ref: string; records: number }[];
  readonly account: AccountCheck;
  /** The account's burst limit and daily budget as its answers stated them (or the plan guess), and their source. */
  readonly limits: AccountLimits;
  /** The time those limits imply for the migration's requests and tokens. */
  readonly implied: ImpliedTime;
  readonly schema: SchemaPlan;
  readonly cost: CostEstimate;
}

/**
 * `ferry validate`: runs the confirmed mapping over every extracted row without writing anything to
 * Pipedrive, against the account as it will be after `ferry schema apply`. Row problems quarantine their
 * row; account and schema problems block the run.
 */
export async function validateWorkspace(input: {
  session: WorkspaceSession;
  mapping: Mapping;
  client: PipedriveRequester;
  /**
   * The account's limits once its first answers are in (the connection's); without it, ferry.yaml's plan
   * and seats are the guess.
   */
  limits?: (() => AccountLimits) | undefined;
  signal?: AbortSignal;
}): Promise<ValidationReport> {
  const { session, mapping, client } = input;
  const inputs = await readPlanningInputs({
    session,
    mapping,
    client,
    assumeSchemaApplied: true,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const plannedLinks = new PlannedLinks();
  const planned = planMigration({
    mapping,
    planner: inputs.plannerOptions,
    readRows: (file) => iterateRows(session.store, file),
    ledgerDir: join(session.workspace.stateDir, 'ledgers'),
    // The report lists only the rows held back: quarantined, and held for their owner.
    keepSettled: (outcome) => outcome === 'quarantined' || outcome === 'held',
    onRecord: plannedLinks.add,
  });
  const schema = assembleSchemaPlan(mapping, inputs.snapshot);
  const { config } = session.workspace;
  const me = await readMe(client, input.signal);
  const limits =
    input.limits?.() ??
    startingLimits({
      plan: config.pipedrive.plan,
      seats: config.pipedrive.seats,
      burstLimit: config.pipedrive.burstLimit,
      maxRequestsPerSecond: config.pipedrive.maxRequestsPerSecond,
      remembered: {},
    });
  const cost = estimateCost({
    creates: planned.counts,
    schemaRequests: schemaRequests(schema),
    dailyBudget: limits.daily.tokens,
    budgetShare: limits.daily.ferryShare,
    burstPer2s: limits.burst.pacedPer2s,
  });
  const blocking: Issue[] = [];
  if (!me.admin) {
    blocking.push({
      code: 'token_not_admin',
      severity: 'error',
      message: `The API token belongs to ${me.name} (${me.email}), who is not an admin: creating fields and pipelines and setting note authors need an admin token.`,
      fix: 'Use the API token of a Pipedrive admin (Settings → Personal preferences → API).',
    });
  }
  for (const item of schema.items) {
    if (item.kind === 'field' && item.state === 'conflict') {
      blocking.push({
        code: 'schema_conflict',
        severity: 'error',
        message: `${item.entity} field '${item.name}': ${item.note ?? 'type conflict'}`,
        field: item.name,
        fix: 'Rename the existing Pipedrive field or change the target name in mapping.yaml.',
      });
    }
  }
  // A link to a quarantined parent will not be made; a held parent moves once its owner is chosen.
  const heldBack = new Map(
    planned.settledRows
      .filter((row) => row.outcome === 'quarantined')
      .map((row) => [`${row.row.file}\u0000${row.row.sourceKey}`, `is quarantined: ${row.reason}`]),
  );
  const merges = inputs.contactMerges?.merges;
  const links = assembleLinkCoverage(
    deriveLinkExpectations({
      mapping,
      readRows: (file) => iterateRows(session.store, file),
      mergedInto: (key) => merges?.get(key),
      resolveKey: inputs.plannerOptions.resolveKey,
    }),
    { heldBack: (row) => heldBack.get(`${row.file}\u0000${row.sourceKey}`), planned: plannedLinks },
  );
  blocking.push(...linkCoverageIssues(links));
  const ownership = inputs.owners.ownershipReport(inputs.staff, inputs.users);
  const issues = [
    ...blocking,
    ...accountAmbiguities(inputs.snapshot, inputs.users),
    ...ownershipIssues(ownership),
    ...(inputs.contactMerges ? contactMergeIssues(inputs.contactMerges) : []),
    ...loadExtractIssues(session.store),
    ...planned.issues,
  ];
  const settled = (outcome: 'quarantined' | 'held') =>
    planned.settledRows
      .filter((row) => row.outcome === outcome)
      .map((row) => ({ file: row.row.file, sourceKey: row.row.sourceKey, reason: row.reason }));
  const quarantined = settled('quarantined');
  const held = settled('held');
  return {
    issues,
    counts: countBySeverity(issues),
    blocking,
    quarantined,
    held,
    records: planned.counts,
    ownership,
    duplicates: inputs.contactMerges?.proposals ?? [],
    links,
    unknownStaff: [...inputs.owners.unknownStaffRefs()].map(([ref, records]) => ({ ref, records })),
    account: {
      user: me,
      companyDomain: me.companyDomain,
      dailyBudget: cost.dailyBudget,
      plannedTokens: cost.tokens,
      days: cost.days,
      visibleTo: config.pipedrive.visibleTo ?? 3,
    },
    limits,
    implied: impliedTime(limits, cost),
    schema,
    cost,
  };
}

/** The endpoint of each write the schema plan needs, for the cost estimate. */
export function schemaRequests(plan: SchemaPlan): string[] {
  const requests: string[] = [];
  for (const item of plan.items) {
    if (item.kind === 'field' && item.state === 'create') requests.push(`POST /api/v2/${item.entity}Fields`);
    if (item.kind === 'field' && item.state === 'exists' && item.missingOptions.length > 0) {
      requests.push(`POST /api/v2/${item.entity}Fields/{field_code}/options`);
    }
    if (item.kind === 'pipeline' && item.state === 'create') requests.push('POST /api/v2/pipelines');
    if (item.kind === 'stage' && item.state === 'create') requests.push('POST /api/v2/stages');
    if (item.kind === 'activityType' && item.state === 'create') requests.push('POST /api/v1/activityTypes');
    if (item.kind === 'leadLabel' && item.state === 'create') requests.push('POST /api/v1/leadLabels');
  }
  return requests;
}

async function readMe(client: PipedriveRequester, signal?: AbortSignal) {
  const { data } = await client.request<PipedriveUser>({
    method: 'GET',
    path: '/api/v1/users/me',
    ...(signal ? { signal } : {}),
  });
  const admin =
    data.access?.some((access) => access.app === 'global' && access.admin) ??
    (data.is_admin === true || data.is_admin === 1);
  return {
    id: data.id,
    name: data.name,
    email: data.email,
    admin,
    companyDomain: data.company_domain ?? null,
  };
}
