import { clientFromEnv, type PipedriveClient } from '../pipedrive/index.ts';
import type { WorkspaceSession } from '../run/session.ts';
import { recordDailyLimit, recordUsage } from '../run/usage.ts';

/**
 * The Pipedrive connection for a command: PIPEDRIVE_BASE_URL or PIPEDRIVE_COMPANY_DOMAIN, and
 * PIPEDRIVE_API_TOKEN, paced for the workspace's plan and seats. What it spends is added to the
 * workspace's usage tally (requests and tokens per day, for the report) when the session closes, with the
 * daily token limit the account's headers stated (for `ferry plan`).
 */
export function connectPipedrive(
  session: WorkspaceSession,
  env: NodeJS.ProcessEnv = process.env,
  options: { onPause?: (until: Date, reason: string) => void } = {},
): PipedriveClient {
  const { workspace } = session;
  const client = clientFromEnv(env, {
    plan: workspace.config.pipedrive.plan,
    seats: workspace.config.pipedrive.seats,
    burstLimit: workspace.config.pipedrive.burstLimit,
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
    const dailyLimit = client.scheduler.dailyLimitSeen;
    if (dailyLimit !== undefined) recordDailyLimit(session.store, dailyLimit, new Date());
  };
  flushers.set(client, flush);
  session.onClose(flush);
  return client;
}

const flushers = new WeakMap<PipedriveClient, () => void>();

/** Adds what the client spent so far to the usage tally now (the report reads it). */
export function flushUsage(client: PipedriveClient): void {
  flushers.get(client)?.();
}
