import { isFerryError } from '../core/errors.ts';
import type { Issue } from '../core/issues.ts';
import type { PipedriveCreated, PipedriveCreatedField, PipedriveRequester } from '../pipedrive/api-types.ts';
import {
  type AccountSnapshot,
  activityIcon,
  assembleSchemaPlan,
  type SchemaItem,
  type SchemaPlan,
} from '../plan/schema-plan.ts';
import type { CustomFieldEntity } from '../plan/target-schema.ts';
import { readAccountSnapshot } from './account-schema.ts';
import type { Journal } from './journal.ts';

const FIELD_PATHS: Readonly<Record<CustomFieldEntity, string>> = {
  deal: '/api/v2/dealFields',
  person: '/api/v2/personFields',
  organization: '/api/v2/organizationFields',
};

export interface ApplySchemaResult {
  readonly created: readonly SchemaItem[];
  readonly optionsAdded: number;
  readonly problems: readonly Issue[];
  readonly plan: SchemaPlan;
  readonly snapshot: AccountSnapshot;
}

/**
 * Creates exactly the missing parts of the schema checklist, each journaled (intent, then outcome) so
 * rollback can remove them. Idempotent: it re-reads the account first, so a second apply, or one resumed
 * after a crash, creates nothing that exists. Conflicting existing fields are reported, never altered.
 */
