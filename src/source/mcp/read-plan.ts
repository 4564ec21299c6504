import type { Issue } from '../../core/issues.ts';
import type {
  DocumentPlan,
  JsonSchemaObject,
  JsonSchemaProperty,
  McpToolInfo,
  Paging,
  ReadPlan,
  TablePlan,
  ToolAccess,
  ToolVerdict,
} from './model.ts';
import type { JsonObject } from './records-to-tables.ts';
import { camelSingular, snakeCase } from './records-to-tables.ts';
import type { SourceConfig, SourceTableConfig } from './source-config.ts';

/** Words that say a tool only reads. */
const READ_VERBS = new Set([
  'search',
  'get',
  'list',
  'retrieve',
  'find',
  'fetch',
  'read',
  'query',
  'lookup',
  'browse',
  'show',
  'view',
  'describe',
  'download',
  'export',
]);

/** Words that say a tool changes data; any of them in the name or description makes it a write. */
const WRITE_WORDS = new Set([
  'create',
  'creates',
  'add',
  'adds',
  'update',
  'updates',
  'edit',
  'edits',
  'modify',
  'modifies',
  'patch',
  'set',
  'sets',
  'delete',
  'deletes',
  'remove',
  'removes',
  'archive',
  'archives',
  'restore',
  'merge',
  'merges',
  'insert',
  'upsert',
  'write',
  'writes',
  'save',
  'saves',
  'post',
  'posts',
  'send',
  'sends',
  'assign',
  'assigns',
  'close',
  'closes',
  'reopen',
  'complete',
  'completes',
  'approve',
  'approves',
  'reject',
  'rejects',
  'cancel',
  'cancels',
  'move',
  'moves',
  'change',
  'changes',
  'upload',
  'uploads',
  'import',
  'imports',
  'sync',
  'submit',
  'mark',
  'marks',
  'link',
  'unlink',
  'deactivate',
  'activate',
  'void',
  'sign',
  'schedule',
  'log',
  'logs',
  'notify',
  'trigger',
  'execute',
  'convert',
  'transfer',
  'purge',
  'destroy',
  'erase',
  'replace',
  'rename',
]);

/** Words around the noun of a tool name that are not the noun (`get_all_claims`, `search_by_id`). */
const FILLER = new Set([
  'all',
  'by',
  'the',
  'a',
  'an',
  'of',
  'for',
  'records',
  'record',
  'items',
  'item',
  'data',
  'many',
  'batch',
]);

const PAGE_PARAMS = ['page', 'pageNumber', 'page_number', 'pageIndex', 'page_index', 'pageNo'];
const OFFSET_PARAMS = ['offset', 'skip', 'start', 'startIndex', 'start_index', 'from'];
const CURSOR_PARAMS = [
  'cursor',
  'pageToken',
  'page_token',
  'nextToken',
  'next_token',
  'after',
  'startingAfter',
  'starting_after',
  'continuation',
  'continuationToken',
];
const SIZE_PARAMS = [
  'pageSize',
  'page_size',
  'perPage',
  'per_page',
  'limit',
  'size',
  'count',
  'take',
  'maxResults',
  'max_results',
  'first',
  'rows',
  'top',
];
const SINCE_PARAM =
  /^(modified|updated|changed|last_?modified|last_?updated)_?(since|after|from|gte|min)$|^since$|^(modified|updated|changed)_?at_?(gte|from|after|min)$/i;
const ENTITY_PARAM =
  /^(entity|entity_?type|type|object|object_?type|record_?type|kind|search_?type|resource|collection|table)$/i;

/** Default page size when a listing's schema gives no maximum. */
export const DEFAULT_PAGE_SIZE = 100;
/** Default detail calls in flight. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Whether Ferry may call a tool. Read only when annotated `readOnlyHint: true`; or, with no read-only
 * annotation, when its name starts with a read verb (search, get, list, retrieve …) and neither its name
 * nor its description has a word that changes data (or a person vouched for it in source.yaml). A tool
 * annotated as a write or as destructive never is. Anything not read is never called.
 * @example classifyTool({ name: 'update_claim', annotations: { readOnlyHint: false } }).access // 'write'
 */
