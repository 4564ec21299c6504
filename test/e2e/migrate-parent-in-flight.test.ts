/**
 * Records whose parent is still in flight when something goes wrong, through the real CLI over real
 * sockets. A proxy in front of the simulator lets one person's create reach Pipedrive (it is committed)
 * and then holds or drops its answer. Meanwhile the pipeline goes on with other records, but never sends a
 * record linking to that person: (1) SIGKILL while the person is in flight, then a re-run, ends as an
 * undisturbed run (nothing duplicated, the person's deals linked to it); (2) its answer lost, the person is
 * looked up and adopted while its deals wait, then they are sent with its id; (3) SIGKILL while that look-up
 * is pending, then a re-run, ends the same.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type Fingerprints, fingerprints } from '../reliability/fingerprint.ts';
import {
  cloneAccount,
  expectSameAccount,
  ferry,
  type PreparedAccount,
  prepareOnce,
  type SimStateJson,
  simState,
  spawnFerry,
  tempDir,
  type Workspace,
} from '../reliability/support.ts';

const TOKEN = 'fee1fee1fee1fee1fee1fee1fee1fee1fee1fee1';
const SIM_SEED = 'parent-in-flight';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly at: number;
}

/** What the proxy does with an answer from the simulator: pass it on, hold it for ever, or drop it. */
type AnswerFate = 'pass' | 'hold' | 'drop';

