import { type Clock, systemClock } from '../core/clock.ts';
import type { Issue } from '../core/issues.ts';
import type {
  PipedriveActivityType,
  PipedriveCreated,
  PipedriveCreatedField,
  PipedriveField,
  PipedriveLeadLabel,
  PipedriveRequester,
} from '../pipedrive/api-types.ts';
import { type RetryPolicy, retryPolicyOf } from '../pipedrive/retry-policy.ts';
import {
  type AccountSnapshot,
  activityIcon,
  assembleSchemaPlan,
  compatibleTypes,
  type SchemaItem,
  type SchemaPlan,
  sameName,
} from '../plan/schema-plan.ts';
import type { CustomFieldEntity } from '../plan/target-schema.ts';
import { readAccountSnapshot } from './account-schema.ts';
import type { Journal } from './journal.ts';
import { listAll } from './list-pages.ts';
import { forEachInPool } from './work-pool.ts';
import { writeConcurrency } from './write-concurrency.ts';
import {
  emptyTally,
  type Landed,
  type WriteContext,
  WritesKeptFailingError,
  type WriteTally,
  writeOnce,
} from './write-once.ts';

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
  /** How the writes went: sent, sent again, unknown outcomes and those found to have landed. */
  readonly writes: WriteTally;
  /** Why apply stopped before the end, when Pipedrive kept failing (retries spent); a re-run resumes. */
  readonly stoppedBy?: string | undefined;
}

/** A create of one schema part: what it sends, and how to find the part by name (and type) afterwards. */
interface PartWrite {
  readonly item: SchemaItem;
  readonly entity: string;
  readonly identity: string;
  readonly send: () => Promise<string>;
  readonly find: () => Promise<string | undefined>;
}

/**
 * Creates exactly the missing parts of the schema checklist, each through `writeOnce`: journaled (so rollback
 * can remove them), retried when Pipedrive fails for a passing reason, and looked up by name and type after
 * an unknown outcome before it is ever sent again — so no field, pipeline or stage is created twice, even
 * when a crash or a lost answer interrupts it. Idempotent: it re-reads the account first, so a second apply,
 * or one resumed after a crash, creates nothing that exists. Parts Pipedrive numbers in creation order
 * (each entity's fields, pipelines, the stages of one pipeline, activity types) are created one after the
 * other in plan order; the families go side by side. Conflicting existing fields are reported, never altered.
 */
export async function applySchema(input: {
  client: PipedriveRequester;
  journal: Journal;
  runId: number;
  mapping: Parameters<typeof assembleSchemaPlan>[0];
  signal?: AbortSignal;
  retry?: RetryPolicy;
  clock?: Clock;
  /**
   * Families of parts written side by side, at most (`--concurrency N`). By default the bound follows the
   * client's rate scheduler as migrate's does (`writeConcurrency`).
   */
  concurrency?: number | undefined;
}): Promise<ApplySchemaResult> {
  const { client, journal, runId, signal } = input;
  const snapshot = await readAccountSnapshot(client, signal);
  const context: WriteContext = {
    journal,
    runId,
    policy: input.retry ?? retryPolicyOf(client),
    clock: input.clock ?? systemClock,
    signal,
    tally: emptyTally(),
  };
  adoptUnresolved(journal, runId, snapshot, context);
  const plan = assembleSchemaPlan(input.mapping, snapshot);
  const apply = new SchemaWrites(client, context, snapshot);
  const problems: Issue[] = plan.items.filter(isConflict).map((item) => ({
    code: 'schema_conflict',
    severity: 'error',
    message: `${item.entity} field '${item.name}': ${item.note ?? 'type conflict'}`,
    field: item.name,
  }));
  let stoppedBy: string | undefined;
  try {
    const concurrency = writeConcurrency(client, input.concurrency);
    const pool = (families: readonly (readonly (() => Promise<void>)[])[]) =>
      forEachInPool(families, { concurrency, signal }, async (family) => {
        for (const write of family) await write();
      });
    await pool(apply.firstFamilies(plan));
    // Stages need their pipeline's id: each pipeline's stages, in order, once the pipelines exist.
    await pool(apply.stageFamilies(plan));
  } catch (error) {
    if (!(error instanceof WritesKeptFailingError)) throw error;
    stoppedBy = error.message;
  }
  return {
    created: apply.created,
    optionsAdded: apply.optionsAdded,
    problems: [...problems, ...apply.problems],
    plan,
    snapshot: await readAccountSnapshot(client, signal),
    writes: context.tally,
    stoppedBy,
  };
}

