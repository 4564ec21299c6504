import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { InsufficientScopeError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

import { Random } from '../../backdocket/generate/random.ts';
import { changeSimData, loadSimData, type SimChange, type SimData } from './sim-data.ts';
import { SimOAuthProvider } from './sim-oauth.ts';
import { registerSimTools, type SimBreak } from './sim-tools.ts';

export type SimAuth = 'bearer' | 'oauth';
/** `streamable`: Streamable HTTP at /mcp (and HTTP+SSE at /sse); `sse`: only the older HTTP+SSE, at /mcp. */
export type SimTransport = 'streamable' | 'sse';

export interface BackdocketSimOptions {
  readonly exportDir: string;
  /** 0 picks a free port. Always bound to 127.0.0.1. */
  readonly port?: number | undefined;
  readonly auth?: SimAuth | undefined;
  /** Bearer mode: the token to accept (made up when absent). */
  readonly token?: string | undefined;
  /** Bearer mode: tokens that are valid but lack permission (answered 403). */
  readonly forbiddenTokens?: readonly string[] | undefined;
  readonly transport?: SimTransport | undefined;
  /** Serve document content (default true). */
  readonly documents?: boolean | undefined;
  readonly breaks?: readonly SimBreak[] | undefined;
  /** Share of requests answered 429 (with Retry-After) or 503, and added latency; seeded by `seed`. */
  readonly faults?: SimFaults | undefined;
  readonly seed?: string | undefined;
  /** OAuth mode: lifetime of access tokens (default 3600 s). */
  readonly accessTokenTtlSeconds?: number | undefined;
}

export interface SimFaults {
  readonly rateLimited?: number | undefined;
  readonly unavailable?: number | undefined;
  /** Seconds a 429 asks the client to wait. */
  readonly retryAfterSeconds?: number | undefined;
  readonly latencyMs?: number | undefined;
}

/**
 * One request the server received (before its token or a rehearsal fault is checked): every tools/call
 * is here, so a test can prove what was asked.
 */
export interface SimCall {
  readonly at: string;
  readonly method: string;
  readonly tool?: string | undefined;
  readonly arguments?: Record<string, unknown> | undefined;
}

export interface BackdocketSim {
  /** The MCP endpoint, e.g. `http://127.0.0.1:4321/mcp`. */
  readonly url: string;
  /** Bearer mode: the accepted token. */
  readonly token: string | undefined;
  readonly oauth: SimOAuthProvider | undefined;
  calls(): readonly SimCall[];
  /** Serves another export (or the same one re-read), as if the firm changed its data. */
  reload(exportDir?: string): Promise<void>;
  /** Changes one record, as someone using BackDocket would (stamped modified now). */
  change(change: SimChange): void;
  /** OAuth mode: moves the server's clock on (expires access tokens). */
  advanceClock(seconds: number): void;
  close(): Promise<void>;
}

/**
 * `ferry sim backdocket`: a local BackDocket-like MCP server over a generated (or real) export, built
 * with the official SDK, for tests, the demo and rehearsals. Test-only paths: GET /__sim/calls, POST
 * /__sim/reload, POST /__sim/records (change a record), POST /__sim/clock (no token, loopback only).
 * @example const sim = await startBackdocketSim({ exportDir: './sample-export', token: 'secret-token' })
 */
export async function startBackdocketSim(options: BackdocketSimOptions): Promise<BackdocketSim> {
  let exportDir = resolve(options.exportDir);
  let data: SimData = await loadSimData(exportDir);
  const auth = options.auth ?? 'bearer';
  const token = auth === 'bearer' ? (options.token ?? `bd_${randomBytes(16).toString('hex')}`) : undefined;
  const forbidden = new Set(options.forbiddenTokens ?? []);
  const transport = options.transport ?? 'streamable';
  const breaks = new Set(options.breaks ?? []);
  const calls: SimCall[] = [];
  const state = { getClaimCalls: 0, shifted: false };
  let clockOffsetMs = 0;
  const seed = createHash('sha256')
    .update(`backdocket-sim:${options.seed ?? 'ferry'}`)
    .digest()
    .readUInt32LE(0);
  const generator = new Random(seed);
  const random = () => generator.next();
  const faults = options.faults ?? {};

  const app = createMcpExpressApp({ host: '127.0.0.1' });
  const server: Server = await new Promise((resolveListen, reject) => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', () => resolveListen(listening));
    listening.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const base = new URL(`http://127.0.0.1:${port}/`);
  const mcpUrl = new URL('/mcp', base);

  const newServer = () => {
    const mcp = new McpServer({ name: 'backdocket-sim', version: '1.0.0' }, { capabilities: { tools: {} } });
    registerSimTools(mcp, {
      data: () => data,
      exportDir: () => exportDir,
      documents: options.documents ?? true,
      breaks,
      state,
    });
    return mcp;
  };

  // Test-only paths first: no token, loopback only (the server listens on 127.0.0.1 alone).
  app.get('/__sim/calls', (_req: IncomingMessage, res: ServerResponse & { json(v: unknown): void }) =>
    res.json(calls),
  );
  app.post(
    '/__sim/reload',
    async (
      req: IncomingMessage & { body?: { exportDir?: string } },
      res: ServerResponse & { json(v: unknown): void },
    ) => {
      if (req.body?.exportDir) exportDir = resolve(req.body.exportDir);
      data = await loadSimData(exportDir);
      res.json({ ok: true, claims: data.claims.length });
    },
  );
  app.post(
    '/__sim/clock',
    (
      req: IncomingMessage & { body?: { advanceSeconds?: number } },
      res: ServerResponse & { json(v: unknown): void },
    ) => {
      clockOffsetMs += (req.body?.advanceSeconds ?? 0) * 1000;
      res.json({ ok: true });
    },
  );

  const oauth =
    auth === 'oauth'
      ? new SimOAuthProvider({
          accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
          now: () => Date.now() + clockOffsetMs,
        })
      : undefined;
  if (oauth) {
    app.use(
      mcpAuthRouter({
        provider: oauth,
        issuerUrl: base,
        resourceServerUrl: mcpUrl,
        resourceName: 'BackDocket (rehearsal server)',
        authorizationOptions: { rateLimit: false },
        tokenOptions: { rateLimit: false },
        clientRegistrationOptions: { rateLimit: false },
        revocationOptions: { rateLimit: false },
      }),
    );
  }
  const bearer = requireBearerAuth(
    oauth
      ? { verifier: oauth, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) }
      : {
          verifier: {
            verifyAccessToken: async (presented: string) => {
              if (forbidden.has(presented))
                throw new InsufficientScopeError('this token may not read claims');
              if (presented !== token) throw new InvalidTokenError('unknown token');
              return {
                token: presented,
                clientId: 'bearer',
                scopes: [],
                expiresAt: Math.floor(Date.now() / 1000) + 3600,
              };
            },
          },
        },
  );

  const politeness = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const delay = faults.latencyMs ?? 0;
    const go = () => {
      if (req.method === 'POST' && faults.rateLimited && random() < faults.rateLimited) {
        res.writeHead(429, {
          'retry-after': String(faults.retryAfterSeconds ?? 1),
          'content-type': 'application/json',
        });
        res.end(JSON.stringify({ error: 'rate_limited', message: 'Too many requests' }));
        return;
      }
      if (req.method === 'POST' && faults.unavailable && random() < faults.unavailable) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'unavailable' }));
        return;
      }
      next();
    };
    if (delay > 0) setTimeout(go, delay * (0.5 + random()));
    else go();
  };
  const record = (req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: () => void) => {
    const messages = Array.isArray(req.body) ? req.body : req.body ? [req.body] : [];
    for (const message of messages as {
      method?: string;
      params?: { name?: string; arguments?: Record<string, unknown> };
    }[]) {
      if (!message?.method) continue;
      calls.push({
        at: new Date().toISOString(),
        method: message.method,
        ...(message.method === 'tools/call'
          ? { tool: message.params?.name, arguments: message.params?.arguments ?? {} }
          : {}),
      });
    }
    next();
  };

  const sseSessions = new Map<string, SSEServerTransport>();
  const openSse = async (endpoint: string, res: ServerResponse) => {
    const sse = new SSEServerTransport(endpoint, res);
    sseSessions.set(sse.sessionId, sse);
    res.on('close', () => sseSessions.delete(sse.sessionId));
    await newServer().connect(sse);
  };
  const postSse = async (
    req: IncomingMessage & { body?: unknown; query?: Record<string, string> },
    res: ServerResponse,
  ) => {
    const sse = sseSessions.get(String(req.query?.sessionId ?? ''));
    if (!sse) {
      res.writeHead(404).end('unknown session');
      return;
    }
    await sse.handlePostMessage(req, res, req.body);
  };

  if (transport === 'streamable') {
    // Every request is logged first, refused ones included: the log is the proof of what was asked.
    app.post(
      '/mcp',
      record,
      bearer,
      politeness,
      async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
        const mcp = newServer();
        const http = new StreamableHTTPServerTransport({ enableJsonResponse: true });
        res.on('close', () => {
          void http.close();
          void mcp.close();
        });
        await mcp.connect(http);
        await http.handleRequest(req, res, req.body);
      },
    );
    const notAllowed = (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(405, { allow: 'POST' }).end();
    };
    app.get('/mcp', notAllowed);
    app.delete('/mcp', notAllowed);
    app.get('/sse', bearer, (_req: IncomingMessage, res: ServerResponse) => openSse('/messages', res));
  } else {
    // An older server: POST /mcp is refused, GET /mcp opens the event stream of HTTP+SSE.
    app.post('/mcp', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(405, { allow: 'GET' }).end();
    });
    app.get('/mcp', bearer, (_req: IncomingMessage, res: ServerResponse) => openSse('/messages', res));
  }
  app.post('/messages', record, bearer, politeness, postSse);

  return {
    url: mcpUrl.toString(),
    token,
    oauth,
    calls: () => calls,
    reload: async (dir) => {
      if (dir) exportDir = resolve(dir);
      data = await loadSimData(exportDir);
    },
    change: (change) => {
      data = changeSimData({ data, change, now: Date.now() + clockOffsetMs });
    },
    advanceClock: (seconds) => {
      clockOffsetMs += seconds * 1000;
    },
    close: async () => {
      for (const sse of sseSessions.values()) await sse.close().catch(() => undefined);
      server.closeAllConnections?.();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
