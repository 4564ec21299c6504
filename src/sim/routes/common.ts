import type { SimContext } from '../context.ts';
import { badRequest, SimHttpError, schemaError, v1Error } from '../http.ts';
import type { IntCollection, Rec } from '../state.ts';
import { parseRfc3339 } from '../time.ts';

export const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON object body of a v2 write, or 400. */
export function v2Body(ctx: SimContext): Rec {
  if (!isObj(ctx.body)) throw schemaError(['body: Request body must be a JSON object']);
  return ctx.body;
}

/** v1 writes accept JSON or form fields; both arrive as an object. */
export function v1Body(ctx: SimContext): Rec {
  if (ctx.body === undefined) return {};
  if (!isObj(ctx.body)) throw v1Error(400, 'Request body must be a JSON object');
  return ctx.body;
}

/** Integer path id, or the 404 the API gives for an id that cannot exist. */
export function pathId(ctx: SimContext, notFound: () => SimHttpError): number {
  const raw = ctx.params.id ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw schemaError([`${name}: Parameter '${name}' must be a integer`]);
  return Number(raw);
}

/** Strict boolean query parameter: only `true`/`false` (v2), `1`/`0` accepted too for v1 callers. */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw schemaError([`${name}: Parameter '${name}' must be a boolean`]);
}

/** `ids=1,2,3` (≤100) of v2 lists. */
export function queryIds(query: URLSearchParams): number[] | undefined {
  const raw = query.get('ids');
  if (raw === null || raw === '') return undefined;
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p)))
    throw schemaError([`ids: Parameter 'ids' must be a comma-separated list of integers`]);
  if (parts.length > 100) throw schemaError([`ids: Parameter 'ids' must contain at most 100 ids`]);
  return parts.map(Number);
}

/** `updated_since` (inclusive) and `updated_until` (exclusive) as epoch ms. */
export function queryUpdatedRange(query: URLSearchParams): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  for (const name of ['updated_since', 'updated_until'] as const) {
    const raw = query.get(name);
    if (raw === null || raw === '') continue;
    const ms = parseRfc3339(raw);
    if (ms === undefined)
      throw schemaError([`${name}: Parameter '${name}' is not a valid datetime (RFC 3339, whole seconds)`]);
    if (name === 'updated_since') out.since = ms;
    else out.until = ms;
  }
  return out;
}

export function sortParams(
  query: URLSearchParams,
  allowed: readonly string[],
): { sortBy: string; direction: 'asc' | 'desc' } {
  const sortBy = query.get('sort_by') || 'id';
  if (!allowed.includes(sortBy))
    throw schemaError([`sort_by: Parameter 'sort_by' must be one of ${allowed.join(', ')}`]);
  const direction = query.get('sort_direction') || 'asc';
  if (direction !== 'asc' && direction !== 'desc')
    throw schemaError([`sort_direction: Parameter 'sort_direction' must be one of asc, desc`]);
  return { sortBy, direction };
}

/** A linked record must exist and not be deleted (the safe reading; see docs/simulator.md). */
export function requireLink(ctx: SimContext, collection: IntCollection, id: unknown, label: string): void {
  if (id === null || id === undefined) return;
  const rec = ctx.state.int[collection].get(id as number);
  if (!rec || rec.is_deleted === true || rec.active_flag === false)
    throw badRequest(`${label} with id ${String(id)} was not found`);
}

/** Owners must be active users of the company. */
export function requireActiveUser(ctx: SimContext, id: unknown, field = 'owner_id'): void {
  if (id === null || id === undefined) return;
  const user = ctx.state.int.users.get(id as number);
  if (!user) throw badRequest(`${field}: user ${String(id)} was not found`);
  if (user.active_flag === false)
    throw badRequest(`${field}: user ${String(id)} is deactivated and cannot own items`);
}

export function visibleToValues(ctx: SimContext): number[] {
  return ctx.options.plan === 'lite' || ctx.options.plan === 'growth' ? [1, 3] : [1, 3, 5, 7];
}

export function defaultVisibleTo(ctx: SimContext): number {
  return ctx.options.plan === 'lite' || ctx.options.plan === 'growth' ? 3 : 7;
}

export function forbidden(message = 'You do not have permissions to do this.'): SimHttpError {
  return new SimHttpError(403, {
    success: false,
    error: message,
    error_info: 'Please check developers.pipedrive.com',
    data: null,
    additional_data: null,
  });
}

export function isAdmin(ctx: SimContext): boolean {
  const me = ctx.state.int.users.get(ctx.meId);
  const access = (me?.access ?? []) as { app: string; admin: boolean }[];
  return access.some((a) => a.app === 'global' && a.admin);
}
