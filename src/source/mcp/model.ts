import type { JsonObject, JsonValue } from './records-to-tables.ts';

/**
 * What Ferry knows about an MCP source before reading it: the server's tools, which of them are read-only,
 * and the read plan (which tool feeds which table, how it pages, which detail tool is called per record).
 * Plain data; `assembleReadPlan` makes it from the tool list and `source.yaml`.
 */

/** A tool as the server lists it (the parts Ferry reads). */
export interface McpToolInfo {
  readonly name: string;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly inputSchema?: JsonSchemaObject | undefined;
  readonly annotations?:
    | {
        readonly title?: string | undefined;
        readonly readOnlyHint?: boolean | undefined;
        readonly destructiveHint?: boolean | undefined;
        readonly idempotentHint?: boolean | undefined;
        readonly openWorldHint?: boolean | undefined;
      }
    | undefined;
}

/** The subset of JSON Schema Ferry reads from a tool's input schema. */
export interface JsonSchemaObject {
  readonly type?: string | readonly string[] | undefined;
  readonly properties?: Readonly<Record<string, JsonSchemaProperty>> | undefined;
  readonly required?: readonly string[] | undefined;
}

export interface JsonSchemaProperty {
  readonly type?: string | readonly string[] | undefined;
  readonly enum?: readonly JsonValue[] | undefined;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
  readonly default?: JsonValue | undefined;
  readonly description?: string | undefined;
}

/** Whether Ferry may call a tool. Only `read` tools are ever called. */
export type ToolAccess = 'read' | 'write';

/** What a tool does in the plan. */
export type ToolRole = 'list' | 'detail' | 'documents' | 'unused' | 'write';

export interface ToolVerdict {
  readonly name: string;
  readonly access: ToolAccess;
  /** Why Ferry decided `access` (annotation, words of the name and description, or source.yaml). */
  readonly why: string;
  readonly role: ToolRole;
  /** Tables this tool feeds (list and detail tools). */
  readonly tables: readonly string[];
  /** For an unused read tool: why it is not part of the plan. */
  readonly note?: string | undefined;
}

export const PAGING_STYLES = ['page', 'offset', 'cursor', 'none'] as const;
export type PagingStyle = (typeof PAGING_STYLES)[number];

/** How a listing tool pages: the arguments it takes for that. */
export interface Paging {
  readonly style: PagingStyle;
  /** page: the page number argument; offset: the offset argument; cursor: the cursor argument. */
  readonly param: string | null;
  /** The page size argument, if any. */
  readonly sizeParam: string | null;
  readonly size: number;
  /** page style: the number of the first page (1 unless the schema says 0). */
  readonly firstPage: number;
}

/** One table of the plan: the listing that feeds it, and the detail tool called per record. */
export interface TablePlan {
  readonly table: string;
  readonly tool: string;
  /** Fixed arguments of every call (an entity type for a generic search tool, filters from source.yaml). */
  readonly arguments: Readonly<JsonObject>;
  readonly paging: Paging;
  /** Called once per listed record with its id; its answer is the row (the listing may hold summaries). */
  readonly detail: { readonly tool: string; readonly idArgument: string } | null;
  /** The argument that filters records changed since a time (used by `ferry migrate --delta`). */
  readonly modifiedSince: string | null;
  /** The record field holding its id; null = guessed from the records (`id`, `claimId` …). */
  readonly idField: string | null;
  /** Where the records are in a page's JSON (dotted path); null = found (the one array of records). */
  readonly recordsPath: string | null;
  /** Why this tool feeds this table (for `ferry source inspect`). */
  readonly why: string;
  readonly from: 'discovered' | 'source.yaml';
}

/** The tool that returns a document's content, when the server offers one. */
export interface DocumentPlan {
  readonly tool: string;
  readonly idArgument: string;
  /** The table whose rows are the documents (`documents`). */
  readonly table: string;
  readonly from: 'discovered' | 'source.yaml';
}

export interface ReadPlan {
  readonly tables: readonly TablePlan[];
  readonly documents: DocumentPlan | null;
  readonly tools: readonly ToolVerdict[];
  /** Detail and document calls in flight at once. */
  readonly concurrency: number;
}
