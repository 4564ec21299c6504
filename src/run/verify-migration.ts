import { existsSync, readFileSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Issue } from '../core/issues.ts';
import type { BackdocketObject } from '../core/objects.ts';
import { type RunKind, WRITE_ORDER, type WriteEntity } from '../core/records.ts';
import { parseMappingFile } from '../mapping/mapping-file.ts';
import { isMappingConfirmed } from '../mapping/mapping-lock.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import { sqliteMappingStore } from '../mapping/sqlite-mapping-store.ts';
import type { PipedriveRequester } from '../pipedrive/api-types.ts';
import { iterateRows } from '../source/backdocket/index.ts';
import { readContactMerges } from '../validate/duplicates.ts';
import { MIN_LINK_COVERAGE, percent } from '../validate/link-coverage.ts';
import { diffLinks, type LinkCheck, type LinkDifference } from '../verify/diff-links.ts';
import { deriveLinkExpectations, LINK_RELATIONSHIPS, type LinkRowReader } from '../verify/expected-links.ts';
import {
  diffIdentities,
  type IdentityDifference,
  IdentityIndex,
  type MigratedRow,
} from '../verify/identity-index.ts';
import {
  compareWritten,
  type EntityReconciliation,
  findUnexpected,
  type RecordDiff,
} from '../verify/reconcile.ts';
import type { Journal, WrittenEntry } from './journal.ts';
import type { IdentityFieldKeys } from './pipedrive-destination.ts';
import { ReadLimiter, readBackEntity } from './read-back.ts';
import { readReferenceIndex, type WorkspaceSession } from './session.ts';
import { readConcurrency } from './write-concurrency.ts';

export interface VerifyResult {
  readonly checkedAt: string;
  readonly entities: readonly (EntityReconciliation & { sourceRows: number })[];
  readonly diffs: readonly RecordDiff[];
  readonly missing: readonly { entity: string; identity: string; pipedriveId: string }[];
  readonly unexpected: readonly { entity: string; identity: string; pipedriveId: string }[];
  /**
   * Links re-derived from the extracted rows and the mapping, as Pipedrive holds them, per relationship;
   * below 99% of the references on migrated records linked, a relationship is a difference.
   */
  readonly links: readonly LinkCheck[];
  /** Links missing or pointing at another record than the one the rows reference. */
  readonly linkDifferences: readonly LinkDifference[];
  /** Migrated rows whose record does not carry the identity derived from the row. */
  readonly identities: { readonly checked: number; readonly differences: readonly IdentityDifference[] };
  readonly requests: number;
  readonly tokens: number;
  /** How the read-back went: how long it took and the most reads in flight at once. */
  readonly readBack: { readonly ms: number; readonly busiestInFlight: number };
  readonly ok: boolean;
}

/** What the export says, for the checks that re-derive links and identities from the rows. */
export interface SourceTruth {
  readonly mapping: Mapping;
  readonly readRows: LinkRowReader;
  /** Accepted contact merges: duplicate key → the contact it merges into. */
  readonly mergedInto?: ((contactKey: string) => string | undefined) | undefined;
  /** References written otherwise than their parent's key → the parent row's key (the reference index). */
  readonly resolveKey?: ((object: BackdocketObject, value: string) => string | undefined) | undefined;
  /** Rows the runs recorded as migrated or updated, with their records. */
  readonly migratedRows: () => Iterable<MigratedRow>;
  /** False when mapping.yaml changed since it was confirmed: the links are derived from it as it is now. */
  readonly mappingConfirmed?: boolean | undefined;
}

const MARKER = /\[BackDocket ([^\]]+)\]/;

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
 * a BackDocket identity, was updated after Ferry's first run started, so lists with `updated_since`
 * (500 a page) return them all while the account's older records stay unread. v2 records the window did
 * not return (deleted, or a clock far off) are then asked for by id, 100 per `ids=` call; leads and notes,
 * whose lists take no `ids`, are then listed in full. Files have no time filter and are listed in full.
 *
 * The read-back keeps the rate scheduler supplied: every entity's calls are independent (time slices of a
 * v2 list, offset pages of a v1 one, `ids=` batches), so up to `concurrency` are in flight at once and the
 * scheduler paces them at the account's limit (`read-back.ts`). What is compared does not change.
 */
