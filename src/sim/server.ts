import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimOptions } from './options.ts';
import { createSimulator, type Simulator } from './simulator.ts';

/** A simulator served over HTTP on 127.0.0.1. */
export interface SimServer {
  /** Origin, e.g. `http://127.0.0.1:4010` (use as PIPEDRIVE_BASE_URL). */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly simulator: Simulator;
  /** Stops listening and drops open connections (including held "timeout" ones). */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Starts the simulator on 127.0.0.1 (`port: 0` picks a free port).
 * @example const sim = await startSimServer({ port: 0, seed: 'e2e' }); fetch(`${sim.url}/api/v2/persons`, …)
 */
export async function startSimServer(
  options: SimOptions & { readonly port?: number; readonly simulator?: Simulator } = {},
): Promise<SimServer> {
  const simulator = options.simulator ?? createSimulator(options);
  const sockets = new Set<Socket>();
  let base = '';
  const server = createServer((req, res) => {
    void serve(simulator, base, req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    get token() {
      return simulator.token;
    },
    simulator,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serve(
  simulator: Simulator,
  base: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const path = req.url ?? '/';
    if (path.startsWith('/__sim/') && !LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end('{"success":false,"error":"admin API is loopback-only"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD' && chunks.length > 0;
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const request = new Request(`${base}${path}`, {
      method,
      headers,
      signal: abort.signal,
      ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
    });
    const outcome = await simulator.handle(request).catch((error: unknown) => {
      // The client gave up while the answer was held (a `slow` fault, latency): nobody is left to answer.
      if (abort.signal.aborted) return undefined;
      throw error;
    });
    if (outcome === undefined) return;
    if (outcome.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    // 'timeout': hold the socket open and never answer; the client gives up (or close() drops it).
    if (outcome.kind === 'timeout') return;
    const { response } = outcome;
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    const body = Buffer.from(await response.arrayBuffer());
    outHeaders['content-length'] = String(body.byteLength);
    res.writeHead(response.status, outHeaders);
    if (outcome.kind === 'cut') {
      // Headers and half the body go out, then the connection drops: the client holds an incomplete answer.
      res.write(body.subarray(0, Math.floor(body.byteLength / 2)), () => req.socket.destroy());
      return;
    }
    res.end(body);
  } catch (error) {
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          success: false,
          error: `Simulator internal error: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    }
  }
}
