import type { ResolvedSimOptions } from './options.ts';
import type { SimState } from './state.ts';
import { DAY_MS } from './time.ts';

/** Legacy fair-use limit behind `x-daily-requests-left` (POST/PUT per user per day). */
const DAILY_WRITE_REQUESTS = 10_000;

export type LimitVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'burst' | 'budget'; readonly retryAfterSec: number }
  | { readonly kind: 'blocked' };

/** A rolling window of request times: O(1) amortised per request. */
class Window {
  private times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  oldest(): number | undefined {
    return this.times[this.head];
  }

  push(now: number): void {
    this.times.push(now);
  }
}

/**
 * Burst windows per token (general and search), the company's daily token budget (kept in SimState so it
 * survives --state), and the Cloudflare-style block for clients that keep going after 429s.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly tooMany = new Window();
  private blockedUntil = 0;

  constructor(
    private readonly options: ResolvedSimOptions,
    private readonly state: SimState,
  ) {}

  private window(key: string): Window {
    let w = this.windows.get(key);
    if (!w) {
      w = new Window();
      this.windows.set(key, w);
    }
    return w;
  }

  /** Rolls the budget over at midnight UTC of the simulated clock. */
  rollDay(now: number): void {
    const day = new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    if (this.state.budgetDay !== day) {
      this.state.budgetDay = day;
      this.state.budgetSpent = 0;
      this.state.writesToday = 0;
    }
  }

  check(now: number, token: string, search: boolean): LimitVerdict {
    this.rollDay(now);
    const o = this.options;
    if (!o.rateLimits) return { kind: 'ok' };
    if (o.abuse && now < this.blockedUntil) return { kind: 'blocked' };
    if (this.state.budgetSpent >= o.dailyBudget)
      return this.rejected(now, { kind: 'budget', retryAfterSec: secondsToMidnight(now) });
    const general = this.window(`general:${token}`);
    if (general.count(now, o.burstWindowMs) >= o.burstLimit)
      return this.rejected(now, this.burst(general, now));
    if (search) {
      const w = this.window(`search:${token}`);
      if (w.count(now, o.burstWindowMs) >= o.searchBurstLimit) return this.rejected(now, this.burst(w, now));
    }
    return { kind: 'ok' };
  }

  private burst(w: Window, now: number): LimitVerdict {
    const oldest = w.oldest() ?? now;
    return {
      kind: 'burst',
      retryAfterSec: Math.max(1, Math.ceil((oldest + this.options.burstWindowMs - now) / 1000)),
    };
  }

  private rejected(now: number, verdict: LimitVerdict): LimitVerdict {
    const abuse = this.options.abuse;
    if (abuse) {
      this.tooMany.push(now);
      if (this.tooMany.count(now, abuse.windowMs) > abuse.threshold) this.blockedUntil = now + abuse.blockMs;
    }
    return verdict;
  }

  /** Records an admitted request in the burst windows (and the busiest window so far). */
  admit(now: number, token: string, search: boolean): void {
    const general = this.window(`general:${token}`);
    general.push(now);
    const inWindow = general.count(now, this.options.burstWindowMs);
    if (inWindow > this.state.counters.busiestWindow) this.state.counters.busiestWindow = inWindow;
    if (search) this.window(`search:${token}`).push(now);
  }

  charge(tokens: number, isWrite: boolean): void {
    this.state.budgetSpent += tokens;
    if (isWrite) this.state.writesToday += 1;
  }

  /** The six headers of reference §3.4. */
  headers(now: number, token: string, search: boolean, method: string): Record<string, string> {
    const o = this.options;
    const w = this.window(`${search ? 'search' : 'general'}:${token}`);
    const limit = search ? o.searchBurstLimit : o.burstLimit;
    const used = w.count(now, o.burstWindowMs);
    const oldest = w.oldest();
    const reset =
      oldest === undefined
        ? o.burstWindowMs / 1000
        : Math.max(0, Math.ceil((oldest + o.burstWindowMs - now) / 1000));
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(reset),
      'x-daily-ratelimit-token-limit': String(o.dailyBudget),
      'x-daily-ratelimit-token-remaining': String(Math.max(0, o.dailyBudget - this.state.budgetSpent)),
    };
    if (method === 'POST' || method === 'PUT' || method === 'PATCH')
      headers['x-daily-requests-left'] = String(Math.max(0, DAILY_WRITE_REQUESTS - this.state.writesToday));
    return headers;
  }

  /** Forget burst windows and blocks (admin reset). */
  clear(): void {
    this.windows.clear();
    this.blockedUntil = 0;
  }
}

function secondsToMidnight(now: number): number {
  return Math.max(1, Math.ceil((Math.floor(now / DAY_MS + 1) * DAY_MS - now) / 1000));
}
