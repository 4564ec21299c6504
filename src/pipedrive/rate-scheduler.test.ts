import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { BudgetExhaustedError, RateScheduler } from './rate-scheduler.ts';

/** Sends `count` requests of a kind one after another and returns when each left, relative to the start. */
async function departures(scheduler: RateScheduler, clock: ManualClock, count: number, kind = 'general') {
  const start = clock.now();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await scheduler.schedule({
      kind: kind as 'general' | 'search',
      operation: `GET /${kind}`,
      tokens: 1,
      send: async () => times.push(clock.now() - start),
    });
  }
  return times;
}

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

/** Most requests that left within any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i += 1) {
    const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + windowMs).length;
    most = Math.max(most, inWindow);
  }
  return most;
}

/**
 * A gateway like Pipedrive's: a rolling window of arrivals per token, shared with another integration's
 * steady traffic when `background` is given (requests per window), stating its limit and the room left.
 */
function gateway(options: {
  limit: number;
  windowMs?: number;
  background?: number;
  dailyLimit?: number;
  /** Whether answers say how much room the window has left (Pipedrive may leave it out). */
  remaining?: boolean;
}) {
  const windowMs = options.windowMs ?? 2_000;
  const arrivals: number[] = [];
  let refused = 0;
  const othersIn = (now: number) => {
    if (!options.background) return 0;
    const every = windowMs / options.background;
    return Math.floor(now / every) - Math.floor((now - windowMs) / every);
  };
  return {
    get refused() {
      return refused;
    },
    arrivals,
    /** Answers a request arriving at `now`: 429 when the window is full, the headers either way. */
    answer(now: number): { status: number; headers: Headers } {
      while (arrivals.length > 0 && arrivals[0]! <= now - windowMs) arrivals.shift();
      const used = arrivals.length + othersIn(now);
      const base = {
        'x-ratelimit-limit': String(options.limit),
        ...(options.dailyLimit ? { 'x-daily-ratelimit-token-limit': String(options.dailyLimit) } : {}),
      };
      if (used >= options.limit) {
        refused += 1;
        return {
          status: 429,
          headers: headers({ ...base, 'x-ratelimit-remaining': '0', 'retry-after': '1' }),
        };
      }
      arrivals.push(now);
      const room =
        options.remaining === false ? {} : { 'x-ratelimit-remaining': String(options.limit - used - 1) };
      return { status: 200, headers: headers({ ...base, ...room }) };
    },
  };
}

/** Sends `count` requests one after another through the scheduler to the gateway, as the client does. */
async function throughGateway(
  scheduler: RateScheduler,
  clock: ManualClock,
  account: ReturnType<typeof gateway>,
  count: number,
) {
  const start = clock.now();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await scheduler.schedule({
      kind: 'general',
      operation: 'GET /x',
      tokens: 1,
      send: async () => {
        const sentAt = clock.now();
        const { status, headers: answer } = account.answer(sentAt);
        scheduler.observe(answer, 'general', sentAt);
        if (status === 429) scheduler.onRateLimited(answer);
        else times.push(sentAt - start);
      },
    });
  }
  return times;
}

/** Requests that left in the 2 s window starting at `from` (relative times). */
function inWindow(times: readonly number[], from: number): number {
  return times.filter((t) => t >= from && t < from + 2_000).length;
}

