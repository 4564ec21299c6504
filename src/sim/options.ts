import type { Clock } from '../core/clock.ts';
import type { FaultSpec } from './faults.ts';
import type { SimState } from './state.ts';

export const SIM_PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;
export type SimPlan = (typeof SIM_PLANS)[number];

export const PLAN_MULTIPLIER: Readonly<Record<SimPlan, number>> = {
  lite: 1,
  growth: 2,
  premium: 5,
  ultimate: 7,
};
export const PLAN_BURST: Readonly<Record<SimPlan, number>> = {
  lite: 20,
  growth: 40,
  premium: 100,
  ultimate: 120,
};

/** A user of the simulated company. */
export interface SimUserSeed {
  readonly name: string;
  readonly email: string;
  readonly active_flag?: boolean;
  readonly is_admin?: boolean;
}

/**
 * Options of `createSimulator` / `startSimServer`. Every guess about Pipedrive that the docs leave open has
 * an option here (see docs/simulator.md).
 * @example createSimulator({ plan: 'growth', seats: 5, seed: 'demo', faults: '5xx=0.03,latency=150±100' })
 */
export interface SimOptions {
  readonly plan?: SimPlan;
  readonly seats?: number;
  readonly seed?: string | number;
  /** API token accepted; default: 40 hex derived from the seed. */
  readonly token?: string;
  readonly faults?: string | FaultSpec;
  readonly clock?: Clock;
  /** Users of the account; the first is the token's user ("me"). Default: 4 active + 1 inactive. */
  readonly users?: readonly SimUserSeed[];
  /** Whether the token's user is a global admin (default true). */
  readonly tokenUserAdmin?: boolean;
  /** `false` turns burst and budget limits off (benchmarks). Default true. */
  readonly rateLimits?: boolean;
  /** Requests per rolling window per token; default per plan (lite 20 … ultimate 120). */
  readonly burstLimit?: number;
  /** Search API requests per rolling window (default 10). */
  readonly searchBurstLimit?: number;
  readonly burstWindowMs?: number;
  /** Daily token budget; default 30,000 × plan multiplier × seats. */
  readonly dailyBudget?: number;
  /** Cloudflare-style 403 after ignoring 429s: more than `threshold` 429s within `windowMs` blocks for `blockMs`. */
  readonly abuse?:
    | { readonly threshold?: number; readonly windowMs?: number; readonly blockMs?: number }
    | false;
  /** Charge tokens for requests answered 4xx by a handler (default true, the safe reading). */
  readonly chargeFailedRequests?: boolean;
  /** Charge tokens for requests refused with a burst 429 (default true: "every request is charged"). */
  readonly chargeRateLimited?: boolean;
  /** v2 persons/organizations `add_time`: honour it, ignore it, or refuse it with 400 (default honour). */
  readonly addTimePolicy?: 'honour' | 'ignore' | 'reject';
  /** GET by id of a soft-deleted v2 record: 200 with is_deleted:true ('found', default) or 404. */
  readonly deletedGet?: 'found' | 'not_found';
  /** Days after which soft-deleted records are purged (default 30). */
  readonly purgeAfterDays?: number;
  /** Search results lag writes by this much (records changed within the window are not found); default 0. */
  readonly searchIndexDelayMs?: number;
  /** Pipedrive company subdomain returned by /users/me (default derived from the seed). */
  readonly companyDomain?: string;
  readonly defaultCurrency?: string;
  /** Reloaded account state (from `--state FILE`). */
  readonly state?: SimState;
}

export interface ResolvedSimOptions {
  readonly plan: SimPlan;
  readonly seats: number;
  readonly seed: string;
  readonly token: string;
  readonly rateLimits: boolean;
  readonly burstLimit: number;
  readonly searchBurstLimit: number;
  readonly burstWindowMs: number;
  readonly dailyBudget: number;
  readonly abuse: { readonly threshold: number; readonly windowMs: number; readonly blockMs: number } | false;
  readonly chargeFailedRequests: boolean;
  readonly chargeRateLimited: boolean;
  readonly addTimePolicy: 'honour' | 'ignore' | 'reject';
  readonly deletedGet: 'found' | 'not_found';
  readonly purgeAfterDays: number;
  readonly companyDomain: string;
  readonly defaultCurrency: string;
  readonly tokenUserAdmin: boolean;
  readonly searchIndexDelayMs: number;
}
