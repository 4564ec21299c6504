import type { Issue } from '../core/issues.ts';
import { normaliseValueKey } from '../mapping/transforms/index.ts';
import type {
  PipedriveActivityType,
  PipedriveField,
  PipedriveLeadLabel,
  PipedrivePipeline,
  PipedriveRequester,
  PipedriveStage,
} from '../pipedrive/api-types.ts';
import type { AccountSnapshot } from '../plan/schema-plan.ts';
import type { CustomFieldEntity, TargetField, TargetSchema } from '../plan/target-schema.ts';
import type { AccountUser } from '../validate/ownership.ts';
import { listPages } from './list-pages.ts';

const FIELD_PATHS: Readonly<Record<CustomFieldEntity, string>> = {
  deal: '/api/v2/dealFields',
  person: '/api/v2/personFields',
  organization: '/api/v2/organizationFields',
};

/**
 * Reads fields, pipelines, stages, activity types and lead labels once: a handful of list calls, all in
 * flight at once (they do not depend on each other), so the snapshot costs one round trip, not seven.
 */
export async function readAccountSnapshot(
  client: PipedriveRequester,
  signal?: AbortSignal,
): Promise<AccountSnapshot> {
  const opt = signal ? { signal } : {};
  const fieldLists = Promise.all(
    (Object.entries(FIELD_PATHS) as [CustomFieldEntity, string][]).map(async ([entity, path]) => {
      const list = await listEvery<PipedriveField>(client, path, signal);
      const fields: TargetField[] = list.map((field) => ({
        key: field.field_code,
        name: field.field_name,
        type: field.field_type,
        options: [...(field.options ?? [])],
      }));
      return [entity, fields] as const;
    }),
  );
  const [fieldsByEntity, pipelineList, stageList, types, labels] = await Promise.all([
    fieldLists,
    listEvery<PipedrivePipeline>(client, '/api/v2/pipelines', signal),
    listEvery<PipedriveStage>(client, '/api/v2/stages', signal),
    client.request<PipedriveActivityType[] | null>({ method: 'GET', path: '/api/v1/activityTypes', ...opt }),
    client.request<PipedriveLeadLabel[] | null>({ method: 'GET', path: '/api/v1/leadLabels', ...opt }),
  ]);
  const fields = Object.fromEntries(fieldsByEntity) as Record<CustomFieldEntity, TargetField[]>;
  const pipelines = pipelineList
    .filter((pipeline) => !pipeline.is_deleted)
    .map((pipeline) => ({ id: pipeline.id, name: pipeline.name }));
  const stages = stageList
    .filter((stage) => !stage.is_deleted)
    .map((stage) => ({
      id: stage.id,
      name: stage.name,
      pipelineId: stage.pipeline_id,
      order: stage.order_nr,
    }));
  const activityTypes = (types.data ?? []).map((type) => ({
    id: type.id,
    name: type.name,
    key: type.key_string,
    active: type.active_flag !== false,
  }));
  const leadLabels = (labels.data ?? []).map((label) => ({ id: label.id, name: label.name }));
  return { fields, pipelines, stages, activityTypes, leadLabels };
}

async function listEvery<T>(client: PipedriveRequester, path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for await (const page of listPages(client, path, {}, signal)) items.push(...(page as T[]));
  return items;
}

/** Names → per-account keys and ids, case- and spacing-insensitive. */
export function targetSchemaOf(snapshot: AccountSnapshot): TargetSchema {
  const key = (name: string) => normaliseValueKey(name);
  const fieldIndex = new Map<string, TargetField>();
  for (const [entity, fields] of Object.entries(snapshot.fields)) {
    for (const field of fields) {
      const id = `${entity}\u0000${key(field.name)}`;
      // The first field of a name wins; the schema plan reports duplicates.
      if (!fieldIndex.has(id)) fieldIndex.set(id, field);
    }
  }
  const pipelines = new Map(snapshot.pipelines.map((pipeline) => [key(pipeline.name), pipeline.id]));
  const stages = new Map(
    snapshot.stages.map((stage) => [`${stage.pipelineId}\u0000${key(stage.name)}`, stage.id]),
  );
  const types = new Map<string, string>();
  for (const type of snapshot.activityTypes) {
    types.set(key(type.name), type.key);
    types.set(key(type.key), type.key);
  }
  return {
    customField: (entity, name) => fieldIndex.get(`${entity}\u0000${key(name)}`),
    pipelineId: (name) => pipelines.get(key(name)),
    stageId: (pipeline, stage) => {
      const pipelineId = pipelines.get(key(pipeline));
      return pipelineId === undefined ? undefined : stages.get(`${pipelineId}\u0000${key(stage)}`);
    },
    activityTypeKey: (name) => types.get(key(name)),
    leadLabelId: (name) => snapshot.leadLabels.find((label) => key(label.name) === key(name))?.id,
  };
}

/**
 * Names the account holds more than once, so resolving them by name is ambiguous: custom fields per
 * entity, pipelines, stages within a pipeline, activity types, lead labels and user e-mails. Ferry uses
 * the first of each (as `targetSchemaOf` does); the person should know which, and may rename the others.
 */
export function accountAmbiguities(snapshot: AccountSnapshot, users: readonly AccountUser[]): Issue[] {
  const key = (name: string) => normaliseValueKey(name);
  const issues: Issue[] = [];
  const report = (what: string, items: readonly { name: string; id: string }[]) => {
    const groups = new Map<string, { name: string; id: string }[]>();
    for (const item of items) groups.set(key(item.name), [...(groups.get(key(item.name)) ?? []), item]);
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const [first, ...others] = group;
      issues.push({
        code: 'schema_duplicate_name',
        severity: 'warning',
        message: `${group.length} ${what} are named '${first!.name}' (${group.map((item) => item.id).join(', ')}); Ferry uses ${first!.id} and ignores ${others.map((item) => item.id).join(', ')}.`,
        field: first!.name,
        fix: 'Rename or delete the extra ones in Pipedrive, then run ferry validate again.',
      });
    }
  };
  for (const [entity, fields] of Object.entries(snapshot.fields)) {
    report(
      `${entity} fields`,
      fields.map((field) => ({ name: field.name, id: field.key })),
    );
  }
  report(
    'pipelines',
    snapshot.pipelines.map((p) => ({ name: p.name, id: String(p.id) })),
  );
  for (const pipeline of snapshot.pipelines) {
    const stages = snapshot.stages.filter((stage) => stage.pipelineId === pipeline.id);
    report(
      `stages of '${pipeline.name}'`,
      stages.map((s) => ({ name: s.name, id: String(s.id) })),
    );
  }
  report(
    'activity types',
    snapshot.activityTypes.map((t) => ({ name: t.name, id: t.key })),
  );
  report(
    'lead labels',
    snapshot.leadLabels.map((label) => ({ name: label.name, id: label.id })),
  );
  report(
    'users',
    users.map((user) => ({ name: user.email.toLowerCase(), id: `user ${user.id}` })),
  );
  return issues;
}