function isConflict(item: SchemaItem): item is Extract<SchemaItem, { kind: 'field' }> {
  return item.kind === 'field' && item.state === 'conflict';
}

/** The schema writes of one apply: each part's request, its look-up by name, and what came of it. */
class SchemaWrites {
  readonly created: SchemaItem[] = [];
  readonly problems: Issue[] = [];
  optionsAdded = 0;
  /** Pipelines by name: those the account had, and those this apply creates. */
  private readonly pipelineIds: { name: string; id: number }[];

  constructor(
    private readonly client: PipedriveRequester,
    private readonly context: WriteContext,
    private readonly snapshot: AccountSnapshot,
  ) {
    this.pipelineIds = snapshot.pipelines.map((pipeline) => ({ name: pipeline.name, id: pipeline.id }));
  }

  /** Fields per entity, pipelines, activity types, lead labels: each a family in plan order. */
  firstFamilies(plan: SchemaPlan): (() => Promise<void>)[][] {
    const families = new Map<string, (() => Promise<void>)[]>();
    const add = (family: string, write: () => Promise<void>) =>
      families.set(family, [...(families.get(family) ?? []), write]);
    for (const item of plan.items) {
      if (item.state !== 'create') {
        if (item.kind === 'field' && item.state === 'exists' && item.missingOptions.length > 0)
          add(`options:${item.entity}:${item.name}`, () => this.addOptions(item));
        continue;
      }
      if (item.kind === 'field') add(`field:${item.entity}`, () => this.createPart(this.field(item)));
      else if (item.kind === 'pipeline') add('pipeline', () => this.createPart(this.pipeline(item)));
      else if (item.kind === 'activityType')
        add('activityType', () => this.createPart(this.activityType(item)));
      else if (item.kind === 'leadLabel') add('leadLabel', () => this.createPart(this.leadLabel(item)));
    }
    return [...families.values()];
  }

  stageFamilies(plan: SchemaPlan): (() => Promise<void>)[][] {
    const families = new Map<string, (() => Promise<void>)[]>();
    for (const item of plan.items) {
      if (item.kind !== 'stage' || item.state !== 'create') continue;
      const family = families.get(item.pipeline) ?? [];
      family.push(() => {
        const pipelineId = this.pipelineIds.find((pipeline) => sameName(pipeline.name, item.pipeline))?.id;
        // Its pipeline was refused (reported already): nothing to put the stage in.
        return pipelineId === undefined ? Promise.resolve() : this.createPart(this.stage(item, pipelineId));
      });
      families.set(item.pipeline, family);
    }
    return [...families.values()];
  }

  private async createPart(part: PartWrite): Promise<void> {
    const outcome = await writeOnce(this.context, {
      what: describe(part.item),
      entity: part.entity,
      identity: part.identity,
      operation: 'create',
      send: part.send,
      resolve: async (): Promise<Landed<string>> => {
        const id = await part.find();
        return id === undefined ? { landed: false } : { landed: true, result: id };
      },
      settleDone: (entryId, id, how) => {
        this.context.journal.recordCreated({
          entryId,
          runId: this.context.runId,
          entity: part.entity,
          identity: part.identity,
          pipedriveId: id,
          contentHash: null,
          ...(how === 'sent'
            ? {}
            : { detail: 'adopted: found in Pipedrive after a write with an unknown outcome' }),
        });
        if (part.item.kind === 'pipeline') this.pipelineIds.push({ name: part.item.name, id: Number(id) });
        this.created.push(part.item);
      },
    });
    if (outcome.kind === 'refused') this.refused(part.item, outcome.message);
  }

