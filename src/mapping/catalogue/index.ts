import type { BackdocketObject } from '../../core/objects.ts';
import { EVENT, NOTE, TASK } from './activities.ts';
import { CLAIM, CLAIM_CONTACT, CLAIM_STAFF, CLAIM_TYPE, INTAKE, STATUS_HISTORY } from './claims.ts';
import type { ObjectCatalogue } from './concept.ts';
import { COMPANY, CONTACT, STAFF } from './people.ts';
import { BILLING, CHECK_APPROVAL, DOCUMENT, DOCUMENT_TEMPLATE } from './records.ts';

/**
 * The domain dictionary: for each BackDocket object, the concepts its columns can carry, their Pipedrive
 * target and the header spellings (English first, then Spanish) that name them. Data only.
 */

export type { Concept, ObjectCatalogue } from './concept.ts';

export const CATALOGUE: Readonly<Record<BackdocketObject, ObjectCatalogue>> = {
  staff: STAFF,
  contact: CONTACT,
  company: COMPANY,
  claim_type: CLAIM_TYPE,
  claim: CLAIM,
  claim_contact: CLAIM_CONTACT,
  claim_staff: CLAIM_STAFF,
  status_history: STATUS_HISTORY,
  intake: INTAKE,
  event: EVENT,
  task: TASK,
  note: NOTE,
  document: DOCUMENT,
  billing_entry: BILLING,
  check_approval: CHECK_APPROVAL,
  document_template: DOCUMENT_TEMPLATE,
};

/** Standard link field of an entity for a key of another object (for columns found by value overlap). */
export const LINK_FIELD: Readonly<Partial<Record<string, Partial<Record<BackdocketObject, string>>>>> = {
  person: { company: 'person.org_id', staff: 'person.owner_id' },
  organization: { staff: 'organization.owner_id' },
  deal: {
    contact: 'deal.person_id',
    company: 'deal.org_id',
    staff: 'deal.owner_id',
    claim: 'deal.ref:claim',
  },
  lead: {
    contact: 'lead.person_id',
    company: 'lead.organization_id',
    claim: 'lead.ref:claim',
    staff: 'lead.owner_id',
  },
  activity: { claim: 'activity.deal_id', contact: 'activity.participants', staff: 'activity.owner_id' },
  note: { claim: 'note.deal_id', contact: 'note.person_id', staff: 'note.user_id' },
  file: { claim: 'file.deal_id', contact: 'file.person_id' },
};
