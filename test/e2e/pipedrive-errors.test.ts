/**
 * The client's error classes against a real socket that answers with the status codes and bodies Pipedrive
 * documents (reference §2: 400/402/403/404/410/422, HTML gateway pages, a server that never answers, a reset).
 * The simulator covers the behaviours; this covers every documented body the simulator has no reason to make.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipedriveClient, PipedriveError, RateScheduler } from '../../src/pipedrive/index.ts';

const TOKEN = 'feedfacefeedfacefeedfacefeedfacefeedface';

interface Canned {
  readonly status: number;
  readonly body: string;
  readonly type?: string;
}

/** path → answer; `hang` never answers, `reset` destroys the socket. */
const ANSWERS: Record<string, Canned | 'hang' | 'reset'> = {
  '/api/v2/deals/bad': {
    status: 400,
    body: '{"success":false,"error":"Validation failed: title: Parameter \'title\' is required","code":"ERR_SCHEMA_VALIDATION_FAILED"}',
  },
  '/api/v1/closed': {
    status: 402,
    body: '{"success":false,"error":"Company account is not open (possible reason: trial expired, payment details not entered)"}',
  },
  '/api/v2/deals/capped': {
    status: 403,
    body: '{"success":false,"error":"Couldn\'t add the deal. Open deals limit reached.","data":null,"additional_data":null,"code":"feature_capping_deals_limit"}',
  },
  '/api/v1/blocked': {
    status: 403,
    type: 'text/html',
    body: '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>',
  },
  '/api/v1/leads/gone': {
    status: 404,
    body: '{"success":false,"error":"requested lead not found","error_info":"Object was not found.","data":null,"additional_data":null}',
  },
  '/api/v1/productFields/9': { status: 410, body: '{"success":false,"error":"The field is not found"}' },
  '/api/v1/webhooks': { status: 422, body: '{"success":false,"error":"Webhooks limit reached"}' },
  '/api/v2/persons/maintenance': {
    status: 503,
    type: 'text/html',
    body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
  },
  '/api/v2/persons/hang': 'hang',
  '/api/v2/persons/reset': 'reset',
};

describe('PipedriveClient classifies every documented failure', () => {
  let server: Server;
  let client: PipedriveClient;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      seen.push(
        `${request.method} ${path} ${request.headers['x-api-token'] === TOKEN ? 'token' : 'no-token'}`,
      );
      const answer = ANSWERS[path];
      if (answer === 'hang') return;
      if (answer === 'reset' || !answer) {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new PipedriveClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: TOKEN,
      timeoutMs: 300,
      retry: { maxAttempts: 2, baseDelayMs: 10 },
      scheduler: new RateScheduler({ burstLimit: 1_000 }),
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function failureOf(
    method: 'GET' | 'POST',
    path: string,
    through: PipedriveClient = client,
  ): Promise<PipedriveError> {
    const error = await through.request({ method, path, body: method === 'POST' ? {} : undefined }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PipedriveError);
    const failure = error as PipedriveError;
    expect(failure.message).not.toContain(TOKEN);
    return failure;
  }

  it('makes 400, 404, 410 and 422 terminal for the record, with Pipedrive’s message and code', async () => {
    const invalid = await failureOf('POST', '/api/v2/deals/bad');
    expect([invalid.failure, invalid.status, invalid.pipedriveCode]).toEqual([
      'terminal',
      400,
      'ERR_SCHEMA_VALIDATION_FAILED',
    ]);
    expect(invalid.message).toContain("Parameter 'title' is required");
    for (const [path, status, text] of [
      ['/api/v1/leads/gone', 404, 'requested lead not found'],
      ['/api/v1/productFields/9', 410, 'The field is not found'],
      ['/api/v1/webhooks', 422, 'Webhooks limit reached'],
    ] as const) {
      const error = await failureOf('GET', path);
      expect([error.failure, error.status, error.uncertain]).toEqual(['terminal', status, false]);
      expect(error.message).toContain(text);
    }
  });

  it('makes 402 and a JSON 403 a configuration stop that says what to fix', async () => {
    const closed = await failureOf('GET', '/api/v1/closed');
    expect(closed.failure).toBe('config');
    expect(closed.message).toMatch(/account is not open.*subscription/i);
    const capped = await failureOf('POST', '/api/v2/deals/capped');
    expect([capped.failure, capped.pipedriveCode]).toEqual(['config', 'feature_capping_deals_limit']);
    expect(capped.message).toContain('Open deals limit reached');
  });

  it('waits out Cloudflare’s 403 block page and sends again (the request never reached Pipedrive), then says what to do', async () => {
    // Its own client: a block pauses every request of the scheduler that met it (here for 50 ms, doubling).
    const paused = new PipedriveClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: TOKEN,
      retry: { maxAttempts: 2, baseDelayMs: 10 },
      scheduler: new RateScheduler({ burstLimit: 1_000, windowMs: 50 }),
    });
    for (const method of ['GET', 'POST'] as const) {
      const before = seen.filter((line) => line.startsWith(`${method} /api/v1/blocked`)).length;
      const blocked = await failureOf(method, '/api/v1/blocked', paused);
      expect([blocked.failure, blocked.refused, blocked.uncertain]).toEqual(['transient', 'blocked', false]);
      expect(blocked.message).toMatch(/Cloudflare.*403.*2 attempt\(s\).*run the same command again/);
      expect(blocked.message).not.toContain('<html');
      // Sent twice (maxAttempts: 2), a write included: a blocked request did nothing.
      expect(seen.filter((line) => line.startsWith(`${method} /api/v1/blocked`)).length - before).toBe(2);
    }
  });

  it('retries transient reads, and reports a write without an answer as uncertain without resending it', async () => {
    const before = seen.length;
    const read = await failureOf('GET', '/api/v2/persons/maintenance');
    expect([read.failure, read.status, read.uncertain]).toEqual(['transient', 503, false]);
    expect(read.message).not.toContain('<h1>');
    expect(seen.length - before).toBe(2); // one retry (maxAttempts: 2)

    for (const path of ['/api/v2/persons/hang', '/api/v2/persons/reset', '/api/v2/persons/maintenance']) {
      const sentBefore = seen.filter((line) => line.startsWith(`POST ${path}`)).length;
      const write = await failureOf('POST', path);
      expect([write.failure, write.uncertain]).toEqual(['transient', true]);
      expect(write.message).toMatch(/may or may not have happened/);
      expect(seen.filter((line) => line.startsWith(`POST ${path}`)).length - sentBefore).toBe(1);
    }
    const timedOut = await failureOf('GET', '/api/v2/persons/hang');
    expect(timedOut.message).toMatch(/no answer within the timeout/);
  });

  it('sends the token only in the x-api-token header, never in the URL', () => {
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.every((line) => line.endsWith(' token'))).toBe(true);
  });
});
