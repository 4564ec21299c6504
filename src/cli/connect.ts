import { clientFromEnv, type PipedriveClient, pipedriveAccountOf } from '../pipedrive/index.ts';
import { type AccountLimits, startingLimits, withStatedLimits } from '../plan/account-limits.ts';
import type { WorkspaceSession } from '../run/session.ts';
import {
  readBurstLimit,
  readDailyLimit,
  recordBurstLimit,
  recordDailyLimit,
  recordUsage,
} from '../run/usage.ts';

/**
 * The Pipedrive connection for a command: PIPEDRIVE_BASE_URL or PIPEDRIVE_COMPANY_DOMAIN, and
 * PIPEDRIVE_API_TOKEN, paced from the limits the same account stated to an earlier command (else the
 * workspace's plan and seats), then from what its answers state, under `pipedrive.maxRequestsPerSecond`.
 * What it spends is added to the workspace's usage tally (requests and tokens per day, for the report)
 * when the session closes, with the burst and daily limits the account's answers stated (for the next
 * command and `ferry plan`).
 */
export function connectPipedrive(
  session: WorkspaceSession,
  env: NodeJS.ProcessEnv = process.env,
  options: { onPause?: (until: Date, reason: string) => void } = {},
): PipedriveClient {
  const { workspace } = session;
  const config = workspace.config.pipedrive;
  const account = pipedriveAccountOf(env);
  const start = startingLimits({
    plan: config.plan,
    seats: config.seats,
    burstLimit: config.burstLimit,
    maxRequestsPerSecond: config.maxRequestsPerSecond,
    remembered: { burst: readBurstLimit(session.store), daily: readDailyLimit(session.store) },
    account,
  });
  const client = clientFromEnv(env, {
    plan: config.plan,
    seats: config.seats,
    burstLimit: start.burst.requestsPer2s,
    searchLimit: start.burst.searchRequestsPer2s,
    dailyBudget: start.daily.tokens,
    maxRequestsPerSecond: config.maxRequestsPerSecond,
    onPause:
      options.onPause ??
      ((until, reason) =>
        process.stderr.write(`\nPaused: ${reason}. Resuming by itself at ${until.toISOString()}.\n`)),
  });
  let flushed: Record<string, { requests: number; tokens: number }> = {};
  const flush = () => {
    const now = client.stats().byDay;
    const delta = Object.fromEntries(
      Object.entries(now).map(([day, spent]) => [
        day,
        {
          requests: spent.requests - (flushed[day]?.requests ?? 0),
          tokens: spent.tokens - (flushed[day]?.tokens ?? 0),
        },
      ]),
    );
    recordUsage(session.store, delta);
    flushed = structuredClone(now);
    rememberStatedLimits(session, accountLimitsOf(client));
  };
  starts.set(client, { limits: start, account });
  flushers.set(client, flush);
  session.onClose(flush);
  return client;
}

const flushers = new WeakMap<PipedriveClient, () => void>();
const starts = new WeakMap<PipedriveClient, { limits: AccountLimits; account: string | undefined }>();

/**
 * The account's limits as a connection knows them now: what its answers stated, else what it started from
 * (remembered from an earlier command, or the plan guess), with where each came from.
 */
export function accountLimitsOf(client: PipedriveClient): AccountLimits {
  const start = starts.get(client);
  if (!start) throw new Error('accountLimitsOf: not a connection made by connectPipedrive');
  const live = client.scheduler.accountLimits;
  return withStatedLimits(
    start.limits,
    {
      requests: live.stated.general,
      searchRequests: live.stated.search,
      statedAt: live.statedAt,
      dailyTokens: live.dailyLimit,
      dailyAt: live.dailyLimitAt,
    },
    start.account,
  );
}

/** Keeps the limits this command's answers stated, so the next command starts from them. */
function rememberStatedLimits(session: WorkspaceSession, limits: AccountLimits): void {
  const { burst, daily, account } = limits;
  if (burst.source === 'account' && burst.seenAt) {
    recordBurstLimit(session.store, {
      requests: burst.requestsPer2s,
      searchRequests: burst.searchRequestsPer2s,
      seenAt: burst.seenAt,
      account,
    });
  }
  if (daily.source === 'account' && daily.seenAt) {
    recordDailyLimit(session.store, { tokens: daily.tokens, seenAt: daily.seenAt, account });
  }
}

/** Adds what the client spent so far to the usage tally now (the report reads it). */
export function flushUsage(client: PipedriveClient): void {
  flushers.get(client)?.();
}
