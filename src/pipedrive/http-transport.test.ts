/**
 * The HTTP transport over real sockets: keep-alive reuse without writes down a socket the server is closing,
 * whole answers (multi-byte characters split across chunks), and the failures a write's uncertainty rests on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpTransport, TransportError } from './http-transport.ts';

let server: Server | undefined;

afterEach(async () => {
  await closeServer();
});

async function closeServer(): Promise<void> {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
}

async function serve(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  keepAliveTimeoutMs = 5_000,
): Promise<{ url: URL; connections: () => number }> {
  let connections = 0;
  server = createServer(handler);
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/api/v2/persons`), connections: () => connections };
}

const echo = (request: IncomingMessage, response: ServerResponse) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
  });
  request.on('end', () => {
    response.setHeader('x-ratelimit-remaining', '7');
    response.end(JSON.stringify({ success: true, data: { method: request.method, body } }));
  });
};

const post = (url: URL, body: string, timeoutMs = 5_000, signal?: AbortSignal) => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/json' },
  body,
  timeoutMs,
  signal,
});

describe('nodeHttpTransport', () => {
  it('sends a body and reads the whole answer, headers by name', async () => {
    const { url } = await serve(echo);
    const send = nodeHttpTransport();
    const answer = await send(post(url, '{"name":"Zoë Ångström — 日本"}'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('X-RateLimit-Remaining')).toBe('7');
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(JSON.parse(answer.text).data).toEqual({ method: 'POST', body: '{"name":"Zoë Ångström — 日本"}' });
  });

  it('reads multi-byte characters split across chunks', async () => {
    const { url } = await serve((_request, response) => {
      const bytes = Buffer.from('{"name":"日本語"}');
      response.write(bytes.subarray(0, 10)); // inside the second character
      setTimeout(() => response.end(bytes.subarray(10)), 20);
    });
    const answer = await nodeHttpTransport()(post(url, '{}'));
    expect(JSON.parse(answer.text)).toEqual({ name: '日本語' });
  });

  it('reuses a connection, and drops an idle one before the server closes it (no reset write)', async () => {
    const { url, connections } = await serve(echo, 2_000);
    const send = nodeHttpTransport();
    for (let i = 0; i < 5; i += 1) await send(post(url, `{"n":${i}}`));
    expect(connections()).toBe(1);
    // Past the server's keep-alive timeout (it says timeout=2): the socket must not be reused.
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    const answer = await send(post(url, '{"after":"idle"}'));
    expect(answer.status).toBe(200);
    expect(connections()).toBe(2);
  });

  it('fails with timedOut when no answer comes, and as cancelled (not timed out) on the signal', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const send = nodeHttpTransport();
    const timedOut = await send(post(url, '{}', 200)).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(TransportError);
    expect((timedOut as TransportError).timedOut).toBe(true);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await send(post(url, '{}', 5_000, controller.signal)).catch((error: unknown) => error);
    expect(cancelled).toBeInstanceOf(TransportError);
    expect((cancelled as TransportError).timedOut).toBe(false);
  });

  it('fails when the connection drops before or during the answer', async () => {
    const { url } = await serve((request, response) => {
      if (request.url?.endsWith('before')) request.socket.destroy();
      else {
        response.writeHead(200, { 'content-length': '1000' });
        response.write('{"success":tr');
        setTimeout(() => request.socket.destroy(), 20);
      }
    });
    const send = nodeHttpTransport();
    for (const where of ['before', 'during']) {
      const error = await send(post(new URL(`${url.href}/${where}`), '{}')).catch(
        (caught: unknown) => caught,
      );
      expect(error, where).toBeInstanceOf(TransportError);
      expect((error as TransportError).code, where).toBe('ECONNRESET');
    }
  });

  it('fails at once when the server refuses the connection', async () => {
    const { url } = await serve(echo);
    await closeServer();
    const error = await nodeHttpTransport()(post(url, '{}')).catch((caught: unknown) => caught);
    expect((error as TransportError).code).toBe('ECONNREFUSED');
  });
});
