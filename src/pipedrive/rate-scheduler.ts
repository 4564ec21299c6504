import { type Clock, systemClock } from '../core/clock.ts';
import { FerryError } from '../core/errors.ts';
import type { HeaderLookup } from './http-transport.ts';
import { LatencyTracker } from './latency-tracker.ts';

export type RequestKind = 'general' | 'search';

export interface RateSchedulerOptions {
  /**
   * Requests per rolling window for general paths to start from: the limit the account stated before, else
   * the plan's. The account's `x-ratelimit-limit` corrects it in both directions.
   */
  readonly burstLimit: number;
  /** Requests per rolling window for search paths to start from (10 on every plan). */
  readonly searchLimit?: number;
  /**
   * The most requests per window Ferry sends, whatever the account allows (`pipedrive.maxRequestsPerSecond`,
   * for a firm that leaves headroom to its own integrations). No learned limit goes above it.
   */
  readonly maxBurstLimit?: number | undefined;
  readonly windowMs?: number;
  /** Daily token budget to start from (plan × seats, or what the account stated before); the headers correct it. */
  readonly dailyBudget?: number | undefined;
  /** Share of the daily limit left untouched for the company's other integrations (default 0). */
  readonly reserveShare?: number;
  /** At budget exhaustion: wait for the reset (default) or stop with a resumable error. */
  readonly onBudgetExhausted?: 'pause' | 'stop';
  /** Told when the scheduler pauses for the daily reset (so the CLI can say until when). */
  readonly onPause?: (until: Date, reason: string) => void;
  readonly clock?: Clock;
  /**
   * A fixed cap on requests in flight at once; by default the bound follows the rate and the observed
   * answer time (Little's law with headroom).
   */
  readonly maxInFlight?: number;
}

/** The account's limits as the scheduler knows them now. */
export interface SchedulerLimits {
  readonly windowMs: number;
  /** Requests per window the account's answers stated (`x-ratelimit-limit`), per kind; undefined until one did. */
  readonly stated: Readonly<Record<RequestKind, number | undefined>>;
  /** When an answer last stated a burst limit (clock ms). */
  readonly statedAt: number | undefined;
  /** Requests per window Ferry paces to now: towards the stated limit (ramping up), never above the cap. */
  readonly pacing: Readonly<Record<RequestKind, number>>;
  readonly cap: number | undefined;
  /** The account's daily token limit as its answers stated it (`x-daily-ratelimit-token-limit`), and when. */
  readonly dailyLimit: number | undefined;
  readonly dailyLimitAt: number | undefined;
}

export interface SchedulerStats {
  requests: number;
  tokens: number;
  rateLimited: number;
  byOperation: Record<string, { requests: number; tokens: number }>;
  byDay: Record<string, { requests: number; tokens: number }>;
}

/** The daily token budget is used up: the run stops and can resume after the reset. */
export class BudgetExhaustedError extends FerryError {
  readonly resetAt: Date;
  constructor(resetAt: Date) {
    super(
      'transient',
      `Pipedrive's daily API token budget is used up. Nothing is lost: run the same command again after the reset (${resetAt.toISOString()}).`,
      { code: 'E_BUDGET_EXHAUSTED' },
    );
    this.resetAt = resetAt;
  }
}

/** Spacing starts this far under the limit: arrivals jitter a little on the way to the gateway. */
const MIN_MARGIN = 0.03;
const MAX_MARGIN = 0.3;
/** A burst 429 widens the spacing by this much; each run of clean answers narrows it again. */
const MARGIN_STEP = 0.03;
const CLEAN_ANSWERS_TO_NARROW = 200;
/** How much later than its departure order a request may reach the gateway (network jitter). */
const ARRIVAL_JITTER_MS = 30;
/** A request that leaves this much after its slot is counted from when it left. */
const LATE_DEPARTURE_MS = 10;
/** In-flight bound (Little's law): p90 answer time × rate × headroom, plus spare places, at least a few. */
const IN_FLIGHT_HEADROOM = 2;
const IN_FLIGHT_SPARE = 4;
const MIN_IN_FLIGHT = 4;
/** The answer time assumed until enough answers are seen. */
const ASSUMED_ANSWER_MS = 500;
const MIN_LATENCY_SAMPLES = 20;
/** An unanswered request stops holding its place after this many p99 answer times (at least a second). */
const OVERDUE_MULTIPLE = 3;
const MIN_OVERDUE_MS = 1_000;
const UNKNOWN_OVERDUE_MS = 5_000;

