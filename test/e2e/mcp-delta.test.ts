import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type BackdocketSim, startBackdocketSim } from '../../src/source/mcp/sim/backdocket-sim.ts';
import { runCli } from '../helpers/run-cli.ts';
import type { SimStateJson } from '../reliability/support.ts';
import { prepareWorkspaceFrom } from './mcp-helpers.ts';

const PIPEDRIVE_TOKEN = 'deltadeltadeltadeltadeltadeltadeltadelta';
const BACKDOCKET_TOKEN = 'bd-delta-token-0c4e11d2';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };

type Rec = Record<string, unknown>;

describe('ferry migrate --delta on an MCP workspace: re-pulls with modified-since and takes the delta path', () => {
  let dir: string;
  let backdocket: BackdocketSim;
  let pipedrive: SimServer;
  let workspace: string;
  const env = () => ({
    PIPEDRIVE_API_TOKEN: PIPEDRIVE_TOKEN,
    PIPEDRIVE_BASE_URL: pipedrive.url,
    BACKDOCKET_TOKEN,
  });
  const ferry = (...args: string[]) => runCli(['--workspace', workspace, ...args], { env: env() });
  const state = async () => (await (await fetch(`${pipedrive.url}/__sim/state`)).json()) as SimStateJson;
  const live = (s: SimStateJson, collection: string) =>
    (s.entities[collection] ?? []).filter((record) => record.is_deleted !== true);
  const dealFor = (s: SimStateJson, claim: string) => {
    const key = s.fields.deal?.find((field) => field.field_name === 'BackDocket ID')?.field_code ?? '';
    return live(s, 'deals').find((deal) => (deal.custom_fields as Rec)[key] === `claim:${claim}`);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-delta-'));
    await generateExport({ outDir: join(dir, 'export'), records: 20, seed: 6 });
    backdocket = await startBackdocketSim({
      exportDir: join(dir, 'export'),
      token: BACKDOCKET_TOKEN,
      port: 0,
    });
    pipedrive = await startSimServer({
      port: 0,
      seed: 'mcp-delta',
      token: PIPEDRIVE_TOKEN,
      rateLimits: false,
      users: [ADMIN],
    });
    workspace = join(dir, 'workspace');
    await prepareWorkspaceFrom({
      dir: workspace,
      source: backdocket.url,
      env: env(),
      fallbackOwnerEmail: ADMIN.email,
    });
    const full = await ferry('migrate', '--full');
    expect(full.code, full.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([backdocket?.close(), pipedrive?.close()]);
  });

  it('updates what changed in BackDocket, creates what is new, reports what vanished', async () => {
    const claims = (await (await fetch(new URL('/__sim/calls', backdocket.url))).json()) as unknown[];
    expect(claims.length).toBeGreaterThan(0);
    // Someone works in BackDocket: a claim renamed and one of its contacts taken off it, a contact added,
    // a task deleted.
    const claim = await callTool('get_claim', { claimId: 1003 });
    const contacts = claim.contacts as Rec[];
    expect(contacts.length).toBeGreaterThan(1);
    backdocket.change({
      op: 'update',
      entity: 'claims',
      id: '1003',
      fields: { claimName: 'Renamed in BackDocket', contacts: [contacts[0]!] as never },
    });
    backdocket.change({
      op: 'insert',
      entity: 'contacts',
      record: {
        id: 9999,
        contactType: 'Person',
        firstName: 'Newly',
        lastName: 'Added',
        email: 'newly.added@example.com',
      },
    });
    const task = (await callTool('list_tasks', { limit: 1 })).tasks as Rec[];
    backdocket.change({ op: 'delete', entity: 'tasks', id: String(task[0]!.id) });
    const callsBefore = backdocket.calls().length;

    const result = await ferry('migrate', '--delta', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      vanished: { file: string; sourceKey: string }[];
      stats: Record<string, { created: number; updated: number }>;
    };
    const after = await state();
    expect(dealFor(after, '1003')?.title).toBe('Renamed in BackDocket');
    expect(live(after, 'persons').some((person) => person.name === 'Newly Added')).toBe(true);
    expect(report.vanished).toContainEqual(
      expect.objectContaining({ file: 'tasks', sourceKey: String(task[0]!.id) }),
    );
    expect(report.vanished.filter((row) => row.file === 'claim_contacts')).toHaveLength(contacts.length - 1);

    // Claims were listed with the modified-since filter, and only the changed one was read in detail.
    const calls = backdocket
      .calls()
      .slice(callsBefore)
      .filter((call) => call.method === 'tools/call');
    const listings = calls.filter((call) => call.tool === 'search_claims');
    expect(listings.length).toBeGreaterThan(0);
    for (const listing of listings) expect(listing.arguments?.modifiedSince).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(calls.filter((call) => call.tool === 'get_claim').map((call) => call.arguments?.claimId)).toEqual([
      1003,
    ]);
    // Contacts offer no filter: listed in full (the new one found that way).
    expect(
      calls.some((call) => call.tool === 'search_contacts' && call.arguments?.modifiedSince === undefined),
    ).toBe(true);
  }, 300_000);

  it('a second delta with no change in BackDocket writes nothing', async () => {
    const result = await ferry('migrate', '--delta', '--json');
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout).stats as Record<string, { created: number; updated: number }>;
    for (const [entity, counts] of Object.entries(stats))
      expect({ entity, ...counts }).toMatchObject({ entity, created: 0, updated: 0 });
  }, 300_000);

  async function callTool(name: string, args: Rec): Promise<Rec> {
    const response = await fetch(backdocket.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${BACKDOCKET_TOKEN}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name, arguments: args },
      }),
    });
    const body = (await response.json()) as { result: { content: { text: string }[] } };
    return JSON.parse(body.result.content[0]!.text) as Rec;
  }
});