export function classifyTool(
  tool: McpToolInfo,
  vouched: ReadonlySet<string> = new Set(),
): { access: ToolAccess; why: string } {
  const hints = tool.annotations;
  if (hints?.destructiveHint === true) return { access: 'write', why: 'annotated destructiveHint: true' };
  if (hints?.readOnlyHint === true) return { access: 'read', why: 'annotated readOnlyHint: true' };
  if (hints?.readOnlyHint === false) return { access: 'write', why: 'annotated readOnlyHint: false' };
  // A person may vouch for an unannotated tool whose words mislead (a description saying 'never updates').
  if (vouched.has(tool.name))
    return { access: 'read', why: 'not annotated; read-only by source.yaml (readOnlyTools)' };
  const nameWords = words(tool.name);
  const text = `${tool.title ?? ''} ${hints?.title ?? ''} ${tool.description ?? ''}`;
  const writeWord = [...nameWords, ...words(text)].find((word) => WRITE_WORDS.has(word));
  if (writeWord)
    return {
      access: 'write',
      why: `not annotated; '${writeWord}' in its ${nameWords.includes(writeWord) ? 'name' : 'description'} may change data`,
    };
  const verb = nameWords.find((word) => READ_VERBS.has(word));
  if (verb && nameWords.indexOf(verb) <= 1)
    return { access: 'read', why: `not annotated; its name says '${verb}' and nothing changes data` };
  return {
    access: 'write',
    why: 'not annotated, and its name does not say it only reads (search, get, list, retrieve …)',
  };
}

export interface AssembleReadPlanResult {
  readonly plan: ReadPlan;
  /** Errors (a source.yaml naming a missing or write tool; no table at all) and warnings. */
  readonly problems: readonly Issue[];
}

/**
 * The read plan from the server's tool list and the workspace's source.yaml: for each table, the
 * read-only listing tool that feeds it, how it pages, the per-record detail tool, the modified-since
 * argument; the document download tool; and why each other tool is left alone. Pure.
 * @example assembleReadPlan({ tools, config: undefined }).plan.tables.map((t) => `${t.table} ← ${t.tool}`)
 */