export async function verifyMigration(input: {
  journal: Journal;
  client: PipedriveRequester;
  identityKeys: IdentityFieldKeys;
  sourceRows: (entity: WriteEntity) => number;
  /** The rows and the mapping, to re-derive links and identities; without it only what Ferry wrote is compared. */
  source?: SourceTruth | undefined;
  /**
   * Read-back calls in flight at once; by default the client's scheduler's bound on requests in flight
   * (the account's rate × the answer time seen), which also paces them.
   */
  concurrency?: number | undefined;
  now?: () => Date;
  signal?: AbortSignal;
}): Promise<VerifyResult> {
  const now = () => input.now?.() ?? new Date();
  const counter = { requests: 0, tokens: 0 };
  const updatedSince = readBackWindowStart(input.journal);
  const index = new IdentityIndex();
  const limiter = new ReadLimiter(readConcurrency(input.client, input.concurrency), () => now().getTime());
  // One failed read ends the read-back: the others are not left spending requests.
  const stop = new AbortController();
  const onAbort = () => stop.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  // Read before the first request leaves, so this local work does not hold back the read-back under way.
  const writtenByEntity = WRITE_ORDER.map((entity) => ({
    entity,
    written: input.journal.writtenRecords(entity),
  }));
  const checks = await Promise.all(
    writtenByEntity.map(async ({ entity, written }) => {
      const actual =
        written.length > 0
          ? await readBackEntity({
              client: input.client,
              limiter,
              entity,
              written,
              updatedSince,
              counter,
              signal: stop.signal,
            }).catch((error: unknown) => {
              stop.abort(error);
              throw error;
            })
          : [];
      // Each entity is compared as soon as it is read, and its full records let go.
      return checkEntity({
        entity,
        written,
        actual,
        journal: input.journal,
        index,
        identityKeys: input.identityKeys,
      });
    }),
  ).finally(() => input.signal?.removeEventListener('abort', onAbort));
  const readBackMs = limiter.span();
  const entities = checks.map((check) => ({ ...check.entity, sourceRows: input.sourceRows(check.name) }));
  const diffs = checks.flatMap((check) => check.diffs);
  const missing = checks.flatMap((check) => check.missing);
  const unexpected = checks.flatMap((check) => check.unexpected);
  const source = input.source;
  const linkDiff = source
    ? diffLinks(
        deriveLinkExpectations({
          mapping: source.mapping,
          readRows: source.readRows,
          mergedInto: source.mergedInto,
          resolveKey: source.resolveKey,
        }),
        index,
        LINK_RELATIONSHIPS,
      )
    : { checks: [], differences: [] };
  const identities = source
    ? diffIdentities({ mapping: source.mapping, rows: source.migratedRows(), records: index })
    : { checked: 0, differences: [] };
  const lowCoverage = linkDiff.checks.filter((check) => check.share < MIN_LINK_COVERAGE);
  return {
    checkedAt: (input.now?.() ?? new Date()).toISOString(),
    entities,
    diffs,
    missing,
    unexpected,
    links: linkDiff.checks,
    linkDifferences: linkDiff.differences,
    identities,
    requests: counter.requests,
    tokens: counter.tokens,
    readBack: { ms: readBackMs, busiestInFlight: limiter.busiest },
    ok:
      diffs.length === 0 &&
      missing.length === 0 &&
      unexpected.length === 0 &&
      linkDiff.differences.length === 0 &&
      lowCoverage.length === 0 &&
      identities.differences.length === 0,
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

/** Records compared between two turns of the event loop: reads of other entities go on meanwhile. */
const COMPARE_SLICE = 200;

/**
 * One entity's read-back against what Ferry wrote: the field diff, missing and unexpected records; its
 * records go into the identity index (id and link fields only) for the link and identity checks. The
 * bodies Ferry wrote are read from the journal and compared a slice at a time, giving the event loop back
 * between slices, so the other entities' reads keep the account's limit busy while one is compared.
 */
async function checkEntity(input: {
  entity: WriteEntity;
  written: readonly WrittenEntry[];
  actual: readonly Record<string, unknown>[];
  journal: Journal;
  index: IdentityIndex;
  identityKeys: IdentityFieldKeys;
}) {
  const { entity, actual } = input;
  const identityOf = identityReader(entity, input.identityKeys);
  const actualById = new Map(actual.map((record) => [String(record.id), record]));
  const written = new Map(input.written.map((record) => [record.identity, record.pipedriveId]));
  const writtenById = new Map(input.written.map((record) => [record.pipedriveId, record.identity]));
  const diffs: RecordDiff[] = [];
  const missing: { entity: string; identity: string; pipedriveId: string }[] = [];
  let matching = 0;
  let differing = 0;
  for (const slice of input.journal.idMapSlices(entity, COMPARE_SLICE)) {
    const compared = compareWritten({ entity, expected: slice, actualById });
    matching += compared.matching;
    differing += compared.differing;
    diffs.push(...compared.diffs);
    for (const record of compared.missing)
      missing.push({ entity, identity: record.identity, pipedriveId: record.pipedriveId });
    await yieldToEventLoop();
  }
  for (let start = 0; start < actual.length; start += COMPARE_SLICE) {
    input.index.add({
      entity,
      records: actual.slice(start, start + COMPARE_SLICE),
      // Files carry no identity of their own: the journal names them.
      identityOf: entity === 'file' ? (record) => writtenById.get(String(record.id)) : identityOf,
      written,
    });
    await yieldToEventLoop();
  }
  const unexpected = findUnexpected({ actual, writtenIds: new Set(writtenById.keys()), identityOf });
  const reconciliation: EntityReconciliation = {
    entity,
    expected: input.written.length,
    found: input.written.length - missing.length,
    matching,
    differing,
    missing: missing.length,
    unexpected: unexpected.length,
  };
  return {
    name: entity,
    entity: reconciliation,
    diffs,
    missing,
    unexpected: unexpected.map((record) => ({ entity, ...record })),
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
    ...result.linkDifferences.map((difference) => ({
      code: difference.kind === 'missing' ? 'verify_link_missing' : 'verify_link_wrong',
      severity: 'error' as const,
      message: describeLinkDifference(difference),
      file: difference.child.file,
      line: difference.child.line,
      sourceKey: difference.child.identity,
      field: difference.field,
    })),
    ...result.links
      .filter((check) => check.share < MIN_LINK_COVERAGE)
      .map((check) => ({
        code: 'verify_link_coverage_low',
        severity: 'error' as const,
        message: `${check.relationship}: ${check.linked} of ${check.checked} migrated record(s) carrying a reference are linked in Pipedrive (${percent(check.share)}); ${check.parentAbsent} reference a record that is not in Pipedrive.`,
        examples: check.absentExamples.map((example) => ({
          file: example.file,
          line: example.line,
          sourceKey: example.sourceKey,
        })),
      })),
    ...result.identities.differences.map((difference) => ({
      code: 'verify_identity_missing',
      severity: 'error' as const,
      message: describeIdentityDifference(difference),
      file: difference.file,
      sourceKey: difference.sourceKey,
    })),
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

/**
 * A link difference as a person reads it: which record, which link, what the rows say and what Pipedrive holds.
 * @example describeLinkDifference(d) // 'deal 12 (claim:1042, claims.csv:2): person_id points at person 9 (contact:503); the rows reference person 7 (contact:501)'
 */
export function describeLinkDifference(difference: LinkDifference): string {
  const { child } = difference;
  const expected = difference.expected
    .map((parent) => `${parent.pipedriveId} (${parent.identity})`)
    .join(' or ');
  const actual = difference.actual
    .map((parent) => `${parent.pipedriveId}${parent.identity ? ` (${parent.identity})` : ''}`)
    .join(', ');
  const what =
    difference.kind === 'missing'
      ? `${difference.field} is empty`
      : `${difference.field} points at ${actual}`;
  return `${child.entity} ${child.pipedriveId} (${child.identity}, ${child.file}:${child.line}) ${difference.relationship}: ${what}; the rows reference ${
    expected || 'a record that is not in Pipedrive'
  }`;
}

export function describeIdentityDifference(difference: IdentityDifference): string {
  return difference.kind === 'absent'
    ? `${difference.file} row ${difference.sourceKey} is recorded as migrated (${difference.entity} ${difference.pipedriveId}), but no live ${difference.entity} carries its identity ${difference.identity}`
    : `${difference.file} row ${difference.sourceKey} is recorded as ${difference.entity} ${difference.pipedriveId}, but its identity ${difference.identity} is on ${difference.entity} ${difference.foundOn}`;
}

/**
 * What the export says, read from the workspace: mapping.yaml as it is now, the extracted rows, the
 * accepted contact merges and the rows the runs recorded as migrated. Undefined without a valid mapping
 * (then only what Ferry wrote is compared).
 */
export function readSourceTruth(session: WorkspaceSession): SourceTruth | undefined {
  const { mappingPath } = session.workspace;
  if (!existsSync(mappingPath)) return undefined;
  const text = readFileSync(mappingPath, 'utf8');
  const { mapping } = parseMappingFile(text, mappingPath);
  if (!mapping) return undefined;
  const readRows = (file: string) => iterateRows(session.store, file);
  const contactFile = mapping.objects.find((file) => file.object === 'contact');
  const merges = contactFile
    ? readContactMerges({
        file: contactFile,
        rows: readRows(contactFile.file),
        duplicates: mapping.duplicates,
      }).merges
    : new Map<string, string>();
  const statement = session.store.db.prepare(
    "SELECT file, source_key AS sourceKey, entity, pipedrive_id AS pipedriveId FROM row_outcomes WHERE outcome IN ('migrated', 'updated')",
  );
  return {
    mapping,
    readRows,
    mergedInto: (key) => merges.get(key),
    resolveKey: readReferenceIndex(session, mapping).resolve,
    migratedRows: () => statement.iterate() as Iterable<MigratedRow>,
    mappingConfirmed: isMappingConfirmed(sqliteMappingStore(session.store), text),
  };
}
