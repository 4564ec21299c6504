import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type BackdocketSim, startBackdocketSim } from '../../src/source/mcp/sim/backdocket-sim.ts';
import { type CliResult, runCli } from '../helpers/run-cli.ts';
import { fingerprints } from '../reliability/fingerprint.ts';
import type { SimStateJson } from '../reliability/support.ts';
import { filesContaining, prepareWorkspaceFrom, WRITE_TOOLS } from './mcp-helpers.ts';

const PIPEDRIVE_TOKEN = 'feedfacefeedfacefeedfacefeedfacefeedface';
const BACKDOCKET_TOKEN = 'bd-rehearsal-token-5f2a9c71e04b';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };

interface Proposal {
  objects: {
    file: string;
    object: string | null;
    entity: string | null;
    fields: { column: string; target: string | null }[];
  }[];
}

describe('extract from a BackDocket MCP server (ferry sim backdocket, real sockets)', () => {
  let dir: string;
  let backdocket: BackdocketSim;
  let pipedriveForFiles: SimServer;
  let pipedriveForMcp: SimServer;
  const outputs: CliResult[] = [];
  const fileWorkspace = () => join(dir, 'from-files');
  const mcpWorkspace = () => join(dir, 'from-mcp');
  const envFor = (sim: SimServer) => ({
    PIPEDRIVE_API_TOKEN: PIPEDRIVE_TOKEN,
    PIPEDRIVE_BASE_URL: sim.url,
    BACKDOCKET_TOKEN,
  });
  const ferry = async (workspace: string, sim: SimServer, ...args: string[]) => {
    const result = await runCli(['--workspace', workspace, ...args], { env: envFor(sim) });
    outputs.push(result);
    return result;
  };
  const state = async (sim: SimServer) =>
    (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimStateJson;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-'));
    await generateExport({ outDir: join(dir, 'export'), records: 30, seed: 5 });
    backdocket = await startBackdocketSim({
      exportDir: join(dir, 'export'),
      token: BACKDOCKET_TOKEN,
      port: 0,
    });
    const pipedrive = () =>
      startSimServer({
        port: 0,
        seed: 'mcp-parity',
        token: PIPEDRIVE_TOKEN,
        rateLimits: false,
        users: [ADMIN],
      });
    [pipedriveForFiles, pipedriveForMcp] = await Promise.all([pipedrive(), pipedrive()]);
    outputs.push(
      ...(await prepareWorkspaceFrom({
        dir: fileWorkspace(),
        source: join(dir, 'export'),
        env: envFor(pipedriveForFiles),
        fallbackOwnerEmail: ADMIN.email,
      })),
      ...(await prepareWorkspaceFrom({
        dir: mcpWorkspace(),
        source: backdocket.url,
        env: envFor(pipedriveForMcp),
        fallbackOwnerEmail: ADMIN.email,
      })),
    );
  }, 300_000);
  afterAll(async () => {
    await Promise.all([backdocket?.close(), pipedriveForFiles?.close(), pipedriveForMcp?.close()]);
  });

  it('gives the same objects, entities and field targets in `map propose` as the file extract', async () => {
    const read = async (workspace: string, sim: SimServer) => {
      const result = await ferry(workspace, sim, 'map', 'propose', '--json');
      expect(result.code, result.stderr).toBe(0);
      const proposal = JSON.parse(result.stdout) as Proposal;
      // Proposing again keeps the person's edits (the fallback owner) but needs a new confirmation.
      expect((await ferry(workspace, sim, 'map', 'confirm')).code).toBe(0);
      return new Map(proposal.objects.map((object) => [object.file.replace(/\.csv$/, ''), object]));
    };
    const files = await read(fileWorkspace(), pipedriveForFiles);
    const mcp = await read(mcpWorkspace(), pipedriveForMcp);
    expect([...mcp.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [table, fromFile] of files) {
      const fromMcp = mcp.get(table)!;
      expect({ table, object: fromMcp.object, entity: fromMcp.entity }).toEqual({
        table,
        object: fromFile.object,
        entity: fromFile.entity,
      });
      const targets = (object: Proposal['objects'][number]) =>
        object.fields
          .map((field) => field.target)
          .filter((target) => target !== null)
          .sort();
      expect(targets(fromMcp), table).toEqual(targets(fromFile));
    }
    // Nested records became their own tables: the claim's contacts, staff and status history.
    expect(mcp.get('claim_contacts')?.fields[0]?.column).toBe('claimId');
    expect(mcp.get('claims')?.fields.some((field) => field.column === 'client.contactId')).toBe(true);
  });

  it('migrates into the same Pipedrive state as the file extract, documents included', async () => {
    const runs = await Promise.all([
      ferry(fileWorkspace(), pipedriveForFiles, 'migrate', '--full', '--json'),
      ferry(mcpWorkspace(), pipedriveForMcp, 'migrate', '--full', '--json'),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const fromFiles = fingerprints(await state(pipedriveForFiles));
    const fromMcp = fingerprints(await state(pipedriveForMcp));
    expect(fromMcp.identities.deals?.length).toBeGreaterThan(20);
    expect(fromMcp.identities.files?.length).toBeGreaterThan(10);
    expect(fromMcp.identities).toEqual(fromFiles.identities);
    // Each claim's ledger CSV names its columns as the source does ('Payee / Payor' in the export,
    // 'payeePayor' from the API): its lines must be equal, and its size differs by its header alone.
    const ledgers = (workspace: string) => join(workspace, '.ferry', 'ledgers');
    const ledgerNames = readdirSync(ledgers(fileWorkspace())).sort();
    expect(readdirSync(ledgers(mcpWorkspace())).sort()).toEqual(ledgerNames);
    expect(ledgerNames.length).toBeGreaterThan(10);
    for (const name of ledgerNames) {
      const [fileHeader, ...fileLines] = readFileSync(join(ledgers(fileWorkspace()), name), 'utf8').split(
        '\r\n',
      );
      const [mcpHeader, ...mcpLines] = readFileSync(join(ledgers(mcpWorkspace()), name), 'utf8').split(
        '\r\n',
      );
      expect(mcpLines, name).toEqual(fileLines);
      const claim = name.replace(/\.csv$/, '');
      const size = (records: Record<string, Record<string, unknown>>) =>
        records[`files/claim:${claim}:BackDocket ledger ${claim}.csv`]?.file_size as number;
      expect(size(fromFiles.records) - size(fromMcp.records), name).toBe(
        Buffer.byteLength(fileHeader ?? '') - Buffer.byteLength(mcpHeader ?? ''),
      );
    }
    const withoutLedgerSizes = (records: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(
        Object.entries(records).map(([key, record]) => [
          key,
          /:BackDocket ledger .*\.csv$/.test(key) ? { ...record, file_size: '(ledger)' } : record,
        ]),
      );
    expect(withoutLedgerSizes(fromMcp.records)).toEqual(withoutLedgerSizes(fromFiles.records));
  }, 300_000);

  it('called only read-only tools, and never a write tool', () => {
    const called = backdocket.calls().filter((call) => call.method === 'tools/call');
    expect(called.length).toBeGreaterThan(50);
    const names = new Set(called.map((call) => call.tool));
    expect([...names].sort()).toEqual(
      [
        'advanced_search',
        'get_claim',
        'get_contact',
        'get_document_content',
        'list_tasks',
        'search_claims',
        'search_contacts',
      ].sort(),
    );
    for (const write of WRITE_TOOLS) expect(names.has(write), write).toBe(false);
  });

  it('never writes the BackDocket token to the workspace or its output', () => {
    expect(filesContaining(mcpWorkspace(), BACKDOCKET_TOKEN)).toEqual([]);
    for (const output of outputs) {
      expect(output.stdout).not.toContain(BACKDOCKET_TOKEN);
      expect(output.stderr).not.toContain(BACKDOCKET_TOKEN);
    }
  });
});
