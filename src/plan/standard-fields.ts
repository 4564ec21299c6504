import type { WriteEntity } from '../core/records.ts';

/**
 * The standard fields Ferry writes per entity, as the API's create schemas accept them (v2 for persons,
 * organizations, deals, activities; v1 for leads, notes, files). A mapped standard field outside this
 * list (e.g. `organization.website`, `person.job_title`, absent from our copy of the spec) is written to a
 * custom field of the same name instead, so it is kept rather than refused.
 */
const ACCEPTED: Readonly<Record<WriteEntity, ReadonlySet<string>>> = {
  person: new Set([
    'name',
    'first_name',
    'last_name',
    'owner_id',
    'org_id',
    'emails',
    'phones',
    'visible_to',
    'label_ids',
    'add_time',
    'marketing_status',
  ]),
  organization: new Set(['name', 'owner_id', 'visible_to', 'label_ids', 'add_time', 'address']),
  deal: new Set([
    'title',
    'owner_id',
    'person_id',
    'org_id',
    'pipeline_id',
    'stage_id',
    'value',
    'currency',
    'status',
    'won_time',
    'lost_time',
    'close_time',
    'probability',
    'lost_reason',
    'visible_to',
    'expected_close_date',
    'label_ids',
  ]),
  lead: new Set([
    'title',
    'owner_id',
    'label_ids',
    'person_id',
    'organization_id',
    'value',
    'expected_close_date',
    'visible_to',
    'was_seen',
  ]),
  activity: new Set([
    'subject',
    'type',
    'owner_id',
    'deal_id',
    'lead_id',
    'org_id',
    'due_date',
    'due_time',
    'duration',
    'busy',
    'done',
    'location',
    'participants',
    'attendees',
    'public_description',
    'priority',
    'note',
  ]),
  note: new Set([
    'content',
    'deal_id',
    'person_id',
    'org_id',
    'lead_id',
    'user_id',
    'add_time',
    'pinned_to_deal_flag',
    'pinned_to_person_flag',
    'pinned_to_organization_flag',
    'pinned_to_lead_flag',
  ]),
  file: new Set(['deal_id', 'person_id', 'org_id', 'lead_id', 'activity_id']),
};

/** Fields the planner reads for its own purposes rather than writing them as they are. */
const HANDLED: ReadonlySet<string> = new Set([
  'file',
  'name',
  'description',
  'active_flag',
  'email',
  'user_id',
]);

/** The custom field that takes a standard field the API does not accept, or undefined when it is accepted. */
export function customFieldFor(entity: WriteEntity, field: string): string | undefined {
  if (ACCEPTED[entity].has(field) || HANDLED.has(field)) return undefined;
  return field
    .split('_')
    .map((word) => (word === 'id' ? 'ID' : `${word.charAt(0).toUpperCase()}${word.slice(1)}`))
    .join(' ');
}
