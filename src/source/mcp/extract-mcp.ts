import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { type Clock, systemClock } from '../../core/clock.ts';
import { FerryError } from '../../core/errors.ts';
import type { Issue } from '../../core/issues.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';
import { DocumentFiles } from '../backdocket/document-files.ts';
import { type ExtractResult, sortIssues, withReferences } from '../backdocket/extract-export.ts';
import { iterateRowValues, replaceIssues, saveFile } from '../backdocket/extract-store.ts';
import { findSharedValues, runQualityChecks } from '../backdocket/quality/index.ts';
import { profileStoredTable, type TableToWrite, writePulledTables } from './commit-pull.ts';
import { documentBytes, documentPath, saveDocument } from './documents.ts';
import type { McpConnection } from './mcp-connection.ts';
import type { ReadPlan, TablePlan } from './model.ts';
import { firstPageArguments, PageGuard, PageProblem, readPage, recordIdOf } from './pages.ts';
import { PullJournal, type WrittenState } from './pull-journal.ts';
import { flattenRecord, type JsonObject, type JsonValue } from './records-to-tables.ts';

/** Progress of a pull, per table: records and pages so far, and the rate. */
export interface McpProgress {
  readonly phase: 'list' | 'documents' | 'commit';
  readonly table: string;
  readonly records: number;
  readonly pages: number;
  /** Records per second over the table so far. */
  readonly rate: number;
  readonly total: number | null;
}

