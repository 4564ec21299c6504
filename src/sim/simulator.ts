import { type Clock, systemClock } from '../core/clock.ts';
import { SPEC_TOKEN_COSTS } from '../pipedrive/token-costs.generated.ts';
import { adminRoutes } from './admin.ts';
import type { SimContext } from './context.ts';
import { FaultInjector, type FaultKind, type FaultSpec, parseFaultSpec } from './faults.ts';
import { SimHttpError, type SimResult, UNAUTHORIZED_BODY, v1Error } from './http.ts';
import { PLAN_BURST, PLAN_MULTIPLIER, type ResolvedSimOptions, type SimOptions } from './options.ts';
import { hex40 } from './random.ts';
import { RateLimiter } from './rate-limiter.ts';
import { type HttpMethod, type RouteMatch, Router } from './router.ts';
import { fieldRoutes } from './routes/fields.ts';
import { fileRoutes } from './routes/files.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { recentsRoutes } from './routes/recents.ts';
import { searchRoutes } from './routes/search.ts';
import { v1EntityRoutes } from './routes/v1-entities.ts';
import { v2EntityRoutes } from './routes/v2-entities.ts';
import { createInitialState } from './seed-data.ts';
import { INT_COLLECTIONS, type SimState } from './state.ts';
import { anyTimeToMs, DAY_MS } from './time.ts';

/**
 * How one request ends: a response, a reset connection, silence until the client gives up, or a response
 * whose body is cut off halfway (the connection drops mid-stream).
 */
export type SimOutcome =
  | { readonly kind: 'response'; readonly response: Response }
  | { readonly kind: 'cut'; readonly response: Response }
  | { readonly kind: 'reset' }
  | { readonly kind: 'timeout' };

/**
 * A stateful fake Pipedrive account. `fetch` answers like the real API over a socket would, so clients can
 * take `(input, init) => simulator.fetch(new Request(input, init))` as their fetch.
 * @example const sim = createSimulator({ plan: 'growth', seats: 5, seed: 1 }); await sim.fetch(new Request(url))
 */
export interface Simulator {
  readonly token: string;
  readonly options: ResolvedSimOptions;
  /** The account; replaced by `reset()`. */
  readonly state: SimState;
  fetch(request: Request): Promise<Response>;
  /** What the HTTP server uses: the outcome without turning resets/timeouts into rejections. */
  handle(request: Request): Promise<SimOutcome>;
  /** Simulated now (epoch ms): the clock plus POST /__sim/clock advances. */
  now(): number;
  advanceClock(ms: number): void;
  setFaults(spec: string | FaultSpec): void;
  /** Replace the accepted token (or revoke it with null) to test 401 mid-run. */
  setToken(token: string | null): void;
  /** Back to a fresh account with the same seed (clock advances are kept). */
  reset(): void;
  /** Everything /__sim/state shows. */
  snapshot(): unknown;
  /** Serialised state for `--state FILE`. */
  serialize(): string;
}

export function resolveOptions(options: SimOptions): ResolvedSimOptions {
  const plan = options.plan ?? 'growth';
  const seats = options.seats ?? 5;
  const seed = String(options.seed ?? 'ferry');
  const abuse =
    options.abuse === false
      ? false
      : {
          threshold: options.abuse?.threshold ?? 100,
          windowMs: options.abuse?.windowMs ?? 10_000,
          blockMs: options.abuse?.blockMs ?? 60_000,
        };
  return {
    plan,
    seats,
    seed,
    token: options.token ?? hex40(seed, 'api-token'),
    rateLimits: options.rateLimits ?? true,
    burstLimit: options.burstLimit ?? PLAN_BURST[plan],
    searchBurstLimit: options.searchBurstLimit ?? 10,
    burstWindowMs: options.burstWindowMs ?? 2000,
    dailyBudget: options.dailyBudget ?? 30_000 * PLAN_MULTIPLIER[plan] * seats,
    abuse,
    chargeFailedRequests: options.chargeFailedRequests ?? true,
    chargeRateLimited: options.chargeRateLimited ?? true,
    addTimePolicy: options.addTimePolicy ?? 'honour',
    deletedGet: options.deletedGet ?? 'found',
    purgeAfterDays: options.purgeAfterDays ?? 30,
    companyDomain: options.companyDomain ?? `sim-${hex40(seed, 'domain').slice(0, 6)}`,
    defaultCurrency: options.defaultCurrency ?? 'USD',
    tokenUserAdmin: options.tokenUserAdmin ?? true,
    searchIndexDelayMs: options.searchIndexDelayMs ?? 0,
  };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Fallback costs for routes the spec no longer lists (v1 generic table, reference §3.2). */
function costOf(match: RouteMatch): number {
  if (match.def.cost !== undefined) return match.def.cost;
  const spec = SPEC_TOKEN_COSTS[match.operation];
  if (spec !== undefined) return spec;
  const v2 = match.operation.includes('/api/v2/');
  const method = match.def.method;
  const single = /\{[^}]+\}$/.test(match.operation);
  const base = method === 'GET' ? (single ? 2 : 20) : method === 'DELETE' ? 6 : 10;
  return v2 ? Math.ceil(base / 2) : base;
}

