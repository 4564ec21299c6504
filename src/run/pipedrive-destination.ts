import { openAsBlob } from 'node:fs';
import type { WriteEntity } from '../core/records.ts';
import { identityMarker } from '../core/records.ts';
import type { PipedriveCreated, PipedriveRequester } from '../pipedrive/api-types.ts';
import type { Destination, LookupCandidate, ResolvedRecord } from './destination.ts';
import { listAll } from './list-pages.ts';
import { IDS_PER_CALL, READ_FILTERS } from './read-back.ts';

/** How Ferry finds a record again by its BackDocket identity, per entity. */
type IdentityStrategy =
  /**
   * A "BackDocket ID" custom field (`field`: whose field it is — leads use the deal's); looked up by listing
   * records updated since the write was announced.
   */
  | { readonly kind: 'custom-field'; readonly field: keyof IdentityFieldKeys }
  /**
   * A marker in a text field of the record, found among the parent's children (`sinceIntent`: the list
   * narrows to those updated since the write was announced).
   */
  | { readonly kind: 'marker'; readonly textField: string; readonly sinceIntent: boolean }
  /** Files: same name and size among the parent's files. */
  | { readonly kind: 'file' };

interface EntityApi {
  readonly path: string;
  readonly version: 1 | 2;
  readonly update: 'PATCH' | 'PUT';
  readonly identity: IdentityStrategy;
}

const ENTITY_API: Readonly<Record<WriteEntity, EntityApi>> = {
  organization: {
    path: '/api/v2/organizations',
    version: 2,
    update: 'PATCH',
    identity: { kind: 'custom-field', field: 'organization' },
  },
  person: {
    path: '/api/v2/persons',
    version: 2,
    update: 'PATCH',
    identity: { kind: 'custom-field', field: 'person' },
  },
  deal: {
    path: '/api/v2/deals',
    version: 2,
    update: 'PATCH',
    identity: { kind: 'custom-field', field: 'deal' },
  },
  lead: {
    path: '/api/v1/leads',
    version: 1,
    update: 'PATCH',
    identity: { kind: 'custom-field', field: 'deal' },
  },
  activity: {
    path: '/api/v2/activities',
    version: 2,
    update: 'PATCH',
    identity: { kind: 'marker', textField: 'note', sinceIntent: true },
  },
  note: {
    path: '/api/v1/notes',
    version: 1,
    update: 'PUT',
    identity: { kind: 'marker', textField: 'content', sinceIntent: false },
  },
  file: { path: '/api/v1/files', version: 1, update: 'PUT', identity: { kind: 'file' } },
};

/** Keys of the "BackDocket ID" custom field per entity (leads use the deal field). */
export interface IdentityFieldKeys {
  readonly organization?: string | undefined;
  readonly person?: string | undefined;
  readonly deal?: string | undefined;
}

/**
 * Writes records to Pipedrive through the client and finds them again by identity after a write whose
 * outcome is unknown. Lookups never use search (its index may lag): they list by recency or by parent.
 */
export class PipedriveDestination implements Destination {
  private readonly client: PipedriveRequester;
  private readonly identityKeys: IdentityFieldKeys;

  constructor(options: { client: PipedriveRequester; identityKeys: IdentityFieldKeys }) {
    this.client = options.client;
    this.identityKeys = options.identityKeys;
  }

  async create(record: ResolvedRecord, signal?: AbortSignal): Promise<string> {
    const api = ENTITY_API[record.entity];
    if (record.upload) {
      const form = new FormData();
      form.append('file', await openAsBlob(record.upload.path), record.upload.fileName);
      for (const [key, value] of Object.entries(record.body)) {
        if (value !== undefined && value !== null) form.append(key, String(value));
      }
      const { data } = await this.client.request<PipedriveCreated<number | string>>({
        method: 'POST',
        path: api.path,
        form,
        ...opt(signal),
      });
      return String(data.id);
    }
    const { data } = await this.client.request<PipedriveCreated<number | string>>({
      method: 'POST',
      path: api.path,
      body: record.body,
      ...opt(signal),
    });
    return String(data.id);
  }

  async update(entity: WriteEntity, id: string, body: Record<string, unknown>, signal?: AbortSignal) {
    const api = ENTITY_API[entity];
    await this.client.request({ method: api.update, path: `${api.path}/${id}`, body, ...opt(signal) });
  }

  async get(entity: WriteEntity, id: string, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
    const api = ENTITY_API[entity];
    try {
      const { data } = await this.client.request<Record<string, unknown> | null>({
        method: 'GET',
        path: `${api.path}/${id}`,
        ...opt(signal),
      });
      return data;
    } catch (error) {
      if ((error as { status?: number }).status === 404 || (error as { status?: number }).status === 410)
        return null;
      throw error;
    }
  }

  async getMany(
    entity: WriteEntity,
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, Record<string, unknown>>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, Record<string, unknown>>();
    const keep = (record: Record<string, unknown> | null, id = String(record?.id)) => {
      if (record && record.is_deleted !== true && record.active_flag !== false) found.set(id, record);
    };
    if (READ_FILTERS[entity].ids) {
      const batches: string[][] = [];
      for (let start = 0; start < unique.length; start += IDS_PER_CALL)
        batches.push(unique.slice(start, start + IDS_PER_CALL));
      await Promise.all(
        batches.map(async (batch) => {
          for await (const record of listAll(
            this.client,
            ENTITY_API[entity].path,
            { ids: batch.join(',') },
            signal,
          ))
            keep(record);
        }),
      );
      return found;
    }
    await Promise.all(unique.map(async (id) => keep(await this.get(entity, id, signal), id)));
    return found;
  }

