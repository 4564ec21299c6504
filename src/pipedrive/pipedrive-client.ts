import { type Clock, systemClock } from '../core/clock.ts';
import { type FailureKind, FerryError } from '../core/errors.ts';
import { Redactor } from '../core/redact.ts';
import type { HttpMethod, PipedriveAnswer, PipedriveRequest, PipedriveRequester } from './api-types.ts';
import {
  encodeForm,
  fetchTransport,
  type HttpAnswer,
  type HttpTransport,
  nodeHttpTransport,
  TransportError,
} from './http-transport.ts';
import { RateScheduler, type RequestKind } from './rate-scheduler.ts';
import { tokenCostOf } from './token-costs.ts';

/** A classified failure of one Pipedrive request. `uncertain`: a write that may or may not have happened. */
export class PipedriveError extends FerryError {
  readonly status: number | undefined;
  readonly pipedriveCode: string | undefined;
  readonly uncertain: boolean;
  readonly method: string;
  readonly path: string;

  constructor(input: {
    failure: FailureKind;
    message: string;
    status?: number | undefined;
    pipedriveCode?: string | undefined;
    uncertain?: boolean;
    method: string;
    path: string;
  }) {
    super(input.failure, input.message, {
      code: input.pipedriveCode ? `PIPEDRIVE_${input.pipedriveCode}` : `HTTP_${input.status ?? 'NETWORK'}`,
    });
    this.status = input.status;
    this.pipedriveCode = input.pipedriveCode;
    this.uncertain = input.uncertain ?? false;
    this.method = input.method;
    this.path = input.path;
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
  readonly timeoutMs?: number;
  /** Retries of reads (and of 429-refused writes) before giving up. */
  readonly maxRetries?: number;
}

/**
 * Pipedrive over HTTP (`http-transport.ts`): v2 and v1 paths as given, the token only in the `x-api-token` header, envelopes
 * unwrapped, errors classified (429/5xx/network → transient; 400/404/410/422 → terminal; 401/402/403 →
 * config). Reads are retried with backoff; a write whose outcome is unknown (network error, timeout, 5xx)
 * is reported as uncertain and never retried here — the run looks it up by identity first.
 * @example const client = new PipedriveClient({ baseUrl: 'http://127.0.0.1:4010', token }); await client.request({ method: 'GET', path: '/api/v1/users/me' })
 */
export class PipedriveClient implements PipedriveRequester {
  readonly scheduler: RateScheduler;
  private readonly options: PipedriveClientOptions;
  private readonly redactor: Redactor;
  private readonly clock: Clock;
  private readonly transport: HttpTransport;

  constructor(options: PipedriveClientOptions) {
    this.options = options;
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport();
    this.scheduler = options.scheduler ?? new RateScheduler({ burstLimit: 40 });
    this.redactor = new Redactor([options.token]);
    this.clock = options.clock ?? systemClock;
  }

  async request<T = unknown>(request: PipedriveRequest): Promise<PipedriveAnswer<T>> {
    const maxRetries = this.options.maxRetries ?? 5;
    const operation = `${request.method} ${request.path.replace(/\/(\d+|[0-9a-f]{40}|[0-9a-f-]{36})(?=\/|$)/g, '/{id}')}`;
    const kind = /search/i.test(request.path) ? 'search' : 'general';
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.scheduler.schedule({
          kind,
          operation,
          tokens: this.tokenCost(operation, request),
          send: () => this.send<T>(request, kind),
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        const retryable =
          error instanceof PipedriveError &&
          error.failure === 'transient' &&
          !error.uncertain &&
          (error.status === 429 || request.method === 'GET') &&
          attempt < maxRetries &&
          !request.signal?.aborted;
        if (!retryable) throw error;
        if (error.status !== 429) await this.clock.sleep(backoff(attempt), request.signal);
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
        timeoutMs: this.options.timeoutMs ?? 60_000,
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
    this.scheduler.observe(response.headers, kind, sentAt);
    const { status, text } = response;
    const json = parseJson(text);
    if (status >= 200 && status < 300 && json && json.success !== false) {
      return { data: json.data as T, additionalData: json.additional_data };
    }
    if (status === 429) {
      const budget = this.scheduler.onRateLimited(response.headers);
      throw new PipedriveError({
        failure: 'transient',
        message: `${request.method} ${path}: ${budget ? 'daily token budget used up' : 'rate limited'} (429)`,
        status: 429,
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
      const cloudflare = /cloudflare/i.test(text);
      return new PipedriveError({
        ...base,
        failure: 'config',
        message: cloudflare
          ? 'Pipedrive blocked this token for ignoring rate limits (403 from Cloudflare). Wait an hour, then run again.'
          : `Pipedrive refused ${method} ${path} (403): ${detail}. The token's user may lack permission (use an admin token) or a plan limit was reached.`,
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

function parseJson(text: string): Envelope | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Envelope;
  } catch {
    return undefined;
  }
}

function backoff(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}
