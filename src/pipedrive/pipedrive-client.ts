import { type Clock, systemClock } from '../core/clock.ts';
import { type FailureKind, FerryError } from '../core/errors.ts';
import { Redactor } from '../core/redact.ts';
import type { HttpMethod, PipedriveAnswer, PipedriveRequest, PipedriveRequester } from './api-types.ts';
import { departureHook } from './departure.ts';
import {
  encodeForm,
  fetchTransport,
  type HttpAnswer,
  type HttpTransport,
  nodeHttpTransport,
  TransportError,
} from './http-transport.ts';
import { requestTimeoutMs } from './latency-tracker.ts';
import { RateScheduler, type RequestKind } from './rate-scheduler.ts';
import { DEFAULT_RETRY_POLICY, RetryBudget, type RetryPolicy } from './retry-policy.ts';
import { tokenCostOf } from './token-costs.ts';

/**
 * Why a request was refused before Pipedrive did any work: a burst 429, the daily budget's 429, or
 * Cloudflare's 403 block for a client it thinks ignored 429s. Any request refused so may be sent again.
 */
export type GatewayRefusal = 'rate-limited' | 'budget' | 'blocked';

/** A classified failure of one Pipedrive request. `uncertain`: a write that may or may not have happened. */
export class PipedriveError extends FerryError {
  readonly status: number | undefined;
  readonly pipedriveCode: string | undefined;
  readonly uncertain: boolean;
  readonly refused: GatewayRefusal | undefined;
  readonly method: string;
  readonly path: string;
  /** What went wrong, without the advice a spent retry adds (for callers that word their own). */
  readonly reason: string;

  constructor(input: {
    failure: FailureKind;
    message: string;
    status?: number | undefined;
    pipedriveCode?: string | undefined;
    uncertain?: boolean;
    refused?: GatewayRefusal | undefined;
    method: string;
    path: string;
    reason?: string;
  }) {
    super(input.failure, input.message, {
      code: input.pipedriveCode ? `PIPEDRIVE_${input.pipedriveCode}` : `HTTP_${input.status ?? 'NETWORK'}`,
    });
    this.status = input.status;
    this.pipedriveCode = input.pipedriveCode;
    this.uncertain = input.uncertain ?? false;
    this.refused = input.refused;
    this.method = input.method;
    this.path = input.path;
    this.reason = input.reason ?? input.message;
  }

  /** The same failure, saying that the retries allowed are spent and what to do next. */
  spent(attempts: number, elapsedMs: number): PipedriveError {
    return new PipedriveError({
      failure: this.failure,
      message: `${this.message} — still failing after ${attempts} attempt(s) in ${Math.round(elapsedMs / 1000)} s. Nothing is lost: run the same command again to resume${this.refused === 'blocked' ? ' once the block is lifted (it can last up to an hour)' : ''}.`,
      status: this.status,
      pipedriveCode: this.pipedriveCode,
      uncertain: this.uncertain,
      refused: this.refused,
      method: this.method,
      path: this.path,
      reason: this.reason,
    });
  }
}

export interface PipedriveClientOptions {
  /** Origin, e.g. `https://acme.pipedrive.com` or `http://127.0.0.1:4010`; paths carry `/api/vN`. */
  readonly baseUrl: string;
  readonly token: string;
  /** Stands in for the network (an in-process simulator in tests); Node's http client otherwise. */
  readonly fetch?: typeof fetch;
  readonly scheduler?: RateScheduler;
  readonly clock?: Clock;
  /**
   * A fixed request timeout. By default it follows the answer times seen (several × p99, a few seconds at
   * least, a minute until enough answers are seen): a lost answer is given up on in seconds, not a minute.
   */
  readonly timeoutMs?: number;
  /** How reads, and requests the gateway refused (429, 403 block), are retried; see `RetryPolicy`. */
  readonly retry?: Partial<RetryPolicy>;
  /** For the jitter of retry waits (tests pass a seeded one). */
  readonly random?: () => number;
}

