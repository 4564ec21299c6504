import { simpleRecord } from './named-record.ts';
import type { EntityPlanner } from './planner.ts';

/** A company row becomes an organization. */
export const organizationPlanner: EntityPlanner = {
  entity: 'organization',
  objects: ['company'],
  plan: (context, { file, row, along }) => simpleRecord(context, file, row, 'organization', along),
};