interface Flight {
  /** When it left (after pacing); overdue counts from here. */
  sentAt: number | undefined;
  counted: boolean;
}

interface FlightWaiter {
  readonly admit: (flight: Flight) => void;
}

/** The longest pause after header-less 429s or Cloudflare blocks in a row. */
const MAX_REFUSAL_PAUSE_MS = 60_000;
/**
 * Answers that must agree before pacing rises towards a higher stated limit, when they say how much room
 * the gateway's window has (`x-ratelimit-remaining`).
 */
const RAMP_EVIDENCE = 4;
/** Without that header, a higher stated limit is approached by this factor per window's worth of answers. */
const RAMP_FACTOR = 1.5;

/**
 * Paces requests below the account's limits instead of tripping them: requests of a kind (general, search)
 * leave evenly spaced a margin under the burst limit, with a sliding-window log as a hard stop and a cap
 * on requests in flight. The margin adapts: a burst 429 (someone else shares the token, or the network
 * jitters more than assumed) widens it, clean answers narrow it back. A 429 pauses everyone for its
 * Retry-After. Requests in flight are bounded by the rate and the answer time seen (Little's law), and one
 * whose answer is clearly overdue stops counting, so a lost answer does not hold back the others. The daily token budget is counted locally and corrected from `x-daily-ratelimit-token-*`
 * headers; when it runs out the scheduler waits for the midnight-UTC reset (or stops, resumably).
 *
 * The limits come from the account: the plan (or what an earlier command learned) is only where pacing
 * starts. A lower `x-ratelimit-limit` takes effect at once. A higher one is approached without overshooting:
 * the gateway's window holds Ferry's requests and any other integration's on the same token, and an
 * answer's `x-ratelimit-remaining` says how many more fit, so Ferry's requests in the window when it was
 * sent plus that room is what Ferry may pace to; pacing rises to the least of that over a few answers (the
 * rest stays for the other traffic). Without the header, pacing rises by half per window's worth of clean
 * answers. Never above the cap.
 */
export class RateScheduler {
  private readonly options: RateSchedulerOptions;
  private readonly clock: Clock;
  private readonly cap: number | undefined;
  /** The burst limits the account's answers stated, per kind, and when the last one did. */
  private readonly stated: Record<RequestKind, number | undefined> = {
    general: undefined,
    search: undefined,
  };
  private statedAt: number | undefined;
  /**
   * Answers since pacing last changed, and the least share of the window they showed Ferry may have (its
   * own requests in the window plus the room left), per kind: the evidence for a raise.
   */
  private readonly ramp: Record<RequestKind, { answers: number; share: number }> = {
    general: { answers: 0, share: Number.POSITIVE_INFINITY },
    search: { answers: 0, share: Number.POSITIVE_INFINITY },
  };
  private readonly sent: Record<RequestKind, number[]> = { general: [], search: [] };
  /** The last request of each kind to have asked for a slot: the next one asks after it. */
  private readonly turns: Record<RequestKind, Promise<unknown>> = {
    general: Promise.resolve(),
    search: Promise.resolve(),
  };
  /** Earliest next departure per kind: requests are spaced evenly rather than sent in bursts. */
  private readonly nextSendAt: Record<RequestKind, number> = { general: 0, search: 0 };
  /** Requests sent and not yet answered; `counted` ones hold a place under the in-flight bound. */
  private readonly flights = new Set<Flight>();
  private counted = 0;
  /** Requests waiting for a place under the in-flight bound, first come first served. */
  private readonly queue: FlightWaiter[] = [];
  private overdueCheck: AbortController | undefined;
  /** Recent answer times: the in-flight bound and the client's timeouts follow them. */
  readonly latency = new LatencyTracker();
  private pausedUntil = 0;
  private budgetRemaining: number | undefined;
  private budgetDay = '';
  /** Fraction under the burst limit that request spacing keeps (adapts to 429s). */
  private margin = MIN_MARGIN;
  /** The account's daily token limit as its headers state it (`x-daily-ratelimit-token-limit`). */
  dailyLimitSeen: number | undefined;
  private dailyLimitAt: number | undefined;
  private cleanAnswers = 0;
  private resetWait: Promise<void> | undefined;
  readonly stats: SchedulerStats = { requests: 0, tokens: 0, rateLimited: 0, byOperation: {}, byDay: {} };
  private limits: Record<RequestKind, number>;

