/**
 * How many writes a command keeps under way at once. `ferry migrate`, `ferry schema apply` and `ferry
 * rollback` share it: the bound follows the account's rate and Pipedrive's answer time (the rate
 * scheduler's bound on requests in flight), so an Ultimate account with slow answers has more writes under
 * way than a Lite one with quick answers; `--concurrency N` fixes it instead.
 */

/** Writes at once: a fixed number, or a bound asked again each time places free up. */
export type Concurrency = number | (() => number);

/** Writes at once when nothing says how many the account's rate calls for. */
export const DEFAULT_CONCURRENCY = 32;
/**
 * Writes under way per place the scheduler gives to requests in flight: the others wait out a backoff, a
 * look-up or a lost answer (which stops holding its place long before its worker is free), or queue for
 * their departure, which costs nothing: a write's intent is journaled only as it departs.
 */
const WRITERS_PER_PLACE = 2;
/** The most writes under way, whatever the rate: bounds the memory of the records in hand. */
const MAX_CONCURRENCY = 512;

/**
 * The bound on writes at once that follows the account: twice the scheduler's bound on requests in flight
 * (its rate × p90 answer time, with headroom), at most `MAX_CONCURRENCY`, at least the default.
 * @example executeRecords({ ...options, concurrency: concurrencyFollowing(() => client.scheduler.maxInFlight) })
 */
export function concurrencyFollowing(requestsInFlight: () => number): () => number {
  return () =>
    Math.min(MAX_CONCURRENCY, Math.max(DEFAULT_CONCURRENCY, requestsInFlight() * WRITERS_PER_PLACE));
}

/**
 * A command's bound on writes at once: `fixed` when the user gave one (`--concurrency N`), else one that
 * follows the client's rate scheduler, else (a client without one, e.g. a test double) the default.
 * @example rollback({ ...input, concurrency: writeConcurrency(client, flags.concurrency) })
 */
export function writeConcurrency(client: unknown, fixed?: number | undefined): Concurrency {
  if (fixed !== undefined) return fixed;
  const scheduler = (client as { scheduler?: { readonly maxInFlight: number } } | undefined)?.scheduler;
  return scheduler ? concurrencyFollowing(() => scheduler.maxInFlight) : DEFAULT_CONCURRENCY;
}

/** The bound now: a fixed one, or the followed one asked again (at least 1). */
export function currentBound(concurrency: Concurrency): number {
  return Math.max(1, typeof concurrency === 'number' ? concurrency : concurrency());
}

/** Reads at once when the client has no rate scheduler to follow (a test double). */
const DEFAULT_READS = 8;

/**
 * A read-back's bound on reads at once: the client's scheduler's bound on requests in flight (its rate ×
 * p90 answer time, with headroom), asked again as reads settle, so slow answers get more reads under way
 * and the account's rate is kept; `fixed` when given.
 * @example new ReadLimiter(readConcurrency(client))
 */
export function readConcurrency(client: unknown, fixed?: number | undefined): Concurrency {
  if (fixed !== undefined) return fixed;
  const scheduler = (client as { scheduler?: { readonly maxInFlight: number } } | undefined)?.scheduler;
  return scheduler ? () => scheduler.maxInFlight : DEFAULT_READS;
}
