import type { Plan } from '../config/ferry-config.ts';
import type { Clock } from '../core/clock.ts';
import { FerryError } from '../core/errors.ts';
import { capOf } from '../plan/account-limits.ts';
import { PLAN_BURST_LIMITS, SEARCH_BURST_LIMIT } from '../plan/burst-limits.ts';
import { dailyTokenBudget, FERRY_BUDGET_SHARE } from '../plan/estimate-cost.ts';
import { PipedriveClient } from './pipedrive-client.ts';
import { RateScheduler } from './rate-scheduler.ts';
import { retryPolicyFromEnv } from './retry-policy.ts';

/**
 * The client for the account in the environment: PIPEDRIVE_API_TOKEN and PIPEDRIVE_BASE_URL (an origin)
 * or PIPEDRIVE_COMPANY_DOMAIN, paced from the limits given (the plan and seats' when none), then from what
 * the account's answers state, never above `maxRequestsPerSecond`.
 */
export function clientFromEnv(
  env: NodeJS.ProcessEnv,
  options: {
    plan: Plan;
    seats: number;
    /** Requests per 2 s to start from, when not the plan's (what the account stated before). */
    burstLimit?: number | undefined;
    /** Search requests per 2 s to start from (10 on every plan). */
    searchLimit?: number | undefined;
    /** Daily token budget to start from, when not plan × seats. */
    dailyBudget?: number | undefined;
    /** The most requests per second to send, whatever the account allows. */
    maxRequestsPerSecond?: number | undefined;
    onBudgetExhausted?: 'pause' | 'stop';
    onPause?: (until: Date, reason: string) => void;
    clock?: Clock;
    fetch?: typeof fetch;
  },
): PipedriveClient {
  const token = env.PIPEDRIVE_API_TOKEN?.trim();
  if (!token) {
    throw new FerryError(
      'config',
      'PIPEDRIVE_API_TOKEN is not set. Export the API token of a Pipedrive admin (Settings → Personal preferences → API).',
      { code: 'E_TOKEN_MISSING' },
    );
  }
  const baseUrl = baseUrlOf(env);
  if (!baseUrl) {
    throw new FerryError(
      'config',
      'Set PIPEDRIVE_COMPANY_DOMAIN (the "acme" of acme.pipedrive.com) or PIPEDRIVE_BASE_URL (e.g. http://127.0.0.1:4010 for ferry sim).',
      { code: 'E_BASE_URL_MISSING' },
    );
  }
  try {
    new URL(baseUrl);
  } catch {
    throw new FerryError(
      'config',
      `PIPEDRIVE_BASE_URL '${baseUrl}' is not a URL such as http://127.0.0.1:4010.`,
    );
  }
  const scheduler = new RateScheduler({
    burstLimit: options.burstLimit ?? PLAN_BURST_LIMITS[options.plan],
    searchLimit: options.searchLimit ?? SEARCH_BURST_LIMIT,
    maxBurstLimit: capOf(options.maxRequestsPerSecond),
    dailyBudget: options.dailyBudget ?? dailyTokenBudget(options.plan, options.seats),
    reserveShare: 1 - FERRY_BUDGET_SHARE,
    ...(options.onBudgetExhausted ? { onBudgetExhausted: options.onBudgetExhausted } : {}),
    ...(options.onPause ? { onPause: options.onPause } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const timeoutMs = Number(env.FERRY_REQUEST_TIMEOUT_MS);
  return new PipedriveClient({
    baseUrl,
    token,
    scheduler,
    // A request with no answer by then is a network failure (an unknown outcome for a write).
    ...(Number.isFinite(timeoutMs) && timeoutMs > 0 ? { timeoutMs } : {}),
    retry: retryPolicyFromEnv(env),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

function baseUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const domain = env.PIPEDRIVE_COMPANY_DOMAIN?.trim();
  return env.PIPEDRIVE_BASE_URL?.trim() || (domain ? `https://${domain}.pipedrive.com` : undefined);
}

/**
 * The Pipedrive account the environment names, as the host of its API (`acme.pipedrive.com`,
 * `127.0.0.1:4010`), or undefined when none is set. Limits learned from one account are not reused for another.
 */
export function pipedriveAccountOf(env: NodeJS.ProcessEnv): string | undefined {
  const baseUrl = baseUrlOf(env);
  if (!baseUrl) return undefined;
  try {
    return new URL(baseUrl).host;
  } catch {
    return undefined;
  }
}
