import type { Plan } from '../config/ferry-config.ts';
import { PLAN_BURST_LIMITS, SEARCH_BURST_LIMIT } from './burst-limits.ts';
import { dailyTokenBudget, FERRY_BUDGET_SHARE } from './estimate-cost.ts';

/**
 * Where a limit came from: the account's answers during this command (`account`) or an earlier one's
 * (`remembered`), ferry.yaml's `burstLimit` (`config`), the plan and seats guess (`plan`), or a flag.
 */
export type LimitSource = 'account' | 'remembered' | 'config' | 'plan' | 'flag';

/** A burst limit an account's answers stated (`x-ratelimit-limit`), as the workspace remembers it. */
export interface RememberedBurstLimit {
  readonly requests: number;
  readonly searchRequests?: number | undefined;
  /** ISO time of the answer. */
  readonly seenAt: string;
  /** The account (host of its API) that stated it; absent in records from before it was kept. */
  readonly account?: string | undefined;
}

/** A daily token limit an account's answers stated (`x-daily-ratelimit-token-limit`). */
export interface RememberedDailyLimit {
  readonly tokens: number;
  readonly seenAt: string;
  readonly account?: string | undefined;
}

/** The account's limits as Ferry knows them, and where each came from. */
export interface AccountLimits {
  readonly burst: {
    /** Requests per rolling 2 s the account allows one token (general paths). */
    readonly requestsPer2s: number;
    readonly searchRequestsPer2s: number;
    readonly source: LimitSource;
    /** When the account's answers stated it (ISO), for `account` and `remembered`. */
    readonly seenAt?: string | undefined;
    /** The most Ferry sends per 2 s whatever the account allows (`pipedrive.maxRequestsPerSecond` × 2). */
    readonly capPer2s?: number | undefined;
    /** What Ferry paces to: the account's limit, or the cap when it is lower. */
    readonly pacedPer2s: number;
  };
  readonly daily: {
    readonly tokens: number;
    readonly source: LimitSource;
    readonly seenAt?: string | undefined;
    /** The share of it Ferry spends; the rest stays for the firm's other integrations. */
    readonly ferryShare: number;
  };
  /** ferry.yaml's plan and seats, and the limits they suggest (the starting guess). */
  readonly guess: {
    readonly plan: Plan;
    readonly seats: number;
    readonly requestsPer2s: number;
    readonly dailyTokens: number;
  };
  /** The Pipedrive account (host of its API) the stated limits came from, when known. */
  readonly account?: string | undefined;
}

/** What a command's answers stated, as the rate scheduler saw it (clock ms). */
export interface StatedLimits {
  readonly requests?: number | undefined;
  readonly searchRequests?: number | undefined;
  readonly statedAt?: number | undefined;
  readonly dailyTokens?: number | undefined;
  readonly dailyAt?: number | undefined;
}

/**
 * The limits a command starts from, before Pipedrive says anything: what the same account stated to an
 * earlier command, else ferry.yaml's `burstLimit`, else the plan and seats. Limits remembered from another
 * account (the workspace now points elsewhere) are not used. Pure.
 * @example startingLimits({ plan: 'growth', seats: 5, remembered: {}, account: 'acme.pipedrive.com' }).burst.requestsPer2s // 40
 */
