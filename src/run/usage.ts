import type { RememberedBurstLimit, RememberedDailyLimit } from '../plan/account-limits.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

/** Requests and tokens spent, per UTC day. */
export interface Usage {
  readonly requests: number;
  readonly tokens: number;
  readonly byDay: readonly { day: string; requests: number; tokens: number }[];
}

/** Adds a command's spending (from the client's stats) to the workspace's running total. */
export function recordUsage(
  store: SqliteStore,
  byDay: Readonly<Record<string, { requests: number; tokens: number }>>,
): void {
  const current = readUsage(store);
  const days = new Map(current.byDay.map((day) => [day.day, { ...day }]));
  for (const [day, spent] of Object.entries(byDay)) {
    const entry = days.get(day) ?? { day, requests: 0, tokens: 0 };
    entry.requests += spent.requests;
    entry.tokens += spent.tokens;
    days.set(day, entry);
  }
  const sorted = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  store.setMeta('usage', JSON.stringify(sorted));
}

/** The account's daily token limit as Pipedrive last stated it, for `ferry plan` and the next command. */
export function recordDailyLimit(store: SqliteStore, limit: RememberedDailyLimit): void {
  store.setMeta('pipedrive.daily_token_limit', JSON.stringify(limit));
}

export function readDailyLimit(store: SqliteStore): RememberedDailyLimit | undefined {
  return readRemembered<RememberedDailyLimit>(store, 'pipedrive.daily_token_limit', 'tokens');
}

/** The account's burst limit as Pipedrive last stated it: the next command paces from it. */
export function recordBurstLimit(store: SqliteStore, limit: RememberedBurstLimit): void {
  store.setMeta('pipedrive.burst_limit', JSON.stringify(limit));
}

export function readBurstLimit(store: SqliteStore): RememberedBurstLimit | undefined {
  return readRemembered<RememberedBurstLimit>(store, 'pipedrive.burst_limit', 'requests');
}

/** A remembered limit, or undefined when there is none or it is not what Ferry wrote (then it is guessed again). */
function readRemembered<T extends { seenAt: string }>(
  store: SqliteStore,
  key: string,
  amount: keyof T & string,
): T | undefined {
  const text = store.getMeta(key);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const positive = typeof value[amount] === 'number' && (value[amount] as number) > 0;
    return positive && typeof value.seenAt === 'string' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function readUsage(store: SqliteStore): Usage {
  const text = store.getMeta('usage');
  const byDay = text ? (JSON.parse(text) as { day: string; requests: number; tokens: number }[]) : [];
  return {
    requests: byDay.reduce((sum, day) => sum + day.requests, 0),
    tokens: byDay.reduce((sum, day) => sum + day.tokens, 0),
    byDay,
  };
}
