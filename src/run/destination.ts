import type { WriteEntity } from '../core/records.ts';

/** A record ready to send: links resolved to Pipedrive ids. */
export interface ResolvedRecord {
  readonly entity: WriteEntity;
  readonly identity: string;
  readonly body: Record<string, unknown>;
  readonly upload?: { readonly path: string; readonly fileName: string; readonly size: number } | undefined;
}

/** A record to look for after a write whose outcome is unknown. */
export interface LookupCandidate {
  readonly record: ResolvedRecord;
  /** When the intent was recorded (ISO); the record, if it exists, was created after this. */
  readonly since: string;
}

/**
 * Where records go. The executor is written against this seam; `PipedriveDestination` implements it over the
 * Pipedrive client. Errors are FerryErrors; a write whose outcome is unknown carries `uncertain: true`.
 * @example const id = await destination.create({ entity: 'person', identity: 'contact:7', body: { name: 'A' } })
 */
export interface Destination {
  create(record: ResolvedRecord, signal?: AbortSignal): Promise<string>;
  update(entity: WriteEntity, id: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<void>;
  /** The current Pipedrive record (null when it is gone), for pre-images and edit detection. */
  get(entity: WriteEntity, id: string, signal?: AbortSignal): Promise<Record<string, unknown> | null>;
  /**
   * The current Pipedrive records of many ids at once (a delta's reads before its updates), in as few
   * requests as the entity's API allows: v2 entities by `ids=` lists, 100 ids a call (10 tokens, where
   * 100 single gets cost 100); leads, notes and files, whose lists take no ids, one get each, all asked
   * at once (the rate scheduler paces them). Returns id → record for the records that are there: an id
   * missing from the map is gone (deleted, or never there), as `get`'s null; a record deleted in
   * Pipedrive is never returned. Ids may repeat; order is not kept.
   * @example const current = await destination.getMany('person', ['12', '13']); current.get('12')?.name
   */
  getMany(
    entity: WriteEntity,
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, Record<string, unknown>>>;
  /**
   * Looks candidates up by their BackDocket identity; returns identity → Pipedrive id for those found.
   * `isTaken` says a Pipedrive id already stands for another record, so it is never adopted twice (two
   * documents of the same name and size on one deal are two files).
   */
  find(
    entity: WriteEntity,
    candidates: readonly LookupCandidate[],
    signal?: AbortSignal,
    isTaken?: (pipedriveId: string) => boolean,
  ): Promise<Map<string, string>>;
  delete(entity: WriteEntity, id: string, signal?: AbortSignal): Promise<void>;
}

/** True when an error says the write may or may not have happened. */
export function isUncertain(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && (error as { uncertain?: unknown }).uncertain === true);
}
