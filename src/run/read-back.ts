import type { WriteEntity } from '../core/records.ts';
import type { PipedriveRequester, V1ListPage, V2ListPage } from '../pipedrive/api-types.ts';
import { ENTITY_ENDPOINTS, specCost } from '../plan/estimate-cost.ts';
import { type Concurrency, currentBound } from './write-concurrency.ts';

/**
 * How each entity's list can be narrowed, per Pipedrive's OpenAPI: the v2 lists take `ids` (≤100),
 * `updated_since` and `updated_until`; v1 leads and notes take `updated_since` only; v1 files take neither.
 */
export const READ_FILTERS: Readonly<
  Record<
    WriteEntity,
    { readonly ids: boolean; readonly updatedSince: boolean; readonly updatedUntil: boolean }
  >
> = {
  organization: { ids: true, updatedSince: true, updatedUntil: true },
  person: { ids: true, updatedSince: true, updatedUntil: true },
  deal: { ids: true, updatedSince: true, updatedUntil: true },
  lead: { ids: false, updatedSince: true, updatedUntil: false },
  activity: { ids: true, updatedSince: true, updatedUntil: true },
  note: { ids: false, updatedSince: true, updatedUntil: false },
  file: { ids: false, updatedSince: false, updatedUntil: false },
};

/** The most ids a v2 list takes in one `ids=` call. */
export const IDS_PER_CALL = 100;

/**
 * Ferry's records per time slice of a windowed v2 list: under the 500 a page holds, so a slice is one call
 * even when the journal's times and Pipedrive's `update_time` disagree by a second or two.
 */
const RECORDS_PER_SLICE = 450;

/** One record Ferry wrote: its Pipedrive id and when Ferry last wrote it (ISO). */
export interface WrittenRecord {
  readonly pipedriveId: string;
  readonly writtenAt?: string | undefined;
}

/**
 * Runs reads `concurrency` at a time, in the order they were asked for. A follow-up of a read already made
 * (`urgent`: the next page, the ids a window missed) goes before the reads not started yet, so an entity
 * under way finishes before later ones take the slots, and a read-back holds few entities' records at once.
 * The rate scheduler below still paces every request; this only keeps it supplied.
 * @example const reads = new ReadLimiter(25); await reads.run(() => client.request(…))
 */
export class ReadLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private waking = false;
  /** The most reads that were in flight at once. */
  busiest = 0;
  private firstStartedAt: number | undefined;
  private lastSettledAt: number | undefined;

  /**
   * `concurrency`: a number, or a bound asked again as reads settle (it follows the rate scheduler);
   * `clock`: milliseconds, for `span`.
   */
  constructor(
    private readonly concurrency: Concurrency,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Milliseconds from the first read's start to the last one's answer: the read-back's own time. */
  span(): number {
    return this.firstStartedAt === undefined || this.lastSettledAt === undefined
      ? 0
      : this.lastSettledAt - this.firstStartedAt;
  }

  async run<T>(read: () => Promise<T>, urgent = false): Promise<T> {
    const free = this.running < currentBound(this.concurrency);
    if (free && (urgent || this.waiting.length === 0)) this.running += 1;
    else
      await new Promise<void>((resolve) =>
        urgent ? this.waiting.unshift(resolve) : this.waiting.push(resolve),
      );
    this.busiest = Math.max(this.busiest, this.running);
    this.firstStartedAt ??= this.clock();
    try {
      return await read();
    } finally {
      this.lastSettledAt = this.clock();
      this.running -= 1;
      this.wakeSoon();
    }
  }

  /**
   * Hands free slots to waiting reads once the answers just settled have run their callers on (after the
   * microtasks), so the follow-ups those callers ask for queue first.
   */
  private wakeSoon(): void {
    if (this.waking) return;
    this.waking = true;
    setImmediate(() => {
      this.waking = false;
      while (this.running < currentBound(this.concurrency) && this.waiting.length > 0) {
        this.running += 1;
        this.waiting.shift()?.();
      }
    });
  }

  /** The client, with every request taking its turn here. */
  requester(client: PipedriveRequester, urgent = false): PipedriveRequester {
    return { request: (request) => this.run(() => client.request(request), urgent) };
  }
}

/**
 * One entity's records as Pipedrive holds them, read with as many calls in flight as the limiter allows:
 *
 * - v2 lists: the records updated since the window opened, in time slices of ~450 of Ferry's writes
 *   (`updated_since`/`updated_until`, from the journal's write times), one call each, all at once; then the
 *   ids of Ferry's records the window did not return (deleted, or a clock far off), 100 per `ids=` call.
 * - v1 leads and notes: the window by offset pages (500), all the pages Ferry's own records fill at once,
 *   further ones as the last says; records the window missed by listing the entity in full.
 * - v1 files (no filter): every page, the same way.
 *
 * About as many calls as one sequential list (a slice per ~450 of Ferry's records rather than a page per
 * 500), so about as many tokens.
 */
