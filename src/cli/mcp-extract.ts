import type { Clock } from '../core/clock.ts';
import { extractFromMcp, type McpExtractResult, openMcpSource } from '../source/mcp/index.ts';
import type { FetchEvents } from '../source/mcp/polite-fetch.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { Output } from './output.ts';

/**
 * The MCP branch of `ferry extract` (and of `ferry migrate --delta` on an MCP workspace): connects,
 * plans, pulls with progress per table, and returns the extraction. The connection is closed after.
 */
export async function pullFromMcp(input: {
  workspace: Workspace;
  store: SqliteStore;
  out: Output;
  changedOnly: boolean;
  signal?: AbortSignal | undefined;
  clock?: Clock | undefined;
}): Promise<McpExtractResult & { fetch: FetchEvents; seconds: number }> {
  const { out } = input;
  const events: FetchEvents = { retries: 0, rateLimited: 0, waitedMs: 0 };
  const started = Date.now();
  const source = await openMcpSource({ workspace: input.workspace, signal: input.signal, events });
  try {
    if (!out.json)
      out.note(
        `Pulling from ${source.connection.server} (${source.connection.transport}, ${source.plan.tables.length} tables)`,
      );
    let lastLine = 0;
    const result = await extractFromMcp({
      store: input.store,
      connection: source.connection,
      plan: source.plan,
      documentsDir: input.workspace.sourceDir,
      changedOnly: input.changedOnly,
      signal: input.signal,
      clock: input.clock,
      onProgress: (progress) => {
        if (out.json) return;
        // Plain output: a line per table at most every 2 s (a TTY redraws one line).
        const now = Date.now();
        if (!out.interactive && now - lastLine < 2000 && progress.phase === 'list' && progress.records > 0)
          return;
        lastLine = now;
        if (progress.phase === 'commit')
          out.progress('extract: writing the pulled tables into the workspace store');
        else if (progress.phase === 'documents')
          out.progress(`extract: documents ${progress.records}/${progress.total ?? '?'} downloaded`);
        else
          out.progress(
            `extract: ${progress.table} ${progress.records.toLocaleString('en-US')}${progress.total !== null ? `/${progress.total.toLocaleString('en-US')}` : ''} records, ${progress.pages} pages, ${Math.round(progress.rate)} records/s`,
          );
      },
    });
    out.endProgress();
    return { ...result, fetch: events, seconds: (Date.now() - started) / 1000 };
  } finally {
    await source.connection.close();
  }
}

/** The summary lines of an MCP pull, after the inventory table. */
export function describePull(result: McpExtractResult & { fetch: FetchEvents; seconds: number }): string[] {
  const lines: string[] = [];
  const calls = result.calls.list + result.calls.detail + result.calls.documents;
  lines.push(
    `${result.resumed ? 'Resumed an interrupted pull: ' : ''}${calls} tool calls (${result.calls.list} listing pages, ${result.calls.detail} detail, ${result.calls.documents} document) in ${result.seconds.toFixed(1)} s` +
      (result.fetch.retries > 0
        ? `; ${result.fetch.retries} retried (${result.fetch.rateLimited} rate-limited, ${(result.fetch.waitedMs / 1000).toFixed(1)} s waited)`
        : ''),
  );
  if (result.changedSince)
    lines.push(
      `Only records changed since ${result.changedSince.since} were pulled from: ${result.changedSince.tables.join(', ') || '(no listing offers a modified-since filter)'}; the other tables were read in full.`,
    );
  const docs = result.documents;
  if (docs.table) {
    lines.push(
      docs.available
        ? `Documents: ${docs.downloaded} downloaded into the workspace${docs.unavailable > 0 ? `, ${docs.unavailable} not available (${docs.reason})` : ''}.`
        : `Documents: ${docs.unavailable} listed but not available from this source (${docs.reason}); the report lists them.`,
    );
  }
  return lines;
}
