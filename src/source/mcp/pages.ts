import { createHash } from 'node:crypto';
import type { TablePlan } from './model.ts';
import { guessIdField, type JsonObject, type JsonValue, scalarText } from './records-to-tables.ts';

/** What one page of a listing holds, read from its JSON. */
export interface PageRead {
  readonly records: readonly JsonObject[];
  /** The arguments of the next page; null when this was the last one. */
  readonly next: Record<string, JsonValue> | null;
  /** The total the server stated, if any. */
  readonly total: number | null;
}

/** Why a page cannot be used; the caller turns it into an error naming the server, tool and page. */
export class PageProblem extends Error {
  constructor(
    readonly kind: 'shape' | 'repeats' | 'changed' | 'endless',
    message: string,
  ) {
    super(message);
    this.name = 'PageProblem';
  }
}

const RECORD_ARRAYS = [
  'results',
  'items',
  'data',
  'records',
  'rows',
  'entries',
  'hits',
  'values',
  'list',
  'nodes',
  'edges',
];
const CONTAINERS = ['data', 'result', 'response', 'payload', 'body'];
const CURSOR_KEYS = [
  'nextCursor',
  'next_cursor',
  'nextPageToken',
  'next_page_token',
  'nextToken',
  'next_token',
  'endCursor',
  'end_cursor',
  'continuation',
  'continuationToken',
  'cursor',
  'next',
];
const TOTAL_KEYS = [
  'total',
  'totalCount',
  'total_count',
  'totalResults',
  'total_results',
  'totalRecords',
  'total_records',
  'totalItems',
  'total_items',
];
const MORE_KEYS = ['hasMore', 'has_more', 'hasNextPage', 'has_next_page', 'more'];
const META_KEYS = ['pagination', 'paging', 'meta', 'pageInfo', 'page_info', 'links'];

/**
 * Reads a listing's page: where its records are (`recordsPath`, else the one array of records in the
 * answer), the total it states, and the arguments of the next page in the tool's paging style. Pure.
 * @example readPage({ json: { claims: [{ id: 1 }], page: 1, total: 1 }, plan, args: { page: 1 }, recordsBefore: 0 }).next // null
 */
export function readPage(input: {
  json: JsonValue | undefined;
  plan: TablePlan;
  args: Readonly<Record<string, JsonValue>>;
  /** Records on the listing's earlier pages (a server may send fewer per page than asked). */
  recordsBefore: number;
}): PageRead {
  const { json, plan, args } = input;
  const records = findRecords(json, plan);
  const meta = isObject(json) ? json : {};
  const total = numberAt(meta, TOTAL_KEYS);
  const more = booleanAt(meta, MORE_KEYS);
  const paging = plan.paging;
  if (paging.style === 'none' || paging.param === null) return { records, next: null, total };
  if (paging.style === 'cursor') {
    const cursor = cursorAt(meta);
    if (cursor === null || more === false) return { records, next: null, total };
    return { records, next: { ...args, [paging.param]: cursor }, total };
  }
  // Page and offset styles: the page is the last when it is empty, short, or reaches the total.
  const asked = paging.sizeParam ? Number(args[paging.sizeParam] ?? paging.size) : paging.size;
  const echoed = numberAt(
    meta,
    paging.sizeParam
      ? [paging.sizeParam, 'pageSize', 'page_size', 'limit', 'perPage', 'per_page']
      : ['pageSize', 'limit'],
  );
  const size = echoed !== null && echoed > 0 ? Math.min(asked, echoed) : asked;
  const current = Number(args[paging.param] ?? (paging.style === 'page' ? paging.firstPage : 0));
  const seen = input.recordsBefore + records.length;
  const last =
    records.length === 0 ||
    more === false ||
    (total !== null ? seen >= total : more === true ? false : records.length < size);
  if (last) return { records, next: null, total };
  const next = paging.style === 'page' ? current + 1 : current + records.length;
  return { records, next: { ...args, [paging.param]: next }, total };
}

