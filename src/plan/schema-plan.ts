import type { WriteEntity } from '../core/records.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import { parseTarget } from '../mapping/model.ts';
import { normaliseValueKey } from '../mapping/transforms/index.ts';
import { customFieldFor } from './standard-fields.ts';
import {
  type CustomFieldEntity,
  DOCUMENTS_NOT_UPLOADED_FIELD,
  IDENTITY_FIELD,
  MATTER_TYPE_FIELD,
  ORIGINAL_CREATE_DATE_FIELD,
  type TargetField,
} from './target-schema.ts';

/** What Ferry knows of the account's schema, read once (see `readAccountSnapshot`). */
export interface AccountSnapshot {
  readonly fields: Readonly<Record<CustomFieldEntity, readonly TargetField[]>>;
  readonly pipelines: readonly { readonly id: number; readonly name: string }[];
  readonly stages: readonly {
    readonly id: number;
    readonly name: string;
    readonly pipelineId: number;
    readonly order: number;
  }[];
  readonly activityTypes: readonly {
    readonly id: number;
    readonly name: string;
    readonly key: string;
    readonly active: boolean;
  }[];
  readonly leadLabels: readonly { readonly id: string; readonly name: string }[];
}

/** One line of the schema checklist. */
export type SchemaItem =
  | {
      readonly kind: 'field';
      readonly entity: CustomFieldEntity;
      readonly name: string;
      readonly fieldType: string;
      readonly options: readonly string[];
      readonly state: 'exists' | 'create' | 'conflict';
      /** For an existing enum/set field: options Ferry will add. */
      readonly missingOptions: readonly string[];
      readonly note?: string | undefined;
    }
  | { readonly kind: 'pipeline'; readonly name: string; readonly state: 'exists' | 'create' }
  | {
      readonly kind: 'stage';
      readonly pipeline: string;
      readonly name: string;
      readonly order: number;
      readonly state: 'exists' | 'create';
    }
  | { readonly kind: 'activityType'; readonly name: string; readonly state: 'exists' | 'create' }
  | { readonly kind: 'leadLabel'; readonly name: string; readonly state: 'exists' | 'create' };

export interface SchemaPlan {
  readonly items: readonly SchemaItem[];
  /** Items that `ferry schema apply` will create (fields, options, pipelines, stages, activity types). */
  readonly toCreate: number;
  readonly conflicts: number;
}

/** The lead label every migrated intake carries, so the firm can find them in the Leads inbox. */
export const LEAD_LABEL = 'BackDocket intake';

/** Pipedrive's built-in activity types; a name among these is never created. */
const BUILT_IN_ACTIVITY_TYPES = ['call', 'meeting', 'task', 'deadline', 'email', 'lunch'];

/**
 * The schema checklist: every custom field, pipeline, stage and activity type the mapping needs, matched
 * by name against the account. Pure.
 * @example assembleSchemaPlan(mapping, snapshot).items.filter((item) => item.state === 'create')
 */