export async function readBackEntity(input: {
  client: PipedriveRequester;
  limiter: ReadLimiter;
  entity: WriteEntity;
  written: readonly WrittenRecord[];
  /** `updated_since` for the window (RFC 3339, whole seconds); undefined lists everything. */
  updatedSince: string | undefined;
  counter: { requests: number; tokens: number };
  signal?: AbortSignal | undefined;
}): Promise<Record<string, unknown>[]> {
  const { entity, written, updatedSince } = input;
  const endpoint = ENTITY_ENDPOINTS[entity].readBack;
  const filters = READ_FILTERS[entity];
  const byId = new Map<string, Record<string, unknown>>();
  const list: ListInput = {
    path: endpoint.replace(/^GET /, ''),
    first: input.limiter.requester(input.client),
    next: input.limiter.requester(input.client, true),
    signal: input.signal,
    keep: (page) => {
      input.counter.requests += 1;
      input.counter.tokens += specCost(endpoint);
      for (const record of page) byId.set(String(record.id), record);
    },
  };
  const windowed = filters.updatedSince && updatedSince !== undefined;
  if (windowed && filters.updatedUntil) {
    const slices = timeSlices(
      written.map((record) => record.writtenAt),
      updatedSince as string,
    );
    await Promise.all(slices.map((slice) => readCursorPages(list, slice)));
  } else {
    await readOffsetPages(list, windowed ? { updated_since: updatedSince as string } : {}, written.length);
  }
  const unseen = windowed ? written.map((record) => record.pipedriveId).filter((id) => !byId.has(id)) : [];
  if (unseen.length > 0 && filters.ids) {
    const batches: string[][] = [];
    for (let start = 0; start < unseen.length; start += IDS_PER_CALL)
      batches.push(unseen.slice(start, start + IDS_PER_CALL));
    await Promise.all(
      batches.map((ids) => readCursorPages({ ...list, first: list.next }, { ids: ids.join(',') })),
    );
  } else if (unseen.length > 0) {
    // Without `ids`, only the full list tells a deleted record from one the window missed.
    await readOffsetPages({ ...list, first: list.next }, {}, written.length);
  }
  return [...byId.values()];
}

/**
 * Contiguous `updated_since`/`updated_until` windows from `opensAt` on, each holding about
 * RECORDS_PER_SLICE of the given write times; the last is open-ended. Every record updated since `opensAt`
 * is in exactly one (since inclusive, until exclusive), whatever the times say: they only balance the slices.
 * @example timeSlices(times, '2026-03-01T09:00:00Z') // [{ updated_since: '2026-03-01T09:00:00Z', updated_until: '2026-03-01T09:04:12Z' }, { updated_since: '2026-03-01T09:04:12Z' }]
 */
export function timeSlices(
  writtenAt: readonly (string | undefined)[],
  opensAt: string,
  perSlice = RECORDS_PER_SLICE,
): { updated_since: string; updated_until?: string }[] {
  const opens = Date.parse(opensAt);
  const times = writtenAt
    .map((time) => (time === undefined ? Number.NaN : Date.parse(time)))
    .filter((time) => Number.isFinite(time))
    .sort((a, b) => a - b);
  const edges = [opens];
  for (let index = perSlice; index < times.length; index += perSlice) {
    const edge = Math.floor((times[index] as number) / 1000) * 1000;
    if (edge > (edges.at(-1) as number)) edges.push(edge);
  }
  return edges.map((since, index) => {
    const until = edges[index + 1];
    return {
      updated_since: rfc3339(since),
      ...(until === undefined ? {} : { updated_until: rfc3339(until) }),
    };
  });
}

interface ListInput {
  readonly path: string;
  /** For a list's first call, in the order asked. */
  readonly first: PipedriveRequester;
  /** For the calls that follow one already answered (they go first). */
  readonly next: PipedriveRequester;
  readonly signal?: AbortSignal | undefined;
  readonly keep: (page: readonly Record<string, unknown>[]) => void;
}

/** Every page of a v2 list, by cursor (500 a page). */
async function readCursorPages(list: ListInput, query: Record<string, string>): Promise<void> {
  let cursor: string | undefined;
  let requester = list.first;
  do {
    const { data, additionalData } = await requester.request<Record<string, unknown>[] | null>({
      method: 'GET',
      path: list.path,
      query: { ...query, limit: 500, cursor },
      ...(list.signal ? { signal: list.signal } : {}),
    });
    list.keep(data ?? []);
    cursor = (additionalData as V2ListPage | undefined)?.next_cursor ?? undefined;
    requester = list.next;
  } while (cursor);
}

/**
 * Every page of a v1 list, by offset: the pages `expected` records fill all at once, then one after another
 * while the last says there is more (500 a page; files 100).
 */
async function readOffsetPages(
  list: ListInput,
  query: Record<string, string>,
  expected: number,
): Promise<void> {
  const size = list.path.endsWith('/files') ? 100 : 500;
  const page = async (requester: PipedriveRequester, start: number) => {
    const { data, additionalData } = await requester.request<Record<string, unknown>[] | null>({
      method: 'GET',
      path: list.path,
      query: { ...query, start, limit: size },
      ...(list.signal ? { signal: list.signal } : {}),
    });
    list.keep(data ?? []);
    const pagination = (additionalData as V1ListPage | undefined)?.pagination;
    return pagination?.more_items_in_collection ? (pagination.next_start ?? start + size) : undefined;
  };
  const planned = Math.max(1, Math.ceil(expected / size));
  const starts = Array.from({ length: planned }, (_, index) => index * size);
  const after = await Promise.all(starts.map((start) => page(list.first, start)));
  let next = after.at(-1);
  while (next !== undefined) next = await page(list.next, next);
}

function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