/** The arguments of a listing's first page. */
export function firstPageArguments(
  plan: TablePlan,
  extra: Readonly<Record<string, JsonValue>> = {},
): Record<string, JsonValue> {
  const args: Record<string, JsonValue> = { ...plan.arguments, ...extra };
  const paging = plan.paging;
  if (paging.sizeParam) args[paging.sizeParam] = paging.size;
  if (paging.style === 'page' && paging.param) args[paging.param] = paging.firstPage;
  if (paging.style === 'offset' && paging.param) args[paging.param] = 0;
  return args;
}

function findRecords(json: JsonValue | undefined, plan: TablePlan): JsonObject[] {
  if (json === undefined || json === null) return [];
  if (plan.recordsPath) {
    const found = valueAt(json, plan.recordsPath);
    if (!Array.isArray(found))
      throw new PageProblem('shape', `the answer has no array at recordsPath '${plan.recordsPath}'`);
    return asRecords(found);
  }
  if (Array.isArray(json)) return asRecords(json);
  if (!isObject(json)) throw new PageProblem('shape', `the answer is ${typeof json}, not records`);
  const arrays = recordArrays(json);
  const preferred = preferredArray(arrays, plan.table);
  if (preferred) return asRecords(preferred);
  for (const key of CONTAINERS) {
    const inner = json[key];
    if (isObject(inner)) {
      const found = preferredArray(recordArrays(inner), plan.table);
      if (found) return asRecords(found);
    }
  }
  if (arrays.length > 1)
    throw new PageProblem(
      'shape',
      `the answer holds several arrays (${arrays.map(([key]) => key).join(', ')}); name the one with the records as recordsPath in source.yaml`,
    );
  throw new PageProblem(
    'shape',
    `the answer holds no array of records (keys: ${Object.keys(json).slice(0, 8).join(', ') || 'none'}); name it as recordsPath in source.yaml`,
  );
}

function recordArrays(object: JsonObject): [string, JsonValue[]][] {
  return Object.entries(object).filter(
    (entry): entry is [string, JsonValue[]] =>
      Array.isArray(entry[1]) && entry[1].every((item) => isObject(item)),
  );
}

function preferredArray(arrays: [string, JsonValue[]][], table: string): JsonValue[] | undefined {
  if (arrays.length === 1) return arrays[0]![1];
  const names = [table, camel(table), ...RECORD_ARRAYS];
  for (const name of names) {
    const found = arrays.find(([key]) => key.toLowerCase() === name.toLowerCase());
    if (found) return found[1];
  }
  const nonEmpty = arrays.filter(([, items]) => items.length > 0);
  return nonEmpty.length === 1 ? nonEmpty[0]![1] : undefined;
}

function asRecords(items: readonly JsonValue[]): JsonObject[] {
  return items.map((item, index) => {
    if (!isObject(item))
      throw new PageProblem(
        'shape',
        `item ${index + 1} of the records is ${item === null ? 'null' : typeof item}, not a record`,
      );
    // GraphQL-style edges: { node: {…} }.
    const keys = Object.keys(item);
    if (keys.length <= 2 && isObject(item.node)) return item.node;
    return item;
  });
}

function cursorAt(meta: JsonObject): string | null {
  const places = [meta, ...META_KEYS.map((key) => meta[key]).filter(isObject)];
  for (const place of places) {
    for (const key of CURSOR_KEYS) {
      const value = place[key];
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
    }
  }
  return null;
}

function numberAt(meta: JsonObject, keys: readonly string[]): number | null {
  const places = [meta, ...META_KEYS.map((key) => meta[key]).filter(isObject)];
  for (const place of places) {
    for (const key of keys) {
      const value = place[key];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
    }
  }
  return null;
}

function booleanAt(meta: JsonObject, keys: readonly string[]): boolean | null {
  const places = [meta, ...META_KEYS.map((key) => meta[key]).filter(isObject)];
  for (const place of places)
    for (const key of keys) if (typeof place[key] === 'boolean') return place[key] as boolean;
  return null;
}

