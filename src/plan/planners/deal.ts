import type { RowRef } from '../../core/records.ts';
import type { FileMapping, StatusTarget } from '../../mapping/mapping-schema.ts';
import { normaliseValueKey } from '../../mapping/transforms/index.ts';
import type { SourceRow } from '../../source/model.ts';
import type { FeedLink, FeedValue } from '../claim-feeds.ts';
import { MATTER_TYPE_FIELD } from '../target-schema.ts';
import { isPlainMoney } from '../values.ts';
import { carried, withCarried } from './carried.ts';
import { type BuiltRecord, link, mergeBuilt, type PlanContext, ref } from './context.ts';
import { applyFields } from './fields.ts';
import type { AlongRow, EntityPlanner, RowPlan } from './planner.ts';

/** A claim row becomes a deal in its pipeline and stage, with the client it carries planned before it. */
export const dealPlanner: EntityPlanner = {
  entity: 'deal',
  objects: ['claim'],
  plan: (context, { file, row, along }) => claimRecord(context, file, row, along),
};

function claimRecord(
  context: PlanContext,
  file: FileMapping,
  row: SourceRow,
  along: readonly AlongRow[],
): RowPlan {
  context.plannedClaims.add(row.sourceKey);
  const built = applyFields(context, file, row, 'deal');
  for (const other of along) mergeBuilt(built, applyFields(context, other.file, other.row, 'deal'));
  const feed = feedOf(context, row.sourceKey);
  const payload = built.payload;
  if (!payload.title)
    return context.quarantine(built.issues, row, 'title', 'the claim has no name to use as deal title');
  const type = built.extras.claimType as { pipeline: string; matterType: string } | undefined;
  const status = statusTarget(
    context,
    built.extras.statusRaw as string | undefined,
    built.extras.claimTypeRaw as string,
  );
  if (built.extras.statusRaw && !status) {
    return context.quarantine(
      built.issues,
      row,
      'status',
      `claim status '${built.extras.statusRaw}' is not in valueMaps.claimStatuses`,
    );
  }
  const pipeline = status?.pipeline ?? type?.pipeline ?? Object.keys(context.options.mapping.pipelines)[0];
  if (pipeline) {
    const pipelineId = context.options.schema.pipelineId(pipeline);
    const stageName = status?.stage ?? context.options.mapping.pipelines[pipeline]?.[0];
    const stageId = stageName ? context.options.schema.stageId(pipeline, stageName) : undefined;
    if (pipelineId === undefined || stageId === undefined) {
      return context.quarantine(
        built.issues,
        row,
        'pipeline',
        `pipeline '${pipeline}' / stage '${stageName}' is not in Pipedrive; run ferry schema apply`,
      );
    }
    payload.pipeline_id = pipelineId;
    payload.stage_id = stageId;
  }
  if (type?.matterType) context.setCustom(built, 'deal', MATTER_TYPE_FIELD, type.matterType, row);
  applyStatus(context, payload, status, built.extras);
  if (feed) applyFeed(context, built, feed, row);
  const person = carried(context, file, row, 'person', built.links);
  const client = built.links.find((candidate) => candidate.field === 'person_id');
  if (client) context.claimClient.set(row.sourceKey, client.identity);
  context.stamp(built, 'deal', file, row);
  const rows = [ref(row), ...along.map((other) => ref(other.row)), ...(feed?.rows ?? [])];
  return withCarried(
    context,
    person,
    context.done(built, context.record('deal', built.identity, payload, built.links, rows)),
  );
}

function statusTarget(
  context: PlanContext,
  statusRaw: string | undefined,
  claimType: string | undefined,
): StatusTarget | undefined {
  if (!statusRaw) return undefined;
  const maps = context.options.mapping.valueMaps;
  const byType = claimType
    ? Object.entries(maps.claimStatusesByType).find(
        ([type]) => normaliseValueKey(type) === normaliseValueKey(claimType),
      )?.[1]
    : undefined;
  const lookup = (map: Record<string, StatusTarget> | undefined) =>
    map
      ? Object.entries(map).find(
          ([status]) => normaliseValueKey(status) === normaliseValueKey(statusRaw),
        )?.[1]
      : undefined;
  return lookup(byType) ?? lookup(maps.claimStatuses);
}

