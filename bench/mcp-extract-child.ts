/**
 * Child process of bench/mcp-extract.bench.ts, so each measurement has its own CPU time and peak RSS:
 *   node --import tsx bench/mcp-extract-child.ts ferry|bare URL TOKEN [DB_PATH DOCUMENTS_DIR]
 * `ferry`: the MCP extract into a workspace store (pages journaled, details, documents, rows, profiles,
 * checks). `bare`: the floor — the same tool calls through the same SDK client (listing pages, detail
 * and document calls, same concurrency), each answer parsed and dropped.
 * Prints one JSON line: { records (listed), rows (table rows stored; ferry only), calls, ms, cpuMs, maxRssMb }.
 */

import { extractFromMcp, mapLimit } from '../src/source/mcp/extract-mcp.ts';
import { connectMcp } from '../src/source/mcp/mcp-connection.ts';
import { firstPageArguments, readPage, recordIdOf } from '../src/source/mcp/pages.ts';
import { politeFetch } from '../src/source/mcp/polite-fetch.ts';
import { assembleReadPlan } from '../src/source/mcp/read-plan.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';

const [mode, url, token, dbPath, documentsDir] = process.argv.slice(2) as [
  string,
  string,
  string,
  string?,
  string?,
];
const cpuBefore = process.cpuUsage();
const started = performance.now();
const connection = await connectMcp({ server: url, auth: { kind: 'bearer', token }, fetch: politeFetch() });
const { plan } = assembleReadPlan({ tools: connection.tools });
let records = 0;
let rows = 0;
let calls = 0;
if (mode === 'ferry') {
  const store = SqliteStore.open({ path: dbPath as string });
  const result = await extractFromMcp({ store, connection, plan, documentsDir: documentsDir as string });
  rows = result.files.reduce((n, f) => n + f.rowCount, 0);
  records = Number(
    store.db.prepare('SELECT sum(records) FROM mcp_pages WHERE run_id = ?').pluck().get(result.runId),
  );
  calls = result.calls.list + result.calls.detail + result.calls.documents;
  store.close();
} else {
  connection.allowOnly(plan.tools.filter((tool) => tool.access === 'read').map((tool) => tool.name));
  const documentIds: string[] = [];
  for (const table of plan.tables) {
    let args: Record<string, import('../src/source/mcp/records-to-tables.ts').JsonValue> | null =
      firstPageArguments(table);
    let before = 0;
    while (args) {
      const answer = await connection.callTool(table.tool, args, {});
      calls += 1;
      const page = readPage({ json: answer.json, plan: table, args, recordsBefore: before });
      before += page.records.length;
      await mapLimit(page.records, plan.concurrency, async (record) => {
        if (!table.detail) return;
        const id = recordIdOf(record, table);
        await connection.callTool(
          table.detail.tool,
          { [table.detail.idArgument]: Number(id) || (id as string) },
          {},
        );
        calls += 1;
      });
      records += page.records.length;
      if (table.table === plan.documents?.table)
        for (const record of page.records) documentIds.push(String(recordIdOf(record, table)));
      args = page.next;
    }
  }
  if (plan.documents) {
    const tool = plan.documents;
    await mapLimit(documentIds, plan.concurrency, async (id) => {
      await connection
        .callTool(tool.tool, { [tool.idArgument]: Number(id) || id }, {})
        .catch(() => undefined);
      calls += 1;
    });
  }
}
await connection.close();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ records, rows, calls, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
