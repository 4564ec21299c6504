import { type Clock, systemClock } from '../../core/clock.ts';

/** What the polite fetch did, for progress lines and the benchmark. */
export interface FetchEvents {
  retries: number;
  rateLimited: number;
  waitedMs: number;
}

export interface PoliteFetchOptions {
  readonly fetch?: typeof fetch | undefined;
  readonly clock?: Clock | undefined;
  /** Tries per request, the first included (default 6). */
  readonly attempts?: number | undefined;
  /** First back-off, doubled per retry up to `maxDelayMs` (defaults 500 ms and 30 s). */
  readonly baseDelayMs?: number | undefined;
  readonly maxDelayMs?: number | undefined;
  /** A `Retry-After` longer than this is not waited for: the request fails (default 10 minutes). */
  readonly maxRetryAfterMs?: number | undefined;
  readonly random?: (() => number) | undefined;
  /** Headers added to every request (the bearer token). Never logged. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly events?: FetchEvents | undefined;
}

/** Answers worth another try: rate limited, or the server (or a gateway before it) briefly unavailable. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Network failures worth another try; refusals of a certificate or an unknown host are not. */
const RETRY_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'EAI_AGAIN',
]);

/** Tries of a request that got no answer (refused, reset), the first included. */
const NETWORK_ATTEMPTS = 3;

/** The connection-level cause of a failed fetch (`ECONNREFUSED`, `CERT_HAS_EXPIRED` …), if any. */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !/^\d+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A `fetch` for the MCP transports that is polite to the server and patient with it: a 429 or 503 waits
 * what `Retry-After` asks (else an exponential back-off with jitter) and tries again, as does a reset or
 * refused connection; the last answer or error is passed on. Every request Ferry sends to a BackDocket
 * server is a read (or the OAuth exchange), so trying again is safe.
 * @example new StreamableHTTPClientTransport(url, { fetch: politeFetch({ headers: { authorization: `Bearer ${token}` } }) })
 */
export function politeFetch(options: PoliteFetchOptions = {}): typeof fetch {
  const base = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const attempts = options.attempts ?? 6;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 10 * 60_000;
  const random = options.random ?? Math.random;
  const events = options.events;
  const polite = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    const request: RequestInit = { ...init, headers };
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await base(input, request);
      } catch (error) {
        const code = networkCode(error);
        // A server that does not answer at all is tried a few times only: failing fast says more.
        const retry =
          attempt < Math.min(attempts, NETWORK_ATTEMPTS) &&
          code !== undefined &&
          RETRY_CODES.has(code) &&
          !init?.signal?.aborted;
        if (!retry) throw error;
        await wait(backoff(attempt));
        continue;
      }
      if (!RETRY_STATUSES.has(response.status) || attempt >= attempts) return response;
      const asked = retryAfterMs(response.headers.get('retry-after'), clock.now());
      if (asked !== undefined && asked > maxRetryAfter) return response;
      if (response.status === 429 && events) events.rateLimited += 1;
      // The body of a refused request is not read: free the connection for the next try.
      await response.body?.cancel().catch(() => undefined);
      await wait(asked ?? backoff(attempt));
    }
    function backoff(attempt: number): number {
      const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    }
    async function wait(ms: number): Promise<void> {
      if (events) {
        events.retries += 1;
        events.waitedMs += ms;
      }
      await clock.sleep(ms, init?.signal ?? undefined);
    }
  };
  return polite as typeof fetch;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
