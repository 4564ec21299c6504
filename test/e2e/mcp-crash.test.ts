import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport } from '../../src/source/backdocket/generate/index.ts';
import { type BackdocketSim, startBackdocketSim } from '../../src/source/mcp/sim/backdocket-sim.ts';
import { FERRY_BIN, runCli } from '../helpers/run-cli.ts';

const TOKEN = 'bd-crash-token-77c1e09a';

/** What an extraction leaves in the store that every later command reads (run timestamps aside). */
function storeDump(workspace: string): Record<string, unknown[]> {
  const db = new Database(join(workspace, '.ferry', 'ferry.db'), { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      rows: all(
        'SELECT file, source_key, line, content_hash, values_json, state, first_run, changed_run, prev_content_hash FROM source_rows ORDER BY file, source_key',
      ),
      files: all(
        'SELECT file, object, confidence, reason, row_count, key_column, format, columns_json, present FROM source_files ORDER BY file',
      ),
      columns: all('SELECT file, idx, name, profile_json FROM source_columns ORDER BY file, idx'),
      issues: all(
        'SELECT code, severity, message, file, line, source_key, field FROM extract_issues ORDER BY id',
      ),
      changes: all(
        'SELECT run_id, file, source_key, change FROM source_row_changes ORDER BY run_id, file, source_key',
      ),
      runs: all("SELECT id, status FROM extract_runs WHERE status = 'done' ORDER BY id"),
    };
  } finally {
    db.close();
  }
}

function count(workspace: string, sql: string): number {
  try {
    const db = new Database(join(workspace, '.ferry', 'ferry.db'), { readonly: true, fileMustExist: true });
    try {
      return Number(db.prepare(sql).pluck().get() ?? 0);
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Starts `ferry extract` and SIGKILLs it once `ready()` holds (polled), or lets it finish. */
function extractKilledWhen(
  workspace: string,
  ready: () => boolean,
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FERRY_BIN, '--workspace', workspace, 'extract'], {
      env: { ...process.env, BACKDOCKET_TOKEN: TOKEN },
      stdio: 'ignore',
    });
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && ready()) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 25);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ killed, code });
    });
  });
}

