import type { SqliteStore } from '../../store/sqlite-store.ts';
import { iterateRows } from '../backdocket/extract-store.ts';
import { type Concept, conceptsOf } from '../backdocket/headers.ts';
import { DOCUMENTS_META, type DocumentAvailability } from './extract-mcp.ts';

/** A document the source listed but whose file Ferry could not get from it. */
export interface UnavailableDocument {
  readonly table: string;
  readonly record: string;
  readonly name: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * The documents of the latest MCP pull whose files are not available from the source: all of them when
 * the server offers no tool that returns content, else those the tool could not give. Empty for an
 * export folder (or an MCP source that gave every file).
 */
export function loadUnavailableDocuments(store: SqliteStore): {
  reason: string | null;
  documents: UnavailableDocument[];
} {
  const meta = store.getMeta(DOCUMENTS_META);
  if (!meta) return { reason: null, documents: [] };
  const availability = JSON.parse(meta) as DocumentAvailability;
  if (!availability.table) return { reason: null, documents: [] };
  const table = availability.table;
  const refused = availability.available ? refusedByTool(store, table) : undefined;
  if (refused?.size === 0 || (!refused && availability.unavailable === 0))
    return { reason: null, documents: [] };
  const documents: UnavailableDocument[] = [];
  for (const row of iterateRows(store, table)) {
    if (refused && !refused.has(row.sourceKey)) continue;
    const columns = Object.keys(row.values);
    const pick = (concept: Concept) => columns.find((column) => conceptsOf(column).includes(concept));
    const nameColumn = pick('file_name');
    const pathColumn = pick('storage_path');
    documents.push({
      table,
      record: row.sourceKey,
      name: nameColumn ? (row.values[nameColumn] ?? '') : '',
      path: pathColumn ? (row.values[pathColumn] ?? '') : '',
      reason: refused?.get(row.sourceKey) ?? availability.reason ?? 'not available from this source',
    });
  }
  return { reason: availability.reason, documents };
}

/** Documents whose latest download (in any finished pull) the tool answered with an error: record → why. */
function refusedByTool(store: SqliteStore, table: string): Map<string, string> {
  const rows = store.db
    .prepare(
      `SELECT d.record_id, d.detail FROM mcp_documents d JOIN mcp_pulls p ON p.run_id = d.run_id AND p.state = 'done'
       WHERE d.tbl = ? AND d.state = 'unavailable' AND d.run_id = (
         SELECT max(e.run_id) FROM mcp_documents e JOIN mcp_pulls q ON q.run_id = e.run_id AND q.state = 'done'
         WHERE e.tbl = d.tbl AND e.record_id = d.record_id)`,
    )
    .all(table) as { record_id: string; detail: string | null }[];
  return new Map(rows.map((row) => [row.record_id, row.detail ?? 'the server could not give it']));
}