export interface McpExtractOptions {
  readonly store: SqliteStore;
  readonly connection: McpConnection;
  readonly plan: ReadPlan;
  /** The workspace folder downloaded documents go to (the workspace's source folder for an MCP source). */
  readonly documentsDir: string;
  /** Pull only records changed since the last pull, where a listing offers a modified-since argument. */
  readonly changedOnly?: boolean | undefined;
  readonly onProgress?: ((progress: McpProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock | undefined;
}

/** What a pull did besides the extraction result every source gives. */
export interface McpExtractResult extends ExtractResult {
  readonly resumed: boolean;
  /** Tables read with a modified-since filter (a delta pull), and the date it used. */
  readonly changedSince: { readonly since: string; readonly tables: readonly string[] } | null;
  readonly documents: DocumentAvailability;
  /** Calls made by this invocation (a resumed pull does not repeat the stored pages). */
  readonly calls: { readonly list: number; readonly detail: number; readonly documents: number };
}

/** Whether the source's documents could be downloaded (stored in the workspace meta for the report). */
export interface DocumentAvailability {
  readonly available: boolean;
  readonly table: string | null;
  readonly downloaded: number;
  /** Documents the server listed but could not give (with the reason), or all of them without a tool. */
  readonly unavailable: number;
  readonly reason: string | null;
}

export const DOCUMENTS_META = 'mcp.documents';

/**
 * `ferry extract` from a BackDocket MCP server: reads every table of the plan through its read-only
 * tools, a page at a time (each page journaled with its rows), calls the detail tool per record with
 * bounded concurrency, downloads documents where a tool offers them, and only then writes the tables into
 * the store the way the export reader does (rows, delta, profiles, checks). A killed pull resumes after
 * its last stored page; a failed one presents nothing as extracted.
 * @example await extractFromMcp({ store, connection, plan, documentsDir: '.ferry/source-files' })
 */
export async function extractFromMcp(options: McpExtractOptions): Promise<McpExtractResult> {
  const { store, connection, plan } = options;
  // Every call in flight listens to the abort signal (detail and document calls run several at a time).
  if (options.signal) setMaxListeners(Math.max(20, plan.concurrency * 4), options.signal);
  const clock = options.clock ?? systemClock;
  const now = () => new Date(clock.now()).toISOString();
  const journal = new PullJournal(store);
  const server = connection.server;
  const planJson = JSON.stringify({ tables: plan.tables, documents: plan.documents });
  const planHash = createHash('sha256').update(planJson).digest('hex');
  const last = journal.lastDone(server);
  const since = options.changedOnly && last ? dayBefore(last.startedAt) : null;
  const filtered = since
    ? plan.tables.filter((table) => table.modifiedSince !== null).map((table) => table.table)
    : [];

  const open = journal.openPull(server);
  let runId: number;
  let resumed = false;
  if (open && open.planHash === planHash && open.since === since) {
    runId = open.runId;
    resumed = true;
    journal.reopen(runId);
  } else {
    if (open)
      journal.abandon(
        open.runId,
        open.planHash === planHash ? 'a pull of another kind was started' : 'the read plan changed',
        now(),
      );
    runId = journal.start({ server, planJson, planHash, since, now: now() });
  }
  connection.allowOnly(readToolsOf(plan));
  const calls = { list: 0, detail: 0, documents: 0 };
  const state = journal.written(runId) ? 'written' : 'fetching';
  try {
    if (state === 'fetching') {
      for (const table of plan.tables) {
        await pullListing({
          ...options,
          journal,
          runId,
          table,
          since: filtered.includes(table.table) ? since : null,
          calls,
          now,
        });
      }
      const documents = await pullDocuments({ ...options, journal, runId, calls });
      const staged = journal.stagedTables(runId);
      const tables = tablesToWrite({ staged, filtered, previous: last?.written ?? null });
      const present = store.db
        .prepare('SELECT file FROM source_files WHERE present = 1')
        .pluck()
        .all() as string[];
      const keep = new Set(tables.map((table) => table.table));
      const refetched = new Map(
        filtered.map((stream) => [stream, new Set(journal.storedIds(runId, stream))]),
      );
      options.onProgress?.({ phase: 'commit', table: '', records: 0, pages: 0, rate: 0, total: null });
      writePulledTables({
        store,
        journal,
        runId,
        tables,
        refetched,
        vanishTables: present.filter((file) => !keep.has(file)),
        documents,
      });
    }
    const written = journal.written(runId)!;
    const documents = written.documents ?? NO_DOCUMENTS;
    const result = await finishPull({
      store,
      journal,
      runId,
      server,
      written,
      documents,
      documentsDir: options.documentsDir,
      plan,
      now,
    });
    return { ...result, resumed, changedSince: since ? { since, tables: filtered } : null, documents, calls };
  } catch (error) {
    journal.fail(runId, error instanceof Error ? error.message : String(error), now());
    throw error;
  }
}

/** The tools the plan calls: the only ones the connection lets through. */
export function readToolsOf(plan: ReadPlan): string[] {
  const names = new Set<string>();
  for (const table of plan.tables) {
    names.add(table.tool);
    if (table.detail) names.add(table.detail.tool);
  }
  if (plan.documents) names.add(plan.documents.tool);
  // Belt and braces: only tools the plan itself judged read-only.
  const read = new Set(plan.tools.filter((tool) => tool.access === 'read').map((tool) => tool.name));
  return [...names].filter((name) => read.has(name));
}

/** One day before a pull's start, as a date: records stamped with a date only are not missed. */
function dayBefore(iso: string): string {
  return new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10);
}

interface PullContext extends McpExtractOptions {
  readonly journal: PullJournal;
  readonly runId: number;
  readonly calls: { list: number; detail: number; documents: number };
}

async function pullListing(
  context: PullContext & { table: TablePlan; since: string | null; now: () => string },
): Promise<void> {
  const { connection, journal, runId, table, signal } = context;
  const clock = context.clock ?? systemClock;
  const stream = table.table;
  const entries = journal.pages(runId, stream);
  const last = entries.at(-1);
  let records = entries.reduce((sum, entry) => sum + entry.records, 0);
  let pages = entries.length;
  if (last && last.next === null) {
    context.onProgress?.({ phase: 'list', table: stream, records, pages, rate: 0, total: last.total });
    return;
  }
  const cursorParam = table.paging.style === 'cursor' ? table.paging.param : null;
  const guard = new PageGuard(
    table,
    last
      ? {
          ids: journal.storedIds(runId, stream),
          lastHash: last.idsHash,
          total: entries.find((entry) => entry.total !== null)?.total ?? null,
          pages: entries.length,
          cursors: cursorParam
            ? entries.map((entry) => String(entry.request[cursorParam] ?? '')).filter(Boolean)
            : [],
        }
      : undefined,
  );
  let args: Record<string, JsonValue> =
    last?.next ??
    firstPageArguments(
      table,
      context.since && table.modifiedSince ? { [table.modifiedSince]: context.since } : {},
    );
  let page = last ? last.page + 1 : 0;
  const started = clock.now();
  let fetchedHere = 0;
  for (;;) {
    signal?.throwIfAborted();
    const answer = await connection.callTool(table.tool, args, { table: stream, page }, signal);
    context.calls.list += 1;
    const where = `${table.tool} (table ${stream}, page ${page + 1}) on ${connection.server}`;
    let read: ReturnType<typeof readPage>;
    let hash: string;
    try {
      read = readPage({ json: answer.json, plan: table, args, recordsBefore: records });
      hash = guard.check(read, args);
    } catch (error) {
      if (!(error instanceof PageProblem)) throw error;
      // The listing cannot be trusted from here: the next extract reads it again from its first page.
      journal.resetStream(runId, stream);
      throw pageError(error, where);
    }
    const rows = await mapLimit(read.records, context.plan.concurrency, async (record, index) => {
      const full = table.detail ? await detailRecord(context, table, record, page) : record;
      return flattenRecord(full, { table: stream, idField: table.idField ?? undefined }).map((row) => ({
        pos: index,
        row,
      }));
    });
    journal.storePage({
      runId,
      stream,
      entry: {
        page,
        request: args,
        next: read.next,
        records: read.records.length,
        total: read.total,
        idsHash: hash,
      },
      rows: rows.flat(),
      now: context.now(),
    });
    records += read.records.length;
    fetchedHere += read.records.length;
    pages += 1;
    const seconds = Math.max(0.001, (clock.now() - started) / 1000);
    context.onProgress?.({
      phase: 'list',
      table: stream,
      records,
      pages,
      rate: fetchedHere / seconds,
      total: read.total,
    });
    if (!read.next) return;
    args = read.next;
    page += 1;
  }
}

async function detailRecord(
  context: PullContext,
  table: TablePlan,
  record: JsonObject,
  page: number,
): Promise<JsonObject> {
  const detail = table.detail!;
  const id = recordIdOf(record, table);
  if (id === null) {
    throw new FerryError(
      'terminal',
      `A record listed by ${table.tool} (table ${table.table}, page ${page + 1}) on ${context.connection.server} has no id to call ${detail.tool} with. Name its id field (idField) in source.yaml.`,
      { code: 'E_MCP_NO_ID' },
    );
  }
  const field = table.idField ?? Object.keys(record).find((key) => String(record[key]) === id);
  const original = field !== undefined ? record[field] : id;
  const answer = await context.connection.callTool(
    detail.tool,
    { [detail.idArgument]: typeof original === 'number' ? original : id },
    { table: table.table, page, record: id },
    context.signal,
  );
  context.calls.detail += 1;
  const json = answer.json;
  const unwrapped = unwrapRecord(json);
  if (!unwrapped) {
    throw new FerryError(
      'terminal',
      `${detail.tool} (table ${table.table}, page ${page + 1}, record ${id}) on ${context.connection.server} answered something that is not a record. Set detail: false for this table in source.yaml to use the listing's records.`,
      { code: 'E_MCP_DETAIL_SHAPE' },
    );
  }
  return unwrapped;
}

/** A detail answer's record: the object itself, or the one object it wraps (`{ claim: {…} }`, `[{…}]`). */
function unwrapRecord(json: JsonValue | undefined): JsonObject | undefined {
  if (Array.isArray(json)) return json.length === 1 ? unwrapRecord(json[0]) : undefined;
  if (!json || typeof json !== 'object') return undefined;
  const keys = Object.keys(json);
  const only = keys.length === 1 ? (json as JsonObject)[keys[0]!] : undefined;
  if (only && typeof only === 'object' && !Array.isArray(only)) return only as JsonObject;
  return json as JsonObject;
}

function pageError(problem: PageProblem, where: string): FerryError {
  if (problem.kind === 'changed') {
    return new FerryError(
      'transient',
      `The data changed while Ferry was paging ${where}: ${problem.message}. Nothing from this pull was stored as extracted; run \`ferry extract\` again (this table is read again from its first page).`,
      { code: 'E_MCP_DATA_CHANGED' },
    );
  }
  if (problem.kind === 'shape') {
    return new FerryError('terminal', `${where} answered a page Ferry cannot read: ${problem.message}.`, {
      code: 'E_MCP_PAGE_SHAPE',
    });
  }
  return new FerryError(
    'terminal',
    `${where} ${problem.kind === 'repeats' ? 'repeats itself' : 'never ends'}: ${problem.message}. Nothing from this pull was stored as extracted; the server's paging looks broken — check the table's paging in source.yaml (README.md, "MCP sources") or tell the server's owner.`,
    { code: problem.kind === 'repeats' ? 'E_MCP_PAGE_REPEATS' : 'E_MCP_ENDLESS' },
  );
}

async function pullDocuments(context: PullContext): Promise<DocumentAvailability> {
  const { plan, journal, runId, connection } = context;
  const documentTable =
    plan.documents?.table ?? plan.tables.find((table) => /(^|_)documents?$/.test(table.table))?.table ?? null;
  const listed = documentTable
    ? [...journal.stagedRows(runId, documentTable)].filter((row) => row.sub === 0)
    : [];
  if (!plan.documents) {
    return {
      available: false,
      table: documentTable,
      downloaded: 0,
      unavailable: listed.length,
      reason: `${connection.server} offers no tool that returns a document's content`,
    };
  }
  const tool = plan.documents;
  mkdirSync(context.documentsDir, { recursive: true, mode: 0o700 });
  const done = journal.documents(runId);
  const todo = listed.filter(
    (row) => row.recordId !== null && !done.has(`${tool.table}\u0000${row.recordId}`),
  );
  let fetched = 0;
  await mapLimit(todo, plan.concurrency, async (row) => {
    context.signal?.throwIfAborted();
    const id = row.recordId!;
    const relative = documentPath({ table: tool.table, recordId: id, values: row.values });
    const label = `${tool.tool} (table ${tool.table}, record ${id}) on ${connection.server}`;
    try {
      // Counted before the answer is read: an answer that is an error was a call too.
      context.calls.documents += 1;
      const answer = await connection.callTool(
        tool.tool,
        { [tool.idArgument]: /^[1-9]\d{0,14}$/.test(id) ? Number(id) : id },
        { table: tool.table, record: id },
        context.signal,
      );
      const content = documentBytes(answer, label);
      saveDocument({ root: context.documentsDir, relative, content });
      journal.recordDocument({
        runId,
        table: tool.table,
        recordId: id,
        path: relative,
        bytes: content.length,
        state: 'downloaded',
        detail: null,
      });
    } catch (error) {
      // One document the server cannot give does not stop the pull; it is reported as unavailable.
      if (!(error instanceof FerryError) || error.code !== 'E_MCP_TOOL_ERROR') throw error;
      journal.recordDocument({
        runId,
        table: tool.table,
        recordId: id,
        path: null,
        bytes: null,
        state: 'unavailable',
        detail: error.message,
      });
    }
    fetched += 1;
    if (fetched % 25 === 0 || fetched === todo.length)
      context.onProgress?.({
        phase: 'documents',
        table: tool.table,
        records: fetched,
        pages: 0,
        rate: 0,
        total: todo.length,
      });
  });
  const states = [...journal.documents(runId).values()];
  const unavailable = states.filter((entry) => entry.state === 'unavailable').length;
  return {
    available: true,
    table: tool.table,
    downloaded: states.length - unavailable,
    unavailable,
    reason: unavailable > 0 ? `${tool.tool} could not give ${unavailable} document(s)` : null,
  };
}

const NO_DOCUMENTS: DocumentAvailability = {
  available: false,
  table: null,
  downloaded: 0,
  unavailable: 0,
  reason: null,
};

/**
 * Which tables the pull writes, and how: every staged table in full, except those of listings read with a
 * modified-since filter (and the tables nested in their records, known from the previous pull too).
 */
function tablesToWrite(input: {
  staged: readonly { table: string; stream: string; parentColumn: string | null }[];
  filtered: readonly string[];
  previous: WrittenState | null;
}): TableToWrite[] {
  const filtered = new Set(input.filtered);
  const byTable = new Map<string, TableToWrite>();
  const modeOf = (table: string, stream: string): TableToWrite['mode'] =>
    !filtered.has(stream) ? 'full' : table === stream ? 'changed' : 'changed-children';
  for (const staged of input.staged)
    byTable.set(staged.table, { ...staged, mode: modeOf(staged.table, staged.stream) });
  for (const [table, known] of Object.entries(input.previous?.tables ?? {})) {
    if (byTable.has(table) || !filtered.has(known.stream)) continue;
    byTable.set(table, {
      table,
      stream: known.stream,
      parentColumn: known.parentColumn,
      mode: modeOf(table, known.stream),
    });
  }
  return [...byTable.values()];
}

/**
 * Profiles the written tables, runs the data-quality checks, and records the inventory, issues and delta
 * of the run (the steps the export reader ends with), then closes the pull.
 */
async function finishPull(input: {
  store: SqliteStore;
  journal: PullJournal;
  runId: number;
  server: string;
  written: WrittenState;
  documents: DocumentAvailability;
  documentsDir: string;
  plan: ReadPlan;
  now: () => string;
}): Promise<ExtractResult> {
  const { store, journal, runId, written } = input;
  const db = store.db;
  const qualityFiles = Object.entries(written.tables).map(([table, meta]) =>
    profileStoredTable({ store, table, columns: meta.columns, keyColumn: meta.keyColumn }),
  );
  const lookup = input.documents.available ? new DocumentFiles(input.documentsDir) : null;
  let quality: Awaited<ReturnType<typeof runQualityChecks>>;
  try {
    quality = await runQualityChecks(
      { files: qualityFiles, rows: (file, columns) => iterateRowValues(store, file, columns) },
      lookup,
    );
  } finally {
    lookup?.close();
  }
  const shared = findSharedValues(qualityFiles);
  const files = qualityFiles.map((file) =>
    withReferences(
      file.extracted,
      quality.references.get(file.extracted.file),
      shared.get(file.extracted.file),
    ),
  );
  const issues: Issue[] = [...written.issues, ...quality.issues];
  if (!input.documents.available && input.documents.table && input.documents.unavailable > 0) {
    issues.push({
      code: 'documents_unavailable',
      severity: 'warning',
      file: input.documents.table,
      message: `${input.documents.table}: ${input.documents.unavailable} document(s) are listed, but ${input.documents.reason}: their files are not available from this source. They are listed in the report; ask the firm for a document export if they must move.`,
    });
  }
  const ordered = sortIssues(issues);
  db.transaction(() => {
    for (const file of files)
      saveFile(store, runId, file, {
        format: 'mcp',
        encoding: 'json',
        delimiter: null,
        headerLine: 0,
        quarantined: null,
      });
    replaceIssues(store, runId, ordered);
    store.setMeta(DOCUMENTS_META, JSON.stringify(input.documents));
    const deltaRow = db.prepare(
      'INSERT OR REPLACE INTO extract_file_deltas (run_id, file, new, changed, vanished, unchanged) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const [file, d] of Object.entries(written.delta))
      deltaRow.run(runId, file, d.new, d.changed, d.vanished, d.unchanged);
    db.prepare("UPDATE extract_runs SET status = 'done', finished_at = ?, summary_json = ? WHERE id = ?").run(
      input.now(),
      JSON.stringify({
        files: files.length,
        rows: files.reduce((n, f) => n + f.rowCount, 0),
        quarantined: 0,
        server: input.server,
      }),
      runId,
    );
    journal.finish(runId, input.now());
  })();
  for (const file of qualityFiles) for (const s of file.stats) s.release(false);
  return { runId, sourceDir: input.server, files, issues: ordered, delta: written.delta, quarantined: [] };
}

/** Maps with at most `limit` calls in flight, keeping the order of the input. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const index = next;
      next += 1;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}
