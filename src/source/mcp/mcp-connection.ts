import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type CallToolResult, McpError } from '@modelcontextprotocol/sdk/types.js';
import { FerryError } from '../../core/errors.ts';
import type { McpToolInfo } from './model.ts';
import { networkCode } from './polite-fetch.ts';
import type { JsonValue } from './records-to-tables.ts';

/** How Ferry proves who it is to the server. */
export type McpAuth =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'oauth'; readonly provider: OAuthClientProvider }
  | { readonly kind: 'none' };

/** Where a call belongs in the pull, for error messages (`tool search_claims, table claims, page 3`). */
export interface CallPlace {
  readonly table?: string | undefined;
  readonly page?: number | undefined;
  readonly record?: string | undefined;
}

/** A tool's answer, read: its JSON (structured content, else the text parsed) and any embedded files. */
export interface ToolAnswer {
  readonly json: JsonValue | undefined;
  readonly resources: readonly {
    readonly uri: string;
    readonly mimeType?: string | undefined;
    readonly blob?: string | undefined;
    readonly text?: string | undefined;
  }[];
}

export interface McpConnection {
  /** The server URL as the user gave it (never carries a token: see `assertSafeServerUrl`). */
  readonly server: string;
  readonly transport: 'streamable-http' | 'sse';
  readonly tools: readonly McpToolInfo[];
  /**
   * Restricts every later call to these tools (the plan's read-only tools). A call to any other tool is
   * refused here, before anything is sent: the read-only promise does not rest on the callers alone.
   */
  allowOnly(tools: Iterable<string>): void;
  callTool(
    name: string,
    args: Record<string, JsonValue>,
    place: CallPlace,
    signal?: AbortSignal,
  ): Promise<ToolAnswer>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly server: string;
  readonly auth: McpAuth;
  /** The fetch the transports use (a polite one: back-off, Retry-After). */
  readonly fetch: typeof fetch;
  /** Per call (default 60 s). */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Opens the server with the Streamable HTTP transport, or the older HTTP+SSE transport when the server
 * refuses the first (a 4xx other than 401/403/429), and lists its tools. Errors say which server and
 * what to do: unreachable, TLS, 401/403.
 * @example const connection = await connectMcp({ server: 'https://ai.backdocket.com/mcp', auth, fetch: politeFetch() })
 */
export async function connectMcp(options: ConnectOptions): Promise<McpConnection> {
  const url = assertSafeServerUrl(options.server);
  const timeout = options.timeoutMs ?? 60_000;
  const transportOptions = {
    fetch: options.fetch,
    ...(options.auth.kind === 'bearer'
      ? { requestInit: { headers: { authorization: `Bearer ${options.auth.token}` } } }
      : {}),
    ...(options.auth.kind === 'oauth' ? { authProvider: options.auth.provider } : {}),
  };
  let client = newClient();
  let transport: Transport = new StreamableHTTPClientTransport(url, transportOptions);
  let kind: McpConnection['transport'] = 'streamable-http';
  try {
    await client.connect(transport, { timeout, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || status < 400 || status >= 500 || [401, 403, 429].includes(status)) {
      await client.close().catch(() => undefined);
      throw describeFailure(error, { server: options.server, what: 'connecting' });
    }
    await client.close().catch(() => undefined);
    client = newClient();
    transport = new SSEClientTransport(url, transportOptions);
    kind = 'sse';
    try {
      await client.connect(transport, { timeout, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (sseError) {
      await client.close().catch(() => undefined);
      throw describeFailure(sseError, {
        server: options.server,
        what: `connecting (Streamable HTTP answered ${status}, then HTTP+SSE failed)`,
      });
    }
  }
  const tools: McpToolInfo[] = [];
  try {
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { timeout });
      tools.push(...(page.tools as McpToolInfo[]));
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw describeFailure(error, { server: options.server, what: 'listing its tools' });
  }
  let allowed: ReadonlySet<string> = new Set();
  return {
    server: options.server,
    transport: kind,
    tools,
    allowOnly: (names) => {
      allowed = new Set(names);
    },
    callTool: async (name, args, place, signal) => {
      if (!allowed.has(name)) {
        throw new FerryError(
          'internal',
          `Ferry refused to call '${name}' on ${options.server}: it is not one of the read-only tools of the plan.`,
          {
            code: 'E_MCP_NOT_READ_ONLY',
          },
        );
      }
      let result: CallToolResult;
      // A signal of the call's own, tied to the caller's: the SDK leaves a listener on the signal of
      // every request, which on one long-lived signal would pile up over thousands of calls.
      const call = new AbortController();
      const abort = () => call.abort(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      try {
        result = (await client.callTool({ name, arguments: args }, undefined, {
          timeout,
          signal: call.signal,
        })) as CallToolResult;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw describeFailure(error, { server: options.server, what: `calling ${name}${where(place)}` });
      } finally {
        signal?.removeEventListener('abort', abort);
      }
      return readAnswer(result, { server: options.server, tool: name, place });
    },
    close: async () => {
      await client.close().catch(() => undefined);
    },
  };
}

function newClient(): Client {
  return new Client({ name: 'ferry', version: '0.1.0' }, { capabilities: {} });
}

/**
 * The server URL, checked: https, or http on a loopback address (a token must not cross a network in the
 * clear), with no user name, password or query string (where a token could hide and be written down).
 */
export function assertSafeServerUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new FerryError(
      'config',
      `'${server}' is not a URL. Give the MCP server's address, e.g. https://ai.backdocket.com/mcp.`,
      {
        code: 'E_MCP_URL',
      },
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new FerryError(
      'config',
      `${url.origin} is not https: Ferry sends credentials only over https (or http to this machine, 127.0.0.1).`,
      {
        code: 'E_MCP_URL',
      },
    );
  if (url.username || url.password || url.search)
    throw new FerryError(
      'config',
      `Give the server URL without a user name, password or query string (${url.origin}${url.pathname}); the token goes in BACKDOCKET_TOKEN or \`ferry source login\`.`,
      {
        code: 'E_MCP_URL',
      },
    );
  return url;
}

function where(place: CallPlace): string {
  const parts = [
    place.table ? `table ${place.table}` : '',
    place.page !== undefined ? `page ${place.page + 1}` : '',
    place.record ? `record ${place.record}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The answer's JSON: `structuredContent`, else its text content parsed; `isError` and bad JSON fail. */
function readAnswer(
  result: CallToolResult,
  context: { server: string; tool: string; place: CallPlace },
): ToolAnswer {
  const label = `${context.tool}${where(context.place)} on ${context.server}`;
  const texts = (result.content ?? [])
    .filter((item) => item.type === 'text')
    .map((item) => (item as { text: string }).text);
  if (result.isError) {
    throw new FerryError(
      'terminal',
      `${label} answered with an error: ${clip(texts.join(' ') || 'no message').replace(/[.!\s]+$/, '')}. Nothing from this pull was stored as extracted; check the server (or this tool's arguments in source.yaml) and run again.`,
      {
        code: 'E_MCP_TOOL_ERROR',
        details: { tool: context.tool, ...context.place },
      },
    );
  }
  const resources = (result.content ?? [])
    .filter((item) => item.type === 'resource')
    .map((item) => (item as { resource: ToolAnswer['resources'][number] }).resource);
  if (result.structuredContent !== undefined)
    return { json: result.structuredContent as JsonValue, resources };
  if (texts.length === 0) return { json: undefined, resources };
  const parsed = texts.map((text, index) => {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (error) {
      const truncated = /end of (json )?input|unterminated/i.test((error as Error).message);
      throw new FerryError(
        'terminal',
        `${label} answered ${truncated ? 'truncated' : 'malformed'} JSON${texts.length > 1 ? ` (text part ${index + 1})` : ''}: ${(error as Error).message} — it begins "${clip(text, 60)}". Nothing from this pull was stored as extracted; run again, and tell the server's owner if it persists.`,
        { code: 'E_MCP_BAD_JSON', details: { tool: context.tool, ...context.place } },
      );
    }
  });
  if (parsed.length === 1) return { json: parsed[0], resources };
  return { json: parsed.every(Array.isArray) ? (parsed.flat() as JsonValue) : parsed, resources };
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function httpStatus(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError || error instanceof SseError) return error.code ?? undefined;
  return undefined;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS|DEPTH_ZERO|HOSTNAME/i;

/** A failure to talk to the server as a FerryError that names the server and says what to do. */
export function describeFailure(error: unknown, context: { server: string; what: string }): FerryError {
  if (error instanceof FerryError) return error;
  const { server, what } = context;
  const status = httpStatus(error);
  if (error instanceof UnauthorizedError || status === 401) {
    return new FerryError(
      'config',
      `${server} refused Ferry's credentials (401) while ${what}. Set BACKDOCKET_TOKEN to a valid token, or sign in with \`ferry source login\`.`,
      {
        code: 'E_MCP_UNAUTHORIZED',
        cause: error,
      },
    );
  }
  if (status === 403) {
    return new FerryError(
      'config',
      `${server} answered 403 (forbidden) while ${what}: the account behind the token may not read this data. Ask the firm's BackDocket administrator for read access, then run again.`,
      {
        code: 'E_MCP_FORBIDDEN',
        cause: error,
      },
    );
  }
  if (status === 429 || status === 503 || status === 502 || status === 504) {
    return new FerryError(
      'transient',
      `${server} kept answering ${status} while ${what}, after Ferry waited and retried. Run the same command again later: what was stored is kept.`,
      {
        code: 'E_MCP_BUSY',
        cause: error,
      },
    );
  }
  const code = networkCode(error);
  if (code && TLS_CODES.test(code)) {
    return new FerryError(
      'config',
      `TLS error talking to ${server} (${code}) while ${what}: its certificate is not trusted. If your firm inspects TLS with its own certificate authority, point NODE_EXTRA_CA_CERTS at that certificate; otherwise check the URL.`,
      {
        code: 'E_MCP_TLS',
        cause: error,
      },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new FerryError(
      'config',
      `${server} cannot be found (${code}) while ${what}. Check the URL in ferry.yaml and the network.`,
      {
        code: 'E_MCP_UNREACHABLE',
        cause: error,
      },
    );
  }
  if (code) {
    return new FerryError(
      'transient',
      `${server} cannot be reached (${code}) while ${what}. Check that the server is up and the URL in ferry.yaml, then run again: what was stored is kept.`,
      {
        code: 'E_MCP_UNREACHABLE',
        cause: error,
      },
    );
  }
  if (error instanceof McpError) {
    return new FerryError(
      'transient',
      `${server} failed while ${what}: ${clip(error.message)}. Run the same command again: what was stored is kept.`,
      {
        code: 'E_MCP_PROTOCOL',
        cause: error,
      },
    );
  }
  if (status !== undefined) {
    return new FerryError(
      'terminal',
      `${server} answered HTTP ${status} while ${what}. Check the URL (it should be the server's MCP endpoint, e.g. https://host/mcp).`,
      {
        code: 'E_MCP_HTTP',
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FerryError(
    'transient',
    `${server} failed while ${what}: ${clip(message)}. Run the same command again: what was stored is kept.`,
    {
      code: 'E_MCP_FAILED',
      cause: error,
    },
  );
}