function valueAt(json: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = json;
  for (const part of path.split('.')) current = isObject(current) ? current[part] : undefined;
  return current;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The id of a listed record, for the guards and the detail call; null when it has none. */
export function recordIdOf(record: JsonObject, plan: TablePlan): string | null {
  const field = plan.idField ?? guessIdField(plan.table, record);
  const id = field !== undefined ? scalarText(record[field]) : '';
  return id === '' ? null : id;
}

/**
 * Guards one listing against a server that misbehaves: a page that repeats (same records, or a cursor
 * given again), data that changes under the paging (a stated total that moves, a record seen on an
 * earlier page), and a listing that never ends (empty pages that still point on, more pages than the
 * total allows).
 */
export class PageGuard {
  private readonly seen = new Set<string>();
  private readonly cursors = new Set<string>();
  private previousHash: string | null = null;
  private firstTotal: number | null = null;
  private emptyRun = 0;
  private pages = 0;
  private idsAreKeys = true;

  constructor(
    private readonly plan: TablePlan,
    /** State of a resumed listing: ids already stored, the last page's hash, the total stated. */
    resumed?: {
      ids: Iterable<string>;
      lastHash: string | null;
      total: number | null;
      pages: number;
      cursors: Iterable<string>;
    },
  ) {
    if (resumed) {
      for (const id of resumed.ids) this.seen.add(id);
      for (const cursor of resumed.cursors) this.cursors.add(cursor);
      this.previousHash = resumed.lastHash;
      this.firstTotal = resumed.total;
      this.pages = resumed.pages;
    }
  }

  /** Checks a page before it is stored; returns its hash (journaled, to spot a repeat after a resume). */
  check(page: PageRead, args: Readonly<Record<string, JsonValue>>): string {
    const ids = page.records.map((record) => recordIdOf(record, this.plan));
    const hash = pageHash(page.records);
    this.pages += 1;
    if (page.records.length > 0 && hash === this.previousHash)
      throw new PageProblem('repeats', 'the page is the same as the one before it (same records)');
    if (page.total !== null) {
      if (this.firstTotal !== null && page.total !== this.firstTotal)
        throw new PageProblem(
          'changed',
          `the total went from ${this.firstTotal} to ${page.total} between pages`,
        );
      this.firstTotal ??= page.total;
    }
    const known = ids.filter((id): id is string => id !== null);
    // A field that repeats within one page is not the records' own id (a history listing's claimId):
    // the listing is then checked by its pages alone.
    if (new Set(known).size < known.length) this.idsAreKeys = false;
    const again = this.idsAreKeys ? known.filter((id) => this.seen.has(id)) : [];
    if (again.length > 0 && again.length === page.records.length)
      throw new PageProblem('repeats', `every record of the page was on an earlier page (e.g. ${again[0]})`);
    if (again.length > 0)
      throw new PageProblem(
        'changed',
        `record ${again[0]} was already on an earlier page: records moved between pages`,
      );
    for (const id of known) this.seen.add(id);
    const style = this.plan.paging.style;
    if (style === 'cursor' && page.next && this.plan.paging.param) {
      const cursor = String(page.next[this.plan.paging.param]);
      if (this.cursors.has(cursor) || cursor === String(args[this.plan.paging.param] ?? ''))
        throw new PageProblem('repeats', 'the server gave a cursor it had given before');
      this.cursors.add(cursor);
    }
    this.emptyRun = page.records.length === 0 && page.next ? this.emptyRun + 1 : 0;
    if (this.emptyRun >= 3)
      throw new PageProblem('endless', `${this.emptyRun} empty pages in a row still point to a next page`);
    const total = this.firstTotal;
    if (total !== null && page.next && this.pages > Math.ceil(total / Math.max(1, this.plan.paging.size)) + 2)
      throw new PageProblem(
        'endless',
        `${this.pages} pages read and the listing goes on, though it states ${total} records`,
      );
    if (page.next && this.pages >= MAX_PAGES)
      throw new PageProblem('endless', `${this.pages} pages read and the listing goes on`);
    this.previousHash = hash;
    return hash;
  }
}

/** A listing longer than this is taken for one that never ends. */
export const MAX_PAGES = 200_000;

export function pageHash(records: readonly JsonObject[]): string {
  return createHash('sha1').update(JSON.stringify(records)).digest('hex');
}
