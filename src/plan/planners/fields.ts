/**
 * How a row's columns become a record's fields, following the mapping: standard fields by their Pipedrive
 * meaning, custom fields encoded for the entity's API dialect, links to the records a column points at.
 */
import type { Issue } from '../../core/issues.ts';
import type { BackdocketObject } from '../../core/objects.ts';
import type { ParentLink, WriteEntity } from '../../core/records.ts';
import type { FieldMapping, FileMapping } from '../../mapping/mapping-schema.ts';
import { parseTarget } from '../../mapping/model.ts';
import { applyTransform, joinName, splitName } from '../../mapping/transforms/index.ts';
import type { SourceRow } from '../../source/model.ts';
import { customFieldFor } from '../standard-fields.ts';
import { isPlainMoney, toClock, toV1Timestamp } from '../values.ts';
import {
  type BuiltRecord,
  customEntity,
  escapeText,
  link,
  type PlanContext,
  SHORT_TEXT_LIMIT,
} from './context.ts';

/**
 * A row's mapped columns applied to one entity's record: payload, links, issues, and what the entity
 * planners read besides (extras: a claim's status, a document's path).
 */
export function applyFields(
  context: PlanContext,
  file: FileMapping,
  row: SourceRow,
  entity: WriteEntity,
): BuiltRecord {
  const identity = context.identityOf(file.object!, row.sourceKey, entity);
  const built: BuiltRecord = {
    identity,
    payload: {} as Record<string, unknown>,
    links: [] as ParentLink[],
    issues: [] as Issue[],
    extras: {} as Record<string, unknown>,
    /** Leads speak v1: custom fields flat at the top level. */
    dialect: (entity === 'lead' ? 'v1' : 'v2') as 'v1' | 'v2',
  };
  const nameParts: Record<string, string> = {};
  const address: Record<string, string[]> = {};
  for (const field of file.fields) {
    const target = field.target ? parseTarget(field.target) : undefined;
    if (!target) continue;
    const raw = row.values[field.column] ?? '';
    if (target.kind === 'ref') {
      if (target.object === 'claim' && target.entity === entity && raw.trim())
        built.extras.claimRef = context.keyOf('claim', raw.trim());
      continue;
    }
    const targetEntity = target.entity;
    // Each entity reads its own targets (an intake row feeds both a lead and its caller, a person).
    if (targetEntity !== entity) continue;
    if (target.kind === 'custom') {
      if (field.transform?.kind === 'address') {
        pushTo(address, `custom:${target.name}`, raw.trim());
        continue;
      }
      const result = applyTransform(raw, field.transform, context.transforms);
      if (!result.ok) {
        built.issues.push(context.issue(result.issue, row, field));
        continue;
      }
      if (result.issue) built.issues.push(context.issue(result.issue, row, field));
      if (result.value !== null)
        context.setCustom(built, customEntity(entity), target.name, result.value, row, field);
      continue;
    }
    applyStandard(context, {
      built,
      field: target.field,
      spec: field,
      raw,
      row,
      entity,
      nameParts,
      address,
      file,
    });
  }
  if (Object.keys(nameParts).length > 0 && !built.payload.name) {
    const name = joinName(nameParts);
    if (name) built.payload.name = name;
  }
  for (const [key, parts] of Object.entries(address)) {
    const value = parts.filter(Boolean).join(', ');
    if (!value) continue;
    if (key === 'address') built.payload.address = { value };
    else context.setCustom(built, customEntity(entity), key.slice('custom:'.length), value, row);
  }
  return built;
}

function applyStandard(
  context: PlanContext,
  input: {
    built: BuiltRecord;
    field: string;
    spec: FieldMapping;
    raw: string;
    row: SourceRow;
    entity: WriteEntity;
    nameParts: Record<string, string>;
    address: Record<string, string[]>;
    file: FileMapping;
  },
): void {
  const { built, field, spec, raw, row, entity } = input;
  const text = raw.trim();
  const linkTo = (
    object: BackdocketObject,
    linkEntity: LinkTarget,
    payloadField: string,
    required = false,
  ) => {
    if (text)
      built.links.push(
        link(payloadField, linkEntity, context.identityOf(object, text, linkEntity), required),
      );
  };
  switch (field) {
    case 'first_name':
    case 'last_name':
      if (text) input.nameParts[field === 'first_name' ? 'first' : 'last'] = text;
      return;
    case 'name':
      if (!text) return;
      if (entity === 'person' && /,/.test(text)) {
        const split = splitName(text);
        if (split.ok && split.value) {
          built.payload.name = joinName(split.value);
          return;
        }
      }
      built.payload.name = text;
      return;
    case 'owner_id':
    case 'user_id': {
      if (!text) return;
      const owner = context.options.resolveOwner(text);
      if (owner && 'userId' in owner) built.payload[field] = owner.userId;
      else if (owner && 'held' in owner) built.extras.heldOwner = owner.held;
      if (entity === 'deal' && context.options.mapping.owners.keepOriginalOwnerIn) {
        context.setCustom(built, 'deal', context.options.mapping.owners.keepOriginalOwnerIn, text, row);
      }
      return;
    }
    case 'person_id':
      if (entity === 'activity') {
        if (!built.links.some((candidate) => candidate.field === 'participants'))
          linkTo('contact', 'person', 'participants');
      } else linkTo('contact', 'person', 'person_id');
      return;
    case 'participants':
      if (!built.links.some((candidate) => candidate.field === 'participants')) {
        linkTo('contact', 'person', 'participants');
      }
      return;
    case 'org_id':
      linkTo('company', 'organization', entity === 'lead' ? 'organization_id' : 'org_id');
      return;
    case 'deal_id':
      // A child of a claim belongs to that claim's deal: if the deal is not there, the child waits too.
      if (text) built.extras.claimRef = context.keyOf('claim', text);
      linkTo('claim', 'deal', 'deal_id', true);
      return;
    case 'pipeline_id': {
      if (!text) return;
      built.extras.claimTypeRaw = text;
      const result = applyTransform(raw, spec.transform, context.transforms);
      if (result.ok) built.extras.claimType = result.value;
      else built.issues.push(context.issue(result.issue, row, spec));
      return;
    }
    case 'status':
      if (text) built.extras.statusRaw = text;
      return;
    case 'file':
      if (text) built.extras.storagePath = text;
      return;
    case 'address':
      pushTo(input.address, 'address', text);
      return;
  }
  const result = applyTransform(raw, spec.transform, context.transforms);
  if (!result.ok) {
    built.issues.push(context.issue(result.issue, row, spec));
    return;
  }
  if (result.issue) built.issues.push(context.issue(result.issue, row, spec));
  const value = result.value;
  if (value === null || value === undefined) return;
  setStandard(context, built, entity, field, value, spec, row);
}

