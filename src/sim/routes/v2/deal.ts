import type { SimContext } from '../../context.ts';
import { badRequest, SimHttpError } from '../../http.ts';
import type { Rec } from '../../state.ts';
import { anyTimeToMs, rfc3339 } from '../../time.ts';
import { bool, int, num, obj, str } from '../../validation.ts';
import { defaultVisibleTo, requireLink } from '../common.ts';
import { applyCommon, commonProps, customFieldsShape, type Mode, type V2Entity } from './entity.ts';

const DEAL_STATUSES = ['open', 'won', 'lost'] as const;

export const dealEntity: V2Entity = {
  path: 'deals',
  collection: 'deals',
  label: 'Deal',
  fieldEntity: 'deal',
  sortBy: ['id', 'update_time', 'add_time'],
  shape: (ctx) =>
    obj({
      title: str(),
      person_id: int({ nullable: true }),
      org_id: int({ nullable: true }),
      pipeline_id: int(),
      stage_id: int(),
      value: num(),
      currency: str(),
      is_deleted: bool(),
      is_archived: bool(),
      archive_time: str({ nullable: true }),
      status: str({ values: DEAL_STATUSES }),
      probability: num({ nullable: true }),
      lost_reason: str({ nullable: true }),
      close_time: str({ nullable: true, format: 'datetime' }),
      won_time: str({ nullable: true, format: 'datetime' }),
      lost_time: str({ nullable: true, format: 'datetime' }),
      expected_close_date: str({ nullable: true, format: 'date' }),
      custom_fields: customFieldsShape,
      ...commonProps(ctx),
    }),
  defaults: (ctx, id) => ({
    id,
    title: '',
    creator_user_id: ctx.meId,
    owner_id: ctx.meId,
    value: 0,
    person_id: null,
    org_id: null,
    stage_id: null,
    pipeline_id: null,
    currency: ctx.options.defaultCurrency,
    archive_time: null,
    add_time: rfc3339(ctx.now),
    update_time: rfc3339(ctx.now),
    stage_change_time: null,
    status: 'open',
    is_archived: false,
    is_deleted: false,
    probability: null,
    lost_reason: null,
    visible_to: defaultVisibleTo(ctx),
    close_time: null,
    won_time: null,
    lost_time: null,
    local_won_date: null,
    local_lost_date: null,
    local_close_date: null,
    expected_close_date: null,
    label_ids: [],
    origin: 'API',
    origin_id: null,
    channel: null,
    channel_id: null,
    source_lead_id: null,
    acv: null,
    arr: null,
    mrr: null,
    custom_fields: {},
  }),
  apply: applyDeal,
  filters: [
    { param: 'owner_id', kind: 'int', test: (r, v) => r.owner_id === v },
    { param: 'person_id', kind: 'int', test: (r, v) => r.person_id === v },
    { param: 'org_id', kind: 'int', test: (r, v) => r.org_id === v },
    { param: 'pipeline_id', kind: 'int', test: (r, v) => r.pipeline_id === v },
    { param: 'stage_id', kind: 'int', test: (r, v) => r.stage_id === v },
  ],
  listed: (r) => r.is_archived !== true,
};

function applyDeal(ctx: SimContext, rec: Rec, body: Rec, mode: Mode): void {
  if (mode === 'update' && rec.is_archived === true && body.is_archived !== false)
    throw badRequest('Archived deals cannot be edited');
  if (body.title !== undefined || mode === 'create') {
    if (typeof body.title !== 'string' || body.title.trim() === '')
      throw new SimHttpError(400, {
        success: false,
        error: 'Deal title must be given.',
        error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
        data: null,
        additional_data: null,
        code: 'ERR_BAD_REQUEST',
      });
    rec.title = body.title;
  }
  if (body.is_deleted === true)
    throw badRequest('A deleted deal cannot be created or set through this endpoint');
  for (const [key, collection, label] of [
    ['person_id', 'persons', 'Person'],
    ['org_id', 'organizations', 'Organization'],
  ] as const) {
    if (body[key] !== undefined) {
      requireLink(ctx, collection, body[key], label);
      rec[key] = body[key];
    }
  }
  placeInPipeline(ctx, rec, body, mode);
  if (body.value !== undefined) rec.value = body.value;
  if (body.currency !== undefined) {
    if (!/^[A-Z]{3}$/.test(body.currency as string))
      throw badRequest('currency must be a 3-letter currency code');
    rec.currency = body.currency;
  }
  for (const key of ['probability', 'expected_close_date', 'is_archived'] as const) {
    if (body[key] !== undefined) rec[key] = body[key];
  }
  if (body.is_archived === true) rec.archive_time = rec.archive_time ?? rfc3339(ctx.now);
  if (body.archive_time !== undefined) rec.archive_time = body.archive_time;
  applyStatus(ctx, rec, body);
  applyCommon(ctx, rec, body);
}

