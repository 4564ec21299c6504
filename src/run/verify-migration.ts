import type { Issue } from '../core/issues.ts';
import { type RunKind, WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import type { PipedriveRequester } from '../pipedrive/api-types.ts';
import { ENTITY_ENDPOINTS, specCost } from '../plan/estimate-cost.ts';
import { type EntityReconciliation, type RecordDiff, reconcileEntity } from '../verify/reconcile.ts';
import type { Journal } from './journal.ts';
import { listPages } from './list-pages.ts';
import type { IdentityFieldKeys } from './pipedrive-destination.ts';

export interface VerifyResult {
  readonly checkedAt: string;
  readonly entities: readonly (EntityReconciliation & { sourceRows: number })[];
  readonly diffs: readonly RecordDiff[];
  readonly missing: readonly { entity: string; identity: string; pipedriveId: string }[];
  readonly unexpected: readonly { entity: string; identity: string; pipedriveId: string }[];
  readonly requests: number;
  readonly tokens: number;
  readonly ok: boolean;
}

const MARKER = /\[BackDocket ([^\]]+)\]/;

/**
 * How each entity's list can be narrowed, per Pipedrive's OpenAPI: the v2 lists take `ids` (≤100) and
 * `updated_since`; v1 leads and notes take `updated_since` only; v1 files take neither.
 */
const READ_FILTERS: Readonly<Record<WriteEntity, { readonly ids: boolean; readonly updatedSince: boolean }>> =
  {
    organization: { ids: true, updatedSince: true },
    person: { ids: true, updatedSince: true },
    deal: { ids: true, updatedSince: true },
    lead: { ids: false, updatedSince: true },
    activity: { ids: true, updatedSince: true },
    note: { ids: false, updatedSince: true },
    file: { ids: false, updatedSince: false },
  };

/** The most ids a v2 list takes in one `ids=` call. */
const IDS_PER_CALL = 100;

/** This machine's clock and Pipedrive's may disagree; the read-back window opens this much earlier. */
const CLOCK_SKEW_MARGIN_MS = 10 * 60_000;

/**
 * Runs from whose start on a record can carry a BackDocket identity: the identity fields exist only since
 * the first schema run, and Ferry writes records (and any duplicate of one) only in the record runs.
 */
const WINDOW_RUN_KINDS: readonly RunKind[] = ['schema', 'sample', 'full', 'delta'];

/**
 * `ferry verify`: reads back every record Ferry wrote and compares it with the body Ferry wrote, field by
 * field, after normalising Pipedrive's spellings. Deleted records are missing; records carrying a BackDocket
 * identity that Ferry did not write (a duplicate, one made by hand) are unexpected.
 *
 * Reads are bounded by the migration, not the account: every record Ferry wrote, and every record carrying
 * a BackDocket identity, was updated after Ferry's first run started, so one list with `updated_since`
 * (500 a page) returns them all while the account's older records stay unread. v2 records the window did
 * not return (deleted, or a clock far off) are then asked for by id, 100 per `ids=` call; leads and notes,
 * whose lists take no `ids`, are then listed in full. Files have no time filter and are listed in full.
 */
export async function verifyMigration(input: {
  journal: Journal;
  client: PipedriveRequester;
  identityKeys: IdentityFieldKeys;
  sourceRows: (entity: WriteEntity) => number;
  now?: () => Date;
  signal?: AbortSignal;
}): Promise<VerifyResult> {
  const counter = { requests: 0, tokens: 0 };
  const updatedSince = readBackWindowStart(input.journal);
  const entities: (EntityReconciliation & { sourceRows: number })[] = [];
  const diffs: RecordDiff[] = [];
  const missing: VerifyResult['missing'][number][] = [];
  const unexpected: VerifyResult['unexpected'][number][] = [];
  for (const entity of WRITE_ORDER) {
    const expected = input.journal.idMap(entity).map((entry) => ({
      identity: entry.identity,
      pipedriveId: entry.pipedriveId,
      written: entry.written,
    }));
    const actual =
      expected.length > 0
        ? await readBackEntity({
            client: input.client,
            entity,
            pipedriveIds: expected.map((record) => record.pipedriveId),
            updatedSince,
            counter,
            ...(input.signal ? { signal: input.signal } : {}),
          })
        : [];
    const identityOf = identityReader(entity, input.identityKeys);
    const result = reconcileEntity({ entity, expected, actual, identityOf });
    entities.push({ ...result.entity, sourceRows: input.sourceRows(entity) });
    diffs.push(...result.diffs);
    missing.push(
      ...result.missing.map((record) => ({
        entity,
        identity: record.identity,
        pipedriveId: record.pipedriveId,
      })),
    );
    unexpected.push(...result.unexpected.map((record) => ({ entity, ...record })));
  }
  return {
    checkedAt: (input.now?.() ?? new Date()).toISOString(),
    entities,
    diffs,
    missing,
    unexpected,
    requests: counter.requests,
    tokens: counter.tokens,
    ok: diffs.length === 0 && missing.length === 0 && unexpected.length === 0,
  };
}

