import { clientFromEnv, type PipedriveClient } from '../pipedrive/index.ts';
import type { WorkspaceSession } from '../run/session.ts';
import { recordUsage } from '../run/usage.ts';

/**
 * The Pipedrive connection for a command: PIPEDRIVE_BASE_URL or PIPEDRIVE_COMPANY_DOMAIN, and
 * PIPEDRIVE_API_TOKEN, paced for the workspace's plan and seats. What it spends is added to the
 * workspace's usage tally (requests and tokens per day, for the report) when the session closes.
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
    onPause:
      options.onPause ??
      ((until, reason) =>
        process.stderr.write(`\nPaused: ${reason}. Resuming by itself at ${until.toISOString()}.\n`)),
  });
  session.onClose(() => recordUsage(session.store, client.stats().byDay));
  return client;
}