export async function applySchema(input: {
  client: PipedriveRequester;
  journal: Journal;
  runId: number;
  mapping: Parameters<typeof assembleSchemaPlan>[0];
  signal?: AbortSignal;
}): Promise<ApplySchemaResult> {
  const { client, journal, runId, signal } = input;
  const opt = signal ? { signal } : {};
  const snapshot = await readAccountSnapshot(client, signal);
  adoptUnresolved(journal, runId, snapshot);
  const plan = assembleSchemaPlan(input.mapping, snapshot);
  const created: SchemaItem[] = [];
  const problems: Issue[] = [];
  let optionsAdded = 0;
  const pipelineIds = new Map(snapshot.pipelines.map((pipeline) => [pipeline.name, pipeline.id]));

  const write = async <T>(
    entity: string,
    identity: string,
    action: () => Promise<T>,
    idOf: (result: T) => string,
  ) => {
    const entryId = await journal.intent({ runId, entity, identity, operation: 'create' });
    try {
      const result = await action();
      journal.recordCreated({
        entryId,
        runId,
        entity,
        identity,
        pipedriveId: idOf(result),
        contentHash: null,
      });
      return result;
    } catch (error) {
      journal.settle(entryId, 'failed', { message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };

  for (const item of plan.items) {
    try {
      if (item.kind === 'field' && item.state === 'create') {
        const path = FIELD_PATHS[item.entity];
        const body: Record<string, unknown> = { field_name: item.name, field_type: item.fieldType };
        if (item.options.length > 0) body.options = item.options.map((label) => ({ label }));
        await write(
          `${item.entity}Field`,
          item.name,
          () => client.request<PipedriveCreatedField>({ method: 'POST', path, body, ...opt }),
          (result) => result.data.field_code,
        );
        created.push(item);
      } else if (item.kind === 'field' && item.state === 'exists' && item.missingOptions.length > 0) {
        const field = snapshot.fields[item.entity].find(
          (candidate) => candidate.name.toLowerCase() === item.name.toLowerCase(),
        );
        if (!field) continue;
        await client.request({
          method: 'POST',
          path: `${FIELD_PATHS[item.entity]}/${field.key}/options`,
          body: item.missingOptions.map((label) => ({ label })),
          ...opt,
        });
        optionsAdded += item.missingOptions.length;
      } else if (item.kind === 'field' && item.state === 'conflict') {
        problems.push({
          code: 'schema_conflict',
          severity: 'error',
          message: `${item.entity} field '${item.name}': ${item.note ?? 'type conflict'}`,
          field: item.name,
        });
      } else if (item.kind === 'pipeline' && item.state === 'create') {
        const result = await write(
          'pipeline',
          item.name,
          () =>
            client.request<PipedriveCreated>({
              method: 'POST',
              path: '/api/v2/pipelines',
              body: { name: item.name },
              ...opt,
            }),
          (response) => String(response.data.id),
        );
        pipelineIds.set(item.name, result.data.id);
        created.push(item);
      } else if (item.kind === 'stage' && item.state === 'create') {
        const pipelineId = pipelineIds.get(item.pipeline);
        if (pipelineId === undefined) continue;
        await write(
          'stage',
          `${item.pipeline}/${item.name}`,
          () =>
            client.request<PipedriveCreated>({
              method: 'POST',
              path: '/api/v2/stages',
              body: { name: item.name, pipeline_id: pipelineId },
              ...opt,
            }),
          (response) => String(response.data.id),
        );
        created.push(item);
      } else if (item.kind === 'leadLabel' && item.state === 'create') {
        await write(
          'leadLabel',
          item.name,
          () =>
            client.request<PipedriveCreated<string>>({
              method: 'POST',
              path: '/api/v1/leadLabels',
              body: { name: item.name, color: 'blue' },
              ...opt,
            }),
          (response) => String(response.data.id),
        );
        created.push(item);
      } else if (item.kind === 'activityType' && item.state === 'create') {
        await write(
          'activityType',
          item.name,
          () =>
            client.request<PipedriveCreated>({
              method: 'POST',
              path: '/api/v1/activityTypes',
              body: { name: item.name, icon_key: activityIcon(item.name) },
              ...opt,
            }),
          (response) => String(response.data.id),
        );
        created.push(item);
      }
    } catch (error) {
      if (isFerryError(error) && (error.failure === 'config' || error.failure === 'internal')) throw error;
      problems.push({
        code: 'schema_write_failed',
        severity: 'error',
        message: `${describe(item)}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return { created, optionsAdded, problems, plan, snapshot: await readAccountSnapshot(client, signal) };
}

/**
 * A create announced but never settled (crash, lost response) that the account now has was Ferry's:
 * record it as created so rollback removes it; the plan then sees it as existing and does not repeat it.
 */
function adoptUnresolved(journal: Journal, runId: number, snapshot: AccountSnapshot): void {
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const finders: Record<string, (identity: string) => string | undefined> = {
    dealField: (name) => snapshot.fields.deal.find((field) => same(field.name, name))?.key,
    personField: (name) => snapshot.fields.person.find((field) => same(field.name, name))?.key,
    organizationField: (name) => snapshot.fields.organization.find((field) => same(field.name, name))?.key,
    pipeline: (name) => snapshot.pipelines.find((pipeline) => same(pipeline.name, name))?.id.toString(),
    stage: (identity) => {
      const [pipelineName, stageName] = identity.split('/');
      const pipeline = snapshot.pipelines.find((candidate) => same(candidate.name, pipelineName ?? ''));
      return snapshot.stages
        .find((stage) => stage.pipelineId === pipeline?.id && same(stage.name, stageName ?? ''))
        ?.id.toString();
    },
    activityType: (name) => snapshot.activityTypes.find((type) => same(type.name, name))?.id.toString(),
    leadLabel: (name) => snapshot.leadLabels.find((label) => same(label.name, name))?.id,
  };
  for (const [entity, find] of Object.entries(finders)) {
    for (const entry of journal.unresolved(entity)) {
      const id = find(entry.identity);
      if (id === undefined)
        journal.settle(entry.id, 'failed', { message: 'not found after an interrupted create' });
      else {
        journal.recordCreated({
          entryId: entry.id,
          runId,
          entity,
          identity: entry.identity,
          pipedriveId: id,
          contentHash: null,
          detail: 'adopted after an interrupted create',
        });
      }
    }
  }
}

export function describe(item: SchemaItem): string {
  switch (item.kind) {
    case 'field':
      return `${item.entity} field '${item.name}' (${item.fieldType})`;
    case 'pipeline':
      return `pipeline '${item.name}'`;
    case 'stage':
      return `stage '${item.name}' in '${item.pipeline}'`;
    case 'activityType':
      return `activity type '${item.name}'`;
    case 'leadLabel':
      return `lead label '${item.name}'`;
  }
}
