import type { SimContext } from './context.ts';
import { renderFieldV2 } from './fields.ts';
import { SimHttpError } from './http.ts';
import type { SimUserSeed } from './options.ts';
import { isObj } from './routes/common.ts';
import { renderLead } from './routes/v1-entities.ts';
import { createV2, entityByPath, renderV2, updateV2 } from './routes/v2-entities.ts';
import { makeUser } from './seed-data.ts';
import type { Simulator } from './simulator.ts';
import { FIELD_ENTITIES, INT_COLLECTIONS, type Rec } from './state.ts';
import { DAY_MS, isoMs, rfc3339, v1Time } from './time.ts';

/** A handler context for admin-made changes ("as if made in Pipedrive's UI": never charged or limited). */
function adminContext(sim: Simulator, body: unknown, params: Record<string, string> = {}): SimContext {
  const url = new URL('http://127.0.0.1/__sim/admin?include_fields=attendees');
  return {
    state: sim.state,
    options: { ...sim.options, addTimePolicy: 'honour' },
    now: sim.now(),
    method: 'POST',
    url,
    query: url.searchParams,
    params,
    body,
    request: new Request(url),
    meId: 1,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

const V2_COLLECTIONS = ['persons', 'organizations', 'deals', 'activities'] as const;

function snapshot(sim: Simulator): unknown {
  const ctx = adminContext(sim, undefined);
  const state = sim.state;
  const entities: Record<string, Rec[]> = {};
  for (const name of V2_COLLECTIONS) {
    const entity = entityByPath(name);
    entities[name] = [...state.int[name].values()].map((r) => (entity ? renderV2(ctx, entity, r) : r));
  }
  for (const name of INT_COLLECTIONS) {
    if (entities[name]) continue;
    entities[name] = [...state.int[name].values()].map((r) => ({
      ...r,
      is_deleted: r.is_deleted === true || r.active_flag === false,
    }));
  }
  entities.leads = [...state.uuid.leads.values()].map((r) => ({ ...renderLead(ctx, r), is_deleted: false }));
  entities.leadLabels = [...state.uuid.leadLabels.values()];
  const fields: Record<string, Rec[]> = {};
  for (const entity of FIELD_ENTITIES) {
    fields[entity] = state.fields[entity].map((f) => ({
      ...renderFieldV2(f),
      id: f.id,
      is_deleted: f.is_deleted,
    }));
  }
  const at = sim.now();
  const budget = sim.options.dailyBudget;
  return {
    entities,
    fields,
    counters: state.counters,
    clock: { now: rfc3339(at), day: new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10) },
    budget: {
      limit: budget,
      spent: state.budgetSpent,
      remaining: Math.max(0, budget - state.budgetSpent),
      day: state.budgetDay,
    },
  };
}

function seed(sim: Simulator, body: Rec): Rec {
  const created: Record<string, unknown[]> = {};
  const note = (name: string, id: unknown) => {
    const list = created[name] ?? [];
    list.push(id);
    created[name] = list;
  };
  const now = sim.now();
  for (const user of (body.users ?? []) as SimUserSeed[]) {
    const rec = makeUser(sim.state, user, now, {
      admin: user.is_admin === true,
      currency: sim.options.defaultCurrency,
    });
    sim.state.int.users.set(rec.id as number, rec);
    note('users', rec.id);
  }
  for (const name of V2_COLLECTIONS) {
    const entity = entityByPath(name);
    if (!entity) continue;
    for (const item of (body[name] ?? []) as Rec[]) {
      const ctx = adminContext(sim, item);
      const rec = createV2(ctx, entity, { ...item });
      if (name === 'deals') rec.origin = 'ManuallyCreated';
      note(name, rec.id);
    }
  }
  return created;
}

/** PATCH /__sim/records/{collection}/{id}: edit a record as a user would in the UI (update_time moves). */
function editRecord(sim: Simulator, collection: string, id: string, body: Rec, remove: boolean): Rec {
  const state = sim.state;
  const now = sim.now();
  const entity = entityByPath(collection);
  if ((INT_COLLECTIONS as readonly string[]).includes(collection)) {
    const map = state.int[collection as (typeof INT_COLLECTIONS)[number]];
    const rec = map.get(Number(id));
    if (!rec) throw new SimHttpError(404, { success: false, error: `${collection} ${id} not found` });
    if (remove) {
      if ('is_deleted' in rec) rec.is_deleted = true;
      else rec.active_flag = false;
      rec.update_time = entity ? rfc3339(now) : v1Time(now);
      return rec;
    }
    if (entity)
      return renderV2(adminContext(sim, body), entity, updateV2(adminContext(sim, body), entity, rec, body));
    Object.assign(rec, body, { update_time: v1Time(now) });
    return rec;
  }
  if (collection === 'leads' || collection === 'leadLabels') {
    const rec = state.uuid[collection].get(id);
    if (!rec) throw new SimHttpError(404, { success: false, error: `${collection} ${id} not found` });
    if (remove) {
      state.uuid[collection].delete(id);
      return rec;
    }
    Object.assign(rec, body, { update_time: isoMs(now) });
    return rec;
  }
  throw new SimHttpError(404, { success: false, error: `unknown collection ${collection}` });
}

async function handle(sim: Simulator, request: Request, path: string): Promise<Response> {
  const method = request.method.toUpperCase();
  let body: Rec = {};
  if (method !== 'GET') {
    const text = await request.text();
    if (text.trim() !== '') {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (isObj(parsed)) body = parsed;
      } catch {
        return json(400, { success: false, error: 'admin body must be JSON' });
      }
    }
  }
  try {
    if (method === 'GET' && path === '/__sim/state') return json(200, snapshot(sim));
    if (method === 'POST' && path === '/__sim/seed')
      return json(200, { success: true, data: seed(sim, body) });
    if (method === 'POST' && path === '/__sim/reset') {
      sim.reset();
      return json(200, { success: true });
    }
    if (method === 'POST' && path === '/__sim/clock') {
      const ms = Number(body.advanceDays ?? 0) * DAY_MS + Number(body.advanceMs ?? 0);
      if (!Number.isFinite(ms) || ms < 0)
        return json(400, { success: false, error: 'advanceDays/advanceMs must be ≥ 0' });
      sim.advanceClock(ms);
      return json(200, { success: true, data: { now: rfc3339(sim.now()) } });
    }
    if (method === 'POST' && path === '/__sim/faults') {
      sim.setFaults(typeof body.spec === 'string' ? body.spec : ((body.spec ?? {}) as Rec));
      return json(200, { success: true });
    }
    if (method === 'POST' && path === '/__sim/token') {
      sim.setToken(
        body.revoke === true ? null : typeof body.token === 'string' ? body.token : sim.options.token,
      );
      return json(200, { success: true });
    }
    const m = /^\/__sim\/records\/([A-Za-z]+)\/([^/]+)$/.exec(path);
    if (m && (method === 'PATCH' || method === 'DELETE')) {
      return json(200, {
        success: true,
        data: editRecord(sim, m[1] ?? '', decodeURIComponent(m[2] ?? ''), body, method === 'DELETE'),
      });
    }
    return json(404, { success: false, error: `unknown admin endpoint ${method} ${path}` });
  } catch (error) {
    if (error instanceof SimHttpError) return json(error.status, error.body);
    return json(500, { success: false, error: error instanceof Error ? error.message : String(error) });
  }
}

export const adminRoutes = { handle, snapshot };