/**
 * Pipedrive over HTTP (`http-transport.ts`): v2 and v1 paths as given, the token only in the `x-api-token` header, envelopes
 * unwrapped, errors classified (429/5xx/network/Cloudflare's 403 block → transient; 400/404/410/422 →
 * terminal; 401/402/other 403 → config). Reads, and any request the gateway refused before Pipedrive did
 * any work (429, 403 block), are retried with jittered backoff within the retry policy's bounds; a write
 * whose outcome is unknown (network error, timeout, 5xx, a body cut short) is reported as uncertain and
 * never resent here — the caller resolves it first (`src/run/write-once.ts`).
 * @example const client = new PipedriveClient({ baseUrl: 'http://127.0.0.1:4010', token }); await client.request({ method: 'GET', path: '/api/v1/users/me' })
 */
export class PipedriveClient implements PipedriveRequester {
  readonly scheduler: RateScheduler;
  private readonly options: PipedriveClientOptions;
  private readonly redactor: Redactor;
  private readonly clock: Clock;
  private readonly transport: HttpTransport;

  /** The retry policy this client follows; the run's writes follow the same one. */
  readonly retryPolicy: RetryPolicy;
  private readonly random: () => number;

  constructor(options: PipedriveClientOptions) {
    this.options = options;
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport();
    this.scheduler = options.scheduler ?? new RateScheduler({ burstLimit: 40 });
    this.redactor = new Redactor([options.token]);
    this.clock = options.clock ?? systemClock;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.random = options.random ?? Math.random;
  }

  /** Requests sent again after a passing failure (reads, and requests the gateway refused). */
  retries = 0;

  async request<T = unknown>(request: PipedriveRequest): Promise<PipedriveAnswer<T>> {
    const operation = `${request.method} ${request.path.replace(/\/(\d+|[0-9a-f]{40}|[0-9a-f-]{36})(?=\/|$)/g, '/{id}')}`;
    const kind = /search/i.test(request.path) ? 'search' : 'general';
    const attempts = new RetryBudget(this.retryPolicy, this.clock, this.random);
    // A write's intent is journaled as it departs, not while it waits its turn (reads announce nothing).
    const onDeparture = request.method === 'GET' ? undefined : departureHook();
    for (;;) {
      attempts.begin();
      try {
        return await this.scheduler.schedule({
          kind,
          operation,
          tokens: this.tokenCost(operation, request),
          send: () => this.send<T>(request, kind),
          ...(request.signal ? { signal: request.signal } : {}),
          ...(onDeparture ? { onDeparture } : {}),
        });
      } catch (error) {
        if (!(error instanceof PipedriveError) || !mayResend(error, request.method)) throw error;
        if (request.signal?.aborted) throw error;
        // The scheduler waits for the budget's reset (or stops); that wait is nobody's failure.
        if (error.refused === 'budget') attempts.restartClock();
        else if (!attempts.another()) throw error.spent(attempts.attempts, attempts.elapsedMs);
        this.retries += 1;
        // A refusal pauses the scheduler for everyone; any other failure waits its own backoff.
        if (error.refused === undefined) await attempts.wait(request.signal);
      }
    }
  }

