import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../core/issues.ts';
import type { PlannedRecord, RowOutcome, RowRef, WriteEntity } from '../core/records.ts';
import type { FileMapping, Mapping } from '../mapping/mapping-schema.ts';
import {
  type AlongRow,
  LINK_TARGETS,
  type PlannerOptions,
  RecordPlanner,
  type RowPlan,
} from '../plan/record-planner.ts';
import { type SampleCandidate, selectSample } from '../plan/select-sample.ts';
import type { SourceRow } from '../source/model.ts';
import type { RecordSource } from './executor.ts';
import { SqliteClaimFeeds } from './sqlite-claim-feeds.ts';

/** Reads the rows of one extracted file (the store in production; arrays in tests). */
export type RowReader = (file: string) => Iterable<SourceRow>;

/**
 * Which files produce records of each entity (an intake row makes a caller person and a lead; a claim or a
 * contact row may carry its client's or its company's columns when the export has no file for them).
 */
const FILES_FOR_ENTITY: Readonly<Record<WriteEntity, readonly string[]>> = {
  organization: ['company', 'contact'],
  person: ['contact', 'intake', 'claim'],
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
 * other file, once, counting the records and settling the rows that make no record. Streamed (a migration),
 * that pass is what the executor reads (`source.stream()`): each record is planned once, as it is written.
 * Otherwise (validate, plan: they only count) it runs now, and records are planned again lazily per entity
 * if asked for. A sample restricts everything to N claims spanning types, statuses and activity kinds, plus
 * everything they link to. Memory does not grow with the records: they are planned as they are read, feeder
 * rows wait in a temporary file, and only the keys of planned parents are kept.
 */
export function planMigration(input: {
  mapping: Mapping;
  planner: Omit<PlannerOptions, 'mapping'>;
  readRows: RowReader;
  /** Where ledger CSV files are written (one per claim with ledger lines). */
  ledgerDir: string;
  sampleSize?: number | undefined;
  /** Which settled rows `settledRows` keeps (all unless given; a cost estimate needs none). */
  keepSettled?: ((outcome: RowOutcome) => boolean) | undefined;
  /** Whether `issues` collects the rows' problems (default true; a cost estimate needs none). */
  keepIssues?: boolean | undefined;
  /** Sees each record of the counting pass once (validation checks the links the plan makes). */
  onRecord?: ((record: PlannedRecord) => void) | undefined;
  /**
   * Plans as the executor reads (`source.stream()`), in one pass, so a migration writes while planning goes
   * on; `counts`, `settledRows` and `issues` are complete once the stream has been read to its end.
   */
  stream?: boolean | undefined;
}): PlannedMigration {
  const { mapping } = input;
  const planner = new RecordPlanner({
    ...input.planner,
    mapping,
    feeds: input.planner.feeds ?? new SqliteClaimFeeds(),
  });
  const keepSettled = input.keepSettled ?? (() => true);
  const keepIssues = input.keepIssues ?? true;
  const settledRows: { row: RowRef; outcome: RowOutcome; reason: string }[] = [];
  const issues: Issue[] = [];
  const settleRow = (row: RowRef, outcome: RowOutcome, reason: string) => {
    if (keepSettled(outcome)) settledRows.push({ row, outcome, reason });
  };
  const settle = (row: SourceRow, plan: RowPlan) => {
    if (keepIssues) issues.push(...plan.issues);
    if (plan.kind === 'none')
      settleRow({ file: row.file, sourceKey: row.sourceKey }, plan.outcome, plan.reason);
  };
  const mapped = mapping.objects.filter((file) => file.object !== null);
  if (!input.sampleSize) {
    // Files the mapping does not recognise still account for their rows.
    for (const file of mapping.objects.filter((candidate) => candidate.object === null)) {
      for (const row of input.readRows(file.file)) {
        settleRow(
          { file: row.file, sourceKey: row.sourceKey },
          'skipped',
          'the file is not mapped to a BackDocket object (set its object in mapping.yaml to migrate it)',
        );
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
  const split = splitFiles(primaryFiles, input.readRows);
  const plansFor = function* (
    entity: WriteEntity,
    record: (file: FileMapping, row: SourceRow, plan: RowPlan, along: readonly AlongRow[]) => void,
  ) {
    // A record carried by several rows (a client on each of their claims) is planned once; only people and
    // organisations are carried, so only theirs are remembered (activities may be millions).
    const yielded = entity === 'person' || entity === 'organization' ? new Set<string>() : undefined;
    const planOne = function* (file: FileMapping, row: SourceRow, along: readonly AlongRow[]) {
      const plan = planner.planRow(file, row, along);
      record(file, row, plan, along);
      if (plan.kind !== 'records') return;
      for (const candidate of plan.records) {
        if (candidate.entity !== entity || yielded?.has(candidate.identity)) continue;
        yielded?.add(candidate.identity);
        yield candidate;
      }
    };
    for (const file of primaryFiles) {
      if (!file.object || !FILES_FOR_ENTITY[entity].includes(file.object)) continue;
      if (split.followers.has(file.file)) continue;
      const along = split.along.get(file.file);
      for (const row of input.readRows(file.file)) yield* planOne(file, row, along?.get(row.sourceKey) ?? []);
    }
    // Rows of a second file whose key the first file does not have stand alone.
    for (const { file, row } of split.alone) {
      if (file.object && FILES_FOR_ENTITY[entity].includes(file.object)) yield* planOne(file, row, []);
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
  const sample = input.sampleSize ? sampleClaims(primaryFiles, input.readRows, input.sampleSize) : undefined;
  const included = sample ? sampleClosure(sample, plansFor) : undefined;
  const inSample = (record: PlannedRecord) => !included || included.has(`deal:${record.links[0]?.identity}`);
  // Links point only at parents (LINK_TARGETS), planned before their children: only their keys are kept.
  const plannedParents = new Map<WriteEntity, Set<string>>(
    LINK_TARGETS.map((entity) => [entity, new Set<string>()]),
  );
  const orphanCheck = (record: PlannedRecord) => {
    // An orphan is only ever an issue: without issues there is nothing to check or remember.
    if (!keepIssues) return;
    plannedParents.get(record.entity)?.add(record.identity);
    for (const link of record.links) {
      if (plannedParents.get(link.entity)?.has(link.identity)) continue;
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
  // A file feeding two entities (intakes, notes) settles its rows in the first pass that reads it.
  const settledFiles = new Set<string>();
  const countingPass = function* (): Generator<PlannedRecord> {
    for (const entity of Object.keys(FILES_FOR_ENTITY) as WriteEntity[]) {
      const settling = new Set(
        primaryFiles
          .filter((file) => file.object && FILES_FOR_ENTITY[entity].includes(file.object))
          .map((file) => file.file)
          .filter((file) => !settledFiles.has(file)),
      );
      for (const record of plansFor(entity, (file, row, plan, along) => {
        // A sample reports what it wrote; rows it leaves alone keep no outcome yet.
        if (included || !settling.has(file.file)) return;
        settle(row, plan);
        if (plan.kind === 'none') {
          for (const other of along)
            settleRow({ file: other.row.file, sourceKey: other.row.sourceKey }, plan.outcome, plan.reason);
        }
        if (plan.kind === 'none' && file.object === 'claim') {
          for (const folded of planner.foldedRows(row.sourceKey)) {
            settleRow(folded, plan.outcome, `its claim was ${plan.outcome}: ${plan.reason}`);
          }
        }
      })) {
        const kept = !included || included.has(`${record.entity}:${record.identity}`);
        if (kept) counts[entity] += 1;
        if (!included) orphanCheck(record);
        input.onRecord?.(record);
        if (kept) yield record;
      }
      for (const file of settling) settledFiles.add(file);
    }
    if (!included) {
      for (const orphan of planner.orphanFeeds()) {
        for (const row of orphan.rows) {
          settleRow(row, 'quarantined', `claim ${orphan.claimKey} is not in the export`);
        }
      }
      for (const held of planner.heldFeeds())
        for (const row of held.rows) settleRow(row, 'held', held.reason);
    }
    for (const record of planner.statusNotes()) {
      if (!inSample(record)) continue;
      counts.note += 1;
      if (!included) orphanCheck(record);
      yield record;
    }
    for (const record of ledgerFiles(planner, input.ledgerDir, { write: true })) {
      if (!inSample(record)) continue;
      counts.file += 1;
      if (!included) orphanCheck(record);
      yield record;
    }
  };

  // Unless streamed, records are planned again as they are asked for, so none is held between the passes.
  const replanned: RecordSource = {
    count: (entity) => counts[entity],
    *records(entity) {
      for (const record of plansFor(entity, () => {})) {
        if (!included || included.has(`${record.entity}:${record.identity}`)) yield record;
      }
      if (entity === 'note') for (const record of planner.statusNotes()) if (inSample(record)) yield record;
      if (entity === 'file') {
        for (const record of ledgerFiles(planner, input.ledgerDir, { write: false }))
          if (inSample(record)) yield record;
      }
    },
  };
  const result = (source: RecordSource): PlannedMigration => ({
    source,
    settledRows,
    issues: input.stream ? issues : dedupeIssues(issues),
    counts,
    sampleClaims: sample,
  });
  if (input.stream) {
    // Planned once, as the executor reads: writing starts with the first records, not after the last.
    let streamed = false;
    return result({
      ...replanned,
      stream: () => {
        if (streamed) throw new Error('planMigration: a planned stream can be read once');
        streamed = true;
        return countingPass();
      },
    });
  }
  for (const _record of countingPass()) {
    // Counted, checked and settled; the executor plans them again if it asks (validate and plan do not).
  }
  return result(replanned);
}

/**
 * The same object in several files (a contacts file and a contact-phones file keyed alike): the file
 * mapping most columns leads; the others' rows join its row of the same key (`along`), and those with no
 * such row stand alone.
 */
function splitFiles(
  files: readonly FileMapping[],
  readRows: RowReader,
): {
  followers: Set<string>;
  along: Map<string, Map<string, AlongRow[]>>;
  alone: AlongRow[];
} {
  const followers = new Set<string>();
  const along = new Map<string, Map<string, AlongRow[]>>();
  const alone: AlongRow[] = [];
  const mapped = (file: FileMapping) => file.fields.filter((field) => field.target !== null).length;
  for (const object of ['contact', 'company', 'claim'] as const) {
    const group = files
      .filter((file) => file.object === object)
      .sort((a, b) => mapped(b) - mapped(a) || a.file.localeCompare(b.file));
    const lead = group[0];
    if (!lead || group.length < 2) continue;
    const byKey = new Map<string, AlongRow[]>();
    for (const file of group.slice(1)) {
      followers.add(file.file);
      for (const row of readRows(file.file))
        byKey.set(row.sourceKey, [...(byKey.get(row.sourceKey) ?? []), { file, row }]);
    }
    const leadKeys = new Set<string>();
    for (const row of readRows(lead.file)) leadKeys.add(row.sourceKey);
    for (const [key, rows] of byKey) if (!leadKeys.has(key)) alone.push(...rows);
    along.set(lead.file, byKey);
  }
  return { followers, along, alone };
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
  plansFor: (
    entity: WriteEntity,
    record: (file: FileMapping, row: SourceRow, plan: RowPlan) => void,
  ) => Iterable<PlannedRecord>,
): Set<string> {
  const included = new Set(claims.map((claim) => `deal:claim:${claim}`));
  const needed = new Set<string>();
  for (const deal of plansFor('deal', () => {})) {
    if (!included.has(`deal:${deal.identity}`)) continue;
    for (const link of deal.links) needed.add(`${link.entity}:${link.identity}`);
  }
  for (const entity of ['lead', 'activity', 'note', 'file'] as const) {
    for (const record of plansFor(entity, () => {})) {
      if (record.links.some((link) => included.has(`${link.entity}:${link.identity}`))) {
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
  return included;
}

/**
 * Each claim's ledger lines as a CSV file for upload to its deal, one claim at a time: written when
 * planning (`write`), only described again when the executor asks for the file records.
 */
function* ledgerFiles(
  planner: RecordPlanner,
  dir: string,
  options: { write: boolean },
): Generator<PlannedRecord> {
  let made = false;
  for (const ledger of planner.ledgers()) {
    const columns = [...new Set(ledger.lines.flatMap((line) => Object.keys(line.values)))];
    const lines = [
      columns,
      ...ledger.lines.map((line) => columns.map((column) => line.values[column] ?? '')),
    ];
    const csv = `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
    const path = join(dir, `${ledger.claimKey.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`);
    if (options.write) {
      if (!made) mkdirSync(dir, { recursive: true });
      made = true;
      writeFileSync(path, csv);
    }
    yield planner.ledgerRecord(ledger.claimKey, ledger.rows, { path, size: Buffer.byteLength(csv) });
  }
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
