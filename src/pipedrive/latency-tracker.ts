/**
 * How long Pipedrive takes to answer, over the last few hundred answers: what the in-flight bound (Little's
 * law) and the request timeouts follow, so a slow account gets more requests in flight and a lost answer is
 * given up on after a few times the usual wait instead of a fixed minute.
 * @example const latency = new LatencyTracker(); latency.record(180); latency.quantile(0.99) // 180
 */
export class LatencyTracker {
  private readonly samples: number[] = [];
  private next = 0;
  private sorted: number[] | undefined;
  private sinceSort = 0;

  /** Answers kept; older ones drop out, so the figures follow an account that slows down or speeds up. */
  static readonly KEPT = 256;
  /** Quantiles are re-read from the samples after this many new ones (a sort per request is waste). */
  private static readonly RESORT_EVERY = 16;

  /** Milliseconds from a request leaving to its whole answer arriving. */
  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.samples.length < LatencyTracker.KEPT) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % LatencyTracker.KEPT;
    this.sinceSort += 1;
    // The first answers each count; later ones are read a batch at a time.
    if (this.sinceSort >= LatencyTracker.RESORT_EVERY || this.samples.length <= LatencyTracker.RESORT_EVERY)
      this.sorted = undefined;
  }

  /** Answers seen (up to `KEPT`). */
  get count(): number {
    return this.samples.length;
  }

  /** The `q` quantile (0–1) of recent answer times; undefined before any answer. */
  quantile(q: number): number | undefined {
    if (this.samples.length === 0) return undefined;
    if (this.sorted === undefined) {
      this.sorted = [...this.samples].sort((a, b) => a - b);
      this.sinceSort = 0;
    }
    const index = Math.min(this.sorted.length - 1, Math.max(0, Math.ceil(q * this.sorted.length) - 1));
    return this.sorted[index];
  }
}

/**
 * How long a request may go unanswered before Ferry gives up on it (a write's outcome then being unknown,
 * looked up before anything is sent again): a multiple of the recent p99 answer time, never under a floor,
 * plus time for a large body to upload; the fixed ceiling until enough answers are seen.
 */
export interface TimeoutPolicy {
  /** Until this many answers are seen, the ceiling applies. */
  readonly minSamples: number;
  /** Times the p99 answer time. */
  readonly multiple: number;
  /** Never less, however fast the account answers (a write); reads page through lists and get more. */
  readonly writeFloorMs: number;
  readonly readFloorMs: number;
  readonly ceilingMs: number;
  /** Upload allowance: a body of this many bytes adds a second. */
  readonly bytesPerSecond: number;
}

export const DEFAULT_TIMEOUT_POLICY: TimeoutPolicy = {
  minSamples: 20,
  multiple: 8,
  writeFloorMs: 3_000,
  readFloorMs: 10_000,
  ceilingMs: 60_000,
  bytesPerSecond: 256 * 1024,
};

/** The timeout of one request given the recent answer times (see `TimeoutPolicy`). */
export function requestTimeoutMs(
  latency: LatencyTracker,
  request: { readonly write: boolean; readonly bodyBytes: number },
  policy: TimeoutPolicy = DEFAULT_TIMEOUT_POLICY,
): number {
  const upload = Math.ceil((request.bodyBytes / policy.bytesPerSecond) * 1000);
  const p99 = latency.quantile(0.99);
  if (latency.count < policy.minSamples || p99 === undefined) return policy.ceilingMs + upload;
  const floor = request.write ? policy.writeFloorMs : policy.readFloorMs;
  return Math.min(policy.ceilingMs, Math.max(floor, Math.ceil(p99 * policy.multiple))) + upload;
}
