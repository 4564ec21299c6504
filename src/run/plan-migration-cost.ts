import { join } from 'node:path';
import type { Plan } from '../config/ferry-config.ts';
import type { WriteEntity } from '../core/records.ts';
import { toProposal } from '../mapping/map-workspace.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import type { AccountLimits } from '../plan/account-limits.ts';
import { assembleScope, type ScopeSummary } from '../plan/assemble-scope.ts';
import { type CostEstimate, estimateCost } from '../plan/estimate-cost.ts';
import { assembleSchemaPlan, withPlannedSchema } from '../plan/schema-plan.ts';
import { iterateRows, loadInventory } from '../source/backdocket/index.ts';
import { readContactMerges } from '../validate/duplicates.ts';
import { targetSchemaOf } from './account-schema.ts';
import { planMigration } from './record-source.ts';
import type { WorkspaceSession } from './session.ts';
import { locateDocument, readReferenceIndex } from './session.ts';
import { schemaRequests } from './validate-workspace.ts';

export interface MigrationPlanReport {
  readonly scope: ScopeSummary;
  readonly cost: CostEstimate;
  readonly records: Readonly<Record<WriteEntity, number>>;
  readonly plan: Plan;
  readonly seats: number;
}

const EMPTY_ACCOUNT = {
  fields: { deal: [], person: [], organization: [] },
  pipelines: [],
  stages: [],
  activityTypes: [],
  leadLabels: [],
};

/**
 * `ferry plan`: what the migration will cost, offline (no Pipedrive call): records per entity from the
 * confirmed mapping and the extracted rows, requests and tokens per entity and operation (creates, schema,
 * verification), the days the daily budget needs, and a scoping summary to quote from.
 */
export function planMigrationCost(input: {
  session: WorkspaceSession;
  mapping: Mapping;
  plan: Plan;
  seats: number;
  /** The account's limits as last stated (or guessed from the plan and seats). */
  limits: AccountLimits;
}): MigrationPlanReport {
  const { session, mapping } = input;
  const schemaPlan = assembleSchemaPlan(mapping, EMPTY_ACCOUNT);
  const contactFile = mapping.objects.find((file) => file.object === 'contact');
  const contactMerges = contactFile
    ? readContactMerges({
        file: contactFile,
        rows: iterateRows(session.store, contactFile.file),
        duplicates: mapping.duplicates,
      })
    : undefined;
  const duplicates = contactMerges?.merges ?? new Map<string, string>();
  const planned = planMigration({
    mapping,
    planner: {
      schema: targetSchemaOf(withPlannedSchema(EMPTY_ACCOUNT, schemaPlan)),
      // Ownership does not change what is written, only who owns it: count every record.
      resolveOwner: () => ({ userId: 0 }),
      duplicateOf: (key) => duplicates.get(key),
      resolveKey: readReferenceIndex(session, mapping).resolve,
      documentFile: (path) => locateDocument(session.workspace.sourceDir, path),
      maxUploadBytes: session.workspace.config.pipedrive.maxUploadBytes,
    },
    readRows: (file) => iterateRows(session.store, file),
    ledgerDir: join(session.workspace.stateDir, 'ledgers'),
    // Only counts are reported: no row outcome or problem is kept.
    keepSettled: () => false,
    keepIssues: false,
  });
  const cost = estimateCost({
    creates: planned.counts,
    schemaRequests: schemaRequests(schemaPlan),
    dailyBudget: input.limits.daily.tokens,
    budgetShare: input.limits.daily.ferryShare,
    burstPer2s: input.limits.burst.pacedPer2s,
  });
  const scope = assembleScope({
    files: loadInventory(session.store),
    proposal: toProposal(mapping),
    cost,
    pipelines: Object.keys(mapping.pipelines).length,
    unresolvedOwners: 0,
  });
  return { scope, cost, records: planned.counts, plan: input.plan, seats: input.seats };
}