export function assembleSchemaPlan(mapping: Mapping, account: AccountSnapshot): SchemaPlan {
  const items: SchemaItem[] = [];
  for (const wanted of wantedFields(mapping)) {
    const existing = account.fields[wanted.entity].find((field) => sameName(field.name, wanted.name));
    if (!existing) {
      items.push({ kind: 'field', ...wanted, state: 'create', missingOptions: [] });
      continue;
    }
    if (!compatibleTypes(existing.type, wanted.fieldType)) {
      items.push({
        kind: 'field',
        ...wanted,
        state: 'conflict',
        missingOptions: [],
        note: `exists as ${existing.type}, Ferry needs ${wanted.fieldType}; not altered — rename one of them`,
      });
      continue;
    }
    const missingOptions = ['enum', 'set'].includes(existing.type)
      ? wanted.options.filter(
          (option) => !existing.options.some((candidate) => sameName(candidate.label, option)),
        )
      : [];
    items.push({ kind: 'field', ...wanted, state: 'exists', missingOptions });
  }
  for (const [pipeline, stages] of Object.entries(mapping.pipelines)) {
    const existing = account.pipelines.find((candidate) => sameName(candidate.name, pipeline));
    items.push({ kind: 'pipeline', name: pipeline, state: existing ? 'exists' : 'create' });
    stages.forEach((stage, order) => {
      const found =
        existing &&
        account.stages.some(
          (candidate) => candidate.pipelineId === existing.id && sameName(candidate.name, stage),
        );
      items.push({ kind: 'stage', pipeline, name: stage, order, state: found ? 'exists' : 'create' });
    });
  }
  for (const name of wantedActivityTypes(mapping)) {
    const exists =
      BUILT_IN_ACTIVITY_TYPES.includes(normaliseValueKey(name)) ||
      account.activityTypes.some((type) => sameName(type.name, name) || sameName(type.key, name));
    items.push({ kind: 'activityType', name, state: exists ? 'exists' : 'create' });
  }
  if (mapping.objects.some((file) => file.object === 'intake')) {
    const exists = account.leadLabels.some((label) => sameName(label.name, LEAD_LABEL));
    items.push({ kind: 'leadLabel', name: LEAD_LABEL, state: exists ? 'exists' : 'create' });
  }
  const toCreate =
    items.filter((item) => item.state === 'create').length +
    items.reduce(
      (sum, item) =>
        sum + (item.kind === 'field' && item.state === 'exists' ? item.missingOptions.length : 0),
      0,
    );
  return { items, toCreate, conflicts: items.filter((item) => item.state === 'conflict').length };
}

interface WantedField {
  readonly entity: CustomFieldEntity;
  readonly name: string;
  readonly fieldType: string;
  readonly options: readonly string[];
}

/** Every custom field the mapping writes, plus the ones Ferry always keeps (identity, original date …). */
export function wantedFields(mapping: Mapping): WantedField[] {
  const wanted = new Map<string, WantedField>();
  const add = (field: WantedField) => {
    const key = `${field.entity}\u0000${normaliseValueKey(field.name)}`;
    const existing = wanted.get(key);
    if (!existing) {
      wanted.set(key, field);
      return;
    }
    const options = [...existing.options];
    for (const option of field.options)
      if (!options.some((candidate) => sameName(candidate, option))) options.push(option);
    wanted.set(key, { ...existing, options });
  };
  for (const entity of ['deal', 'person', 'organization'] as const) {
    add({ entity, name: IDENTITY_FIELD, fieldType: 'varchar', options: [] });
    add({ entity, name: ORIGINAL_CREATE_DATE_FIELD, fieldType: 'date', options: [] });
  }
  const matterTypes = [
    ...new Set(Object.values(mapping.valueMaps.claimTypes).map((type) => type.matterType)),
  ];
  if (matterTypes.length > 0)
    add({ entity: 'deal', name: MATTER_TYPE_FIELD, fieldType: 'enum', options: matterTypes });
  if (mapping.objects.some((file) => file.object === 'document')) {
    add({ entity: 'deal', name: DOCUMENTS_NOT_UPLOADED_FIELD, fieldType: 'text', options: [] });
  }
  if (mapping.owners.keepOriginalOwnerIn) {
    add({ entity: 'deal', name: mapping.owners.keepOriginalOwnerIn, fieldType: 'varchar', options: [] });
  }
  for (const file of mapping.objects) {
    for (const field of file.fields) {
      const target = field.target ? parseTarget(field.target) : undefined;
      if (target?.kind === 'standard') {
        const custom = ['deal', 'lead', 'person', 'organization'].includes(target.entity)
          ? customFieldFor(target.entity as WriteEntity, target.field)
          : undefined;
        const entity: CustomFieldEntity =
          target.entity === 'person' || target.entity === 'organization' ? target.entity : 'deal';
        if (custom) add({ entity, name: custom, fieldType: 'varchar', options: [] });
        continue;
      }
      if (target?.kind !== 'custom') continue;
      const entity: CustomFieldEntity =
        target.entity === 'person' || target.entity === 'organization' ? target.entity : 'deal';
      if (!['deal', 'lead', 'person', 'organization'].includes(target.entity)) continue;
      const fieldType = field.fieldType ?? 'varchar';
      add({
        entity,
        name: target.name,
        fieldType,
        options: ['enum', 'set'].includes(fieldType) ? (field.options ?? []) : [],
      });
    }
  }
  return [...wanted.values()];
}

