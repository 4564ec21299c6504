import { seedStandardFields } from './fields.ts';
import type { ResolvedSimOptions, SimUserSeed } from './options.ts';
import { type Rec, SimState } from './state.ts';
import { rfc3339, v1Time } from './time.ts';

/** The default company: the token's admin user, three colleagues, and one deactivated former employee. */
export const DEFAULT_USERS: readonly SimUserSeed[] = [
  { name: 'Sam Admin', email: 'sam.admin@example-law.test', is_admin: true },
  { name: 'Alice Attorney', email: 'alice.attorney@example-law.test' },
  { name: 'Bob Paralegal', email: 'bob.paralegal@example-law.test' },
  { name: 'Carol Counsel', email: 'carol.counsel@example-law.test' },
  { name: 'Dave Departed', email: 'dave.departed@example-law.test', active_flag: false },
];

const DEFAULT_STAGES = ['Qualified', 'Contact Made', 'Proposal Made', 'Negotiations Started'];

const DEFAULT_ACTIVITY_TYPES: readonly [string, string, string][] = [
  ['Call', 'call', 'call'],
  ['Meeting', 'meeting', 'meeting'],
  ['Task', 'task', 'task'],
  ['Deadline', 'deadline', 'deadline'],
  ['Email', 'email', 'email'],
  ['Lunch', 'lunch', 'lunch'],
];

/** v1 user object; `access[global].admin` is how admin rights are read since `is_admin` was deprecated. */
export function makeUser(
  state: SimState,
  seed: SimUserSeed,
  now: number,
  options: { admin: boolean; currency: string },
): Rec {
  const id = state.nextId('users');
  return {
    id,
    name: seed.name,
    default_currency: options.currency,
    locale: 'en_US',
    lang: 1,
    email: seed.email,
    phone: null,
    activated: seed.active_flag !== false,
    last_login: v1Time(now),
    created: v1Time(now),
    modified: v1Time(now),
    has_created_company: id === 1,
    access: [
      {
        app: 'sales',
        admin: options.admin,
        permission_set_id: `ps-sales-${options.admin ? 'admin' : 'regular'}`,
      },
      {
        app: 'global',
        admin: options.admin,
        permission_set_id: `ps-global-${options.admin ? 'admin' : 'regular'}`,
      },
    ],
    active_flag: seed.active_flag !== false,
    timezone_name: 'UTC',
    timezone_offset: '+00:00',
    role_id: 1,
    icon_url: null,
    is_deleted: false,
    is_admin: options.admin ? 1 : 0,
  };
}

/** A fresh account: users, one pipeline with four stages, the standard activity types and fields. */
export function createInitialState(
  options: ResolvedSimOptions,
  users: readonly SimUserSeed[] | undefined,
  now: number,
): SimState {
  const state = new SimState(options.seed);
  const seeds = users && users.length > 0 ? users : DEFAULT_USERS;
  seeds.forEach((seed, index) => {
    const admin = index === 0 ? options.tokenUserAdmin : seed.is_admin === true;
    const user = makeUser(state, seed, now, { admin, currency: options.defaultCurrency });
    state.int.users.set(user.id as number, user);
  });
  seedStandardFields(state, now);
  const pipelineId = state.nextId('pipelines');
  state.int.pipelines.set(pipelineId, {
    id: pipelineId,
    name: 'Pipeline',
    order_nr: 1,
    is_deleted: false,
    is_deal_probability_enabled: false,
    add_time: rfc3339(now),
    update_time: rfc3339(now),
  });
  DEFAULT_STAGES.forEach((name, index) => {
    const id = state.nextId('stages');
    state.int.stages.set(id, {
      id,
      order_nr: index + 1,
      name,
      is_deleted: false,
      deal_probability: 100,
      pipeline_id: pipelineId,
      is_deal_rot_enabled: false,
      days_to_rotten: null,
      add_time: rfc3339(now),
      update_time: rfc3339(now),
    });
  });
  DEFAULT_ACTIVITY_TYPES.forEach(([name, key, icon], index) => {
    const id = state.nextId('activityTypes');
    state.int.activityTypes.set(id, {
      id,
      order_nr: index + 1,
      name,
      key_string: key,
      icon_key: icon,
      active_flag: true,
      color: null,
      is_custom_flag: false,
      add_time: v1Time(now),
      update_time: v1Time(now),
    });
  });
  return state;
}