  constructor(options: RateSchedulerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.cap = options.maxBurstLimit;
    this.limits = {
      general: this.capped(options.burstLimit),
      search: this.capped(options.searchLimit ?? 10),
    };
    this.budgetRemaining = options.dailyBudget;
  }

  private get windowMs(): number {
    return this.options.windowMs ?? 2_000;
  }

  /** Runs `send` when the limits allow; counts its tokens. */
  async schedule<T>(input: {
    kind: RequestKind;
    operation: string;
    tokens: number;
    send: () => Promise<T>;
    signal?: AbortSignal;
    /**
     * Awaited once the request has its place and its turn, just before it is sent: a write's intent is
     * journaled here, so one still queued (for the in-flight bound, the pacing, the budget's reset) when
     * the process stops has announced nothing.
     */
    onDeparture?: (() => Promise<void>) | undefined;
  }) {
    const flight = await this.takePlace(input.signal);
    try {
      const slot = await this.acquireInTurn(input.kind, input.tokens, input.signal);
      if (input.onDeparture) {
        await input.onDeparture();
        this.departedLate(input.kind, slot);
      }
      flight.sentAt = this.clock.now();
      // Requests waiting for a place look again when this one would be overdue.
      if (this.queue.length > 0) this.watchOverdue();
      this.count(input.operation, input.tokens);
      return await input.send();
    } finally {
      this.land(flight);
    }
  }

  /**
   * Requests of a kind take their slots one after another, first come first served: one waits on the
   * timer and the others wait their turn, so a slot does not wake every waiting request to find it taken
   * (with hundreds under way, that herd cost more CPU than the requests). A request whose signal aborts
   * while others are ahead finds out when its turn comes; those ahead share the run's signal and stop at once.
   */
  private acquireInTurn(kind: RequestKind, tokens: number, signal?: AbortSignal): Promise<number> {
    const slot = this.turns[kind].then(() => this.acquire(kind, tokens, signal));
    this.turns[kind] = slot.catch(() => {});
    return slot;
  }

