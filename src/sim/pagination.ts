import { schemaError, v1Error } from './http.ts';
import type { Rec } from './state.ts';

/** Decoded v2 cursor: keyset over (sort field, id), the encoding Pipedrive's own cursors use. */
export interface Cursor {
  readonly field: string;
  readonly fieldValue: string | number | null;
  readonly sortDirection: 'asc' | 'desc';
  readonly id: number | string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed !== 'object' || parsed === null || !('id' in parsed) || !('field' in parsed))
      throw new Error();
    return parsed;
  } catch {
    throw schemaError([`cursor: Parameter 'cursor' is not a valid cursor`]);
  }
}

/** `limit` of a v2 list: default 100, 1…max, integers only (strict v2 query validation). */
export function v2Limit(query: URLSearchParams, max = 500): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return 100;
  if (!/^\d+$/.test(raw)) throw schemaError([`limit: Parameter 'limit' must be a integer`]);
  const limit = Number(raw);
  if (limit < 1 || limit > max) throw schemaError([`limit: Parameter 'limit' must be between 1 and ${max}`]);
  return limit;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function compareIds(a: unknown, b: unknown): number {
  return compareValues(a, b);
}

/**
 * One page of a v2 list. `items` is the filtered set in id order; sorting by another field costs a sort.
 * The next page starts strictly after the cursor's (value, id), so records created meanwhile never shift pages.
 */
export function pageV2<T extends Rec>(
  items: readonly T[],
  options: { sortBy: string; direction: 'asc' | 'desc'; cursor: string | null; limit: number },
): { page: T[]; nextCursor: string | null } {
  const { sortBy, direction, limit } = options;
  const sign = direction === 'desc' ? -1 : 1;
  const order = (a: T, b: T) => sign * (compareValues(a[sortBy], b[sortBy]) || compareIds(a.id, b.id));
  const sorted = sortBy === 'id' && direction === 'asc' ? items : [...items].sort(order);
  let start = 0;
  if (options.cursor) {
    const c = decodeCursor(options.cursor);
    // A cursor only continues the listing it came from.
    if (c.field !== sortBy || c.sortDirection !== direction)
      throw schemaError([
        `cursor: Parameter 'cursor' belongs to a listing sorted by ${c.field} ${c.sortDirection}`,
      ]);
    const probe = { [sortBy]: c.fieldValue, id: c.id } as unknown as T;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(sorted[mid] as T, probe) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = sorted.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start + limit < sorted.length;
  const nextCursor =
    more && last
      ? encodeCursor({
          field: sortBy,
          fieldValue: (last[sortBy] ?? null) as string | number | null,
          sortDirection: direction,
          id: last.id as number | string,
        })
      : null;
  return { page, nextCursor };
}

/** Offset cursor for result lists that are not keyed by id (search results). */
export function pageByOffset<T>(
  items: readonly T[],
  cursor: string | null,
  limit: number,
): { page: T[]; nextCursor: string | null } {
  let start = 0;
  if (cursor) {
    try {
      start =
        Number(
          (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset: number }).offset,
        ) || 0;
    } catch {
      throw schemaError([`cursor: Parameter 'cursor' is not a valid cursor`]);
    }
  }
  const page = items.slice(start, start + limit);
  const next =
    start + limit < items.length
      ? Buffer.from(JSON.stringify({ offset: start + limit })).toString('base64url')
      : null;
  return { page, nextCursor: next };
}

/** v1 start/limit page with `additional_data.pagination` (next_start only when there is more). */
export function pageV1<T>(
  items: readonly T[],
  query: URLSearchParams,
  max = 500,
): { page: T[]; additional: { pagination: Record<string, unknown> } } {
  const start = parseNonNegative(query.get('start'), 0, 'start');
  let limit = parseNonNegative(query.get('limit'), 100, 'limit');
  if (limit === 0) limit = 100;
  if (limit > max) throw v1Error(400, `Limit must be between 1 and ${max}`);
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  const pagination: Record<string, unknown> = { start, limit, more_items_in_collection: more };
  if (more) pagination.next_start = start + limit;
  return { page, additional: { pagination } };
}

function parseNonNegative(raw: string | null, fallback: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw v1Error(400, `Parameter ${name} must be a non-negative integer`);
  return Number(raw);
}
