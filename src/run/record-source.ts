import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../core/issues.ts';
import type { PlannedRecord, RowOutcome, RowRef, WriteEntity } from '../core/records.ts';
import type { FileMapping, Mapping } from '../mapping/mapping-schema.ts';
import { type PlannerOptions, RecordPlanner, type RowPlan } from '../plan/record-planner.ts';
import { type SampleCandidate, selectSample } from '../plan/select-sample.ts';
import type { SourceRow } from '../source/model.ts';
import type { RecordSource } from './executor.ts';

/** Reads the rows of one extracted file (the store in production; arrays in tests). */
export type RowReader = (file: string) => Iterable<SourceRow>;

/** Which files produce records of each entity (an intake row makes a caller person and a lead). */
const FILES_FOR_ENTITY: Readonly<Record<WriteEntity, readonly string[]>> = {
  organization: ['company'],
  person: ['contact', 'intake'],
  deal: ['claim'],
  lead: ['intake'],
  activity: ['event', 'task', 'note'],
  note: ['note'],
  file: ['document'],
};

export interface PlannedMigration {
  readonly source: RecordSource;
  /** Rows that become no record (skipped, quarantined), to record as outcomes before writing. */
  readonly settledRows: readonly { row: RowRef; outcome: RowOutcome; reason: string }[];
  readonly issues: readonly Issue[];
  readonly counts: Readonly<Record<WriteEntity, number>>;
  /** For a sample run: the claims chosen. */
  readonly sampleClaims: readonly string[] | undefined;
}

/**
 * Plans a run over the extracted rows: feeder files first (they roll into their claims), then every
 * other file, once to count and settle the rows that make no record, then again lazily per entity as the
 * executor asks. A sample restricts everything to N claims spanning types, statuses and activity kinds,
 * plus everything they link to.
 */