describe('RateScheduler', () => {
  it('spaces requests evenly a few percent under the burst limit, never more than the limit per window', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, clock });
    const times = await departures(scheduler, clock, 200);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    // 200 requests at 40 per 2 s take ~10 s; 3% under the limit makes it ~10.3 s.
    expect(times.at(-1)!).toBeGreaterThan(10_000);
    expect(times.at(-1)!).toBeLessThan(10_600);
    expect(busiestWindow(times, 2_000)).toBeLessThanOrEqual(39);
  });

  it('counts a request that left late (its departure hook waited) from when it left, so no window overfills', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 10, clock });
    const start = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      await scheduler.schedule({
        kind: 'general',
        operation: 'POST /api/v2/persons',
        tokens: 1,
        // Every tenth departure waits 150 ms (a journal commit that checkpointed).
        onDeparture: async () => {
          if (i % 10 === 0) clock.advance(150);
        },
        send: async () => times.push(clock.now() - start),
      });
    }
    expect(busiestWindow(times, 2_000)).toBeLessThanOrEqual(10);
    const gaps = times.slice(1).map((time, i) => time - times[i]!);
    // Spacing is kept from the late departures, not from their slots.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
  });

  it('paces search separately at its own limit, and counts searches against the general window', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, searchLimit: 10, clock });
    const searches = await departures(scheduler, clock, 21, 'search');
    expect(searches.at(-1)!).toBeGreaterThanOrEqual(4_000);
    expect(scheduler.stats.byOperation['GET /search']?.requests).toBe(21);
  });

  it('honours Retry-After after a burst 429 and widens its spacing, then narrows it on clean answers', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, clock });
    const before = scheduler.pacingMargin;
    const budget = scheduler.onRateLimited(headers({ 'retry-after': '3', 'x-ratelimit-remaining': '0' }));
    expect(budget).toBe(false);
    expect(scheduler.pacingMargin).toBeGreaterThan(before);
    const [first] = await departures(scheduler, clock, 1);
    expect(first).toBeGreaterThanOrEqual(3_000);
    for (let i = 0; i < 1_000; i += 1) scheduler.observe(headers({ 'x-ratelimit-remaining': '10' }));
    expect(scheduler.pacingMargin).toBe(before);
  });

  it('learns a smaller burst limit from the headers, per kind', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, searchLimit: 10, clock });
    scheduler.observe(headers({ 'x-ratelimit-limit': '10' }), 'search');
    let times = await departures(scheduler, clock, 41);
    expect(times.at(-1)!).toBeLessThan(2_200);
    scheduler.observe(headers({ 'x-ratelimit-limit': '20' }), 'general');
    times = await departures(scheduler, clock, 41);
    expect(times.at(-1)!).toBeGreaterThan(4_000);
  });

  it('learns a higher burst limit from the answers and rises to it within a window, without a 429', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, clock });
    const account = gateway({ limit: 100 });
    const times = await throughGateway(scheduler, clock, account, 1_000);
    expect(account.refused).toBe(0);
    expect(scheduler.accountLimits.stated.general).toBe(100);
    expect(scheduler.accountLimits.pacing.general).toBe(100);
    // The first requests leave at the guess's spacing (2 s / 40), until a few answers show the room.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(50);
    expect(inWindow(times, 1_000)).toBeGreaterThanOrEqual(90);
    const last = times.at(-1)! - 2_000;
    expect(inWindow(times, last)).toBeGreaterThanOrEqual(95);
    expect(busiestWindow(times, 2_000)).toBeLessThanOrEqual(100);
  });

  it('rises by half per window of clean answers when the answers do not say the room left', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, clock });
    const account = gateway({ limit: 100, remaining: false });
    const times = await throughGateway(scheduler, clock, account, 1_000);
    expect(account.refused).toBe(0);
    expect(inWindow(times, 0)).toBeLessThanOrEqual(40);
    expect(inWindow(times, 2_000)).toBeLessThanOrEqual(60);
    const last = times.at(-1)! - 2_000;
    expect(inWindow(times, last)).toBeGreaterThanOrEqual(95);
  });

  it('raises no further than the room the answers show, so another integration on the token keeps its share', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, clock });
    // Another integration sends 30 requests per window with the same token.
    const account = gateway({ limit: 100, background: 30 });
    const times = await throughGateway(scheduler, clock, account, 1_000);
    expect(account.refused).toBe(0);
    const last = times.at(-1)! - 2_000;
    expect(inWindow(times, last)).toBeGreaterThanOrEqual(55);
    expect(inWindow(times, last)).toBeLessThanOrEqual(70);
  });

  it('never paces above the cap (maxRequestsPerSecond), whatever the account allows, and still follows a lower limit', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 100, maxBurstLimit: 60, clock });
    expect(scheduler.accountLimits.pacing.general).toBe(60);
    const account = gateway({ limit: 120 });
    let times = await throughGateway(scheduler, clock, account, 400);
    expect(busiestWindow(times, 2_000)).toBeLessThanOrEqual(60);
    expect(scheduler.accountLimits).toMatchObject({ cap: 60, stated: { general: 120 } });
    times = await throughGateway(scheduler, clock, gateway({ limit: 30 }), 200);
    expect(busiestWindow(times.slice(1), 2_000)).toBeLessThanOrEqual(30);
    expect(scheduler.accountLimits.pacing.general).toBe(30);
  });

  it('learns the daily token limit from the answers, and starts the next day from it rather than the plan guess', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 23, 59, 0));
    // The plan guess (growth × 1 seat) is lower than what the account really has.
    const scheduler = new RateScheduler({
      burstLimit: 1_000,
      clock,
      dailyBudget: 60,
      onBudgetExhausted: 'stop',
    });
    await throughGateway(scheduler, clock, gateway({ limit: 1_000, dailyLimit: 200 }), 1);
    expect(scheduler.accountLimits).toMatchObject({ dailyLimit: 200, dailyLimitAt: clock.now() });
    clock.advance(60_000);
    const sent = await departures(scheduler, clock, 150);
    expect(sent).toHaveLength(150);
    expect(scheduler.stats.byDay['2026-01-06']?.tokens).toBe(150);
  });

  it('tells an exhausted daily budget from a burst, and waits for midnight UTC before going on', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 23, 0, 0));
    const pauses: Date[] = [];
    const scheduler = new RateScheduler({
      burstLimit: 40,
      clock,
      dailyBudget: 100,
      onPause: (until) => pauses.push(until),
    });
    const budget = scheduler.onRateLimited(headers({ 'x-daily-ratelimit-token-remaining': '0' }));
    expect(budget).toBe(true);
    await departures(scheduler, clock, 1);
    expect(pauses.map((until) => until.toISOString())).toEqual(['2026-01-06T00:00:00.000Z']);
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 6));
    expect(Object.keys(scheduler.stats.byDay)).toEqual(['2026-01-06']);
  });

  it('pauses once for all the requests waiting at an exhausted budget, and lets them all go after the reset', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 23, 0, 0));
    const pauses: Date[] = [];
    const scheduler = new RateScheduler({
      burstLimit: 40,
      clock,
      dailyBudget: 10,
      onPause: (until) => pauses.push(until),
    });
    await departures(scheduler, clock, 10);
    const sent = await Promise.all(
      Array.from({ length: 5 }, () =>
        scheduler.schedule({
          kind: 'general',
          operation: 'GET /x',
          tokens: 1,
          send: async () => clock.now(),
        }),
      ),
    );
    expect(pauses).toHaveLength(1);
    expect(Math.min(...sent)).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 6));
    // One day's wait, not one per waiting request.
    expect(Math.max(...sent)).toBeLessThan(Date.UTC(2026, 0, 6, 0, 1));
  });

  it('ignores what an answer sent before midnight says of the budget once the day has turned', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 23, 59, 59));
    const scheduler = new RateScheduler({
      burstLimit: 40,
      clock,
      dailyBudget: 100,
      onBudgetExhausted: 'stop',
    });
    const sentAt = clock.now();
    clock.advance(2_000);
    scheduler.observe(headers({ 'x-daily-ratelimit-token-remaining': '1' }), 'general', sentAt);
    await departures(scheduler, clock, 50);
    expect(scheduler.stats.tokens).toBe(50);
  });

  it('stops with a resumable error at an exhausted budget when asked to, instead of waiting', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
    const scheduler = new RateScheduler({ burstLimit: 40, clock, dailyBudget: 3, onBudgetExhausted: 'stop' });
    await departures(scheduler, clock, 3);
    const error = await departures(scheduler, clock, 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExhaustedError);
    expect((error as BudgetExhaustedError).resetAt.toISOString()).toBe('2026-01-06T00:00:00.000Z');
    expect((error as BudgetExhaustedError).failure).toBe('transient');
  });

  it('leaves the reserved share of the daily limit to other integrations', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
    const scheduler = new RateScheduler({
      burstLimit: 40,
      clock,
      dailyBudget: 100,
      reserveShare: 0.1,
      onBudgetExhausted: 'stop',
    });
    await departures(scheduler, clock, 90);
    await expect(departures(scheduler, clock, 1)).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(scheduler.stats.tokens).toBe(90);
  });

  it('keeps the daily budget from the headers, so a second integration spending it is noticed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
    const scheduler = new RateScheduler({
      burstLimit: 40,
      clock,
      dailyBudget: 1_000,
      onBudgetExhausted: 'stop',
    });
    scheduler.observe(headers({ 'x-daily-ratelimit-token-remaining': '2' }));
    await departures(scheduler, clock, 2);
    await expect(departures(scheduler, clock, 1)).rejects.toBeInstanceOf(BudgetExhaustedError);
  });
});

