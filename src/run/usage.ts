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

/** The account's daily token limit as Pipedrive last stated it, for `ferry plan`. */
export interface DailyLimitSeen {
  readonly tokens: number;
  readonly seenAt: string;
}

export function recordDailyLimit(store: SqliteStore, tokens: number, seenAt: Date): void {
  store.setMeta('pipedrive.daily_token_limit', JSON.stringify({ tokens, seenAt: seenAt.toISOString() }));
}

export function readDailyLimit(store: SqliteStore): DailyLimitSeen | undefined {
  const text = store.getMeta('pipedrive.daily_token_limit');
  return text ? (JSON.parse(text) as DailyLimitSeen) : undefined;
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