export function planMigration(input: {
  mapping: Mapping;
  planner: Omit<PlannerOptions, 'mapping'>;
  readRows: RowReader;
  /** Where ledger CSV files are written (one per claim with ledger lines). */
  ledgerDir: string;
  sampleSize?: number | undefined;
}): PlannedMigration {
  const { mapping } = input;
  const planner = new RecordPlanner({ ...input.planner, mapping });
  const settledRows: { row: RowRef; outcome: RowOutcome; reason: string }[] = [];
  const issues: Issue[] = [];
  const settle = (row: SourceRow, plan: RowPlan) => {
    issues.push(...plan.issues);
    if (plan.kind === 'none')
      settledRows.push({
        row: { file: row.file, sourceKey: row.sourceKey },
        outcome: plan.outcome,
        reason: plan.reason,
      });
  };
  const mapped = mapping.objects.filter((file) => file.object !== null);
  if (!input.sampleSize) {
    // Files the mapping does not recognise still account for their rows.
    for (const file of mapping.objects.filter((candidate) => candidate.object === null)) {
      for (const row of input.readRows(file.file)) {
        settledRows.push({
          row: { file: row.file, sourceKey: row.sourceKey },
          outcome: 'skipped',
          reason:
            'the file is not mapped to a BackDocket object (set its object in mapping.yaml to migrate it)',
        });
      }
    }
  }
  for (const file of mapped.filter((candidate) => RecordPlanner.isFeeder(candidate))) {
    for (const row of input.readRows(file.file)) settle(row, planner.addFeederRow(file, row));
  }
  for (const file of mapped.filter((candidate) => candidate.object === 'document')) {
    for (const row of input.readRows(file.file)) planner.addOversizeDocument(file, row);
  }
  const primaryFiles = mapped.filter((candidate) => !RecordPlanner.isFeeder(candidate));
  const plansFor = function* (
    entity: WriteEntity,
    record: (file: FileMapping, row: SourceRow, plan: RowPlan) => void,
  ) {
    for (const file of primaryFiles) {
      if (!file.object || !FILES_FOR_ENTITY[entity].includes(file.object)) continue;
      for (const row of input.readRows(file.file)) {
        const plan = planner.planRow(file, row);
        record(file, row, plan);
        if (plan.kind === 'records') yield* plan.records.filter((candidate) => candidate.entity === entity);
      }
    }
  };

  // Rows of files that feed no entity (staff, claim types, check approvals …) settle now.
  const writing = new Set(Object.values(FILES_FOR_ENTITY).flat());
  for (const file of primaryFiles.filter((candidate) => !writing.has(candidate.object!))) {
    for (const row of input.readRows(file.file)) settle(row, planner.planRow(file, row));
  }

  // Counting pass: plans everything once, settles rows that make no record, and writes the ledgers.
  const counts = Object.fromEntries(Object.keys(FILES_FOR_ENTITY).map((entity) => [entity, 0])) as Record<
    WriteEntity,
    number
  >;
  const settledOnce = new Set<string>();
  const sample = input.sampleSize ? sampleClaims(primaryFiles, input.readRows, input.sampleSize) : undefined;
  const included = sample ? sampleClosure(sample, planner, plansFor) : undefined;
  const plannedIdentities = new Set<string>();
  const orphanCheck = (record: PlannedRecord) => {
    plannedIdentities.add(`${record.entity}:${record.identity}`);
    for (const link of record.links) {
      if (plannedIdentities.has(`${link.entity}:${link.identity}`)) continue;
      const row = record.rows[0];
      issues.push({
        code: 'orphan_reference',
        severity: 'warning',
        message: `${record.entity} ${record.identity} refers to ${link.identity}, which is not in the export or was not migrated${
          link.required ? '; it will be skipped' : '; the link is left out'
        }`,
        file: row?.file,
        sourceKey: row?.sourceKey,
        field: link.field,
      });
    }
  };
  for (const entity of Object.keys(FILES_FOR_ENTITY) as WriteEntity[]) {
    for (const record of plansFor(entity, (_file, row, plan) => {
      const key = `${row.file}\u0000${row.sourceKey}`;
      if (settledOnce.has(key)) return;
      settledOnce.add(key);
      // A sample reports what it wrote; rows it leaves alone keep no outcome yet.
      if (included) return;
      settle(row, plan);
      if (plan.kind === 'none' && _file.object === 'claim') {
        for (const folded of planner.foldedRows(row.sourceKey)) {
          settledRows.push({
            row: folded,
            outcome: plan.outcome,
            reason: `its claim was ${plan.outcome}: ${plan.reason}`,
          });
        }
      }
    })) {
      if (!included || included.has(`${record.entity}:${record.identity}`)) counts[entity] += 1;
      if (!included) orphanCheck(record);
    }
  }
  if (!included) {
    for (const orphan of planner.orphanFeeds()) {
      for (const row of orphan.rows) {
        settledRows.push({
          row,
          outcome: 'quarantined',
          reason: `claim ${orphan.claimKey} is not in the export`,
        });
      }
    }
  }
  const feederRecords = planner
    .feederRecords()
    .filter((record) => !included || included.has(`deal:${record.links[0]?.identity}`));
  counts.note += feederRecords.length;
  const ledgerRecords = writeLedgers(planner, input.ledgerDir).filter(
    (record) => !included || included.has(`deal:${record.links[0]?.identity}`),
  );
  counts.file += ledgerRecords.length;
  if (!included) for (const record of [...feederRecords, ...ledgerRecords]) orphanCheck(record);

  const source: RecordSource = {
    count: (entity) => counts[entity],
    *records(entity) {
      for (const record of plansFor(entity, () => {})) {
        if (!included || included.has(`${record.entity}:${record.identity}`)) yield record;
      }
      if (entity === 'note') yield* feederRecords;
      if (entity === 'file') yield* ledgerRecords;
    },
  };
  return { source, settledRows, issues: dedupeIssues(issues), counts, sampleClaims: sample };
}

