import type { SimContext } from '../context.ts';
import { CREATABLE_FIELD_TYPES, newFieldDef, renderFieldV1, renderFieldV2 } from '../fields.ts';
import { badRequest, ok, SimHttpError, schemaError, v1Error, v2Error } from '../http.ts';
import { pageV1, pageV2, v2Limit } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { FieldDef, FieldEntity, FieldOption, Rec } from '../state.ts';
import { arr, int, obj, str, validateShape } from '../validation.ts';
import { forbidden, isAdmin, isObj, v1Body } from './common.ts';

/** URL name → field entity; activity fields are read-only (no API creates them). */
const FIELD_PATHS: readonly { path: string; entity: FieldEntity; writable: boolean }[] = [
  { path: 'dealFields', entity: 'deal', writable: true },
  { path: 'personFields', entity: 'person', writable: true },
  { path: 'organizationFields', entity: 'organization', writable: true },
  { path: 'activityFields', entity: 'activity', writable: false },
];

const visibility = obj({}, { open: true });
const createShape = obj(
  {
    field_name: str({ min: 1, max: 255 }),
    field_type: str({ values: CREATABLE_FIELD_TYPES }),
    options: arr(obj({ label: str({ min: 1, max: 255 }) }, { required: ['label'] })),
    ui_visibility: visibility,
    important_fields: visibility,
    required_fields: visibility,
    description: str({ nullable: true }),
  },
  { required: ['field_name', 'field_type'] },
);
const updateShape = obj({
  field_name: str({ min: 1, max: 255 }),
  ui_visibility: visibility,
  important_fields: visibility,
  required_fields: visibility,
  description: str({ nullable: true }),
});

const fieldNotFoundV2 = () => v2Error(404, 'ERR_NOT_FOUND', 'Field not found');
const fieldNotFoundV1 = () =>
  new SimHttpError(404, {
    success: false,
    error: 'The field is not found',
    data: null,
    additional_data: null,
  });

function live(ctx: SimContext, entity: FieldEntity): FieldDef[] {
  return ctx.state.fields[entity].filter((f) => !f.is_deleted);
}

function requireAdmin(ctx: SimContext): void {
  if (!isAdmin(ctx)) throw forbidden();
}

function addOptions(ctx: SimContext, def: FieldDef, labels: readonly string[]): FieldOption[] {
  if (!def.options) throw badRequest(`Field ${def.key} of type ${def.field_type} has no options`);
  const added = labels.map((label) => ({ id: ctx.state.nextId('option'), label }));
  def.options.push(...added);
  return added;
}

function createField(
  ctx: SimContext,
  entity: FieldEntity,
  input: { name: string; type: string; options?: readonly string[] },
): FieldDef {
  const def = newFieldDef(ctx.state, {
    entity,
    key: ctx.state.nextFieldKey(entity),
    name: input.name,
    type: input.type,
    custom: true,
    now: ctx.now,
  });
  if (def.options && input.options) addOptions(ctx, def, input.options);
  ctx.state.fields[entity].push(def);
  return def;
}