  private refused(item: SchemaItem, message: string): void {
    this.problems.push({
      code: 'schema_write_failed',
      severity: 'error',
      message: `${describe(item)}: ${message}`,
    });
  }

  private field(item: Extract<SchemaItem, { kind: 'field' }>): PartWrite {
    const path = FIELD_PATHS[item.entity];
    const body: Record<string, unknown> = { field_name: item.name, field_type: item.fieldType };
    if (item.options.length > 0) body.options = item.options.map((label) => ({ label }));
    return {
      item,
      entity: `${item.entity}Field`,
      identity: item.name,
      send: async () =>
        (await this.request<PipedriveCreatedField>({ method: 'POST', path, body })).data.field_code,
      find: async () => {
        for await (const field of this.list<PipedriveField>(path))
          if (sameName(field.field_name, item.name) && compatibleTypes(field.field_type, item.fieldType))
            return field.field_code;
        return undefined;
      },
    };
  }

  private pipeline(item: Extract<SchemaItem, { kind: 'pipeline' }>): PartWrite {
    return {
      item,
      entity: 'pipeline',
      identity: item.name,
      send: async () =>
        String(
          (
            await this.request<PipedriveCreated>({
              method: 'POST',
              path: '/api/v2/pipelines',
              body: { name: item.name },
            })
          ).data.id,
        ),
      find: () => this.findByName('/api/v2/pipelines', {}, item.name),
    };
  }

  private stage(item: Extract<SchemaItem, { kind: 'stage' }>, pipelineId: number): PartWrite {
    return {
      item,
      entity: 'stage',
      identity: `${item.pipeline}/${item.name}`,
      send: async () =>
        String(
          (
            await this.request<PipedriveCreated>({
              method: 'POST',
              path: '/api/v2/stages',
              body: { name: item.name, pipeline_id: pipelineId },
            })
          ).data.id,
        ),
      find: () => this.findByName('/api/v2/stages', { pipeline_id: pipelineId }, item.name),
    };
  }

  private activityType(item: Extract<SchemaItem, { kind: 'activityType' }>): PartWrite {
    return {
      item,
      entity: 'activityType',
      identity: item.name,
      send: async () =>
        String(
          (
            await this.request<PipedriveCreated>({
              method: 'POST',
              path: '/api/v1/activityTypes',
              body: { name: item.name, icon_key: activityIcon(item.name) },
            })
          ).data.id,
        ),
      find: async () => {
        const { data } = await this.request<PipedriveActivityType[] | null>({
          method: 'GET',
          path: '/api/v1/activityTypes',
        });
        return (data ?? [])
          .find((type) => type.active_flag !== false && sameName(type.name, item.name))
          ?.id.toString();
      },
    };
  }

  private leadLabel(item: Extract<SchemaItem, { kind: 'leadLabel' }>): PartWrite {
    return {
      item,
      entity: 'leadLabel',
      identity: item.name,
      send: async () =>
        (
          await this.request<PipedriveCreated<string>>({
            method: 'POST',
            path: '/api/v1/leadLabels',
            body: { name: item.name, color: 'blue' },
          })
        ).data.id,
      find: async () => {
        const { data } = await this.request<PipedriveLeadLabel[] | null>({
          method: 'GET',
          path: '/api/v1/leadLabels',
        });
        return (data ?? []).find((label) => sameName(label.name, item.name))?.id;
      },
    };
  }

  /** Options a field that already existed lacks: journaled and resolved like a create (never added twice). */
  private async addOptions(item: Extract<SchemaItem, { kind: 'field' }>): Promise<void> {
    const field = this.snapshot.fields[item.entity].find((candidate) => sameName(candidate.name, item.name));
    if (!field) return;
    const path = `${FIELD_PATHS[item.entity]}/${field.key}`;
    const outcome = await writeOnce(this.context, {
      what: `options ${item.missingOptions.map((label) => `'${label}'`).join(', ')} of ${describe(item)}`,
      entity: `${item.entity}Field`,
      identity: item.name,
      operation: 'add-options',
      pipedriveId: field.key,
      intended: item.missingOptions,
      send: async () => {
        await this.request({
          method: 'POST',
          path: `${path}/options`,
          body: item.missingOptions.map((label) => ({ label })),
        });
      },
      resolve: async () =>
        (await this.hasOptions(path, item.missingOptions))
          ? { landed: true, result: undefined }
          : { landed: false },
      settleDone: (entryId) => {
        this.context.journal.settle(entryId, 'done', { pipedriveId: field.key });
        this.optionsAdded += item.missingOptions.length;
      },
    });
    if (outcome.kind === 'refused') this.refused(item, outcome.message);
  }