/**
 * `updated_since` for the read-back: the start of Ferry's first schema or record run, less a margin for clock
 * skew, in whole seconds (RFC 3339, as the v2 lists require). Undefined when no such run is journaled.
 * @example readBackWindowStart(journal) // '2026-03-01T08:50:00Z' for a first run started 09:00:00.250
 */
export function readBackWindowStart(journal: Journal): string | undefined {
  const starts = journal
    .runs()
    .filter((run) => WINDOW_RUN_KINDS.includes(run.kind))
    .map((run) => Date.parse(run.startedAt))
    .filter((ms) => Number.isFinite(ms));
  if (starts.length === 0) return undefined;
  const opensAt = Math.min(...starts) - CLOCK_SKEW_MARGIN_MS;
  return `${new Date(Math.floor(opensAt / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * One entity's records as Pipedrive holds them: those updated since the window opened (Ferry's and any
 * duplicates), then — where the list takes `ids` — the rest of Ferry's ids in calls of 100.
 */
async function readBackEntity(input: {
  client: PipedriveRequester;
  entity: WriteEntity;
  pipedriveIds: readonly string[];
  updatedSince: string | undefined;
  counter: { requests: number; tokens: number };
  signal?: AbortSignal;
}): Promise<Record<string, unknown>[]> {
  const endpoint = ENTITY_ENDPOINTS[input.entity].readBack;
  const path = endpoint.replace(/^GET /, '');
  const filters = READ_FILTERS[input.entity];
  const byId = new Map<string, Record<string, unknown>>();
  const read = async (query: Record<string, string>) => {
    for await (const page of listPages(input.client, path, query, input.signal)) {
      input.counter.requests += 1;
      input.counter.tokens += specCost(endpoint);
      for (const record of page) byId.set(String(record.id), record);
    }
  };
  const windowed = filters.updatedSince && input.updatedSince !== undefined;
  await read(windowed ? { updated_since: input.updatedSince as string } : {});
  const unseen = windowed ? input.pipedriveIds.filter((id) => !byId.has(id)) : [];
  if (unseen.length > 0 && filters.ids) {
    for (let start = 0; start < unseen.length; start += IDS_PER_CALL) {
      await read({ ids: unseen.slice(start, start + IDS_PER_CALL).join(',') });
    }
  } else if (unseen.length > 0) {
    // Without `ids`, only the full list tells a deleted record from one the window missed.
    await read({});
  }
  return [...byId.values()];
}

function identityReader(entity: WriteEntity, keys: IdentityFieldKeys) {
  const key = entity === 'lead' ? keys.deal : keys[entity as keyof IdentityFieldKeys];
  return (record: Readonly<Record<string, unknown>>): string | undefined => {
    if (entity === 'activity') return MARKER.exec(String(record.note ?? ''))?.[1];
    if (entity === 'note') return MARKER.exec(String(record.content ?? ''))?.[1];
    if (!key) return undefined;
    const nested = record.custom_fields as Record<string, unknown> | undefined;
    const value = nested && key in nested ? nested[key] : record[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
}

/** Verification differences as issues, for the report and the terminal. */
export function verifyIssues(result: VerifyResult): Issue[] {
  return [
    ...result.missing.map((record) => ({
      code: 'verify_missing',
      severity: 'error' as const,
      message: `${record.entity} ${record.pipedriveId} (${record.identity}) is missing or deleted in Pipedrive`,
      sourceKey: record.identity,
    })),
    ...result.unexpected.map((record) => ({
      code: 'verify_unexpected',
      severity: 'error' as const,
      message: `${record.entity} ${record.pipedriveId} carries ${record.identity} but Ferry did not write it (a duplicate?)`,
      sourceKey: record.identity,
    })),
  ];
}