function v2Routes(path: string, entity: FieldEntity, writable: boolean): RouteDef[] {
  const base = `/api/v2/${path}`;
  const find = (ctx: SimContext) => {
    const def = live(ctx, entity).find((f) => f.key === ctx.params.field_code);
    if (!def) throw fieldNotFoundV2();
    return def;
  };
  const findCustom = (ctx: SimContext) => {
    requireAdmin(ctx);
    const def = find(ctx);
    if (!def.is_custom) throw badRequest(`System field ${def.key} cannot be changed`);
    return def;
  };
  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: base,
      handler: (ctx) => {
        const limit = v2Limit(ctx.query);
        const items = live(ctx, entity).map((f) => ({ ...renderFieldV2(f), id: f.id }));
        const { page, nextCursor } = pageV2(items, {
          sortBy: 'id',
          direction: 'asc',
          cursor: ctx.query.get('cursor'),
          limit,
        });
        return ok(
          page.map(({ id: _id, ...rest }) => rest),
          { next_cursor: nextCursor },
        );
      },
    },
    { method: 'GET', path: `${base}/{field_code}`, handler: (ctx) => ok(renderFieldV2(find(ctx))) },
  ];
  if (!writable) return routes;
  routes.push(
    {
      method: 'POST',
      path: base,
      handler: (ctx) => {
        requireAdmin(ctx);
        if (!isObj(ctx.body)) throw schemaError(['body: Request body must be a JSON object']);
        const errors = validateShape(createShape, ctx.body);
        if (errors.length) throw schemaError(errors);
        const body = ctx.body;
        const def = createField(ctx, entity, {
          name: body.field_name as string,
          type: body.field_type as string,
          options: ((body.options as Rec[] | undefined) ?? []).map((o) => o.label as string),
        });
        for (const key of ['ui_visibility', 'important_fields', 'required_fields'] as const)
          if (body[key]) def[key] = { ...def[key], ...(body[key] as Rec) };
        if (body.description !== undefined) def.description = body.description as string | null;
        return ok(renderFieldV2(def));
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{field_code}`,
      handler: (ctx) => {
        const def = findCustom(ctx);
        if (!isObj(ctx.body) || Object.keys(ctx.body).length === 0)
          throw schemaError(['body: Request body must have at least 1 property']);
        const errors = validateShape(updateShape, ctx.body);
        if (errors.length) throw schemaError(errors);
        const body = ctx.body;
        if (body.field_name !== undefined) def.name = body.field_name as string;
        if (body.description !== undefined) def.description = body.description as string | null;
        for (const key of ['ui_visibility', 'important_fields', 'required_fields'] as const)
          if (body[key]) def[key] = { ...def[key], ...(body[key] as Rec) };
        def.update_time = ctx.now;
        return ok(renderFieldV2(def));
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{field_code}`,
      handler: (ctx) => {
        const def = findCustom(ctx);
        def.is_deleted = true;
        def.update_time = ctx.now;
        return ok(renderFieldV2(def));
      },
    },
    {
      method: 'POST',
      path: `${base}/{field_code}/options`,
      handler: (ctx) => {
        const def = findCustom(ctx);
        const errors = validateShape(
          arr(obj({ label: str({ min: 1, max: 255 }) }, { required: ['label'] })),
          ctx.body,
        );
        if (errors.length) throw schemaError(errors);
        return ok(
          addOptions(
            ctx,
            def,
            (ctx.body as Rec[]).map((o) => o.label as string),
          ),
          null,
        );
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{field_code}/options`,
      handler: (ctx) => {
        const def = findCustom(ctx);
        const errors = validateShape(
          arr(obj({ id: int(), label: str({ min: 1, max: 255 }) }, { required: ['id', 'label'] })),
          ctx.body,
        );
        if (errors.length) throw schemaError(errors);
        const items = ctx.body as { id: number; label: string }[];
        const missing = items.filter((i) => !def.options?.some((o) => o.id === i.id));
        if (missing.length) throw badRequest(`Option ids not found: ${missing.map((m) => m.id).join(', ')}`);
        const updated = items.map((i) => {
          const option = def.options?.find((o) => o.id === i.id) as FieldOption;
          option.label = i.label;
          return { id: option.id, label: option.label };
        });
        def.update_time = ctx.now;
        return ok(updated, null);
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{field_code}/options`,
      handler: (ctx) => {
        const def = findCustom(ctx);
        const errors = validateShape(arr(obj({ id: int() }, { required: ['id'] })), ctx.body);
        if (errors.length) throw schemaError(errors);
        const ids = (ctx.body as { id: number }[]).map((i) => i.id);
        const missing = ids.filter((id) => !def.options?.some((o) => o.id === id));
        if (missing.length) throw badRequest(`Option ids not found: ${missing.join(', ')}`);
        const removed = (def.options ?? [])
          .filter((o) => ids.includes(o.id))
          .map((o) => ({ id: o.id, label: o.label }));
        def.options = (def.options ?? []).filter((o) => !ids.includes(o.id));
        return ok(removed, null);
      },
    },
  );
  return routes;
}

/** v1 options: `[{label}]`, `[{id,label}]` or plain strings (old clients). */
function v1Options(raw: unknown): { id?: number; label: string }[] {
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (!Array.isArray(list)) throw v1Error(400, 'options must be an array');
  return list.map((o) => {
    if (typeof o === 'string') return { label: o };
    if (isObj(o) && typeof o.label === 'string')
      return typeof o.id === 'number' ? { id: o.id, label: o.label } : { label: o.label };
    throw v1Error(400, 'options must be objects with a label');
  });
}

function v1Routes(path: string, entity: FieldEntity, writable: boolean): RouteDef[] {
  const base = `/api/v1/${path}`;
  const find = (ctx: SimContext) => {
    const def = live(ctx, entity).find((f) => String(f.id) === ctx.params.id);
    if (!def) throw fieldNotFoundV1();
    return def;
  };
  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: base,
      handler: (ctx) => {
        const { page, additional } = pageV1(live(ctx, entity), ctx.query);
        return ok(page.map(renderFieldV1), additional);
      },
    },
  ];
  if (!writable) return routes;
  routes.push(
    { method: 'GET', path: `${base}/{id}`, handler: (ctx) => ok(renderFieldV1(find(ctx))) },
    {
      method: 'POST',
      path: base,
      handler: (ctx) => {
        requireAdmin(ctx);
        const body = v1Body(ctx);
        if (typeof body.name !== 'string' || body.name.trim() === '')
          throw v1Error(400, 'Field name must be given.');
        if (!(CREATABLE_FIELD_TYPES as readonly string[]).includes(body.field_type as string))
          throw v1Error(400, `field_type must be one of ${CREATABLE_FIELD_TYPES.join(', ')}`);
        const def = createField(ctx, entity, {
          name: body.name,
          type: body.field_type as string,
          options: v1Options(body.options).map((o) => o.label),
        });
        if (body.add_visible_flag !== undefined)
          def.ui_visibility.add_visible_flag = Boolean(body.add_visible_flag);
        return ok(renderFieldV1(def));
      },
    },
    {
      method: 'PUT',
      path: `${base}/{id}`,
      handler: (ctx) => {
        requireAdmin(ctx);
        const def = find(ctx);
        if (!def.is_custom) throw v1Error(400, 'System fields cannot be changed');
        const body = v1Body(ctx);
        if (body.name !== undefined) def.name = String(body.name);
        if (body.options !== undefined && def.options) {
          // "All active items must be supplied": options left out are removed.
          const next: FieldOption[] = [];
          for (const o of v1Options(body.options)) {
            if (o.id !== undefined) {
              const existing = def.options.find((e) => e.id === o.id);
              if (!existing) throw v1Error(400, `Option id ${o.id} does not exist`);
              next.push({ ...existing, label: o.label });
            } else next.push({ id: ctx.state.nextId('option'), label: o.label });
          }
          def.options = next;
        }
        if (body.add_visible_flag !== undefined)
          def.ui_visibility.add_visible_flag = Boolean(body.add_visible_flag);
        def.update_time = ctx.now;
        return ok(renderFieldV1(def));
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{id}`,
      handler: (ctx) => {
        requireAdmin(ctx);
        const def = find(ctx);
        if (!def.is_custom) throw v1Error(400, 'System fields cannot be deleted');
        def.is_deleted = true;
        def.update_time = ctx.now;
        return ok({ id: def.id });
      },
    },
    {
      method: 'DELETE',
      path: base,
      handler: (ctx) => {
        requireAdmin(ctx);
        const ids = (ctx.query.get('ids') ?? '').split(',').filter(Boolean).map(Number);
        if (ids.length === 0) throw v1Error(400, 'ids must be given');
        const defs = ids.map((id) => live(ctx, entity).find((f) => f.id === id && f.is_custom));
        if (defs.some((d) => !d)) throw fieldNotFoundV1();
        for (const def of defs as FieldDef[]) {
          def.is_deleted = true;
          def.update_time = ctx.now;
        }
        return ok({ id: ids });
      },
    },
  );
  return routes;
}

export function fieldRoutes(): RouteDef[] {
  const routes: RouteDef[] = [];
  for (const { path, entity, writable } of FIELD_PATHS) {
    routes.push(...v2Routes(path, entity, writable), ...v1Routes(path, entity, writable));
  }
  // Leads inherit the deal fields; /v1/leadFields lists them read-only.
  routes.push({
    method: 'GET',
    path: '/api/v1/leadFields',
    handler: (ctx) => {
      const { page, additional } = pageV1(
        live(ctx, 'deal').filter((f) => f.is_custom),
        ctx.query,
      );
      return ok(page.map(renderFieldV1), additional);
    },
  });
  return routes;
}