  private async send<T>(request: PipedriveRequest, kind: RequestKind): Promise<PipedriveAnswer<T>> {
    const url = new URL(request.path, this.options.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { 'x-api-token': this.options.token, accept: 'application/json' };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (request.form) {
      const encoded = await encodeForm(request.form);
      headers['content-type'] = encoded.contentType;
      body = encoded.body;
    } else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const write = request.method !== 'GET';
    const path = this.redactor.text(url.pathname);
    let response: HttpAnswer;
    const sentAt = this.clock.now();
    try {
      response = await this.transport({
        method: request.method,
        url,
        headers,
        body,
        timeoutMs:
          this.options.timeoutMs ??
          requestTimeoutMs(this.scheduler.latency, { write, bodyBytes: byteLength(body) }),
        signal: request.signal,
      });
    } catch (error) {
      const failure = error instanceof TransportError ? error : new TransportError('ERROR');
      throw new PipedriveError({
        failure: 'transient',
        message: `${request.method} ${path}: ${failure.message}${
          write ? '; the write may or may not have happened' : ''
        }`,
        uncertain: write,
        method: request.method,
        path,
      });
    }
    this.scheduler.latency.record(this.clock.now() - sentAt);
    this.scheduler.observe(response.headers, kind, sentAt);
    const { status, text } = response;
    const json = parseJson(text);
    if (status >= 200 && status < 300 && json && json.success !== false) {
      this.scheduler.onAnswered();
      return { data: json.data as T, additionalData: json.additional_data };
    }
    if (status >= 200 && status < 300 && !json) {
      // A success whose body is not the JSON envelope (cut short, or mangled on the way): the write happened
      // but its answer is unreadable, so it is as unknown as a lost one.
      throw new PipedriveError({
        failure: 'transient',
        message: `${request.method} ${path}: an unreadable answer (${status})${write ? '; the write may or may not have happened' : ''}`,
        status,
        uncertain: write,
        method: request.method,
        path,
      });
    }
    if (status === 429) {
      const budget = this.scheduler.onRateLimited(response.headers);
      throw new PipedriveError({
        failure: 'transient',
        message: `${request.method} ${path}: ${budget ? 'daily token budget used up' : 'rate limited'} (429)`,
        status: 429,
        refused: budget ? 'budget' : 'rate-limited',
        method: request.method,
        path,
      });
    }
    if (status === 403 && isCloudflareBlock(json, text)) {
      this.scheduler.onBlocked();
      throw new PipedriveError({
        failure: 'transient',
        message: `${request.method} ${path}: Pipedrive's gateway (Cloudflare) is blocking this token for sending after 429s (403)`,
        status: 403,
        refused: 'blocked',
        method: request.method,
        path,
      });
    }
    throw this.classify(request.method, path, status, json, text);
  }

  private classify(
    method: HttpMethod,
    path: string,
    status: number,
    json: Envelope | undefined,
    text: string,
  ): PipedriveError {
    const detail = this.redactor.text(
      json?.error ?? (text.trimStart().startsWith('<') ? 'an HTML error page' : text.slice(0, 200)),
    );
    const code = json?.code ?? (json?.errorCode === undefined ? undefined : String(json.errorCode));
    const base = { status, pipedriveCode: code, method, path };
    if (status === 401) {
      return new PipedriveError({
        ...base,
        failure: 'config',
        message:
          'Pipedrive rejected the API token (401). Set PIPEDRIVE_API_TOKEN to a valid token (Pipedrive → Settings → Personal preferences → API) and run again.',
      });
    }
    if (status === 402) {
      return new PipedriveError({
        ...base,
        failure: 'config',
        message: `The Pipedrive account is not open (402): ${detail}. Check the subscription, then run again.`,
      });
    }
    if (status === 403) {
      return new PipedriveError({
        ...base,
        failure: 'config',
        message: `Pipedrive refused ${method} ${path} (403): ${detail}. The token's user may lack permission (use an admin token) or a plan limit was reached.`,
      });
    }
    if (status >= 500) {
      return new PipedriveError({
        ...base,
        failure: 'transient',
        uncertain: method !== 'GET',
        message: `${method} ${path}: Pipedrive error ${status}${method !== 'GET' ? '; the write may or may not have happened' : ''}`,
      });
    }
    return new PipedriveError({
      ...base,
      failure: 'terminal',
      message: `${method} ${path}: ${status} ${detail}`,
    });
  }

  /** An operation's cost depends on its path template only: looked up once per template. */
  private readonly costs = new Map<string, number>();

  private tokenCost(operation: string, request: PipedriveRequest): number {
    let cost = this.costs.get(operation);
    if (cost === undefined) {
      cost = tokenCostOf(request.method, request.path);
      this.costs.set(operation, cost);
    }
    return cost;
  }

  /** Requests and tokens by day, for the usage tally. */
  stats() {
    return this.scheduler.stats;
  }
}

interface Envelope {
  success?: boolean;
  data?: unknown;
  additional_data?: unknown;
  error?: string;
  code?: string;
  errorCode?: number | string;
}

function byteLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

function parseJson(text: string): Envelope | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Envelope;
  } catch {
    return undefined;
  }
}

/**
 * Whether a failed request may simply be sent again: anything the gateway refused before Pipedrive did any
 * work, and a read that failed for a passing reason. A write with an unknown outcome never: it is resolved
 * first.
 */
function mayResend(error: PipedriveError, method: HttpMethod): boolean {
  if (error.failure !== 'transient' || error.uncertain) return false;
  return error.refused !== undefined || method === 'GET';
}

/**
 * Cloudflare's block page: an HTML body that names Cloudflare (reference §3.6). Not the headers: every
 * answer of an API behind Cloudflare carries `server: cloudflare`, a plan-limit 403 in JSON included.
 */
function isCloudflareBlock(json: Envelope | undefined, text: string): boolean {
  return json === undefined && /cloudflare/i.test(text);
}
