import type { Issue } from '../core/issues.ts';
import { ENTITY_ENDPOINTS, specCost } from '../plan/estimate-cost.ts';
import { type EntityReconciliation, type RecordDiff, reconcileEntity } from '../verify/reconcile.ts';
import type { Journal } from './journal.ts';
import { listPages } from './list-pages.ts';
import { WRITE_ORDER, type WriteEntity } from './model.ts';
import type { IdentityFieldKeys, PipedriveRequester } from './pipedrive-destination.ts';

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
 * `ferry verify`: reads back every entity Ferry wrote with list calls (500 a page; files 100) and compares
 * each record with the body Ferry wrote, field by field, after normalising Pipedrive's spellings. Listing is
 * cheaper than `ids=` batches of 100 and also finds records carrying a BackDocket identity that Ferry did
 * not write (unexpected). Deleted records are missing.
 */
export async function verifyMigration(input: {
  journal: Journal;
  client: PipedriveRequester;
  identityKeys: IdentityFieldKeys;
  sourceRows: (entity: WriteEntity) => number;
  now?: () => Date;
  signal?: AbortSignal;
}): Promise<VerifyResult> {
  let requests = 0;
  let tokens = 0;
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
    const endpoint = ENTITY_ENDPOINTS[entity];
    const path = endpoint.readBack.replace(/^GET /, '');
    const actual: Record<string, unknown>[] = [];
    if (expected.length > 0) {
      for await (const page of listPages(input.client, path, {}, input.signal)) {
        requests += 1;
        tokens += specCost(endpoint.readBack);
        actual.push(...page);
      }
    }
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
    requests,
    tokens,
    ok: diffs.length === 0 && missing.length === 0 && unexpected.length === 0,
  };
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