/** Chooses the sample's claims: spanning claim types, statuses and the kinds of their activities. */
function sampleClaims(files: readonly FileMapping[], readRows: RowReader, size: number): string[] {
  const features = new Map<string, Set<string>>();
  const add = (claim: string, feature: string) => {
    if (!claim) return;
    let set = features.get(claim);
    if (!set) {
      set = new Set();
      features.set(claim, set);
    }
    if (feature) set.add(feature);
  };
  const column = (file: FileMapping, target: string) =>
    file.fields.find((field) => field.target === target)?.column;
  for (const file of files) {
    if (file.object === 'claim') {
      const type = column(file, 'deal.pipeline_id');
      const status = column(file, 'deal.status');
      for (const row of readRows(file.file)) {
        add(row.sourceKey, '');
        if (type) add(row.sourceKey, `type:${(row.values[type] ?? '').trim().toLowerCase()}`);
        if (status) add(row.sourceKey, `status:${(row.values[status] ?? '').trim().toLowerCase()}`);
      }
    }
    if (file.object === 'event' || file.object === 'task' || file.object === 'note') {
      const claim = column(file, 'activity.deal_id') ?? column(file, 'note.deal_id');
      const kind = column(file, 'activity.type');
      if (!claim) continue;
      for (const row of readRows(file.file)) {
        const key = (row.values[claim] ?? '').trim();
        if (features.has(key))
          add(key, `${file.object}:${kind ? (row.values[kind] ?? '').trim().toLowerCase() : ''}`);
      }
    }
  }
  const candidates: SampleCandidate[] = [...features].map(([key, set]) => ({ key, features: [...set] }));
  return selectSample(candidates, size);
}

/** Every record a sample needs: its deals, their people and organisations, and the children of those deals. */
function sampleClosure(
  claims: readonly string[],
  planner: RecordPlanner,
  plansFor: (
    entity: WriteEntity,
    record: (file: FileMapping, row: SourceRow, plan: RowPlan) => void,
  ) => Iterable<PlannedRecord>,
): Set<string> {
  const included = new Set(claims.map((claim) => `deal:claim:${claim}`));
  const deals = [...plansFor('deal', () => {})].filter((record) => included.has(`deal:${record.identity}`));
  const needed = new Set<string>();
  for (const deal of deals) for (const link of deal.links) needed.add(`${link.entity}:${link.identity}`);
  const children: PlannedRecord[] = [];
  for (const entity of ['lead', 'activity', 'note', 'file'] as const) {
    for (const record of plansFor(entity, () => {})) {
      if (record.links.some((link) => included.has(`${link.entity}:${link.identity}`))) {
        children.push(record);
        included.add(`${record.entity}:${record.identity}`);
        for (const link of record.links) needed.add(`${link.entity}:${link.identity}`);
      }
    }
  }
  for (const record of plansFor('person', () => {})) {
    if (needed.has(`person:${record.identity}`)) {
      included.add(`person:${record.identity}`);
      for (const link of record.links) needed.add(`${link.entity}:${link.identity}`);
    }
  }
  for (const key of needed) if (key.startsWith('organization:')) included.add(key);
  void planner;
  return included;
}

/** Writes each claim's ledger lines as a CSV file for upload to its deal. */
function writeLedgers(planner: RecordPlanner, dir: string): PlannedRecord[] {
  const ledgers = planner.ledgers();
  if (ledgers.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  return ledgers.map((ledger) => {
    const columns = [...new Set(ledger.lines.flatMap((line) => Object.keys(line.values)))];
    const lines = [
      columns,
      ...ledger.lines.map((line) => columns.map((column) => line.values[column] ?? '')),
    ];
    const csv = `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
    const path = join(dir, `${ledger.claimKey.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`);
    writeFileSync(path, csv);
    return planner.ledgerRecord(ledger.claimKey, ledger.rows, { path, size: Buffer.byteLength(csv) });
  });
}

function csvCell(value: string): string {
  const guarded = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function dedupeIssues(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}|${issue.file}|${issue.line}|${issue.field}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