/** Activity types the value maps refer to. */
function wantedActivityTypes(mapping: Mapping): string[] {
  const names = [
    ...Object.values(mapping.valueMaps.eventTypes),
    ...Object.values(mapping.valueMaps.noteTypes).flatMap((target) =>
      target.activityType ? [target.activityType] : [],
    ),
  ];
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(normaliseValueKey(name))) seen.set(normaliseValueKey(name), name);
  return [...seen.values()];
}

/** Whether an existing field's type serves a wanted one (text types stand in for each other). */
export function compatibleTypes(existing: string, wanted: string): boolean {
  if (existing === wanted) return true;
  const text = ['varchar', 'varchar_auto', 'text'];
  return text.includes(existing) && text.includes(wanted);
}

/** Names match the way Pipedrive users read them: case, spacing and punctuation aside. */
export function sameName(a: string, b: string): boolean {
  return normaliseValueKey(a) === normaliseValueKey(b);
}

/** Pipedrive field type → an icon for a created activity type (a valid `icon_key`). */
export function activityIcon(name: string): string {
  const key = normaliseValueKey(name);
  if (/court|hearing|trial/.test(key)) return 'signpost';
  if (/deposition|mediation/.test(key)) return 'meeting';
  if (/deadline|sol/.test(key)) return 'deadline';
  return 'task';
}

/**
 * The account as it will be once the plan is applied: planned fields, options, pipelines, stages and
 * activity types added with placeholder keys and negative ids. Lets validate and plan run before
 * `ferry schema apply` without reporting every custom field as missing. Pure.
 */
export function withPlannedSchema(account: AccountSnapshot, plan: SchemaPlan): AccountSnapshot {
  let nextId = -1;
  const fields = {
    deal: [...account.fields.deal],
    person: [...account.fields.person],
    organization: [...account.fields.organization],
  };
  const pipelines = [...account.pipelines];
  const stages = [...account.stages];
  const activityTypes = [...account.activityTypes];
  const leadLabels = [...account.leadLabels];
  for (const item of plan.items) {
    if (item.kind === 'field' && item.state === 'create') {
      fields[item.entity].push({
        key: `planned:${item.entity}:${item.name}`,
        name: item.name,
        type: item.fieldType,
        options: item.options.map((label) => ({ id: nextId--, label })),
      });
    } else if (item.kind === 'field' && item.state === 'exists' && item.missingOptions.length > 0) {
      fields[item.entity] = fields[item.entity].map((field) =>
        sameName(field.name, item.name)
          ? {
              ...field,
              options: [...field.options, ...item.missingOptions.map((label) => ({ id: nextId--, label }))],
            }
          : field,
      );
    } else if (item.kind === 'pipeline' && item.state === 'create') {
      pipelines.push({ id: nextId--, name: item.name });
    } else if (item.kind === 'stage' && item.state === 'create') {
      const pipeline = pipelines.find((candidate) => sameName(candidate.name, item.pipeline));
      if (pipeline)
        stages.push({ id: nextId--, name: item.name, pipelineId: pipeline.id, order: item.order });
    } else if (item.kind === 'leadLabel' && item.state === 'create') {
      leadLabels.push({ id: `planned:${item.name}`, name: item.name });
    } else if (item.kind === 'activityType' && item.state === 'create') {
      activityTypes.push({
        id: nextId--,
        name: item.name,
        key: normaliseValueKey(item.name).replace(/ /g, '_'),
        active: true,
      });
    }
  }
  return { fields, pipelines, stages, activityTypes, leadLabels };
}
