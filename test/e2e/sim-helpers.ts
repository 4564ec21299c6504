import { type SimOptions, type SimServer, startSimServer } from '../../src/sim/index.ts';

/** A JSON response as the tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary JSON
  readonly body: any;
}

/** A tiny client over a real socket: JSON in, JSON out, token in the x-api-token header. */
export function apiFor(server: SimServer, token = server.token) {
  return async function api(
    method: string,
    path: string,
    body?: unknown,
    init: RequestInit = {},
  ): Promise<ApiResponse> {
    const headers = new Headers(init.headers);
    if (token && !headers.has('x-api-token') && !headers.has('authorization'))
      headers.set('x-api-token', token);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // HTML pages (gateway errors, Cloudflare) stay text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

export type Api = ReturnType<typeof apiFor>;

export async function withSim(
  options: SimOptions,
  run: (server: SimServer, api: Api) => Promise<void>,
): Promise<void> {
  const server = await startSimServer({ seed: 'e2e', rateLimits: false, ...options });
  try {
    await run(server, apiFor(server));
  } finally {
    await server.close();
  }
}

export async function simState(server: SimServer) {
  // biome-ignore lint/suspicious/noExplicitAny: admin JSON
  return (await (await fetch(`${server.url}/__sim/state`)).json()) as any;
}