export function createSimulator(input: SimOptions = {}): Simulator {
  const options = resolveOptions(input);
  const clock: Clock = input.clock ?? systemClock;
  let token: string | null = options.token;
  let state: SimState = input.state ?? createInitialState(options, input.users, clock.now());
  let limiter = new RateLimiter(options, state);
  const faults = new FaultInjector(
    typeof input.faults === 'string' ? parseFaultSpec(input.faults) : (input.faults ?? {}),
    options.seed,
  );
  const router = new Router();
  for (const route of [
    ...v2EntityRoutes(),
    ...pipelineRoutes(),
    ...fieldRoutes(),
    ...searchRoutes(),
    ...v1EntityRoutes(),
    ...fileRoutes(),
    ...recentsRoutes(),
  ]) {
    router.add(route);
  }
  let lastPurgeDay = -1;
  /** Until when a drawn `403` fault keeps answering Cloudflare's block page (simulated ms). */
  let faultBlockedUntil = 0;

  const now = () => clock.now() + state.clockOffsetMs;

  /** Deleted records older than purgeAfterDays disappear for good; checked once per simulated day. */
  function purge(at: number): void {
    const day = Math.floor(at / DAY_MS);
    if (day === lastPurgeDay) return;
    lastPurgeDay = day;
    const cutoff = at - options.purgeAfterDays * DAY_MS;
    for (const name of INT_COLLECTIONS) {
      for (const [id, rec] of state.int[name]) {
        const gone =
          rec.is_deleted === true ||
          (name === 'files' && rec.active_flag === false) ||
          (name === 'notes' && rec.active_flag === false);
        if (gone && (anyTimeToMs(rec.update_time) ?? at) < cutoff) {
          state.int[name].delete(id);
          if (name === 'files') state.fileBytes.delete(id);
        }
      }
    }
  }

  const sim: Simulator = {
    get token() {
      return token ?? '';
    },
    options,
    get state() {
      return state;
    },
    now,
    advanceClock(ms: number) {
      state.clockOffsetMs += ms;
      purge(now());
    },
    setFaults(spec) {
      faults.spec = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
    },
    setToken(next) {
      token = next;
    },
    reset() {
      const offset = state.clockOffsetMs;
      state = createInitialState(options, input.users, clock.now());
      state.clockOffsetMs = offset;
      limiter = new RateLimiter(options, state);
      lastPurgeDay = -1;
    },
    snapshot: () => adminRoutes.snapshot(sim),
    serialize: () => JSON.stringify(state.toJSON()),
    async handle(request) {
      const url = new URL(request.url);
      let path = url.pathname.replace(/\/+$/, '') || '/';
      if (path.startsWith('/__sim/'))
        return { kind: 'response', response: await adminRoutes.handle(sim, request, path) };
      if (path.startsWith('/v1/')) path = `/api${path}`;
      const method = request.method.toUpperCase();
      const isWrite = WRITE_METHODS.has(method);
      const fault = faults.draw(isWrite);
      const { inbound, processing } = splitLatency(faults.latencyMs());
      if (inbound > 0) await clock.sleep(inbound, request.signal);
      if (fault === 'timeout' || fault === 'reset') {
        countFault(fault);
        if (processing > 0) await clock.sleep(processing, request.signal);
        return { kind: fault };
      }
      const outcome = await respond(request, url, path, method, isWrite, fault);
      if (processing > 0) await clock.sleep(processing, request.signal);
      // The work is done and the answer is ready, but it takes longer than a client waits.
      if (fault === 'slow') {
        countFault(fault);
        await clock.sleep(faults.slowMs, request.signal);
      }
      return outcome;
    },
    async fetch(request) {
      if (request.signal.aborted) throw request.signal.reason;
      const outcome = await sim.handle(request);
      if (outcome.kind === 'response') return outcome.response;
      if (outcome.kind === 'cut') return cutMidStream(outcome.response);
      if (outcome.kind === 'reset') {
        const cause = Object.assign(new Error('read ECONNRESET'), {
          code: 'ECONNRESET',
          errno: -104,
          syscall: 'read',
        });
        throw new TypeError('fetch failed', { cause });
      }
      // Like a server that never answers: only the caller's signal ends the wait.
      return new Promise<Response>((_, reject) => {
        const signal = request.signal;
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };

  async function respond(
    request: Request,
    url: URL,
    path: string,
    method: string,
    isWrite: boolean,
    fault: FaultKind,
  ): Promise<SimOutcome> {
    const at = now();
    purge(at);
    const match = router.match(method, path);
    const operation = match?.operation ?? `${method} (unknown path)`;
    const search = match?.def.search === true;
    const presented = presentedToken(request, url);
    if (token === null || presented !== token) {
      return finish(
        { status: 401, body: UNAUTHORIZED_BODY, headers: { 'x-401-by-gw': 'true' } },
        operation,
        0,
        {},
      );
    }
    // Cloudflare's escalation, drawn as a fault: this request and the account's next ones for a while.
    if (fault === '403') faultBlockedUntil = at + faults.blockMs;
    if (at < faultBlockedUntil) {
      countFault('403');
      return finish(cloudflarePage(), operation, 0, {});
    }
    // A gateway 429 that carries none of the rate-limit headers (nor Retry-After): the client must guess.
    if (fault === '429') {
      countFault(fault);
      return finish(
        { status: 429, body: v1Error(429, 'Rate limit has been exceeded').body },
        operation,
        0,
        {},
      );
    }
    const verdict = limiter.check(at, presented, search);
    if (verdict.kind === 'blocked') return finish(cloudflarePage(), operation, 0, {});
    if (verdict.kind !== 'ok') {
      // A burst 429 still costs its tokens (the safe reading); an empty budget has nothing left to charge.
      const charged = verdict.kind === 'burst' && options.chargeRateLimited && match ? costOf(match) : 0;
      limiter.charge(charged, false);
      const headers = {
        ...limiter.headers(at, presented, search, method),
        'retry-after': String(verdict.retryAfterSec),
      };
      const error =
        verdict.kind === 'budget' ? 'Daily API token budget exceeded' : 'Rate limit has been exceeded';
      return finish({ status: 429, body: { ...v1Error(429, error).body }, headers }, operation, charged, {});
    }
    limiter.admit(at, presented, search);
    const limitHeaders = () => {
      const headers = limiter.headers(at, presented, search, method);
      // The query form is undocumented today; flag it so client tests notice it being used.
      if (url.searchParams.has('api_token'))
        headers['x-sim-deprecation'] = 'api_token query parameter; send x-api-token';
      return headers;
    };
    if (!match) {
      const status = router.hasPath(path) ? 405 : 404;
      const body = v1Error(
        status,
        status === 405 ? 'Method not allowed' : `Unknown method ${method} ${path}`,
      ).body;
      return finish({ status, body }, operation, 0, limitHeaders());
    }
    const cost = costOf(match);
    if (fault === '5xx') {
      countFault(fault);
      limiter.charge(cost, isWrite);
      return finish(serverError(faults.serverError()), operation, cost, limitHeaders());
    }
    let result: SimResult;
    try {
      const ctx: SimContext = {
        state,
        options,
        now: at,
        method,
        url,
        query: url.searchParams,
        params: match.params,
        body: await readBody(request, path),
        request,
        meId: 1,
      };
      result = await match.def.handler(ctx);
    } catch (error) {
      result = errorResult(error);
    }
    const status = result.status ?? 200;
    const charged = status < 400 || options.chargeFailedRequests ? cost : 0;
    limiter.charge(charged, isWrite && status < 400);
    if (fault === 'committed5xx' && status < 400) {
      countFault(fault);
      // The write is committed; the gateway answers as if it failed.
      return finish(serverError(faults.serverError()), operation, charged, limitHeaders());
    }
    const outcome = finish(result, operation, charged, limitHeaders());
    if (fault === 'lost' || fault === 'cut') countFault(fault);
    if (fault === 'lost') return { kind: faults.lostEnding() };
    if (fault === 'cut' && outcome.kind === 'response') return { kind: 'cut', response: outcome.response };
    return outcome;
  }

  function countFault(kind: FaultKind): void {
    const injected = state.counters.faults;
    injected[kind] = (injected[kind] ?? 0) + 1;
  }

  function finish(
    result: SimResult,
    operation: string,
    tokens: number,
    headers: Record<string, string>,
  ): SimOutcome {
    const status = result.status ?? 200;
    const c = state.counters;
    c.requests += 1;
    c.tokens += tokens;
    c.byStatus[String(status)] = (c.byStatus[String(status)] ?? 0) + 1;
    const op = c.byOperation[operation] ?? { requests: 0, tokens: 0 };
    op.requests += 1;
    op.tokens += tokens;
    c.byOperation[operation] = op;
    const all: Record<string, string> = {
      ...headers,
      ...result.headers,
      'x-correlation-id': `sim-${c.requests}`,
    };
    if (result.raw) {
      all['content-type'] = result.raw.contentType;
      if (result.raw.fileName)
        all['content-disposition'] = `attachment; filename="${result.raw.fileName.replace(/"/g, '')}"`;
      return {
        kind: 'response',
        response: new Response(Buffer.from(result.raw.bytes), { status, headers: all }),
      };
    }
    if (typeof result.body === 'string') {
      all['content-type'] ??= 'text/html; charset=utf-8';
      return { kind: 'response', response: new Response(result.body, { status, headers: all }) };
    }
    all['content-type'] = 'application/json; charset=utf-8';
    return {
      kind: 'response',
      response: new Response(JSON.stringify(result.body ?? null), { status, headers: all }),
    };
  }

  return sim;
}

function presentedToken(request: Request, url: URL): string | undefined {
  const header = request.headers.get('x-api-token');
  if (header) return header;
  const auth = request.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return url.searchParams.get('api_token') ?? undefined;
}

async function readBody(request: Request, path: string): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return undefined;
  const text = await request.text();
  if (text.trim() === '') return undefined;
  const v2 = path.startsWith('/api/v2/');
  if (type.includes('application/x-www-form-urlencoded')) {
    if (v2)
      throw new SimHttpError(400, {
        success: false,
        error: 'API v2 only accepts JSON bodies',
        code: 'ERR_BAD_REQUEST',
      });
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (v2)
      throw new SimHttpError(400, {
        success: false,
        error: 'Request body is not valid JSON',
        code: 'ERR_BAD_REQUEST',
      });
    throw v1Error(400, 'Request body is not valid JSON');
  }
}

function errorResult(error: unknown): SimResult {
  if (error instanceof SimHttpError) return { status: error.status, body: error.body };
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: {
      success: false,
      error: `Simulator internal error: ${message}`,
      data: null,
      additional_data: null,
    },
  };
}

function serverError(fault: { status: number; html: boolean }): SimResult {
  if (fault.html) {
    const title = fault.status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
    return {
      status: fault.status,
      body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
    };
  }
  const error = fault.status === 503 ? 'Service is temporarily unavailable' : 'Internal server error';
  return {
    status: fault.status,
    body: {
      success: false,
      error,
      error_info: 'Please check developers.pipedrive.com',
      data: null,
      additional_data: null,
    },
  };
}

/** The response with its headers and the first half of its body, then a dropped connection. */
function cutMidStream(response: Response): Response {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      controller.enqueue(bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
      const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
      controller.error(new TypeError('terminated', { cause }));
    },
  });
  return new Response(stream, { status: response.status, headers: response.headers });
}

function cloudflarePage(): SimResult {
  return {
    status: 403,
    headers: { server: 'cloudflare', 'cf-ray': 'sim-0000' },
    body:
      '<!DOCTYPE html>\n<html><head><title>Attention Required! | Cloudflare</title></head><body>' +
      '<h1>Sorry, you have been blocked</h1><p>You are unable to access pipedrive.com</p>' +
      '<p>This error is produced by Cloudflare. The website owner has blocked your requests because they kept ' +
      'coming after 429 Too Many Requests responses.</p></body></html>',
  };
}

export type { HttpMethod };

/**
 * Pipedrive's gateway counts a request when it arrives; most of a request's latency is the server's work and
 * the way back. So a tenth of the drawn latency (the one-way trip to the edge) comes before the rate
 * limiter sees the request, the rest after the answer is decided.
 */
function splitLatency(latency: number): { inbound: number; processing: number } {
  const inbound = Math.round(latency * 0.1);
  return { inbound, processing: latency - inbound };
}