  private async hasOptions(fieldPath: string, labels: readonly string[]): Promise<boolean> {
    const { data } = await this.request<PipedriveField | null>({ method: 'GET', path: fieldPath });
    const options = data?.options ?? [];
    return labels.every((label) => options.some((option) => sameName(option.label, label)));
  }

  private async findByName(
    path: string,
    query: Record<string, number>,
    name: string,
  ): Promise<string | undefined> {
    for await (const item of this.list<{ id: number; name: string; is_deleted?: boolean }>(path, query))
      if (item.is_deleted !== true && sameName(item.name, name)) return String(item.id);
    return undefined;
  }

  private list<T>(path: string, query: Record<string, number> = {}): AsyncGenerator<T> {
    return listAll(this.client, path, query, this.context.signal) as AsyncGenerator<T>;
  }

  private request<T>(request: Parameters<PipedriveRequester['request']>[0]) {
    return this.client.request<T>({
      ...request,
      ...(this.context.signal ? { signal: this.context.signal } : {}),
    });
  }
}

/**
 * A create (or option change) announced but never settled (a crash, a lost answer) that the account now
 * has was Ferry's: recorded as created, so rollback removes it, and the plan then sees it as existing and
 * does not repeat it. One the account lacks never landed, and is closed as failed; the plan creates it.
 */
function adoptUnresolved(
  journal: Journal,
  runId: number,
  snapshot: AccountSnapshot,
  context: WriteContext,
): void {
  const fieldNamed = (entity: CustomFieldEntity, name: string) =>
    snapshot.fields[entity].find((field) => sameName(field.name, name));
  const finders: Record<string, (identity: string) => string | undefined> = {
    dealField: (name) => fieldNamed('deal', name)?.key,
    personField: (name) => fieldNamed('person', name)?.key,
    organizationField: (name) => fieldNamed('organization', name)?.key,
    pipeline: (name) => snapshot.pipelines.find((pipeline) => sameName(pipeline.name, name))?.id.toString(),
    stage: (identity) => {
      const [pipelineName, stageName] = identity.split('/');
      const pipeline = snapshot.pipelines.find((candidate) => sameName(candidate.name, pipelineName ?? ''));
      return snapshot.stages
        .find((stage) => stage.pipelineId === pipeline?.id && sameName(stage.name, stageName ?? ''))
        ?.id.toString();
    },
    activityType: (name) =>
      snapshot.activityTypes.find((type) => type.active && sameName(type.name, name))?.id.toString(),
    leadLabel: (name) => snapshot.leadLabels.find((label) => sameName(label.name, name))?.id,
  };
  for (const [entity, find] of Object.entries(finders)) {
    for (const entry of journal.unresolved(entity)) {
      context.tally.unknown += 1;
      const id = find(entry.identity);
      if (id === undefined) {
        journal.settle(entry.id, 'failed', { message: 'not found after an interrupted create' });
        continue;
      }
      context.tally.foundLanded += 1;
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
  for (const entity of Object.keys(FIELD_PATHS) as CustomFieldEntity[]) {
    for (const entry of journal.unresolved(`${entity}Field`, 'add-options')) {
      context.tally.unknown += 1;
      const labels = (entry.intended ?? []) as string[];
      const options = fieldNamed(entity, entry.identity)?.options ?? [];
      const landed = labels.every((label) => options.some((option) => sameName(option.label, label)));
      if (landed) context.tally.foundLanded += 1;
      // Either way the plan now sees which options the field has, and adds only the missing ones.
      journal.settle(entry.id, landed ? 'done' : 'failed', {
        message: landed ? 'found after an interrupted change' : 'not found after an interrupted change',
      });
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