function setStandard(
  context: PlanContext,
  built: BuiltRecord,
  entity: WriteEntity,
  field: string,
  value: unknown,
  spec: FieldMapping,
  row: SourceRow,
): void {
  const payload = built.payload;
  switch (field) {
    case 'emails':
    case 'phones': {
      payload[field] ??= [];
      const list = payload[field] as { value: string; primary: boolean; label: string }[];
      const values = Array.isArray(value) ? value.map(String) : [String(value)];
      for (const item of values) {
        if (list.some((existing) => existing.value.toLowerCase() === item.toLowerCase())) continue;
        list.push({ value: item, primary: list.length === 0, label: spec.transform?.label ?? 'work' });
      }
      return;
    }
    case 'value':
      if (isPlainMoney(value)) {
        if (entity === 'lead') payload.value = { amount: value.amount, currency: value.currency };
        else {
          payload.value = value.amount;
          payload.currency = value.currency;
        }
      } else if (typeof value === 'number') payload.value = value;
      return;
    case 'add_time':
      if (typeof value !== 'string') return;
      built.extras.addTimeIso = value;
      if (entity === 'note') payload.add_time = toV1Timestamp(value);
      else if (entity === 'person' || entity === 'organization') payload.add_time = value;
      // Deals and activities cannot take add_time; the original date goes to a custom field.
      if (entity === 'deal' || entity === 'person' || entity === 'organization') {
        built.extras.originalCreateDate = value.slice(0, 10);
      }
      return;
    case 'close_time':
      if (typeof value === 'string') built.extras.closeTime = value;
      return;
    case 'due_date':
      if (typeof value === 'string') payload.due_date = value.slice(0, 10);
      return;
    case 'due_time':
      if (typeof value === 'string') payload.due_time = toClock(value);
      return;
    case 'duration':
      return;
    case 'type':
      if (typeof value === 'string')
        payload.type = context.options.schema.activityTypeKey(value) ?? value.toLowerCase();
      else if (value && typeof value === 'object' && 'activityType' in value) {
        const name = String((value as { activityType?: string }).activityType ?? 'Call');
        payload.type = context.options.schema.activityTypeKey(name) ?? name.toLowerCase();
      }
      return;
    case 'content':
    case 'note': {
      const part = spec.transform?.part;
      if (entity === 'note' && part === 'subject') {
        built.extras.subject = String(value);
        payload.content = `<p><b>${escapeText(String(value))}</b></p>${(payload.content as string) ?? ''}`;
        return;
      }
      payload[field === 'content' && entity === 'activity' ? 'note' : field] =
        `${(payload[field] as string) ?? ''}${String(value)}`;
      return;
    }
    case 'done':
      payload.done = value === true || value === 'true';
      return;
    case 'pinned_to_deal_flag':
      payload.pinned_to_deal_flag = value === true ? 1 : 0;
      return;
    case 'location':
      payload.location = entity === 'activity' ? { value: String(value) } : String(value);
      return;
    case 'priority':
      return;
    case 'lost_reason':
      built.extras.lostReason = String(value);
      return;
    case 'active_flag':
      return;
    case 'title':
    case 'subject':
      if (typeof value === 'string' && value.length > SHORT_TEXT_LIMIT) {
        built.issues.push(context.tooLong(row, spec.column, value.length, SHORT_TEXT_LIMIT));
        return;
      }
      payload[field] = value;
      return;
    default: {
      const custom = customFieldFor(entity, field);
      if (custom === undefined) {
        payload[field] = isPlainMoney(value) ? value.amount : Array.isArray(value) ? value.join('; ') : value;
      } else if (entity === 'person' || entity === 'organization' || entity === 'deal' || entity === 'lead') {
        context.setCustom(built, customEntity(entity), custom, value, row, spec);
      }
    }
  }
}

function pushTo(lists: Record<string, string[]>, key: string, value: string): void {
  const list = lists[key] ?? [];
  list.push(value);
  lists[key] = list;
}

/** The entities records link to (parents); the planner makes no link to any other. */
type LinkTarget = 'organization' | 'person' | 'deal';
