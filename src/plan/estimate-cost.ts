import type { Plan } from '../config/ferry-config.ts';
import type { WriteEntity } from '../core/records.ts';
import { SPEC_TOKEN_COSTS } from '../pipedrive/token-costs.generated.ts';

/** Pipedrive's plan multipliers for the daily token budget (30,000 × multiplier × seats). */
export const PLAN_MULTIPLIERS: Readonly<Record<Plan, number>> = {
  lite: 1,
  growth: 2,
  premium: 5,
  ultimate: 7,
};

/**
 * The share of the daily token budget Ferry spends; the rest stays for the firm's other integrations
 * (they share the company-wide budget). `ferry plan` counts days with it and the scheduler pauses at it.
 */
export const FERRY_BUDGET_SHARE = 0.9;

export function dailyTokenBudget(plan: Plan, seats: number): number {
  return 30_000 * PLAN_MULTIPLIERS[plan] * seats;
}

/**
 * The endpoint Ferry uses to create each entity, and how verify reads it back: records per list call of
 * its `updated_since` window (files have no time filter and list 100 a page).
 */
export const ENTITY_ENDPOINTS: Readonly<
  Record<WriteEntity, { create: string; update: string; readBack: string; readBatch: number; delete: string }>
> = {
  organization: {
    create: 'POST /api/v2/organizations',
    update: 'PATCH /api/v2/organizations/{id}',
    readBack: 'GET /api/v2/organizations',
    readBatch: 500,
    delete: 'DELETE /api/v2/organizations/{id}',
  },
  person: {
    create: 'POST /api/v2/persons',
    update: 'PATCH /api/v2/persons/{id}',
    readBack: 'GET /api/v2/persons',
    readBatch: 500,
    delete: 'DELETE /api/v2/persons/{id}',
  },
  deal: {
    create: 'POST /api/v2/deals',
    update: 'PATCH /api/v2/deals/{id}',
    readBack: 'GET /api/v2/deals',
    readBatch: 500,
    delete: 'DELETE /api/v2/deals/{id}',
  },
  lead: {
    create: 'POST /api/v1/leads',
    update: 'PATCH /api/v1/leads/{id}',
    readBack: 'GET /api/v1/leads',
    readBatch: 500,
    delete: 'DELETE /api/v1/leads/{id}',
  },
  activity: {
    create: 'POST /api/v2/activities',
    update: 'PATCH /api/v2/activities/{id}',
    readBack: 'GET /api/v2/activities',
    readBatch: 500,
    delete: 'DELETE /api/v2/activities/{id}',
  },
  note: {
    create: 'POST /api/v1/notes',
    update: 'PUT /api/v1/notes/{id}',
    readBack: 'GET /api/v1/notes',
    readBatch: 500,
    delete: 'DELETE /api/v1/notes/{id}',
  },
  file: {
    create: 'POST /api/v1/files',
    update: 'PUT /api/v1/files/{id}',
    readBack: 'GET /api/v1/files',
    readBatch: 100,
    delete: 'DELETE /api/v1/files/{id}',
  },
};

/** Token cost of one operation from the spec's x-token-cost (a missing entry is an internal error). */
export function specCost(operation: string): number {
  const cost = SPEC_TOKEN_COSTS[operation];
  if (cost === undefined) throw new Error(`No x-token-cost for ${operation}`);
  return cost;
}

export interface CostLine {
  readonly entity: string;
  readonly operation: 'create' | 'update' | 'verify' | 'schema' | 'lookup';
  readonly endpoint: string;
  readonly requests: number;
  readonly tokens: number;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly requests: number;
  readonly tokens: number;
  readonly dailyBudget: number;
  /** Share of the daily budget Ferry plans to use (the rest is left to other integrations). */
  readonly budgetShare: number;
  readonly days: number;
  /** Tokens planned per day, in order. */
  readonly schedule: readonly number[];
  /** Wall-clock hours at the burst limit, ignoring the daily budget. */
  readonly hoursAtBurst: number;
}

/**
 * Tokens, requests and days for a migration: creates and updates per entity, the schema, and the read-back
 * verification. Pure.
 * @example estimateCost({ creates: { person: 1000 }, schemaRequests: [], dailyBudget: 300_000, burstPer2s: 40 })
 */
export function estimateCost(input: {
  creates: Partial<Record<WriteEntity, number>>;
  updates?: Partial<Record<WriteEntity, number>>;
  /** Schema operations as endpoint keys, e.g. `POST /api/v2/dealFields`. */
  schemaRequests: readonly string[];
  dailyBudget: number;
  budgetShare?: number;
  burstPer2s: number;
  verify?: boolean;
}): CostEstimate {
  const lines: CostLine[] = [];
  const schemaByEndpoint = new Map<string, number>();
  for (const endpoint of input.schemaRequests)
    schemaByEndpoint.set(endpoint, (schemaByEndpoint.get(endpoint) ?? 0) + 1);
  for (const [endpoint, requests] of schemaByEndpoint) {
    lines.push({
      entity: 'schema',
      operation: 'schema',
      endpoint,
      requests,
      tokens: requests * specCost(endpoint),
    });
  }
  for (const [entity, endpoints] of Object.entries(ENTITY_ENDPOINTS) as [
    WriteEntity,
    (typeof ENTITY_ENDPOINTS)[WriteEntity],
  ][]) {
    const creates = input.creates[entity] ?? 0;
    if (creates > 0) {
      lines.push({
        entity,
        operation: 'create',
        endpoint: endpoints.create,
        requests: creates,
        tokens: creates * specCost(endpoints.create),
      });
    }
    const updates = input.updates?.[entity] ?? 0;
    if (updates > 0) {
      // A delta update reads the record first (pre-image for rollback, edits made in Pipedrive), then writes.
      const get = endpoints.update.replace(/^(PATCH|PUT)/, 'GET');
      const perUpdate = specCost(endpoints.update) + specCost(get);
      lines.push({
        entity,
        operation: 'update',
        endpoint: endpoints.update,
        requests: updates * 2,
        tokens: updates * perUpdate,
      });
    }
    const verified = creates + updates;
    if ((input.verify ?? true) && verified > 0) {
      const requests = Math.ceil(verified / endpoints.readBatch);
      lines.push({
        entity,
        operation: 'verify',
        endpoint: endpoints.readBack,
        requests,
        tokens: requests * specCost(endpoints.readBack),
      });
    }
  }
  const tokens = lines.reduce((sum, line) => sum + line.tokens, 0);
  const requests = lines.reduce((sum, line) => sum + line.requests, 0);
  const budgetShare = input.budgetShare ?? FERRY_BUDGET_SHARE;
  const perDay = Math.max(1, Math.floor(input.dailyBudget * budgetShare));
  const days = Math.max(1, Math.ceil(tokens / perDay));
  const schedule = Array.from({ length: days }, (_, day) => Math.min(perDay, tokens - day * perDay));
  const hoursAtBurst = requests / (input.burstPer2s / 2) / 3600;
  return {
    lines,
    requests,
    tokens,
    dailyBudget: input.dailyBudget,
    budgetShare,
    days,
    schedule,
    hoursAtBurst,
  };
}
