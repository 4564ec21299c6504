import type { SimContext } from '../context.ts';
import { badRequest, ok, schemaError, v2NotFound } from '../http.ts';
import { pageV2, v2Limit } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { Rec } from '../state.ts';
import { rfc3339 } from '../time.ts';
import { bool, int, type ObjectShape, obj, str, validateShape } from '../validation.ts';
import { pathId, queryInt, sortParams, v2Body } from './common.ts';

/** Pipelines and stages are declared like the v2 entities: shape, defaults, what the list filters on. */
interface Kind {
  readonly path: 'pipelines' | 'stages';
  readonly label: string;
  readonly create: ObjectShape;
  readonly update: ObjectShape;
  readonly sortBy: readonly string[];
  readonly defaults: (ctx: SimContext, id: number, body: Rec) => Rec;
}

const pipelineKind: Kind = {
  path: 'pipelines',
  label: 'Pipeline',
  create: obj({ name: str({ min: 1 }), is_deal_probability_enabled: bool() }, { required: ['name'] }),
  update: obj({ name: str({ min: 1 }), is_deal_probability_enabled: bool() }),
  sortBy: ['id', 'update_time', 'add_time'],
  defaults: (ctx, id) => ({
    id,
    name: '',
    order_nr: maxOrder(ctx, 'pipelines', () => true) + 1,
    is_deleted: false,
    is_deal_probability_enabled: false,
    add_time: rfc3339(ctx.now),
    update_time: rfc3339(ctx.now),
  }),
};

const stageProps = {
  name: str({ min: 1 }),
  pipeline_id: int(),
  deal_probability: int(),
  is_deal_rot_enabled: bool(),
  days_to_rotten: int({ nullable: true }),
};

const stageKind: Kind = {
  path: 'stages',
  label: 'Stage',
  create: obj(stageProps, { required: ['name', 'pipeline_id'] }),
  update: obj(stageProps),
  sortBy: ['id', 'update_time', 'add_time', 'order_nr'],
  // New stages go to the end of their pipeline (v2 has no order_nr input).
  defaults: (ctx, id, body) => ({
    id,
    order_nr: maxOrder(ctx, 'stages', (s) => s.pipeline_id === body.pipeline_id) + 1,
    name: '',
    is_deleted: false,
    deal_probability: 100,
    pipeline_id: body.pipeline_id,
    is_deal_rot_enabled: false,
    days_to_rotten: null,
    add_time: rfc3339(ctx.now),
    update_time: rfc3339(ctx.now),
  }),
};

function maxOrder(ctx: SimContext, collection: 'pipelines' | 'stages', where: (r: Rec) => boolean): number {
  let max = 0;
  for (const r of ctx.state.int[collection].values())
    if (!r.is_deleted && where(r)) max = Math.max(max, r.order_nr as number);
  return max;
}

function apply(ctx: SimContext, kind: Kind, rec: Rec, body: Rec): void {
  if (kind.path === 'stages' && body.pipeline_id !== undefined) {
    const p = ctx.state.int.pipelines.get(body.pipeline_id as number);
    if (!p || p.is_deleted) throw badRequest(`Pipeline with id ${String(body.pipeline_id)} was not found`);
  }
  for (const [key, value] of Object.entries(body)) rec[key] = value;
}

function find(ctx: SimContext, kind: Kind, allowDeleted: boolean): Rec {
  const id = pathId(ctx, () => v2NotFound(kind.label));
  const rec = ctx.state.int[kind.path].get(id);
  if (!rec || (rec.is_deleted && !allowDeleted)) throw v2NotFound(kind.label);
  return rec;
}

export function pipelineRoutes(): RouteDef[] {
  const routes: RouteDef[] = [];
  for (const kind of [pipelineKind, stageKind]) {
    const base = `/api/v2/${kind.path}`;
    routes.push(
      {
        method: 'GET',
        path: base,
        handler: (ctx) => {
          const limit = v2Limit(ctx.query);
          const { sortBy, direction } = sortParams(ctx.query, kind.sortBy);
          const pipelineId = kind.path === 'stages' ? queryInt(ctx.query, 'pipeline_id') : undefined;
          const items = [...ctx.state.int[kind.path].values()].filter(
            (r) => !r.is_deleted && (pipelineId === undefined || r.pipeline_id === pipelineId),
          );
          const { page, nextCursor } = pageV2(items, {
            sortBy,
            direction,
            cursor: ctx.query.get('cursor'),
            limit,
          });
          return ok(page, { next_cursor: nextCursor });
        },
      },
      {
        method: 'GET',
        path: `${base}/{id}`,
        handler: (ctx) => ok(find(ctx, kind, ctx.options.deletedGet === 'found')),
      },
      {
        method: 'POST',
        path: base,
        handler: (ctx) => {
          const body = v2Body(ctx);
          const errors = validateShape(kind.create, body);
          if (errors.length) throw schemaError(errors);
          const id = ctx.state.nextId(kind.path);
          const rec = kind.defaults(ctx, id, body);
          apply(ctx, kind, rec, body);
          ctx.state.int[kind.path].set(id, rec);
          return ok(rec);
        },
      },
      {
        method: 'PATCH',
        path: `${base}/{id}`,
        handler: (ctx) => {
          const rec = find(ctx, kind, false);
          const body = v2Body(ctx);
          const errors = validateShape(kind.update, body);
          if (errors.length) throw schemaError(errors);
          if (
            kind.path === 'stages' &&
            body.pipeline_id !== undefined &&
            body.pipeline_id !== rec.pipeline_id
          )
            rec.order_nr = maxOrder(ctx, 'stages', (s) => s.pipeline_id === body.pipeline_id) + 1;
          apply(ctx, kind, rec, body);
          rec.update_time = rfc3339(ctx.now);
          return ok(rec);
        },
      },
      {
        method: 'DELETE',
        path: `${base}/{id}`,
        handler: (ctx) => {
          const rec = find(ctx, kind, false);
          rec.is_deleted = true;
          rec.update_time = rfc3339(ctx.now);
          if (kind.path === 'pipelines') {
            for (const stage of ctx.state.int.stages.values()) {
              if (stage.pipeline_id === rec.id && !stage.is_deleted) {
                stage.is_deleted = true;
                stage.update_time = rec.update_time;
              }
            }
          }
          return ok({ id: rec.id });
        },
      },
    );
  }
  return routes;
}
