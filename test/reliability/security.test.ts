import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/index.ts';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import {
  ferry,
  filesContaining,
  type SimStateJson,
  setFaults,
  simAdmin,
  simState,
  spawnFerry,
  startSim,
  tempDir,
  type Workspace,
  workspaceFor,
} from './support.ts';

const TOKEN = '7e57ab1e7e57ab1e7e57ab1e7e57ab1e7e57ab1e';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_NOTE = 'Met client.<script>alert(1)</script><img src=x onerror="alert(2)"><b>kept</b>';
const PASSWD = readFileSync('/etc/passwd');

/** Plants hostile values in a generated export: a contact name, note HTML, and two escaping document paths. */
function plantHostileValues(exportDir: string): void {
  const contactsPath = join(exportDir, 'contacts.csv');
  const contacts = readFileSync(contactsPath, 'utf8').split('\r\n');
  const first = contacts[1]!.split(',');
  first[3] = `"${HOSTILE_NAME}"`;
  contacts[1] = first.join(',');
  writeFileSync(contactsPath, contacts.join('\r\n'));
  const notesPath = join(exportDir, 'notes.csv');
  const notes = readFileSync(notesPath, 'utf8').split('\r\n');
  const note = notes[1]!.split(',');
  note[5] = `"${HOSTILE_NOTE.replace(/"/g, '""')}"`;
  notes[1] = note.join(',');
  writeFileSync(notesPath, notes.join('\r\n'));
  const documentsPath = join(exportDir, 'documents.csv');
  const documents = readFileSync(documentsPath, 'utf8').split('\r\n');
  const header = documents[0]!.split(',');
  const pathColumn = header.indexOf('Storage Path');
  const shaColumn = header.indexOf('SHA-256');
  const pointOutside = (row: number, path: string) => {
    const cells = documents[row]!.split(',');
    cells[pathColumn] = path;
    cells[shaColumn] = '';
    documents[row] = cells.join(',');
  };
  pointOutside(1, '../../etc/passwd');
  pointOutside(2, 'files/../../../../../../etc/passwd');
  // A link inside the export that points outside it.
  symlinkSync('/etc/passwd', join(exportDir, 'files', 'innocent.pdf'));
  pointOutside(3, 'files/innocent.pdf');
  writeFileSync(documentsPath, documents.join('\r\n'));
}

describe('security', () => {
  let sim: SimServer;
  let ws: Workspace;
  const outputs: string[] = [];
  let state: SimStateJson;

  beforeAll(async () => {
    sim = await startSim(TOKEN, 'security');
    const exportDir = tempDir('security-export');
    await generateExport({ outDir: exportDir, records: 6, seed: 9 });
    plantHostileValues(exportDir);
    ws = await workspaceFor(exportDir, sim, TOKEN);
    ws.env.FERRY_REQUEST_TIMEOUT_MS = '1500';
    // A run that meets faults and a revoked token (401), then completes once the token is back.
    await setFaults(sim, '5xx=0.05,reset=0.03,lost=0.03');
    const first = spawnFerry(ws, ['migrate', '--full']);
    const deadline = Date.now() + 60_000;
    while ((await simState(sim)).entities.persons!.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await simAdmin(sim, 'token', { revoke: true });
    expect(await first.exited, first.output()).toBe(2);
    outputs.push(first.output());
    await simAdmin(sim, 'token', {});
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const result = await ferry(ws, 'migrate', '--full');
      outputs.push(result.stdout, result.stderr);
      if (result.code === 0) break;
    }
    await setFaults(sim, '');
    for (const args of [['validate'], ['verify'], ['report'], ['report', '--json'], ['status', '--json']]) {
      const result = await ferry(ws, ...args);
      outputs.push(result.stdout, result.stderr);
    }
    state = await simState(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('the token appears in no workspace file, no command output and no report, after faults and a 401', () => {
    expect(outputs.join('\n')).toContain('Pipedrive rejected the API token (401)');
    expect(outputs.filter((output) => output.includes(TOKEN))).toEqual([]);
    const scan = filesContaining(ws.dir, TOKEN);
    expect(scan.found).toEqual([]);
    console.log(
      `token scan: ${outputs.length} command outputs and ${scan.scanned} workspace files, no token`,
    );
  });

  it('no document outside the export folder reaches Pipedrive (../, and a symlink out)', async () => {
    const uploads = state.entities.files!.filter((file) => file.is_deleted !== true);
    expect(uploads.length).toBeGreaterThan(0);
    for (const file of uploads) {
      const bytes = Buffer.from(
        await (
          await fetch(`${sim.url}/api/v1/files/${file.id}/download`, { headers: { 'x-api-token': TOKEN } })
        ).arrayBuffer(),
      );
      expect(bytes.equals(PASSWD), `file ${String(file.name)} holds /etc/passwd`).toBe(false);
    }
    const validate = await ferry(ws, 'validate');
    // The two paths and the link are refused and named as leaving the export, not as missing files.
    expect(validate.stdout).toMatch(/\[error\] document_outside_export × 3/);
    expect(validate.stdout).toContain(
      'storage path "files/innocent.pdf" leads outside the export folder — refused',
    );
  });

  it('note HTML reaches Pipedrive without scripts or event handlers', () => {
    const note = state.entities.notes!.find((n) => String(n.content).includes('Met client.'));
    expect(note, 'the hostile note was migrated').toBeDefined();
    const content = String(note!.content);
    expect(content).not.toMatch(/<script/i);
    expect(content).not.toMatch(/onerror/i);
    expect(content).toContain('kept');
  });

  it('the HTML report shows source values as text', () => {
    const html = readFileSync(join(ws.dir, '.ferry', 'report', 'report.html'), 'utf8');
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).not.toMatch(/\sonerror=/i);
  });
});

describe('security: ferry ui', () => {
  let ui: ReturnType<typeof spawnFerry>;
  let url: URL;

  beforeAll(async () => {
    const dir = tempDir('security-ui');
    ui = spawnFerry({ dir, env: {} }, ['--json', 'ui']);
    const deadline = Date.now() + 30_000;
    while (!/"url"/.test(ui.output()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    url = new URL(/"url":\s*"([^"]+)"/.exec(ui.output())?.[1] ?? 'http://missing');
  });
  afterAll(async () => {
    ui.process.kill('SIGTERM');
    await ui.exited;
  });

  it('refuses requests without its token or with a wrong one', async () => {
    const bare = `http://127.0.0.1:${url.port}`;
    for (const path of ['/', '/api/progress', '/mapping', '/report']) {
      expect((await fetch(`${bare}${path}`)).status, path).toBe(403);
      expect((await fetch(`${bare}${path}?token=${'0'.repeat(64)}`)).status, path).toBe(403);
    }
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{64}$/);
    expect((await fetch(url)).status).not.toBe(403);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        (cells) => cells[3] === '0A' && Number.parseInt(cells[1]!.split(':')[1]!, 16) === Number(url.port),
      )
      .map((cells) => cells[1]!.split(':')[0]);
    expect(listening).toEqual(['0100007F']);
    const tcp6 = readFileSync('/proc/net/tcp6', 'utf8');
    expect(tcp6).not.toMatch(
      new RegExp(`:${Number(url.port).toString(16).toUpperCase().padStart(4, '0')} .* 0A `),
    );
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) {
      const reached = await fetch(`http://${external.address}:${url.port}/`).then(
        () => true,
        () => false,
      );
      expect(reached, `reachable on ${external.address}`).toBe(false);
    }
  });
});