/** A proxy on 127.0.0.1 that forwards to the simulator and decides each answer's fate. */
async function startProxy(target: string, fateOf: (seen: Seen) => AnswerFate) {
  const seen: Seen[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry: Seen = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        body: body.toString('utf8'),
        at: seen.length,
      };
      seen.push(entry);
      const forward = http.request(new URL(request.url ?? '/', target), {
        method: request.method,
        headers: { ...request.headers, host: new URL(target).host },
      });
      forward.on('response', (answer) => {
        const answerChunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        answer.on('end', () => {
          const fate = fateOf(entry);
          if (fate === 'hold') {
            held.push(response);
            return;
          }
          if (fate === 'drop') {
            request.socket.destroy();
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(Buffer.concat(answerChunks));
        });
      });
      forward.on('error', () => request.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A person of the undisturbed run that deals link to: its BackDocket identity and theirs. */
function personWithDeals(state: SimStateJson): { person: string; deals: string[] } {
  const keyOf = (entity: string) =>
    state.fields[entity]?.find((field) => field.field_name === 'BackDocket ID')?.field_code ?? '';
  const identity = (record: Record<string, unknown>, entity: string) =>
    (record.custom_fields as Record<string, unknown> | undefined)?.[keyOf(entity)] as string;
  const persons = new Map((state.entities.persons ?? []).map((person) => [person.id, person]));
  const dealsByPerson = new Map<string, string[]>();
  for (const deal of state.entities.deals ?? []) {
    const person = persons.get(deal.person_id);
    if (!person) continue;
    const key = identity(person, 'person');
    dealsByPerson.set(key, [...(dealsByPerson.get(key) ?? []), identity(deal, 'deal')]);
  }
  // The one with the most deals, so several children wait on it.
  const [person, deals] = [...dealsByPerson].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  expect(person, 'a person with deals in the generated export').not.toBe('');
  return { person, deals };
}

/** Deals in the account (live) whose BackDocket identity is one of `identities`. */
function dealsNamed(state: SimStateJson, identities: readonly string[]) {
  const key = state.fields.deal?.find((field) => field.field_name === 'BackDocket ID')?.field_code ?? '';
  return (state.entities.deals ?? []).filter((deal) =>
    identities.includes((deal.custom_fields as Record<string, unknown> | undefined)?.[key] as string),
  );
}

const isCreateOf = (seen: Seen, person: string) =>
  seen.method === 'POST' && seen.path === '/api/v2/persons' && seen.body.includes(`"${person}"`);

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('records whose parent is in flight when the process dies or the answer is lost', () => {
  let prepared: PreparedAccount;
  let expected: Fingerprints;
  let target: { person: string; deals: string[] };
  const sims: SimServer[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const exportDir = tempDir('parent-in-flight-export');
    await generateExport({ outDir: exportDir, records: 12, seed: 23 });
    prepared = await prepareOnce(exportDir, TOKEN, SIM_SEED);
    const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, { rateLimits: true, plan: 'ultimate' });
    sims.push(sim);
    const result = await ferry(ws, 'migrate', '--full');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const state = await simState(sim);
    expected = fingerprints(state);
    target = personWithDeals(state);
  }, 240_000);

  afterAll(async () => {
    for (const close of closers) await close();
    for (const sim of sims) await sim.close();
  });

  async function account(fateOf: (seen: Seen) => AnswerFate, env: Record<string, string>) {
    const { sim, ws } = await cloneAccount(prepared, TOKEN, SIM_SEED, { rateLimits: true, plan: 'ultimate' });
    sims.push(sim);
    const proxy = await startProxy(sim.url, fateOf);
    closers.push(proxy.close);
    const proxied: Workspace = { dir: ws.dir, env: { ...ws.env, ...env, PIPEDRIVE_BASE_URL: proxy.url } };
    return { sim, direct: ws, proxied, proxy };
  }

  /** The re-run straight to the simulator finishes the job: the account as the undisturbed run left it. */
  async function expectFinishedAlike(sim: SimServer, ws: Workspace, context: string) {
    const rerun = await ferry(ws, 'migrate', '--full');
    expect(rerun.code, `${context}: ${rerun.stdout}${rerun.stderr}`).toBe(0);
    expectSameAccount(fingerprints(await simState(sim)), expected, context);
    const verified = await ferry(ws, 'verify', '--json');
    expect(verified.code, `${context}: verify ${verified.stdout.slice(0, 1500)}`).toBe(0);
  }

  it('SIGKILL while a person is in flight: its deals were never sent, other deals were; a re-run ends as an undisturbed run', async () => {
    const { sim, direct, proxied, proxy } = await account(
      (seen) => (isCreateOf(seen, target.person) ? 'hold' : 'pass'),
      { FERRY_REQUEST_TIMEOUT_MS: '120000' },
    );
    const child = spawnFerry(proxied, ['migrate', '--full']);
    await until(() => proxy.seen.some((seen) => isCreateOf(seen, target.person)), 'the person’s create');
    const heldAt = proxy.seen.findIndex((seen) => isCreateOf(seen, target.person));
    // The pipeline goes on past the held person: other deals are sent while it is in flight.
    await until(
      () =>
        proxy.seen.some(
          (seen, index) => index > heldAt && seen.method === 'POST' && seen.path === '/api/v2/deals',
        ),
      'a deal sent after the held person',
    );
    child.process.kill('SIGKILL');
    await child.exited;
    const state = await simState(sim);
    // The person landed in Pipedrive (its answer never came back); none of its deals was sent.
    expect(
      state.entities.persons?.filter((person) => JSON.stringify(person).includes(target.person)),
    ).toHaveLength(1);
    expect(dealsNamed(state, target.deals)).toEqual([]);
    expect(proxy.seen.filter((seen) => target.deals.some((deal) => seen.body.includes(`"${deal}"`)))).toEqual(
      [],
    );
    await expectFinishedAlike(sim, direct, 'killed with the person in flight');
  }, 180_000);

  it('a person whose answer is lost is looked up while its deals wait; they are then sent with its id, nothing twice', async () => {
    const { sim, proxied, proxy } = await account(
      (seen) => (isCreateOf(seen, target.person) ? 'drop' : 'pass'),
      { FERRY_RESOLVE_AFTER_MS: '300' },
    );
    const result = await ferry(proxied, 'migrate', '--full', '--json');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { writes: { unknown: number; foundLanded: number } };
    expect(summary.writes.foundLanded).toBeGreaterThanOrEqual(1);
    expectSameAccount(fingerprints(await simState(sim)), expected, 'the person’s answer lost');
    // Sent once; looked up (a read) after its answer was lost; every deal of it sent after that look-up.
    const creates = proxy.seen.filter((seen) => isCreateOf(seen, target.person));
    expect(creates).toHaveLength(1);
    const lookUp = proxy.seen.findIndex(
      (seen) => seen.method === 'GET' && seen.path.startsWith('/api/v2/persons') && seen.at > creates[0]!.at,
    );
    expect(lookUp).toBeGreaterThan(creates[0]!.at);
    const dealSends = proxy.seen.filter(
      (seen) => seen.method === 'POST' && target.deals.some((deal) => seen.body.includes(`"${deal}"`)),
    );
    expect(dealSends.length).toBe(target.deals.length);
    for (const send of dealSends) expect(send.at).toBeGreaterThan(lookUp);
  }, 180_000);

  it('SIGKILL while a lost answer’s person waits to be looked up: a re-run adopts it and sends its deals', async () => {
    const { sim, direct, proxied, proxy } = await account(
      (seen) => (isCreateOf(seen, target.person) ? 'drop' : 'pass'),
      { FERRY_RESOLVE_AFTER_MS: '60000' },
    );
    const child = spawnFerry(proxied, ['migrate', '--full']);
    await until(() => proxy.seen.some((seen) => isCreateOf(seen, target.person)), 'the person’s create');
    // Let the drop reach the client and the rest of the run go on a little.
    const dropped = proxy.seen.findIndex((seen) => isCreateOf(seen, target.person));
    await until(() => proxy.seen.length > dropped + 20, 'twenty more requests', 60_000).catch(() => {});
    child.process.kill('SIGKILL');
    await child.exited;
    expect(dealsNamed(await simState(sim), target.deals)).toEqual([]);
    await expectFinishedAlike(sim, direct, 'killed while the person was uncertain');
  }, 180_000);
});