export function assembleReadPlan(input: {
  tools: readonly McpToolInfo[];
  config?: SourceConfig | undefined;
  /** Line of a source.yaml key path, for errors. */
  lineOf?: ((path: readonly (string | number)[]) => number | undefined) | undefined;
}): AssembleReadPlanResult {
  const config = input.config ?? {};
  const problems: Issue[] = [];
  const configError = (path: (string | number)[], message: string) =>
    problems.push({
      code: 'source_yaml_invalid',
      severity: 'error',
      file: 'source.yaml',
      line: input.lineOf?.(path),
      field: path.join('.'),
      message: `${path.join('.')}: ${message}`,
    });
  const vouched = new Set(config.readOnlyTools ?? []);
  const verdicts = new Map(input.tools.map((tool) => [tool.name, { tool, ...classifyTool(tool, vouched) }]));
  for (const [index, name] of (config.readOnlyTools ?? []).entries()) {
    const verdict = verdicts.get(name);
    if (!verdict) configError(['readOnlyTools', index], `the server has no tool '${name}'`);
    else if (verdict.access === 'write')
      configError(['readOnlyTools', index], `'${name}' cannot be vouched for: ${verdict.why}`);
  }
  const readTools = input.tools.filter((tool) => verdicts.get(tool.name)?.access === 'read');
  const pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE;

  // Discovered: listings (one table per tool, or per value of a generic search tool's entity argument),
  // detail tools paired by noun, a document download tool.
  const discovered = new Map<string, TablePlan>();
  const details = new Map<string, { tool: string; idArgument: string }>();
  let documentTool: { tool: string; idArgument: string } | null = null;
  const notes = new Map<string, string>();
  for (const tool of readTools) {
    const role = toolRole(tool);
    if (role.kind === 'documents') documentTool ??= { tool: tool.name, idArgument: role.idArgument };
    else if (role.kind === 'detail') {
      if (!details.has(role.noun)) details.set(role.noun, { tool: tool.name, idArgument: role.idArgument });
    } else if (role.kind === 'list') {
      for (const entry of role.tables) {
        const existing = discovered.get(entry.table);
        // A tool made for the table wins over a generic search that can also list it.
        if (existing && (entry.generic || !Object.keys(existing.arguments).length)) continue;
        discovered.set(entry.table, {
          table: entry.table,
          tool: tool.name,
          arguments: entry.arguments,
          paging: detectPaging(tool.inputSchema, pageSize),
          detail: null,
          modifiedSince: findParam(tool.inputSchema, (name) => SINCE_PARAM.test(name)) ?? null,
          idField: null,
          recordsPath: null,
          why: entry.why,
          from: 'discovered',
        });
      }
    } else notes.set(tool.name, role.why);
  }
  for (const [table, plan] of discovered) {
    const detail = details.get(camelSingular(table).toLowerCase());
    if (detail) discovered.set(table, { ...plan, detail, why: `${plan.why}; ${detail.tool} per record` });
  }

  // source.yaml: per table, what it names replaces what was discovered.
  const tables = new Map(discovered);
  for (const [table, override] of Object.entries(config.tables ?? {})) {
    const base = tables.get(table);
    if (override.skip) {
      tables.delete(table);
      continue;
    }
    const merged = mergeTable(table, base, override, { verdicts, pageSize, configError, details });
    if (merged) tables.set(table, merged);
  }
  let documents: DocumentPlan | null = null;
  if (config.documents !== false) {
    const named = config.documents;
    if (named) {
      const verdict = verdicts.get(named.tool);
      if (!verdict) configError(['documents', 'tool'], `the server has no tool '${named.tool}'`);
      else if (verdict.access !== 'read')
        configError(
          ['documents', 'tool'],
          `'${named.tool}' is not read-only (${verdict.why}); Ferry never calls it`,
        );
      else
        documents = {
          tool: named.tool,
          idArgument: named.idArgument,
          table: named.table ?? documentsTable(tables),
          from: 'source.yaml',
        };
    } else if (documentTool) {
      documents = { ...documentTool, table: documentsTable(tables), from: 'discovered' };
    }
  }

  const planned = [...tables.values()].sort((a, b) => a.table.localeCompare(b.table));
  const usedBy = (name: string) =>
    planned.filter((table) => table.tool === name || table.detail?.tool === name).map((table) => table.table);
  const tools: ToolVerdict[] = input.tools.map((tool) => {
    const verdict = verdicts.get(tool.name)!;
    if (verdict.access === 'write')
      return { name: tool.name, access: 'write', why: verdict.why, role: 'write', tables: [] };
    const fed = usedBy(tool.name);
    if (documents?.tool === tool.name)
      return {
        name: tool.name,
        access: 'read',
        why: verdict.why,
        role: 'documents',
        tables: [documents.table],
      };
    if (fed.length > 0) {
      const isList = planned.some((table) => table.tool === tool.name);
      return {
        name: tool.name,
        access: 'read',
        why: verdict.why,
        role: isList ? 'list' : 'detail',
        tables: fed,
      };
    }
    return {
      name: tool.name,
      access: 'read',
      why: verdict.why,
      role: 'unused',
      tables: [],
      note: notes.get(tool.name) ?? 'another tool feeds the same table',
    };
  });
  if (planned.length === 0 && !problems.some((problem) => problem.severity === 'error')) {
    problems.push({
      code: 'no_record_tools',
      severity: 'error',
      message: `no read-only tool lists records (tools: ${input.tools.map((tool) => tool.name).join(', ') || 'none'}). Name the tools that do in source.yaml (README.md, "MCP sources").`,
    });
  }
  return {
    plan: { tables: planned, documents, tools, concurrency: config.concurrency ?? DEFAULT_CONCURRENCY },
    problems,
  };
}

function documentsTable(tables: ReadonlyMap<string, TablePlan>): string {
  const names = [...tables.keys()];
  return names.find((name) => /(^|_)(documents?|files?|attachments?)$/.test(name)) ?? 'documents';
}