  /** Waits for a slot under the limits and takes it; returns the slot's time. */
  private async acquire(kind: RequestKind, tokens: number, signal?: AbortSignal): Promise<number> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      this.rollDay();
      const now = this.clock.now();
      if (this.budgetRemaining !== undefined && this.budgetRemaining - this.reserve() < tokens) {
        await this.waitForReset(signal);
        continue;
      }
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        continue;
      }
      if (now < this.nextSendAt[kind]) {
        await this.clock.sleep(this.nextSendAt[kind] - now, signal);
        continue;
      }
      // The hard stop: never more than the limit in a window stretched by the arrival jitter allowance.
      const log = this.sent[kind];
      const window = this.windowMs + ARRIVAL_JITTER_MS;
      while (log.length > 0 && log[0]! <= now - window) log.shift();
      if (log.length >= Math.max(1, this.limits[kind])) {
        await this.clock.sleep(log[0]! + window + 1 - now, signal);
        continue;
      }
      log.push(now);
      this.nextSendAt[kind] = this.cadenceFrom(kind, now) + this.spacing(kind);
      if (kind === 'search') {
        this.sent.general.push(now);
        this.nextSendAt.general = Math.max(this.nextSendAt.general, now + this.spacing('general'));
      }
      if (this.budgetRemaining !== undefined) this.budgetRemaining -= tokens;
      return now;
    }
  }

  /**
   * A request that left later than its slot (its departure hook waited, e.g. on a journal commit that
   * also checkpointed) counts from when it left: stamped then in the window's log, and the next slot
   * spaced from it. Counted from the slot, it would reach the gateway closer to the requests a window
   * later than the limit allows (a 429).
   */
  private departedLate(kind: RequestKind, slot: number): void {
    const now = this.clock.now();
    // A millisecond or two is the commit itself: the arrival jitter allowance covers it.
    if (now - slot < LATE_DEPARTURE_MS) return;
    const log = this.sent[kind];
    const index = log.lastIndexOf(slot);
    if (index >= 0) log.splice(index, 1);
    log.push(now);
    this.nextSendAt[kind] = Math.max(this.nextSendAt[kind], now + this.spacing(kind));
  }

  /** Milliseconds between departures of a kind: the window shared evenly, a margin under the limit. */
  private spacing(kind: RequestKind): number {
    return (this.windowMs / this.limits[kind]) * (1 + this.margin);
  }

  /**
   * Where the next slot is counted from: half a slot back at most when this departure is late (timers wake
   * late by a millisecond or two, which would otherwise add up to percents of the limit); now after an idle
   * gap, so an idle spell never turns into a burst.
   */
  private cadenceFrom(kind: RequestKind, now: number): number {
    const slot = this.nextSendAt[kind];
    const spacing = this.spacing(kind);
    return now - slot < spacing ? Math.max(slot, now - spacing / 2) : now;
  }

  /** Tokens of today's budget kept for other integrations: a share of the limit the headers state. */
  private reserve(): number {
    const limit = this.dailyLimitSeen ?? this.options.dailyBudget ?? 0;
    return Math.floor(limit * (this.options.reserveShare ?? 0));
  }

  /** The margin currently kept under the burst limit (for tests and the bench). */
  get pacingMargin(): number {
    return this.margin;
  }

  /**
   * Requests in flight at once: enough to keep the rate with the answer time seen (Little's law: rate ×
   * p90 answer time, doubled for headroom, plus a few), or the fixed cap when one was given.
   */
  get maxInFlight(): number {
    if (this.options.maxInFlight !== undefined) return Math.max(1, this.options.maxInFlight);
    const perMs = this.limits.general / this.windowMs;
    const answerMs =
      this.latency.count >= MIN_LATENCY_SAMPLES ? this.latency.quantile(0.9)! : ASSUMED_ANSWER_MS;
    const bound = Math.ceil(perMs * answerMs * IN_FLIGHT_HEADROOM) + IN_FLIGHT_SPARE;
    return Math.min(Math.max(MIN_IN_FLIGHT, bound), Math.max(MIN_IN_FLIGHT, this.limits.general * 4));
  }

  /** Requests holding a place under the in-flight bound now (overdue ones no longer do). */
  get inFlight(): number {
    return this.counted;
  }

  /**
   * How long an unanswered request holds its place: a few times the p99 answer time. Past that it is
   * clearly overdue (most likely a lost answer, which the client times out later): the others go on.
   */
  private get overdueMs(): number {
    if (this.latency.count < MIN_LATENCY_SAMPLES) return UNKNOWN_OVERDUE_MS;
    return Math.max(MIN_OVERDUE_MS, this.latency.quantile(0.99)! * OVERDUE_MULTIPLE);
  }

  /** A place under the in-flight bound, in arrival order; held from before pacing until the answer. */
  private takePlace(signal?: AbortSignal): Promise<Flight> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.releaseOverdue();
    if (this.queue.length === 0 && this.counted < this.maxInFlight) return Promise.resolve(this.board());
    return new Promise<Flight>((resolve, reject) => {
      const waiter: FlightWaiter = {
        admit: (flight) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(flight);
        },
      };
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.watchOverdue();
    });
  }

  private board(): Flight {
    const flight: Flight = { sentAt: undefined, counted: true };
    this.flights.add(flight);
    this.counted += 1;
    return flight;
  }

  /** An answer (or a failure) came: the place goes to the first request waiting. */
  private land(flight: Flight): void {
    this.flights.delete(flight);
    if (flight.counted) {
      flight.counted = false;
      this.counted -= 1;
    }
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.counted < this.maxInFlight) this.queue.shift()?.admit(this.board());
    // Nobody waits: no timer is left to keep the process alive.
    if (this.queue.length === 0 && this.overdueCheck) {
      this.overdueCheck.abort();
      this.overdueCheck = undefined;
    }
  }

  /** Requests sent longer ago than `overdueMs` stop holding a place. Returns when the next one will. */
  private releaseOverdue(): number | undefined {
    const now = this.clock.now();
    const overdueMs = this.overdueMs;
    let next: number | undefined;
    for (const flight of this.flights) {
      if (!flight.counted || flight.sentAt === undefined) continue;
      const due = flight.sentAt + overdueMs;
      if (due <= now) {
        flight.counted = false;
        this.counted -= 1;
      } else next = Math.min(next ?? due, due);
    }
    return next;
  }

  /**
   * While requests wait for a place, looks again when the oldest request in flight becomes overdue, so a
   * lost answer does not hold the queue until the client's timeout.
   */
  private watchOverdue(): void {
    if (this.overdueCheck) return;
    const next = this.releaseOverdue();
    this.admitWaiting();
    if (next === undefined || this.queue.length === 0) return;
    const check = new AbortController();
    this.overdueCheck = check;
    this.clock.sleep(Math.max(1, next - this.clock.now()), check.signal).then(
      () => {
        if (this.overdueCheck !== check) return;
        this.overdueCheck = undefined;
        this.watchOverdue();
      },
      () => {},
    );
  }

  private count(operation: string, tokens: number): void {
    const day = utcDay(this.clock.now());
    this.stats.requests += 1;
    this.stats.tokens += tokens;
    for (const [table, key] of [
      [this.stats.byOperation, operation],
      [this.stats.byDay, day],
    ] as const) {
      const entry = table[key] ?? { requests: 0, tokens: 0 };
      entry.requests += 1;
      entry.tokens += tokens;
      table[key] = entry;
    }
  }

  /**
   * Learns from an answer's headers: the account's burst limit for the request's kind (lower or higher than
   * the plan suggests), its daily token limit and the budget left today.
   */
  observe(headers: HeaderLookup, kind: RequestKind = 'general', sentAt?: number): void {
    this.learnBurstLimit(kind, headers, sentAt);
    this.cleanAnswers += 1;
    if (this.cleanAnswers >= CLEAN_ANSWERS_TO_NARROW) {
      this.cleanAnswers = 0;
      this.margin = Math.max(MIN_MARGIN, this.margin - MARGIN_STEP / 3);
    }
    const dailyLimit = headerNumber(headers, 'x-daily-ratelimit-token-limit');
    if (dailyLimit !== undefined && dailyLimit > 0) {
      this.dailyLimitSeen = dailyLimit;
      this.dailyLimitAt = this.clock.now();
    }
    const remaining = headers.get('x-daily-ratelimit-token-remaining');
    this.rollDay();
    // An answer to a request sent before midnight speaks of yesterday's budget, not today's.
    const sameDay = sentAt === undefined || utcDay(sentAt) === this.budgetDay;
    if (remaining !== null && Number.isFinite(Number(remaining)) && sameDay) {
      this.budgetRemaining = Number(remaining);
    }
  }

  /**
   * The stated burst limit: a lower one paces at once; a higher one is approached as the answers allow.
   * Pipedrive may leave the headers out for a while after a quiet spell: their absence says nothing.
   */
  private learnBurstLimit(kind: RequestKind, headers: HeaderLookup, sentAt: number | undefined): void {
    const stated = headerNumber(headers, 'x-ratelimit-limit');
    if (stated === undefined || stated < 1) return;
    this.stated[kind] = stated;
    this.statedAt = this.clock.now();
    const target = this.capped(stated);
    if (target < this.limits[kind]) {
      this.limits[kind] = target;
      this.restartRamp(kind);
      return;
    }
    if (target === this.limits[kind]) return;
    const ramp = this.ramp[kind];
    ramp.answers += 1;
    const remaining = headerNumber(headers, 'x-ratelimit-remaining');
    if (remaining !== undefined) {
      ramp.share = Math.min(ramp.share, this.sentInWindowAt(kind, sentAt ?? this.clock.now()) + remaining);
      if (ramp.answers >= RAMP_EVIDENCE) this.raise(kind, Math.min(target, ramp.share));
    } else if (ramp.answers >= this.limits[kind]) {
      this.raise(kind, Math.min(target, Math.ceil(this.limits[kind] * RAMP_FACTOR)));
    }
  }

  /** Paces a kind at a higher limit (never lower: a raise that the evidence does not support waits). */
  private raise(kind: RequestKind, to: number): void {
    if (to > this.limits[kind]) this.limits[kind] = to;
    this.restartRamp(kind);
  }

  /** Ferry's requests of a kind in the window that ended at `at` (the log holds at least the last window). */
  private sentInWindowAt(kind: RequestKind, at: number): number {
    const from = at - this.windowMs;
    return this.sent[kind].filter((time) => time > from && time <= at).length;
  }

  private restartRamp(kind: RequestKind): void {
    this.ramp[kind] = { answers: 0, share: Number.POSITIVE_INFINITY };
  }

  private capped(limit: number): number {
    return this.cap === undefined ? limit : Math.max(1, Math.min(limit, this.cap));
  }

  /** What the scheduler knows of the account's limits now (for `ferry validate`, `ferry plan` and the store). */
  get accountLimits(): SchedulerLimits {
    return {
      windowMs: this.windowMs,
      stated: { ...this.stated },
      statedAt: this.statedAt,
      pacing: { ...this.limits },
      cap: this.cap,
      dailyLimit: this.dailyLimitSeen,
      dailyLimitAt: this.dailyLimitAt,
    };
  }

  /**
   * A 429: pause everyone for Retry-After, else `x-ratelimit-reset`, else the window doubled for each 429 in
   * a row without either header (reference §3.5). Returns true when it was the daily budget.
   */
  onRateLimited(headers: HeaderLookup): boolean {
    this.stats.rateLimited += 1;
    if (headers.get('x-daily-ratelimit-token-remaining') === '0') {
      this.budgetRemaining = 0;
      return true;
    }
    this.margin = Math.min(MAX_MARGIN, this.margin + MARGIN_STEP);
    this.cleanAnswers = 0;
    // A refusal while ramping up: the next step waits for another window of clean answers.
    this.restartRamp('general');
    this.restartRamp('search');
    const retryAfter = Number(headers.get('retry-after'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    const waitMs =
      Number.isFinite(retryAfter) && retryAfter > 0
        ? retryAfter * 1000
        : Number.isFinite(reset) && reset > 0
          ? reset * 1000
          : this.escalating('rateLimited', this.windowMs);
    this.pauseFor(waitMs);
    return false;
  }

  /**
   * Cloudflare's 403 block (sent after 429s it thinks were ignored): everyone pauses, longer each time in a
   * row, since the block page says nothing of how long it lasts.
   */
  onBlocked(): void {
    this.stats.rateLimited += 1;
    this.margin = MAX_MARGIN;
    this.cleanAnswers = 0;
    this.pauseFor(this.escalating('blocked', this.windowMs));
  }

  /** A successful answer ends any run of header-less 429s or blocks. */
  onAnswered(): void {
    this.streaks.rateLimited = 0;
    this.streaks.blocked = 0;
  }

  private readonly streaks = { rateLimited: 0, blocked: 0 };

  /**
   * `baseMs` doubled for each refusal of this kind in a row, up to a minute. Refusals that arrive while
   * the pause is on were sent before it began (one burst): they do not lengthen it again.
   */
  private escalating(kind: keyof RateScheduler['streaks'], baseMs: number): number {
    if (this.clock.now() < this.pausedUntil) return 0;
    const wait = Math.min(MAX_REFUSAL_PAUSE_MS, baseMs * 2 ** this.streaks[kind]);
    this.streaks[kind] += 1;
    return wait;
  }

  private pauseFor(waitMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + waitMs);
  }

  private rollDay(): void {
    const day = utcDay(this.clock.now());
    if (day !== this.budgetDay) {
      if (this.budgetDay !== '') this.budgetRemaining = this.dailyLimitSeen ?? this.options.dailyBudget;
      this.budgetDay = day;
    }
  }

  /** Every request waiting for the reset shares one wait (and the user hears of the pause once). */
  private waitForReset(signal?: AbortSignal): Promise<void> {
    const now = new Date(this.clock.now());
    const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    if (this.options.onBudgetExhausted === 'stop') throw new BudgetExhaustedError(resetAt);
    if (!this.resetWait) {
      this.options.onPause?.(resetAt, 'daily token budget used up');
      this.resetWait = this.clock
        .sleep(resetAt.getTime() - now.getTime() + 1_000, signal)
        .then(() => this.rollDay())
        .finally(() => {
          this.resetWait = undefined;
        });
    }
    return this.resetWait;
  }
}

/** A header's number, or undefined when it is absent or not a number. */
function headerNumber(headers: HeaderLookup, name: string): number | undefined {
  const text = headers.get(name);
  if (text === null || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const DAY_MS = 86_400_000;
/** The last day asked for: every request asks, and nearly always for the same day. */
let lastDay = { start: 0, name: '1970-01-01' };

function utcDay(ms: number): string {
  if (ms < lastDay.start || ms >= lastDay.start + DAY_MS) {
    const start = Math.floor(ms / DAY_MS) * DAY_MS;
    lastDay = { start, name: new Date(start).toISOString().slice(0, 10) };
  }
  return lastDay.name;
}
