import type { Clock } from '../core/clock.ts';

/**
 * How long and how often Ferry keeps at a request or a write that failed for a passing reason (5xx, a
 * timeout, a reset, a 429 or Cloudflare's 403 block). Both bounds hold: a run stops, resumably, once either is
 * spent, rather than hammering an account that is down.
 * @example { maxAttempts: 10, withinMs: 300_000, baseDelayMs: 500, maxDelayMs: 30_000, resolveAfterMs: 2_000 }
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** No new attempt starts once this long has passed since the first. */
  readonly withinMs: number;
  /** The first wait between attempts; each later one doubles, up to `maxDelayMs`, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Wait before looking up a write whose outcome is unknown, so a slow commit has landed first. */
  readonly resolveAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 10,
  withinMs: 5 * 60_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  resolveAfterMs: 2_000,
};

/**
 * The policy with overrides from the environment: `FERRY_RETRY_ATTEMPTS`, `FERRY_RETRY_WITHIN_MS` and
 * `FERRY_RESOLVE_AFTER_MS` (tests shorten them; a person rarely needs to).
 */
export function retryPolicyFromEnv(
  env: NodeJS.ProcessEnv,
  base: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryPolicy {
  const read = (name: string, fallback: number, minimum: number) => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(value) && value >= minimum ? value : fallback;
  };
  return {
    ...base,
    maxAttempts: Math.floor(read('FERRY_RETRY_ATTEMPTS', base.maxAttempts, 1)),
    withinMs: read('FERRY_RETRY_WITHIN_MS', base.withinMs, 0),
    resolveAfterMs: read('FERRY_RESOLVE_AFTER_MS', base.resolveAfterMs, 0),
  };
}

/**
 * The wait after the `failures`-th failure: exponential from `baseDelayMs`, capped, with "equal jitter"
 * (between half and all of it) so workers that failed together do not come back together.
 */
export function retryDelayMs(
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  failures: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * One operation's attempts against the policy: counts them, says whether another may start, and sleeps
 * the jittered wait in between.
 * @example const attempts = new RetryBudget(policy, clock); while (…) { if (!attempts.another()) throw …; await attempts.wait(signal) }
 */
export class RetryBudget {
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;
  private startedAt: number;
  /** Attempts made so far. */
  attempts = 0;

  constructor(policy: RetryPolicy, clock: Clock, random: () => number = Math.random) {
    this.policy = policy;
    this.clock = clock;
    this.random = random;
    this.startedAt = clock.now();
  }

  /** Counts an attempt about to start. */
  begin(): void {
    this.attempts += 1;
  }

  /** Whether another attempt is allowed after the one that just failed (and the wait before it). */
  another(): boolean {
    if (this.attempts >= this.policy.maxAttempts) return false;
    return this.clock.now() + this.nextDelay() / 2 - this.startedAt <= this.policy.withinMs;
  }

  /** Sleeps the jittered wait before the next attempt. */
  wait(signal?: AbortSignal, minimumMs = 0): Promise<void> {
    const delay = Math.max(minimumMs, retryDelayMs(this.policy, this.attempts, this.random));
    return this.clock.sleep(delay, signal);
  }

  /** A long wait that is nobody's failure (the daily budget's reset) does not use up the time allowed. */
  restartClock(): void {
    this.startedAt = this.clock.now();
  }

  /** Milliseconds since the first attempt. */
  get elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  private nextDelay(): number {
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.max(0, this.attempts - 1));
  }
}

/** The policy of the client a command writes through (the environment may have tuned it), else the default. */
export function retryPolicyOf(client: unknown): RetryPolicy {
  return (client as { retryPolicy?: RetryPolicy } | undefined)?.retryPolicy ?? DEFAULT_RETRY_POLICY;
}
