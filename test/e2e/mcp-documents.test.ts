import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type BackdocketSim, startBackdocketSim } from '../../src/source/mcp/sim/backdocket-sim.ts';
import { runCli } from '../helpers/run-cli.ts';
import type { SimStateJson } from '../reliability/support.ts';
import { prepareWorkspaceFrom } from './mcp-helpers.ts';

const PIPEDRIVE_TOKEN = 'd0c5d0c5d0c5d0c5d0c5d0c5d0c5d0c5aaaabbbb';
const BACKDOCKET_TOKEN = 'bd-documents-token-9e0d';
const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };

describe('an MCP server that offers no document download', () => {
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

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-documents-'));
    await generateExport({ outDir: join(dir, 'export'), records: 8, seed: 2 });
    backdocket = await startBackdocketSim({
      exportDir: join(dir, 'export'),
      token: BACKDOCKET_TOKEN,
      port: 0,
      documents: false,
    });
    pipedrive = await startSimServer({
      port: 0,
      seed: 'mcp-documents',
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
  }, 300_000);
  afterAll(async () => {
    await Promise.all([backdocket?.close(), pipedrive?.close()]);
  });

  it('counts its documents as not available from this source: skipped with the reason, and listed in the report', async () => {
    const inspect = await ferry('source', 'inspect');
    expect(inspect.stdout).toContain('Documents: no tool returns document content');
    const migrate = await ferry('migrate', '--full');
    expect(migrate.code, migrate.stderr).toBe(0);
    const db = new Database(join(workspace, '.ferry', 'ferry.db'), { readonly: true });
    const documents = db
      .prepare("SELECT source_key FROM source_rows WHERE file = 'documents' AND state = 'present'")
      .pluck()
      .all() as string[];
    const outcomes = db
      .prepare("SELECT outcome, reason FROM row_outcomes WHERE file = 'documents'")
      .all() as { outcome: string; reason: string }[];
    db.close();
    expect(documents.length).toBeGreaterThan(5);
    expect(outcomes).toHaveLength(documents.length);
    for (const outcome of outcomes) {
      expect(outcome.outcome).toBe('skipped');
      expect(outcome.reason).toContain(
        `not available from this source: ${backdocket.url} offers no tool that returns a document's content`,
      );
    }
    const state = (await (await fetch(`${pipedrive.url}/__sim/state`)).json()) as SimStateJson;
    // Only the ledger CSVs Ferry makes itself were uploaded.
    for (const file of state.entities.files ?? []) expect(String(file.name)).toMatch(/^BackDocket ledger /);

    const report = await ferry('report', '--json');
    expect(report.code, report.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(workspace, '.ferry', 'report', 'report.json'), 'utf8')) as {
      sourceDir: string;
      headline: string[];
      documentsNotAvailable: { documents: { record: string; name: string; path: string }[] };
    };
    expect(json.sourceDir).toBe(backdocket.url);
    expect(json.documentsNotAvailable.documents.map((document) => document.record).sort()).toEqual(
      [...documents].sort(),
    );
    expect(json.documentsNotAvailable.documents[0]?.path).toMatch(/^files\//);
    expect(
      json.headline.some((line) =>
        line.includes(`${documents.length} document(s) are not available from this source`),
      ),
    ).toBe(true);
    const html = readFileSync(join(workspace, '.ferry', 'report', 'report.html'), 'utf8');
    expect(html).toContain('Documents not available from this source');
  }, 300_000);
});
