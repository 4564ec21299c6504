/** The BackDocket objects Ferry recognises in an export (DESIGN.md §4, mapping proposal). */
export const BACKDOCKET_OBJECTS = [
  'staff',
  'contact',
  'company',
  'claim_type',
  'claim',
  'claim_contact',
  'claim_staff',
  'status_history',
  'intake',
  'event',
  'task',
  'note',
  'document',
  'billing_entry',
  'check_approval',
  'document_template',
] as const;
export type BackdocketObject = (typeof BACKDOCKET_OBJECTS)[number];

/** The Pipedrive entities Ferry writes or matches. */
export const PIPEDRIVE_ENTITIES = [
  'user',
  'person',
  'organization',
  'deal',
  'lead',
  'activity',
  'note',
  'file',
] as const;
export type PipedriveEntity = (typeof PIPEDRIVE_ENTITIES)[number];

export function isBackdocketObject(value: unknown): value is BackdocketObject {
  return typeof value === 'string' && (BACKDOCKET_OBJECTS as readonly string[]).includes(value);
}