describe('a killed MCP extract resumes after its last stored page', () => {
  let dir: string;
  let whole: BackdocketSim;
  let killed: BackdocketSim;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-mcp-crash-'));
    await generateExport({ outDir: join(dir, 'export'), records: 60, seed: 11 });
    // A little latency per call, so that a pull lasts long enough to be killed in each of its phases.
    const start = () =>
      startBackdocketSim({ exportDir: join(dir, 'export'), token: TOKEN, port: 0, faults: { latencyMs: 6 } });
    [whole, killed] = await Promise.all([start(), start()]);
    for (const [name, sim] of [
      ['whole', whole],
      ['killed', killed],
    ] as const) {
      const init = await runCli(['--workspace', join(dir, name), 'init', '--source', sim.url]);
      expect(init.code, init.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all([whole?.close(), killed?.close()]);
  });

  it('kill -9 during listing, detail calls and documents, then a re-run: the same store as one uninterrupted pull', async () => {
    const uninterrupted = await runCli(['--workspace', join(dir, 'whole'), 'extract'], {
      env: { BACKDOCKET_TOKEN: TOKEN },
    });
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    const workspace = join(dir, 'killed');
    const pages = () => count(workspace, 'SELECT count(*) FROM mcp_pages');
    const documents = () => count(workspace, 'SELECT count(*) FROM mcp_documents');
    // Three kills: a few pages in, many pages in (inside the claims' detail calls), among the documents.
    const kills = [() => pages() >= 2, () => pages() >= 9, () => documents() >= 5];
    const journaledBefore: string[][] = [];
    for (const ready of kills) {
      const run = await extractKilledWhen(workspace, ready);
      expect(run.killed, 'the pull ended before it could be killed').toBe(true);
      journaledBefore.push(listRequests(workspace));
    }
    // Nothing is presented as extracted while the pull is unfinished.
    expect(count(workspace, 'SELECT count(*) FROM source_rows')).toBe(0);
    const callsBeforeLastRun = killed.calls().length;
    const finish = await runCli(['--workspace', workspace, 'extract', '--json'], {
      env: { BACKDOCKET_TOKEN: TOKEN },
    });
    expect(finish.code, finish.stderr).toBe(0);
    expect(JSON.parse(finish.stdout).resumed).toBe(true);

    expect(storeDump(workspace)).toEqual(storeDump(join(dir, 'whole')));

    // Pages stored before the last kill were not asked for again.
    const stored = new Set(journaledBefore.at(-1));
    const askedAfter = killed
      .calls()
      .slice(callsBeforeLastRun)
      .filter((call) => call.method === 'tools/call')
      .map((call) => `${call.tool} ${JSON.stringify(call.arguments)}`);
    expect(stored.size).toBeGreaterThan(8);
    expect(askedAfter.filter((request) => stored.has(request))).toEqual([]);
  }, 600_000);

  it('a crash after the rows were written but before the inventory was: the re-run finishes the same pull', async () => {
    const workspace = join(dir, 'whole');
    const before = storeDump(workspace);
    // The store as a crash right after the rows' transaction leaves it: the pull 'written', its inventory,
    // issues and delta counts not yet recorded, the run not finished.
    const db = new Database(join(workspace, '.ferry', 'ferry.db'));
    const runId = db
      .prepare("SELECT max(run_id) FROM mcp_pulls WHERE state = 'done'")
      .pluck()
      .get() as number;
    db.transaction(() => {
      db.prepare("UPDATE mcp_pulls SET state = 'written', finished_at = NULL WHERE run_id = ?").run(runId);
      db.prepare(
        "UPDATE extract_runs SET status = 'running', finished_at = NULL, summary_json = NULL WHERE id = ?",
      ).run(runId);
      db.prepare('DELETE FROM source_columns').run();
      db.prepare('DELETE FROM source_files').run();
      db.prepare('DELETE FROM extract_issues').run();
      db.prepare('DELETE FROM extract_file_deltas WHERE run_id = ?').run(runId);
    })();
    db.close();
    const callsBefore = whole.calls().length;
    const finish = await runCli(['--workspace', workspace, 'extract', '--json'], {
      env: { BACKDOCKET_TOKEN: TOKEN },
    });
    expect(finish.code, finish.stderr).toBe(0);
    expect(JSON.parse(finish.stdout).resumed).toBe(true);
    // Nothing needed asking again: the rows were already in.
    expect(
      whole
        .calls()
        .slice(callsBefore)
        .filter((call) => call.method === 'tools/call'),
    ).toEqual([]);
    expect(storeDump(workspace)).toEqual(before);
  }, 300_000);

  it('a re-run with no changes stores nothing new', async () => {
    const workspace = join(dir, 'killed');
    const before = storeDump(workspace);
    const again = await runCli(['--workspace', workspace, 'extract', '--json'], {
      env: { BACKDOCKET_TOKEN: TOKEN },
    });
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as {
      delta: Record<string, { new: number; changed: number; vanished: number }>;
    };
    for (const [table, delta] of Object.entries(result.delta))
      expect({ table, ...delta }).toMatchObject({ table, new: 0, changed: 0, vanished: 0 });
    const after = storeDump(workspace);
    expect(after.rows).toEqual(before.rows);
    expect(after.changes).toEqual(before.changes);
  }, 300_000);
});

/** The listing requests journaled so far, as `tool {arguments}` (the form the server logs them in). */
function listRequests(workspace: string): string[] {
  const db = new Database(join(workspace, '.ferry', 'ferry.db'), { readonly: true });
  try {
    const plan = JSON.parse(
      (db
        .prepare("SELECT plan_json FROM mcp_pulls WHERE state = 'fetching' ORDER BY run_id DESC LIMIT 1")
        .pluck()
        .get() as string) ?? '{"tables":[]}',
    ) as { tables: { table: string; tool: string }[] };
    const toolOf = new Map(plan.tables.map((table) => [table.table, table.tool]));
    return (
      db.prepare('SELECT stream, request_json FROM mcp_pages').all() as {
        stream: string;
        request_json: string;
      }[]
    ).map((row) => `${toolOf.get(row.stream)} ${row.request_json}`);
  } finally {
    db.close();
  }
}