describe('RateScheduler: requests in flight', () => {
  /** A request whose answer the test gives (or never gives: a lost answer). */
  function held(scheduler: RateScheduler, sent: string[], name: string) {
    let answer: () => void = () => {};
    const done = scheduler.schedule({
      kind: 'general',
      operation: 'POST /api/v2/persons',
      tokens: 5,
      send: () =>
        new Promise<void>((resolve) => {
          sent.push(name);
          answer = resolve;
        }),
    });
    return { done, answer: () => answer() };
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  /** A clock whose sleeps end only when the test moves it (a manual clock's sleeps end at once). */
  class SteppedClock {
    private current = Date.UTC(2026, 0, 5, 9, 0, 0);
    private timers: { at: number; wake: () => void }[] = [];
    /** Sleeps asked for: the timers the scheduler set. */
    sleeps = 0;
    now = () => this.current;
    sleep = (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        this.sleeps += 1;
        const timer = { at: this.current + ms, wake: resolve };
        this.timers.push(timer);
        signal?.addEventListener('abort', () => {
          this.timers = this.timers.filter((candidate) => candidate !== timer);
          reject(signal.reason);
        });
      });
    async advance(ms: number) {
      // Requests started just now reach their sleeps first.
      await turn();
      this.current += ms;
      const due = this.timers.filter((timer) => timer.at <= this.current);
      this.timers = this.timers.filter((timer) => timer.at > this.current);
      for (const timer of due) timer.wake();
      await turn();
      await turn();
    }
  }

  it('bounds requests in flight by the rate and the answer time seen (Little’s law), not a constant', () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 40, clock });
    // 20 requests/s × 0.5 s assumed × 2 headroom + 4 spare, before any answer is seen.
    expect(scheduler.maxInFlight).toBe(24);
    for (let i = 0; i < 50; i += 1) scheduler.latency.record(150);
    expect(scheduler.maxInFlight).toBe(10);
    for (let i = 0; i < 300; i += 1) scheduler.latency.record(2_000);
    expect(scheduler.maxInFlight).toBe(84);
    const ultimate = new RateScheduler({ burstLimit: 120, clock });
    for (let i = 0; i < 50; i += 1) ultimate.latency.record(250);
    expect(ultimate.maxInFlight).toBe(34);
    expect(new RateScheduler({ burstLimit: 120, clock, maxInFlight: 6 }).maxInFlight).toBe(6);
  });

  it('a request waits for a place, first come first served, and takes the place an answer frees', async () => {
    const clock = new SteppedClock();
    const scheduler = new RateScheduler({ burstLimit: 1_000, clock, maxInFlight: 2 });
    const sent: string[] = [];
    for (let i = 0; i < 20; i += 1) scheduler.latency.record(100);
    const a = held(scheduler, sent, 'a');
    const b = held(scheduler, sent, 'b');
    const c = held(scheduler, sent, 'c');
    const d = held(scheduler, sent, 'd');
    // Pacing at 1,000 requests per 2 s spaces them ~2 ms apart.
    await clock.advance(10);
    expect(sent).toEqual(['a', 'b']);
    expect(scheduler.inFlight).toBe(2);
    b.answer();
    await b.done;
    await clock.advance(10);
    expect(sent).toEqual(['a', 'b', 'c']);
    a.answer();
    c.answer();
    await Promise.all([a.done, c.done]);
    await clock.advance(10);
    d.answer();
    await d.done;
    expect(sent).toEqual(['a', 'b', 'c', 'd']);
    expect(scheduler.inFlight).toBe(0);
  });

  it('requests waiting for their pacing slot leave in the order they came, each waking about once', async () => {
    const clock = new SteppedClock();
    const scheduler = new RateScheduler({ burstLimit: 20, clock, maxInFlight: 40 });
    const sent: number[] = [];
    const requests = Array.from({ length: 30 }, (_, n) =>
      scheduler.schedule({
        kind: 'general',
        operation: 'POST /api/v2/persons',
        tokens: 5,
        send: async () => {
          sent.push(n);
        },
      }),
    );
    for (let step = 0; step < 200 && sent.length < 30; step += 1) await clock.advance(50);
    await Promise.all(requests);
    expect(sent).toEqual(Array.from({ length: 30 }, (_, n) => n));
    // One timer per slot, not one per waiting request per slot (that herd set hundreds here).
    expect(clock.sleeps).toBeLessThan(60);
  });

  it('a request clearly overdue (a lost answer) stops holding its place: the others go on', async () => {
    const clock = new SteppedClock();
    const scheduler = new RateScheduler({ burstLimit: 1_000, clock, maxInFlight: 2 });
    // Answers take 200 ms: a request unanswered after 3 × p99 (at least a second) is overdue.
    for (let i = 0; i < 50; i += 1) scheduler.latency.record(200);
    const sent: string[] = [];
    const lost1 = held(scheduler, sent, 'lost-1');
    const lost2 = held(scheduler, sent, 'lost-2');
    const next = held(scheduler, sent, 'next');
    await clock.advance(10);
    expect(sent).toEqual(['lost-1', 'lost-2']);
    await clock.advance(985);
    expect(sent).toEqual(['lost-1', 'lost-2']);
    // The two lost answers hold their places for a second, no longer (not the client's whole timeout).
    await clock.advance(15);
    expect(sent).toEqual(['lost-1', 'lost-2', 'next']);
    expect(scheduler.inFlight).toBe(1);
    next.answer();
    await next.done;
    // When the lost ones finally end (the client times out), the count stays right.
    lost1.answer();
    lost2.answer();
    await Promise.all([lost1.done, lost2.done]);
    expect(scheduler.inFlight).toBe(0);
  });

  it('a request waiting for a place gives it up when aborted', async () => {
    const clock = new ManualClock();
    const scheduler = new RateScheduler({ burstLimit: 1_000, clock, maxInFlight: 1 });
    const sent: string[] = [];
    const first = held(scheduler, sent, 'first');
    const abort = new AbortController();
    const waiting = scheduler.schedule({
      kind: 'general',
      operation: 'GET /x',
      tokens: 1,
      signal: abort.signal,
      send: async () => {
        sent.push('waiting');
      },
    });
    abort.abort(new Error('stopped by the user'));
    await expect(waiting).rejects.toThrow('stopped by the user');
    first.answer();
    await first.done;
    expect(sent).toEqual(['first']);
    expect(scheduler.inFlight).toBe(0);
  });
});