function mergeTable(
  table: string,
  base: TablePlan | undefined,
  override: SourceTableConfig,
  context: {
    verdicts: ReadonlyMap<string, { access: ToolAccess; why: string; tool: McpToolInfo }>;
    pageSize: number;
    configError: (path: (string | number)[], message: string) => void;
    details: ReadonlyMap<string, { tool: string; idArgument: string }>;
  },
): TablePlan | undefined {
  const { verdicts, configError } = context;
  const toolName = override.tool ?? base?.tool;
  if (!toolName) {
    configError(['tables', table, 'tool'], 'no tool feeds this table: name one (tool: …)');
    return undefined;
  }
  const verdict = verdicts.get(toolName);
  if (!verdict) {
    configError(['tables', table, 'tool'], `the server has no tool '${toolName}'`);
    return undefined;
  }
  if (verdict.access !== 'read') {
    configError(
      ['tables', table, 'tool'],
      `'${toolName}' is not read-only (${verdict.why}); Ferry never calls it`,
    );
    return undefined;
  }
  let detail =
    base && base.tool === toolName
      ? base.detail
      : (context.details.get(camelSingular(table).toLowerCase()) ?? null);
  if (override.detail === false) detail = null;
  else if (override.detail) {
    const detailVerdict = verdicts.get(override.detail.tool);
    if (!detailVerdict) {
      configError(['tables', table, 'detail', 'tool'], `the server has no tool '${override.detail.tool}'`);
      return undefined;
    }
    if (detailVerdict.access !== 'read') {
      configError(
        ['tables', table, 'detail', 'tool'],
        `'${override.detail.tool}' is not read-only (${detailVerdict.why}); Ferry never calls it`,
      );
      return undefined;
    }
    detail = override.detail;
  }
  const schema = verdict.tool.inputSchema;
  const detected = base && base.tool === toolName ? base.paging : detectPaging(schema, context.pageSize);
  const paging: Paging = override.paging
    ? {
        style: override.paging.style,
        param:
          override.paging.param ??
          (override.paging.style === detected.style ? detected.param : defaultParam(override.paging.style)),
        sizeParam: override.paging.sizeParam ?? detected.sizeParam,
        size: override.paging.size ?? detected.size,
        firstPage: override.paging.firstPage ?? detected.firstPage,
      }
    : detected;
  const modifiedSince =
    override.modifiedSince === false
      ? null
      : (override.modifiedSince ??
        (base?.tool === toolName
          ? base.modifiedSince
          : (findParam(schema, (name) => SINCE_PARAM.test(name)) ?? null)));
  return {
    table,
    tool: toolName,
    arguments: {
      ...(base?.tool === toolName ? base.arguments : {}),
      ...((override.arguments ?? {}) as JsonObject),
    },
    paging,
    detail,
    modifiedSince,
    idField: override.idField ?? base?.idField ?? null,
    recordsPath: override.recordsPath ?? base?.recordsPath ?? null,
    why: 'named in source.yaml',
    from: 'source.yaml',
  };
}

function defaultParam(style: Paging['style']): string | null {
  if (style === 'page') return 'page';
  if (style === 'offset') return 'offset';
  if (style === 'cursor') return 'cursor';
  return null;
}

type Role =
  | { kind: 'list'; tables: { table: string; arguments: JsonObject; generic: boolean; why: string }[] }
  | { kind: 'detail'; noun: string; idArgument: string }
  | { kind: 'documents'; idArgument: string }
  | { kind: 'other'; why: string };