  async delete(entity: WriteEntity, id: string, signal?: AbortSignal): Promise<void> {
    const api = ENTITY_API[entity];
    await this.client.request({ method: 'DELETE', path: `${api.path}/${id}`, ...opt(signal) });
  }

  async find(
    entity: WriteEntity,
    candidates: readonly LookupCandidate[],
    signal?: AbortSignal,
    isTaken: (pipedriveId: string) => boolean = () => false,
  ) {
    if (candidates.length === 0) return new Map<string, string>();
    const strategy = ENTITY_API[entity].identity;
    if (strategy.kind === 'custom-field')
      return this.findByIdentityField(entity, strategy.field, candidates, signal);
    if (strategy.kind === 'marker') return this.findByMarker(entity, strategy, candidates, signal);
    return this.findFile(candidates, signal, isTaken);
  }

  /** Lists records updated since the earliest intent (minus clock skew) and matches the identity field. */
  private async findByIdentityField(
    entity: WriteEntity,
    field: keyof IdentityFieldKeys,
    candidates: readonly LookupCandidate[],
    signal?: AbortSignal,
  ) {
    const key = this.identityKeys[field];
    const wanted = new Set(candidates.map((candidate) => candidate.record.identity));
    const found = new Map<string, string>();
    if (!key) return found;
    const since = earliest(candidates);
    for await (const item of this.listUpdatedSince(entity, since, signal)) {
      const value = customValue(item, key);
      if (typeof value === 'string' && wanted.has(value)) found.set(value, String(item.id));
      if (found.size === wanted.size) break;
    }
    return found;
  }

  private listUpdatedSince(entity: WriteEntity, since: string, signal?: AbortSignal) {
    return listAll(
      this.client,
      ENTITY_API[entity].path,
      { updated_since: since, ...(ENTITY_API[entity].version === 2 ? { sort_by: 'update_time' } : {}) },
      signal,
    );
  }

  /** Activities and notes: list the parent's children and look for the identity marker in their text. */
  private async findByMarker(
    entity: WriteEntity,
    strategy: { readonly textField: string; readonly sinceIntent: boolean },
    candidates: readonly LookupCandidate[],
    signal?: AbortSignal,
  ) {
    const found = new Map<string, string>();
    for (const [parentQuery, group] of groupByParent(candidates)) {
      const markers = new Map(
        group.map((candidate) => [identityMarker(candidate.record.identity), candidate]),
      );
      const query = strategy.sinceIntent ? { ...parentQuery, updated_since: earliest(group) } : parentQuery;
      for await (const item of listAll(this.client, ENTITY_API[entity].path, query, signal)) {
        const text = String(item[strategy.textField] ?? '');
        for (const [marker, candidate] of markers) {
          if (text.includes(marker)) found.set(candidate.record.identity, String(item.id));
        }
      }
    }
    return found;
  }

  /**
   * Files: among the parent's files, one with the same name and size that no other record of Ferry's
   * stands for (nor another candidate found before it).
   */
  private async findFile(
    candidates: readonly LookupCandidate[],
    signal: AbortSignal | undefined,
    isTaken: (pipedriveId: string) => boolean,
  ) {
    const found = new Map<string, string>();
    const adopted = new Set<string>();
    for (const candidate of candidates) {
      const { deal_id: dealId, person_id: personId } = candidate.record.body as {
        deal_id?: number;
        person_id?: number;
      };
      const parentPath = dealId
        ? `/api/v1/deals/${dealId}/files`
        : personId
          ? `/api/v1/persons/${personId}/files`
          : null;
      if (!parentPath || !candidate.record.upload) continue;
      for await (const item of listAll(this.client, parentPath, {}, signal)) {
        const sameFile =
          item.name === candidate.record.upload.fileName ||
          item.file_name === candidate.record.upload.fileName;
        const id = String(item.id);
        if (
          sameFile &&
          Number(item.file_size) === candidate.record.upload.size &&
          !isTaken(id) &&
          !adopted.has(id)
        ) {
          found.set(candidate.record.identity, id);
          adopted.add(id);
          break;
        }
      }
    }
    return found;
  }
}

function opt(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function customValue(item: Record<string, unknown>, key: string): unknown {
  const nested = item.custom_fields as Record<string, unknown> | undefined;
  if (nested && key in nested) return nested[key];
  return item[key];
}

/** The earliest intent among candidates, minus five minutes of clock skew, in whole seconds (RFC 3339). */
function earliest(candidates: readonly LookupCandidate[]): string {
  const times = candidates
    .map((candidate) => Date.parse(candidate.since))
    .filter((time) => !Number.isNaN(time));
  const from = (times.length > 0 ? Math.min(...times) : Date.now()) - 5 * 60_000;
  return new Date(Math.floor(from / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Groups candidates by the parent whose children to list (deal first, then person, then lead). */
function groupByParent(
  candidates: readonly LookupCandidate[],
): Map<Record<string, string | number>, LookupCandidate[]> {
  const groups = new Map<string, { query: Record<string, string | number>; items: LookupCandidate[] }>();
  for (const candidate of candidates) {
    const body = candidate.record.body as Record<string, unknown>;
    const participants = body.participants as { person_id?: number }[] | undefined;
    const query: Record<string, string | number> = body.deal_id
      ? { deal_id: Number(body.deal_id) }
      : body.person_id
        ? { person_id: Number(body.person_id) }
        : participants?.[0]?.person_id
          ? { person_id: participants[0].person_id }
          : body.lead_id
            ? { lead_id: String(body.lead_id) }
            : body.org_id
              ? { org_id: Number(body.org_id) }
              : {};
    const key = JSON.stringify(query);
    const group = groups.get(key) ?? { query, items: [] };
    group.items.push(candidate);
    groups.set(key, group);
  }
  return new Map([...groups.values()].map((group) => [group.query, group.items]));
}