export function startingLimits(input: {
  plan: Plan;
  seats: number;
  /** ferry.yaml's `pipedrive.burstLimit` (a starting guess from before limits were learned). */
  burstLimit?: number | undefined;
  /** ferry.yaml's `pipedrive.maxRequestsPerSecond`. */
  maxRequestsPerSecond?: number | undefined;
  remembered: { burst?: RememberedBurstLimit | undefined; daily?: RememberedDailyLimit | undefined };
  /** The account the command talks to, when known (host of its API). */
  account?: string | undefined;
}): AccountLimits {
  const sameAccount = (record: { account?: string | undefined } | undefined) =>
    record !== undefined &&
    (record.account === undefined || input.account === undefined || record.account === input.account);
  const guess = {
    plan: input.plan,
    seats: input.seats,
    requestsPer2s: PLAN_BURST_LIMITS[input.plan],
    dailyTokens: dailyTokenBudget(input.plan, input.seats),
  };
  const capPer2s = capOf(input.maxRequestsPerSecond);
  const burst = sameAccount(input.remembered.burst) ? input.remembered.burst : undefined;
  const daily = sameAccount(input.remembered.daily) ? input.remembered.daily : undefined;
  const requestsPer2s = burst?.requests ?? input.burstLimit ?? guess.requestsPer2s;
  return {
    burst: {
      requestsPer2s,
      searchRequestsPer2s: burst?.searchRequests ?? SEARCH_BURST_LIMIT,
      source: burst ? 'remembered' : input.burstLimit !== undefined ? 'config' : 'plan',
      seenAt: burst?.seenAt,
      capPer2s,
      pacedPer2s: paced(requestsPer2s, capPer2s),
    },
    daily: {
      tokens: daily?.tokens ?? guess.dailyTokens,
      source: daily ? 'remembered' : 'plan',
      seenAt: daily?.seenAt,
      ferryShare: FERRY_BUDGET_SHARE,
    },
    guess,
    account: burst?.account ?? daily?.account ?? input.account,
  };
}

/**
 * The limits after a command's answers: each limit an answer stated replaces the starting one, as the
 * account's (with when). Pure.
 */
export function withStatedLimits(
  start: AccountLimits,
  stated: StatedLimits,
  account?: string | undefined,
): AccountLimits {
  const burst =
    stated.requests === undefined
      ? start.burst
      : {
          ...start.burst,
          requestsPer2s: stated.requests,
          searchRequestsPer2s: stated.searchRequests ?? start.burst.searchRequestsPer2s,
          source: 'account' as const,
          seenAt: isoOf(stated.statedAt),
          pacedPer2s: paced(stated.requests, start.burst.capPer2s),
        };
  const daily =
    stated.dailyTokens === undefined
      ? start.daily
      : {
          ...start.daily,
          tokens: stated.dailyTokens,
          source: 'account' as const,
          seenAt: isoOf(stated.dailyAt),
        };
  const answered = stated.requests !== undefined || stated.dailyTokens !== undefined;
  return { ...start, burst, daily, account: answered ? (account ?? start.account) : start.account };
}

/** The daily budget set by a flag (`ferry plan --daily-budget`), replacing whatever was known. */
export function withDailyBudget(limits: AccountLimits, tokens: number): AccountLimits {
  return { ...limits, daily: { ...limits.daily, tokens, source: 'flag', seenAt: undefined } };
}

/** `pipedrive.maxRequestsPerSecond` as requests per 2-second window (at least one). */
export function capOf(maxRequestsPerSecond: number | undefined): number | undefined {
  return maxRequestsPerSecond === undefined ? undefined : Math.max(1, Math.floor(maxRequestsPerSecond * 2));
}

function paced(requestsPer2s: number, capPer2s: number | undefined): number {
  return capPer2s === undefined ? requestsPer2s : Math.min(requestsPer2s, capPer2s);
}

function isoOf(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** The time a migration's requests and tokens take under the limits. */
export interface ImpliedTime {
  readonly requests: number;
  readonly tokens: number;
  /** The rate Ferry paces to (the account's burst limit, or the cap). */
  readonly requestsPerSecond: number;
  /** Sending every request at that rate. */
  readonly seconds: number;
  /** Days of the daily budget's Ferry share the tokens need. */
  readonly days: number;
}

/** What an estimate's requests and tokens imply under the limits. Pure. */
export function impliedTime(
  limits: AccountLimits,
  cost: { readonly requests: number; readonly tokens: number },
): ImpliedTime {
  const requestsPerSecond = limits.burst.pacedPer2s / 2;
  const perDay = Math.max(1, Math.floor(limits.daily.tokens * limits.daily.ferryShare));
  return {
    requests: cost.requests,
    tokens: cost.tokens,
    requestsPerSecond,
    seconds: cost.requests / requestsPerSecond,
    days: Math.max(1, Math.ceil(cost.tokens / perDay)),
  };
}