/** What a read-only tool can do for the plan, from its name and input schema. */
function toolRole(tool: McpToolInfo): Role {
  const nameWords = words(tool.name);
  const verb = nameWords.find((word) => READ_VERBS.has(word)) ?? '';
  const noun = nameWords.filter((word) => !READ_VERBS.has(word) && !FILLER.has(word));
  const schema = tool.inputSchema;
  const required = schema?.required ?? [];
  const properties = schema?.properties ?? {};
  const idRequired = required.filter((name) => /(^|_)id$|Id$|ID$/.test(name));
  const nounText = noun.join('_');
  if (
    idRequired.length === 1 &&
    required.length === 1 &&
    /(document|file|attachment)/.test(nounText) &&
    (verb === 'download' ||
      /(content|download|blob|bytes|data)/.test(`${nounText} ${tool.description ?? ''}`.toLowerCase()))
  ) {
    return { kind: 'documents', idArgument: idRequired[0]! };
  }
  if (
    idRequired.length === 1 &&
    required.length === 1 &&
    noun.length > 0 &&
    ['get', 'retrieve', 'fetch', 'read', 'show', 'view', 'describe', 'lookup', 'find'].includes(verb)
  ) {
    return { kind: 'detail', noun: camelSingular(nounText).toLowerCase(), idArgument: idRequired[0]! };
  }
  if (!['search', 'list', 'find', 'query', 'browse', 'get', 'retrieve', 'fetch', 'export'].includes(verb)) {
    return { kind: 'other', why: `its name does not say it lists records ('${verb || tool.name}')` };
  }
  // A generic search: one required argument choosing the entity, with its values listed.
  const entityArg = Object.entries(properties).find(
    ([name, property]) => ENTITY_PARAM.test(name) && (property.enum?.length ?? 0) > 0,
  );
  const blocking = required.filter(
    (name) => !(entityArg && name === entityArg[0]) && properties[name]?.default === undefined,
  );
  if (blocking.length > 0) {
    return {
      kind: 'other',
      why: `it needs ${blocking.map((name) => `'${name}'`).join(', ')} to be given (name them under tables.<table>.arguments in source.yaml)`,
    };
  }
  if (
    entityArg &&
    (required.includes(entityArg[0]) || noun.length === 0 || /advanced|generic|any/.test(nounText))
  ) {
    const [name, property] = entityArg;
    const tables = (property.enum ?? [])
      .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
      .map((value) => ({
        table: tableName(value),
        arguments: { [name]: value } as JsonObject,
        generic: true,
        why: `${tool.name} with ${name}: ${JSON.stringify(value)}`,
      }));
    return tables.length > 0
      ? { kind: 'list', tables }
      : { kind: 'other', why: `its '${name}' argument lists no values` };
  }
  if (noun.length === 0) return { kind: 'other', why: 'its name does not say what it lists' };
  // 'get_claim' with no id argument is not a listing of claims; a plural noun or a paging argument is.
  const pages = detectPaging(schema, DEFAULT_PAGE_SIZE).style !== 'none';
  const plural =
    /s$/.test(noun.at(-1) ?? '') || ['staff', 'history', 'personnel'].includes(noun.at(-1) ?? '');
  if (!pages && !plural && verb !== 'search' && verb !== 'list')
    return { kind: 'other', why: 'it takes no id and does not page: not a listing Ferry recognises' };
  return {
    kind: 'list',
    tables: [
      {
        table: tableName(nounText),
        arguments: {},
        generic: false,
        why: `${tool.name} lists ${tableName(nounText)}`,
      },
    ],
  };
}

/** `Calendar Events` → `calendar_events`; a singular noun gets its plural (`claim` → `claims`). */
function tableName(noun: string): string {
  const snake = snakeCase(noun);
  if (/(s|staff|history|personnel|data)$/.test(snake)) return snake;
  if (/[^aeiou]y$/.test(snake)) return `${snake.slice(0, -1)}ies`;
  return `${snake}s`;
}

/**
 * How a listing pages, from the names of its arguments: a cursor, an offset, or a page number, each with
 * an optional page size (its schema maximum, else `pageSize`).
 */
export function detectPaging(schema: JsonSchemaObject | undefined, pageSize: number): Paging {
  const sizeParam = findParam(schema, (name) => SIZE_PARAMS.includes(name)) ?? null;
  const sizeProperty = sizeParam ? schema?.properties?.[sizeParam] : undefined;
  const size = Math.max(1, Math.min(pageSize, sizeProperty?.maximum ?? pageSize));
  const cursor = findParam(schema, (name) => CURSOR_PARAMS.includes(name));
  if (cursor) return { style: 'cursor', param: cursor, sizeParam, size, firstPage: 1 };
  const offset = findParam(schema, (name) => OFFSET_PARAMS.includes(name));
  if (offset) return { style: 'offset', param: offset, sizeParam, size, firstPage: 0 };
  const page = findParam(schema, (name) => PAGE_PARAMS.includes(name));
  if (page) {
    const property: JsonSchemaProperty | undefined = schema?.properties?.[page];
    const firstPage = property?.minimum === 0 || property?.default === 0 ? 0 : 1;
    return { style: 'page', param: page, sizeParam, size, firstPage };
  }
  return { style: 'none', param: null, sizeParam, size, firstPage: 1 };
}

function findParam(
  schema: JsonSchemaObject | undefined,
  test: (name: string) => boolean,
): string | undefined {
  return Object.keys(schema?.properties ?? {}).find(test);
}

/** Lower-case words of a tool name or text (`searchClaims`, `search-claims`, `search_claims`). */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
