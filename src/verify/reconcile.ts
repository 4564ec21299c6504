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

export interface Reconciliation {
  readonly entity: EntityReconciliation;
  readonly diffs: readonly RecordDiff[];
  readonly missing: readonly ExpectedRecord[];
  readonly unexpected: readonly { pipedriveId: string; identity: string }[];
}

/**
 * Compares the records Ferry expects with what Pipedrive returned for one entity. Pure.
 * `identityOf` reads the BackDocket identity a Pipedrive record carries (field or marker), so records that
 * carry one Ferry never wrote are reported as unexpected (a duplicate, or a record made by hand).
 */
export function reconcileEntity(input: {
  entity: string;
  expected: readonly ExpectedRecord[];
  actual: readonly Readonly<Record<string, unknown>>[];
  identityOf: (record: Readonly<Record<string, unknown>>) => string | undefined;
}): Reconciliation {
  const actualById = new Map(input.actual.map((record) => [String(record.id), record]));
  const expectedIds = new Set(input.expected.map((record) => record.pipedriveId));
  const diffs: RecordDiff[] = [];
  const missing: ExpectedRecord[] = [];
  let matching = 0;
  let differing = 0;
  for (const expected of input.expected) {
    const actual = actualById.get(expected.pipedriveId);
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
  const unexpected = input.actual
    .filter((record) => !expectedIds.has(String(record.id)) && record.is_deleted !== true)
    .map((record) => ({ pipedriveId: String(record.id), identity: input.identityOf(record) }))
    .filter((record): record is { pipedriveId: string; identity: string } => record.identity !== undefined);
  return {
    entity: {
      entity: input.entity,
      expected: input.expected.length,
      found: input.expected.length - missing.length,
      matching,
      differing,
      missing: missing.length,
      unexpected: unexpected.length,
    },
    diffs,
    missing,
    unexpected,
  };
}
