import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../../core/errors.ts';
import { formatIssueLocation, type Issue } from '../../core/issues.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { CredentialStore } from './credentials.ts';
import { connectMcp, type McpAuth, type McpConnection } from './mcp-connection.ts';
import type { ReadPlan } from './model.ts';
import { StoredOAuthProvider } from './oauth.ts';
import { type FetchEvents, politeFetch } from './polite-fetch.ts';
import { assembleReadPlan } from './read-plan.ts';
import { parseSourceConfig } from './source-config.ts';

/** An MCP source, connected and planned. Close the connection when done. */
export interface OpenedMcpSource {
  readonly connection: McpConnection;
  readonly plan: ReadPlan;
  /** Problems of the plan (source.yaml errors, no record tools); `openMcpSource` throws on errors unless told. */
  readonly problems: readonly Issue[];
  /** How Ferry authenticated: a bearer token from BACKDOCKET_TOKEN, stored OAuth credentials, or none. */
  readonly auth: McpAuth['kind'];
  /** The source.yaml read, if the workspace has one. */
  readonly sourceConfigPath: string | undefined;
}

/**
 * Connects to the workspace's MCP server with the credentials at hand (BACKDOCKET_TOKEN, else what
 * `ferry source login` stored, else none) and assembles the read plan from its tools and `source.yaml`.
 * Errors in source.yaml, or a server with no tool that lists records, stop here (exit 2) unless
 * `tolerateProblems` (for `ferry source inspect`, which shows them).
 */
export async function openMcpSource(input: {
  workspace: Workspace;
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
  events?: FetchEvents | undefined;
  tolerateProblems?: boolean | undefined;
}): Promise<OpenedMcpSource> {
  const { workspace } = input;
  const env = input.env ?? process.env;
  const server = workspace.sourceUrl;
  if (!server) {
    throw new FerryError(
      'config',
      `This workspace's source is an export folder (${workspace.sourceDir}), not an MCP server.`,
      {
        code: 'E_NOT_MCP_SOURCE',
      },
    );
  }
  const configPath = join(workspace.dir, 'source.yaml');
  const parsed = existsSync(configPath) ? parseSourceConfig(readFileSync(configPath, 'utf8')) : undefined;
  if (parsed && parsed.errors.length > 0) throw configErrors(parsed.errors);
  const auth = resolveAuth({ server, env, workspaceDir: workspace.dir });
  const timeoutMs = Number(env.FERRY_REQUEST_TIMEOUT_MS) > 0 ? Number(env.FERRY_REQUEST_TIMEOUT_MS) : 60_000;
  const connection = await connectMcp({
    server,
    auth,
    fetch: politeFetch({ events: input.events }),
    timeoutMs,
    signal: input.signal,
  });
  const { plan, problems } = assembleReadPlan({
    tools: connection.tools,
    config: parsed?.config,
    lineOf: parsed?.lineOf,
  });
  if (!input.tolerateProblems && problems.some((problem) => problem.severity === 'error')) {
    await connection.close();
    throw configErrors(
      problems.filter((problem) => problem.severity === 'error'),
      server,
    );
  }
  return { connection, plan, problems, auth: auth.kind, sourceConfigPath: parsed ? configPath : undefined };
}

/** The credentials to use: BACKDOCKET_TOKEN first, then a stored OAuth sign-in, else none. */
export function resolveAuth(input: {
  server: string;
  env: NodeJS.ProcessEnv;
  workspaceDir: string;
}): McpAuth {
  const token = input.env.BACKDOCKET_TOKEN?.trim();
  if (token) return { kind: 'bearer', token };
  const store = new CredentialStore({ env: input.env });
  const stored = store.get(input.server);
  if (stored?.tokens || stored?.client) {
    store.assertOutside(input.workspaceDir);
    return { kind: 'oauth', provider: new StoredOAuthProvider({ server: input.server, store }) };
  }
  return { kind: 'none' };
}

function configErrors(errors: readonly Issue[], server?: string): FerryError {
  const lines = errors.map(
    (issue) => `  ${formatIssueLocation(issue) ? `${formatIssueLocation(issue)}: ` : ''}${issue.message}`,
  );
  const none = errors.some((issue) => issue.code === 'no_record_tools');
  return new FerryError(
    'config',
    none && server
      ? `${server}: ${errors.map((issue) => issue.message).join(' ')}`
      : `source.yaml is not valid:\n${lines.join('\n')}\nFix it (README.md, "MCP sources") and run again.`,
    { code: none ? 'E_MCP_NO_RECORD_TOOLS' : 'E_SOURCE_YAML_INVALID' },
  );
}
