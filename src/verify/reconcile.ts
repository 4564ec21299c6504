import { diffRecord, type FieldDiff } from './diff-record.ts';

/** What Ferry expects in Pipedrive for one record: its id and the body it last wrote. */
export interface ExpectedRecord {
  readonly identity: string;
  readonly pipedriveId: string;
  readonly written: Readonly<Record<string, unknown>> | undefined;
}

export interface EntityReconciliation {
  readonly entity: string;
  readonly expected: number;
  readonly found: number;
  readonly matching: number;
  readonly differing: number;
  readonly missing: number;
  readonly unexpected: number;
}

export interface RecordDiff extends FieldDiff {
  readonly entity: string;
  readonly identity: string;
  readonly pipedriveId: string;
}

/** What Pipedrive holds for a slice of the records Ferry wrote. */
export interface WrittenComparison {
  readonly matching: number;
  readonly differing: number;
  readonly diffs: readonly RecordDiff[];
  readonly missing: readonly ExpectedRecord[];
}

/**
 * Compares records Ferry wrote (any slice of them) with the records Pipedrive returned for their entity,
 * by id: a record absent, deleted or inactive is missing; one whose fields differ from the body Ferry
 * wrote, after normalising Pipedrive's spellings, is differing. Pure.
 */
export function compareWritten(input: {
  entity: string;
  expected: readonly ExpectedRecord[];
  actualById: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}): WrittenComparison {
  const diffs: RecordDiff[] = [];
  const missing: ExpectedRecord[] = [];
  let matching = 0;
  let differing = 0;
  for (const expected of input.expected) {
    const actual = input.actualById.get(expected.pipedriveId);
    if (!actual || actual.is_deleted === true || actual.active_flag === false) {
      missing.push(expected);
      continue;
    }
    const recordDiffs = expected.written ? diffRecord(expected.written, actual) : [];
    if (recordDiffs.length === 0) matching += 1;
    else {
      differing += 1;
      for (const diff of recordDiffs) {
        diffs.push({
          ...diff,
          entity: input.entity,
          identity: expected.identity,
          pipedriveId: expected.pipedriveId,
        });
      }
    }
  }
  return { matching, differing, diffs, missing };
}

/**
 * Live records carrying a BackDocket identity (field or marker, read by `identityOf`) that Ferry did not
 * write: a duplicate, or a record made by hand. Pure.
 */
export function findUnexpected(input: {
  actual: Iterable<Readonly<Record<string, unknown>>>;
  writtenIds: ReadonlySet<string>;
  identityOf: (record: Readonly<Record<string, unknown>>) => string | undefined;
}): { pipedriveId: string; identity: string }[] {
  const unexpected: { pipedriveId: string; identity: string }[] = [];
  for (const record of input.actual) {
    const pipedriveId = String(record.id);
    if (input.writtenIds.has(pipedriveId) || record.is_deleted === true) continue;
    const identity = input.identityOf(record);
    if (identity !== undefined) unexpected.push({ pipedriveId, identity });
  }
  return unexpected;
}