function placeInPipeline(ctx: SimContext, rec: Rec, body: Rec, mode: Mode): void {
  const stages = ctx.state.int.stages;
  if (body.stage_id !== undefined) {
    const stage = stages.get(body.stage_id as number);
    if (!stage || stage.is_deleted) throw badRequest(`Stage with id ${String(body.stage_id)} was not found`);
    if (body.pipeline_id !== undefined && body.pipeline_id !== stage.pipeline_id)
      throw badRequest(
        `Stage ${String(body.stage_id)} does not belong to pipeline ${String(body.pipeline_id)}`,
      );
    if (rec.stage_id !== stage.id)
      rec.stage_change_time = mode === 'update' ? rfc3339(ctx.now) : rec.stage_change_time;
    rec.stage_id = stage.id;
    rec.pipeline_id = stage.pipeline_id;
    return;
  }
  if (body.pipeline_id !== undefined) {
    const pipeline = ctx.state.int.pipelines.get(body.pipeline_id as number);
    if (!pipeline || pipeline.is_deleted)
      throw badRequest(`Pipeline with id ${String(body.pipeline_id)} was not found`);
    if (rec.pipeline_id === pipeline.id) return;
    const first = firstStage(ctx, pipeline.id as number);
    if (!first) throw badRequest(`Pipeline ${String(pipeline.id)} has no stages`);
    rec.pipeline_id = pipeline.id;
    rec.stage_id = first.id;
    if (mode === 'update') rec.stage_change_time = rfc3339(ctx.now);
    return;
  }
  if (mode === 'create') {
    const pipeline = [...ctx.state.int.pipelines.values()]
      .filter((p) => !p.is_deleted)
      .sort((a, b) => (a.order_nr as number) - (b.order_nr as number))[0];
    const first = pipeline ? firstStage(ctx, pipeline.id as number) : undefined;
    if (!pipeline || !first) throw badRequest('The account has no pipeline with stages to put the deal in');
    rec.pipeline_id = pipeline.id;
    rec.stage_id = first.id;
  }
}

function firstStage(ctx: SimContext, pipelineId: number): Rec | undefined {
  let best: Rec | undefined;
  for (const stage of ctx.state.int.stages.values()) {
    if (stage.pipeline_id !== pipelineId || stage.is_deleted) continue;
    if (!best || (stage.order_nr as number) < (best.order_nr as number)) best = stage;
  }
  return best;
}

/** won_time only when won, lost_time/lost_reason only when lost, close_time only when won or lost [SPEC-v2]. */
function applyStatus(ctx: SimContext, rec: Rec, body: Rec): void {
  const status = (body.status as string | undefined) ?? (rec.status as string);
  const statusChanged = body.status !== undefined && body.status !== rec.status;
  if (body.lost_reason !== undefined && body.lost_reason !== null && status !== 'lost')
    throw badRequest("'lost_reason' can only be set when the deal status is 'lost'");
  if (body.won_time !== undefined && body.won_time !== null && status !== 'won')
    throw badRequest("'won_time' can only be set when the deal status is 'won'");
  if (body.lost_time !== undefined && body.lost_time !== null && status !== 'lost')
    throw badRequest("'lost_time' can only be set when the deal status is 'lost'");
  if (body.close_time !== undefined && body.close_time !== null && status === 'open')
    throw badRequest("'close_time' can only be set when the deal status is 'won' or 'lost'");
  rec.status = status;
  const nowIso = rfc3339(ctx.now);
  if (status === 'open') {
    rec.won_time = null;
    rec.lost_time = null;
    rec.close_time = null;
    rec.lost_reason = null;
  } else if (status === 'won') {
    rec.lost_time = null;
    rec.lost_reason = null;
    const won =
      (body.won_time as string | undefined) ?? (statusChanged || !rec.won_time ? nowIso : rec.won_time);
    rec.won_time = normalizeIso(won);
    rec.close_time = normalizeIso((body.close_time as string | undefined) ?? rec.won_time);
  } else {
    rec.won_time = null;
    if (body.lost_reason !== undefined) rec.lost_reason = body.lost_reason;
    const lost =
      (body.lost_time as string | undefined) ?? (statusChanged || !rec.lost_time ? nowIso : rec.lost_time);
    rec.lost_time = normalizeIso(lost);
    rec.close_time = normalizeIso((body.close_time as string | undefined) ?? rec.lost_time);
  }
  rec.local_won_date = typeof rec.won_time === 'string' ? rec.won_time.slice(0, 10) : null;
  rec.local_lost_date = typeof rec.lost_time === 'string' ? rec.lost_time.slice(0, 10) : null;
  rec.local_close_date = typeof rec.close_time === 'string' ? rec.close_time.slice(0, 10) : null;
}

function normalizeIso(value: unknown): string | null {
  const ms = anyTimeToMs(value);
  return ms === undefined ? null : rfc3339(ms);
}
