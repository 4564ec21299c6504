import type { BackdocketObject } from '../../core/objects.ts';
import { activityPlanner } from './activity.ts';
import { dealPlanner } from './deal.ts';
import { filePlanner } from './file.ts';
import { leadPlanner } from './lead.ts';
import { notePlanner } from './note.ts';
import { organizationPlanner } from './organization.ts';
import { personPlanner } from './person.ts';
import type { EntityPlanner } from './planner.ts';

/** Every entity's planner, in the order records are written (parents before their children). */
export const ENTITY_PLANNERS: readonly EntityPlanner[] = [
  organizationPlanner,
  personPlanner,
  dealPlanner,
  leadPlanner,
  activityPlanner,
  notePlanner,
  filePlanner,
];

const BY_OBJECT = new Map<BackdocketObject, EntityPlanner>(
  ENTITY_PLANNERS.flatMap((planner) => planner.objects.map((object) => [object, planner] as const)),
);

/** The planner of a BackDocket object's rows; undefined for objects that make no record of their own. */
export function plannerFor(object: BackdocketObject): EntityPlanner | undefined {
  return BY_OBJECT.get(object);
}
