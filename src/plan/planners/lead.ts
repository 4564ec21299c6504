import type { PlannedRecord } from '../../core/records.ts';
import type { FileMapping } from '../../mapping/mapping-schema.ts';
import type { SourceRow } from '../../source/model.ts';
import { LEAD_LABEL } from '../schema-plan.ts';
import { link, type PlanContext, ref } from './context.ts';
import { applyFields } from './fields.ts';
import type { EntityPlanner, RowPlan } from './planner.ts';

/** An intake row becomes a lead (and its caller a person, planned before it). */
export const leadPlanner: EntityPlanner = {
  entity: 'lead',
  objects: ['intake'],
  plan: (context, { file, row }) => intakeRecords(context, file, row),
};

function intakeRecords(context: PlanContext, file: FileMapping, row: SourceRow): RowPlan {
  const lead = applyFields(context, file, row, 'lead');
  const caller = applyFields(context, file, row, 'person');
  const records: PlannedRecord[] = [];
  const claimKey = lead.extras.claimRef as string | undefined;
  const callerName = caller.payload.name as string | undefined;
  if (callerName) {
    const callerIdentity = `intake_caller:${row.sourceKey}`;
    context.stamp(caller, 'person', file, row, callerIdentity);
    records.push(context.record('person', callerIdentity, caller.payload, caller.links, []));
    lead.links.push(link('person_id', 'person', callerIdentity, false));
  }
  const client = claimKey ? context.claimClient.get(claimKey) : undefined;
  if (client) lead.links.push(link('person_id', 'person', client, false));
  if (
    !lead.links.some((candidate) => candidate.field === 'person_id' || candidate.field === 'organization_id')
  ) {
    return context.quarantine(
      lead.issues,
      row,
      'person',
      'an intake needs a caller name or a claim (Pipedrive leads need a person)',
    );
  }
  lead.payload.title ??= `Intake ${row.sourceKey}${callerName ? `: ${callerName}` : ''}`;
  const label = context.options.schema.leadLabelId(LEAD_LABEL);
  if (label) lead.payload.label_ids = [label];
  context.stamp(lead, 'lead', file, row);
  // Only one person link is sent: the caller when known, otherwise the claim's client.
  const personLinks = lead.links.filter((candidate) => candidate.field === 'person_id');
  const links = [
    ...lead.links.filter((candidate) => candidate.field !== 'person_id'),
    ...personLinks.slice(0, 1),
  ];
  records.push(context.record('lead', lead.identity, lead.payload, links, [ref(row)]));
  return { kind: 'records', records, issues: [...lead.issues, ...caller.issues] };
}