function applyStatus(
  _context: PlanContext,
  payload: Record<string, unknown>,
  status: StatusTarget | undefined,
  extras: Record<string, unknown>,
) {
  if (!status || status.status === 'open') {
    payload.status = 'open';
    return;
  }
  payload.status = status.status;
  const closedAt = (extras.closeTime as string | undefined) ?? undefined;
  if (closedAt) {
    payload.close_time = closedAt;
    payload[status.status === 'won' ? 'won_time' : 'lost_time'] = closedAt;
  }
  if (status.status === 'lost') {
    payload.lost_reason =
      ((extras.lostReason as string | undefined) ?? status.lostReason ?? '').slice(0, 255) || null;
    if (payload.lost_reason === null) delete payload.lost_reason;
  }
}

function applyFeed(context: PlanContext, built: BuiltRecord, feed: Feed, row: SourceRow): void {
  for (const [field, target] of feed.links) {
    if (!built.links.some((candidate) => candidate.field === field)) {
      built.links.push(link(field, target.entity, target.identity, false));
    }
  }
  if (feed.owner && built.payload.owner_id === undefined) {
    const owner = context.options.resolveOwner(feed.owner.ref);
    if (owner && 'userId' in owner) built.payload.owner_id = owner.userId;
    else if (owner && 'held' in owner) built.extras.heldOwner = owner.held;
  }
  for (const [key, slot] of feed.values) {
    const name = key.slice('custom:'.length);
    context.setCustom(built, 'deal', name, rollUp(slot.rollup, slot.items), row);
  }
}

/**
 * What the claim's feeder rows add to its deal, replayed in the order they were read: the first link and
 * owner win unless a later row is the primary one; custom values gather for their rollup.
 */
function feedOf(context: PlanContext, claimKey: string): Feed | undefined {
  const items = context.feeds.items(claimKey, 'deal');
  if (items.length === 0) return undefined;
  const feed: Feed = { rows: [], values: new Map(), links: new Map() };
  for (const item of items) {
    if (item.row) feed.rows.push(item.row);
    for (const owner of item.owners ?? []) {
      if (!feed.owner || (owner.primary && !feed.owner.primary)) feed.owner = owner;
    }
    for (const { field, ...target } of item.links ?? []) {
      const existing = feed.links.get(field);
      if (!existing || (target.primary && !existing.primary)) feed.links.set(field, target);
    }
    for (const { key, rollup, value } of item.values ?? []) {
      const slot = feed.values.get(key) ?? { rollup, items: [] };
      slot.items.push(value);
      feed.values.set(key, slot);
    }
  }
  return feed;
}

/** Per claim: what its feeder rows add to the deal, gathered from its feed items when the deal is planned. */
interface Feed {
  readonly rows: RowRef[];
  readonly values: Map<string, { rollup: FeedValue['rollup']; items: unknown[] }>;
  readonly links: Map<string, Omit<FeedLink, 'field'>>;
  owner?: { ref: string; primary: boolean };
}

function rollUp(rollup: 'sum' | 'last' | 'list', items: readonly unknown[]): unknown {
  if (rollup === 'last') return items.at(-1);
  if (rollup === 'sum') {
    const money = items.filter(isPlainMoney);
    if (money.length > 0) {
      const amount = Math.round(money.reduce((sum, item) => sum + item.amount, 0) * 100) / 100;
      return { amount, currency: money[0]!.currency };
    }
    return Math.round(items.reduce<number>((sum, item) => sum + (Number(item) || 0), 0) * 100) / 100;
  }
  return [...new Set(items.map((item) => String(item)))].join('; ');
}
