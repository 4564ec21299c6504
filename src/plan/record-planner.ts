import { stableHash } from '../core/hash.ts';
import type { Issue } from '../core/issues.ts';
import type { BackdocketObject } from '../core/objects.ts';
import {
  identityMarker,
  type ParentLink,
  type PlannedRecord,
  type RowOutcome,
  type RowRef,
  type WriteEntity,
} from '../core/records.ts';
import type { FieldMapping, FileMapping, Mapping, StatusTarget } from '../mapping/mapping-schema.ts';
import { parseTarget } from '../mapping/model.ts';
import {
  applyTransform,
  joinName,
  normaliseValueKey,
  splitName,
  type TransformIssue,
} from '../mapping/transforms/index.ts';
import type { SourceRow } from '../source/model.ts';
import {
  type ClaimFeeds,
  type FeedLink,
  type FeedValue,
  type HistoryEntry,
  MemoryClaimFeeds,
} from './claim-feeds.ts';
import { carriedKey } from './reference-index.ts';
import { LEAD_LABEL } from './schema-plan.ts';
import { customFieldFor } from './standard-fields.ts';
import {
  type CustomFieldEntity,
  DOCUMENTS_NOT_UPLOADED_FIELD,
  encodeCustomValue,
  IDENTITY_FIELD,
  MATTER_TYPE_FIELD,
  ORIGINAL_CREATE_DATE_FIELD,
  type TargetSchema,
} from './target-schema.ts';
import { isPlainMoney, toClock, toV1Timestamp } from './values.ts';

/** Who owns a record: a Pipedrive user, or nobody yet (the record is held until the owner is resolved). */
export type OwnerResolution = { readonly userId: number } | { readonly held: string } | undefined;

export interface PlannerOptions {
  readonly mapping: Mapping;
  readonly schema: TargetSchema;
  /** Staff reference (id, name or e-mail as the export writes it) → owner. */
  readonly resolveOwner: (staffRef: string) => OwnerResolution;
  /** Contact key → key of the contact it duplicates (duplicate policy), when it is a duplicate. */
  readonly duplicateOf?: (contactKey: string) => string | undefined;
  /**
   * A reference as the export writes it (a key in other case, a claim number, a company or full name) →
   * the key of the row it points at (`ReferenceIndex.resolve`); undefined leaves the value as the key.
   */
  readonly resolveKey?: (object: BackdocketObject, value: string) => string | undefined;
  /** Documents: resolves a storage path inside the export folder; undefined when it escapes or is missing. */
  readonly documentFile?: (storagePath: string) => { path: string; size: number } | undefined;
  /**
   * Why a document's file is not available from the source at all (an MCP server that gives no
   * document content): such a row is skipped with that reason, not held back as missing.
   */
  readonly documentUnavailable?: ((sourceKey: string) => string | undefined) | undefined;
  readonly maxUploadBytes?: number;
  /** `visible_to` for created records (3 = entire company on Lite/Growth). */
  readonly visibleTo?: number | undefined;
  /** Where feeder rows wait for their claim (in memory unless given: a large export needs a file). */
  readonly feeds?: ClaimFeeds | undefined;
}

/** What becomes of one source row. */
export type RowPlan =
  | {
      readonly kind: 'records';
      readonly records: readonly PlannedRecord[];
      readonly issues: readonly Issue[];
    }
  /** Rolled into its claim's deal (contacts/staff on the claim, ledger lines, status changes). */
  | { readonly kind: 'folded'; readonly into: string; readonly issues: readonly Issue[] }
  | {
      readonly kind: 'none';
      readonly outcome: RowOutcome;
      readonly reason: string;
      readonly issues: readonly Issue[];
    };

/** The entities records link to (parents); the planner makes no link to any other. */
export const LINK_TARGETS = ['organization', 'person', 'deal'] as const satisfies readonly WriteEntity[];
type LinkTarget = (typeof LINK_TARGETS)[number];

/** Files that feed their claim's deal instead of becoming records of their own. */
const FEEDER_OBJECTS: ReadonlySet<BackdocketObject> = new Set([
  'claim_contact',
  'claim_staff',
  'billing_entry',
  'status_history',
]);

const NOT_WRITABLE: Readonly<Partial<Record<BackdocketObject, string>>> = {
  staff: 'staff are matched to Pipedrive users by e-mail, not created',
  claim_type: 'claim types become pipelines and the Matter Type field (ferry schema apply)',
  check_approval: 'Pipedrive has nothing to hold check approvals: see the rebuild reference',
  document_template: 'document templates cannot be created over the API: see the rebuild reference',
};

/** Per claim: what its feeder rows add to the deal, gathered from its feed items when the deal is planned. */
interface Feed {
  readonly rows: RowRef[];
  readonly values: Map<string, { rollup: FeedValue['rollup']; items: unknown[] }>;
  readonly links: Map<string, Omit<FeedLink, 'field'>>;
  owner?: { ref: string; primary: boolean };
}

/**
 * Turns extracted rows into the Pipedrive records to write, following the confirmed mapping. Pure: rows,
 * mapping and the target schema in, records and issues out. Feeder files (claim contacts, claim staff,
 * ledger lines, status history) are added first with `addFeederRow`; then every other row is planned
 * with `planRow`, and the per-claim timeline notes and ledger files come from `statusNotes` and `ledgers`.
 * Feeder rows wait in `ClaimFeeds` (a file on large exports), so memory does not grow with them.
 */
export class RecordPlanner {
  private readonly options: PlannerOptions;
  private readonly context: {
    readonly settings: Mapping['settings'];
    readonly valueMaps: Mapping['valueMaps'];
  };
  private readonly feeds: ClaimFeeds;
  /** Claim key → identity of the person the claim's deal links to (planned in the deal phase). */
  private readonly claimClient = new Map<string, string>();
  /** Deals held until their owner is resolved (identity → why): their children wait with them. */
  private readonly heldDeals = new Map<string, string>();
  private readonly plannedClaims = new Set<string>();

  constructor(options: PlannerOptions) {
    this.options = options;
    this.feeds = options.feeds ?? new MemoryClaimFeeds();
    this.context = { settings: options.mapping.settings, valueMaps: options.mapping.valueMaps };
  }

  static isFeeder(file: FileMapping): boolean {
    return file.object !== null && FEEDER_OBJECTS.has(file.object);
  }

  /** First pass: remember what a claim contact / staff / ledger / status row adds to its deal. */
  addFeederRow(file: FileMapping, row: SourceRow): RowPlan {
    const issues: Issue[] = [];
    const claimKey = this.claimKeyOf(file, row);
    if (!claimKey) {
      return { kind: 'none', outcome: 'quarantined', reason: 'no claim id to attach it to', issues };
    }
    const ref = { file: row.file, sourceKey: row.sourceKey };
    if (file.object === 'status_history') {
      this.feeds.add(claimKey, { kind: 'history', row: ref, entry: this.historyEntry(file, row, issues) });
      return { kind: 'folded', into: `status_history:${claimKey}`, issues };
    }
    const ledgerLine = file.object === 'billing_entry';
    if (ledgerLine)
      this.feeds.add(claimKey, { kind: 'ledger', row: ref, line: row.line, values: row.values });
    const primary = isPrimaryRow(file, row);
    const links: FeedLink[] = [];
    const owners: { ref: string; primary: boolean }[] = [];
    const values: FeedValue[] = [];
    for (const field of file.fields) {
      const target = field.target ? parseTarget(field.target) : undefined;
      if (target?.entity !== 'deal') continue;
      const raw = row.values[field.column] ?? '';
      if (target.kind === 'standard' && target.field === 'owner_id') {
        if (raw.trim()) owners.push({ ref: raw.trim(), primary });
        continue;
      }
      if (target.kind === 'standard' && (target.field === 'person_id' || target.field === 'org_id')) {
        const person = target.field === 'person_id';
        if (raw.trim()) {
          links.push({
            field: target.field,
            entity: person ? 'person' : 'organization',
            identity: this.identityOf(person ? 'contact' : 'company', raw.trim()),
            primary,
          });
        }
        continue;
      }
      if (target.kind !== 'custom') continue;
      const result = applyTransform(raw, field.transform, this.context);
      if (!result.ok) {
        issues.push(this.issue(result.issue, row, field));
        continue;
      }
      if (result.value === null) continue;
      const rollup = field.transform?.rollup ?? (isPlainMoney(result.value) ? 'sum' : 'list');
      values.push({ key: `custom:${target.name}`, rollup, value: result.value });
    }
    // A ledger line belongs to its claim's ledger file, not to the deal: it shares only its values.
    if (!ledgerLine || links.length > 0 || owners.length > 0 || values.length > 0) {
      this.feeds.add(claimKey, {
        kind: 'deal',
        ...(ledgerLine ? {} : { row: ref }),
        ...(links.length > 0 ? { links } : {}),
        ...(owners.length > 0 ? { owners } : {}),
        ...(values.length > 0 ? { values } : {}),
      });
    }
    return { kind: 'folded', into: `claim:${claimKey}`, issues };
  }

  /**
   * First pass over documents: a file over the upload limit is not uploaded; its name and storage path go
   * to its deal's "Documents Not Uploaded" field instead, so the deal links to it.
   */
  addOversizeDocument(file: FileMapping, row: SourceRow): void {
    const storageField = file.fields.find((field) => field.target === 'file.file');
    const claimField = file.fields.find((field) => field.target === 'file.deal_id');
    const storage = storageField ? (row.values[storageField.column] ?? '').trim() : '';
    const claimKey = this.keyOf('claim', claimField ? (row.values[claimField.column] ?? '').trim() : '');
    const located = storage ? this.options.documentFile?.(storage) : undefined;
    if (!located || !claimKey || located.size <= (this.options.maxUploadBytes ?? DEFAULT_UPLOAD_LIMIT))
      return;
    this.feeds.add(claimKey, {
      kind: 'deal',
      values: [
        {
          key: `custom:${DOCUMENTS_NOT_UPLOADED_FIELD}`,
          rollup: 'list',
          value: `${storage} (${located.size} bytes)`,
        },
      ],
    });
  }

  /** Plans one row of a non-feeder file. */
  /**
   * Plans one row of a non-feeder file. `along`: rows of other files holding more columns of the same
   * record (the same key in a second contacts file); their fields join the record, their rows its outcome.
   */
  planRow(file: FileMapping, row: SourceRow, along: readonly AlongRow[] = []): RowPlan {
    const notWritable = file.object ? NOT_WRITABLE[file.object] : undefined;
    if (notWritable) return { kind: 'none', outcome: 'skipped', reason: notWritable, issues: [] };
    if (!file.object || !file.entity || file.entity === 'user') {
      return {
        kind: 'none',
        outcome: 'skipped',
        reason: 'the file is not mapped to a Pipedrive object',
        issues: [],
      };
    }
    switch (file.object) {
      case 'company':
        return this.simpleRecord(file, row, 'organization', along);
      case 'contact':
        return this.contactRecord(file, row, along);
      case 'claim':
        return this.claimRecord(file, row, along);
      case 'intake':
        return this.intakeRecords(file, row);
      case 'event':
      case 'task':
        return this.activityRecord(file, row);
      case 'note':
        return this.noteRecord(file, row);
      case 'document':
        return this.documentRecord(file, row);
      default:
        return {
          kind: 'none',
          outcome: 'skipped',
          reason: `${file.object} rows are not migrated`,
          issues: [],
        };
    }
  }

  /** Claim-contact and claim-staff rows folded into a claim's deal (they share its outcome). */
  foldedRows(claimKey: string): RowRef[] {
    return this.feeds.items(claimKey, 'deal').flatMap((item) => (item.row ? [item.row] : []));
  }

  /** Folded rows whose claim was never planned: they point at a claim the export does not have. */
  *orphanFeeds(): Generator<{ claimKey: string; rows: readonly RowRef[] }> {
    for (const claimKey of this.feeds.claims('deal')) {
      if (this.plannedClaims.has(claimKey)) continue;
      const rows = this.foldedRows(claimKey);
      if (rows.length > 0) yield { claimKey, rows };
    }
  }

  /**
   * Status history and ledger rows of claims held until their owner is resolved: they make no record yet
   * and wait with their claim (`held`, with the reason). Ask after every claim was planned.
   */
  *heldFeeds(): Generator<{ rows: readonly RowRef[]; reason: string }> {
    for (const [identity, reason] of this.heldDeals) {
      const claimKey = identity.slice('claim:'.length);
      const rows = [...this.feeds.items(claimKey, 'history'), ...this.feeds.items(claimKey, 'ledger')].map(
        (item) => item.row,
      );
      if (rows.length > 0) yield { rows, reason: `its claim ${claimKey} is held: ${reason}` };
    }
  }

  /** Records made from feeder rows: one status timeline note per claim, built as they are read. */
  *statusNotes(): Generator<PlannedRecord> {
    for (const claimKey of this.feeds.claims('history')) {
      if (this.heldDeals.has(`claim:${claimKey}`)) continue;
      const history = this.feeds.items(claimKey, 'history');
      const entries = history
        .map((item) => item.entry)
        .sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.line - b.line);
      const lines = entries.map((entry) => {
        const when = entry.at ? entry.at.replace('T', ' ').replace('Z', ' UTC') : 'date unknown';
        const change = entry.from ? `${entry.from} → ${entry.to}` : `→ ${entry.to}`;
        const by = entry.by ? ` (${escapeText(entry.by)})` : '';
        const comment = entry.comment ? ` — ${escapeText(entry.comment)}` : '';
        return `<li>${escapeText(when)}: ${escapeText(change)}${by}${comment}</li>`;
      });
      const identity = `status_history:${claimKey}`;
      const payload: Record<string, unknown> = {
        content: `<p><b>BackDocket status history</b></p><ul>${lines.join('')}</ul><p>${identityMarker(identity)}</p>`,
        pinned_to_deal_flag: 0,
      };
      const first = entries.find((entry) => entry.at);
      if (first?.at) payload.add_time = toV1Timestamp(first.at);
      yield this.record(
        'note',
        identity,
        payload,
        [link('deal_id', 'deal', `claim:${claimKey}`, true)],
        history.map((item) => item.row),
      );
    }
  }

  /** The ledger lines of each claim, for attaching as a CSV file to its deal, one claim at a time. */
  *ledgers(): Generator<{
    claimKey: string;
    rows: RowRef[];
    lines: { line: number; values: Readonly<Record<string, string>> }[];
  }> {
    for (const claimKey of this.feeds.claims('ledger')) {
      if (this.heldDeals.has(`claim:${claimKey}`)) continue;
      const ledger = this.feeds.items(claimKey, 'ledger');
      yield { claimKey, rows: ledger.map((item) => item.row), lines: ledger };
    }
  }

  /** A ledger CSV file record for a claim, once the CSV has been written to `path`. */
  ledgerRecord(
    claimKey: string,
    rows: readonly RowRef[],
    file: { path: string; size: number },
  ): PlannedRecord {
    const identity = `ledger:${claimKey}`;
    return this.record('file', identity, {}, [link('deal_id', 'deal', `claim:${claimKey}`, true)], rows, {
      path: file.path,
      fileName: `BackDocket ledger ${claimKey}.csv`,
      size: file.size,
    });
  }

  // ---- per-object builders -------------------------------------------------------------------------

  private simpleRecord(
    file: FileMapping,
    row: SourceRow,
    entity: WriteEntity,
    along: readonly AlongRow[] = [],
  ): RowPlan {
    const built = this.applyFields(file, row, entity);
    for (const other of along) mergeBuilt(built, this.applyFields(other.file, other.row, entity));
    if (!built.payload.name) return this.quarantine(built.issues, row, 'name', 'the record has no name');
    const company = entity === 'person' ? this.carried(file, row, 'organization', built.links) : undefined;
    this.stamp(built, entity, file, row);
    const rows = [ref(row), ...along.map((other) => ref(other.row))];
    return this.withCarried(
      company,
      this.done(built, this.record(entity, built.identity, built.payload, built.links, rows)),
    );
  }

  /**
   * The record of an object a row carries in its columns when the export has no file for it (a case
   * list's client, a contact's company): identified by the row's link to it when it has one (`Client ID`),
   * otherwise by its normalised name (and first e-mail), so every row carrying it plans the same record.
   * The row's own record links to it.
   */
  private carried(
    file: FileMapping,
    row: SourceRow,
    entity: 'person' | 'organization',
    links: ParentLink[],
  ): { record: PlannedRecord; issues: Issue[] } | undefined {
    const carries = file.fields.some((field) => {
      const target = field.target ? parseTarget(field.target) : undefined;
      return target?.entity === entity && target.kind !== 'ref';
    });
    if (!carries) return undefined;
    const built = this.applyFields(file, row, entity);
    const name = built.payload.name as string | undefined;
    if (!name) return undefined;
    const field = entity === 'person' ? 'person_id' : 'org_id';
    const linked = links.find((candidate) => candidate.field === field)?.identity;
    const emails = (built.payload.emails as { value: string }[] | undefined) ?? [];
    const identity =
      linked ?? `${entity === 'person' ? 'contact' : 'company'}:${carriedKey(name, emails[0]?.value ?? '')}`;
    if (!linked) links.push(link(field, entity, identity, false));
    this.stamp(built, entity, file, row, identity);
    return { record: this.record(entity, identity, built.payload, built.links, []), issues: built.issues };
  }

  /** A row's plan with the record it carries planned before its own (which links to it). */
  private withCarried(
    carried: { record: PlannedRecord; issues: Issue[] } | undefined,
    plan: RowPlan,
  ): RowPlan {
    if (!carried || plan.kind !== 'records') return plan;
    return {
      kind: 'records',
      records: [carried.record, ...plan.records],
      issues: [...carried.issues, ...plan.issues],
    };
  }

  private contactRecord(file: FileMapping, row: SourceRow, along: readonly AlongRow[]): RowPlan {
    const canonical = this.options.duplicateOf?.(row.sourceKey);
    if (canonical) {
      return {
        kind: 'none',
        outcome: 'skipped',
        reason: `duplicate of contact ${canonical}; merged into it`,
        issues: [],
      };
    }
    return this.simpleRecord(file, row, 'person', along);
  }

  private claimRecord(file: FileMapping, row: SourceRow, along: readonly AlongRow[]): RowPlan {
    this.plannedClaims.add(row.sourceKey);
    const built = this.applyFields(file, row, 'deal');
    for (const other of along) mergeBuilt(built, this.applyFields(other.file, other.row, 'deal'));
    const feed = this.feedOf(row.sourceKey);
    const payload = built.payload;
    if (!payload.title)
      return this.quarantine(built.issues, row, 'title', 'the claim has no name to use as deal title');
    const type = built.extras.claimType as { pipeline: string; matterType: string } | undefined;
    const status = this.statusTarget(
      built.extras.statusRaw as string | undefined,
      built.extras.claimTypeRaw as string,
    );
    if (built.extras.statusRaw && !status) {
      return this.quarantine(
        built.issues,
        row,
        'status',
        `claim status '${built.extras.statusRaw}' is not in valueMaps.claimStatuses`,
      );
    }
    const pipeline = status?.pipeline ?? type?.pipeline ?? Object.keys(this.options.mapping.pipelines)[0];
    if (pipeline) {
      const pipelineId = this.options.schema.pipelineId(pipeline);
      const stageName = status?.stage ?? this.options.mapping.pipelines[pipeline]?.[0];
      const stageId = stageName ? this.options.schema.stageId(pipeline, stageName) : undefined;
      if (pipelineId === undefined || stageId === undefined) {
        return this.quarantine(
          built.issues,
          row,
          'pipeline',
          `pipeline '${pipeline}' / stage '${stageName}' is not in Pipedrive; run ferry schema apply`,
        );
      }
      payload.pipeline_id = pipelineId;
      payload.stage_id = stageId;
    }
    if (type?.matterType) this.setCustom(built, 'deal', MATTER_TYPE_FIELD, type.matterType, row);
    this.applyStatus(payload, status, built.extras);
    if (feed) this.applyFeed(built, feed, row);
    const person = this.carried(file, row, 'person', built.links);
    const client = built.links.find((candidate) => candidate.field === 'person_id');
    if (client) this.claimClient.set(row.sourceKey, client.identity);
    this.stamp(built, 'deal', file, row);
    const rows = [ref(row), ...along.map((other) => ref(other.row)), ...(feed?.rows ?? [])];
    return this.withCarried(
      person,
      this.done(built, this.record('deal', built.identity, payload, built.links, rows)),
    );
  }

  private intakeRecords(file: FileMapping, row: SourceRow): RowPlan {
    const lead = this.applyFields(file, row, 'lead');
    const caller = this.applyFields(file, row, 'person');
    const records: PlannedRecord[] = [];
    const claimKey = lead.extras.claimRef as string | undefined;
    const callerName = caller.payload.name as string | undefined;
    if (callerName) {
      const callerIdentity = `intake_caller:${row.sourceKey}`;
      this.stamp(caller, 'person', file, row, callerIdentity);
      records.push(this.record('person', callerIdentity, caller.payload, caller.links, []));
      lead.links.push(link('person_id', 'person', callerIdentity, false));
    }
    const client = claimKey ? this.claimClient.get(claimKey) : undefined;
    if (client) lead.links.push(link('person_id', 'person', client, false));
    if (
      !lead.links.some(
        (candidate) => candidate.field === 'person_id' || candidate.field === 'organization_id',
      )
    ) {
      return this.quarantine(
        lead.issues,
        row,
        'person',
        'an intake needs a caller name or a claim (Pipedrive leads need a person)',
      );
    }
    lead.payload.title ??= `Intake ${row.sourceKey}${callerName ? `: ${callerName}` : ''}`;
    const label = this.options.schema.leadLabelId(LEAD_LABEL);
    if (label) lead.payload.label_ids = [label];
    this.stamp(lead, 'lead', file, row);
    // Only one person link is sent: the caller when known, otherwise the claim's client.
    const personLinks = lead.links.filter((candidate) => candidate.field === 'person_id');
    const links = [
      ...lead.links.filter((candidate) => candidate.field !== 'person_id'),
      ...personLinks.slice(0, 1),
    ];
    records.push(this.record('lead', lead.identity, lead.payload, links, [ref(row)]));
    return { kind: 'records', records, issues: [...lead.issues, ...caller.issues] };
  }

  private activityRecord(file: FileMapping, row: SourceRow): RowPlan {
    const built = this.applyFields(file, row, 'activity');
    const payload = built.payload;
    payload.subject ??= `${file.object === 'task' ? 'Task' : 'Event'} ${row.sourceKey}`;
    if (file.object === 'task' && !payload.type)
      payload.type = this.options.schema.activityTypeKey('Task') ?? 'task';
    if (!payload.type) payload.type = this.options.schema.activityTypeKey('Meeting') ?? 'meeting';
    payload.note = appendMarker(payload.note as string | undefined, built.identity);
    return this.done(built, this.record('activity', built.identity, payload, built.links, [ref(row)]));
  }

  private noteRecord(file: FileMapping, row: SourceRow): RowPlan {
    const typeField = file.fields.find((field) => field.target === 'activity.type');
    const noteType = typeField ? (row.values[typeField.column] ?? '').trim() : '';
    const asActivity = noteType
      ? Object.entries(this.options.mapping.valueMaps.noteTypes).find(
          ([key]) => normaliseValueKey(key) === normaliseValueKey(noteType),
        )?.[1]
      : undefined;
    const built = this.applyFields(file, row, 'note');
    const content = String(built.payload.content ?? '').trim();
    if (!content) return this.quarantine(built.issues, row, 'content', 'the note is empty');
    if (
      !built.links.some((candidate) =>
        ['deal_id', 'person_id', 'org_id', 'lead_id'].includes(candidate.field),
      )
    ) {
      return this.quarantine(built.issues, row, 'deal_id', 'the note belongs to no claim or contact');
    }
    // A note that Pipedrive requires a parent for: the links stay required so a note never floats free.
    if (asActivity?.as === 'activity') {
      const payload: Record<string, unknown> = {
        subject: `${noteType}${built.extras.subject ? `: ${built.extras.subject}` : ''}`.slice(0, 255),
        type: this.options.schema.activityTypeKey(asActivity.activityType ?? 'Call') ?? 'call',
        done: true,
        note: appendMarker(content, built.identity),
      };
      const at = built.extras.addTimeIso as string | undefined;
      if (at) {
        payload.due_date = at.slice(0, 10);
        payload.due_time = at.slice(11, 16);
      }
      if (built.payload.user_id !== undefined) payload.owner_id = built.payload.user_id;
      const links = built.links
        .filter((candidate) => candidate.field !== 'org_id')
        .map((candidate) =>
          candidate.field === 'person_id' ? { ...candidate, field: 'participants' } : candidate,
        );
      return this.done(built, this.record('activity', built.identity, payload, links, [ref(row)]));
    }
    built.payload.content = appendMarker(content, built.identity);
    return this.done(built, this.record('note', built.identity, built.payload, built.links, [ref(row)]));
  }

  private documentRecord(file: FileMapping, row: SourceRow): RowPlan {
    const built = this.applyFields(file, row, 'file');
    const storage = (built.extras.storagePath as string | undefined) ?? '';
    const located = storage ? this.options.documentFile?.(storage) : undefined;
    const unavailable = located ? undefined : this.options.documentUnavailable?.(row.sourceKey);
    if (unavailable) {
      return {
        kind: 'none',
        outcome: 'skipped',
        reason: `not available from this source: ${unavailable}`,
        issues: built.issues,
      };
    }
    if (!located) {
      return this.quarantine(
        built.issues,
        row,
        'file',
        `the document file '${storage}' is missing or outside the export`,
      );
    }
    if (located.size === 0)
      return this.quarantine(built.issues, row, 'file', 'the document file is empty (0 bytes)');
    const limit = this.options.maxUploadBytes ?? DEFAULT_UPLOAD_LIMIT;
    if (located.size > limit) {
      return {
        kind: 'none',
        outcome: 'skipped',
        reason: `over the upload limit (${located.size} bytes > ${limit}); listed with its path in the deal field "${DOCUMENTS_NOT_UPLOADED_FIELD}"`,
        issues: built.issues,
      };
    }
    if (!built.links.some((candidate) => candidate.field === 'deal_id' || candidate.field === 'person_id')) {
      return this.quarantine(built.issues, row, 'deal_id', 'the document belongs to no claim or contact');
    }
    const fileName =
      (built.payload.name as string | undefined) ?? storage.split('/').at(-1) ?? `document-${row.sourceKey}`;
    const payload: Record<string, unknown> = {};
    const upload = { path: located.path, fileName, size: located.size };
    // Only one parent: the deal when known, else the person.
    const parent = built.links.find((candidate) => candidate.field === 'deal_id') ?? built.links[0]!;
    return this.done(built, this.record('file', built.identity, payload, [parent], [ref(row)], upload));
  }

  // ---- fields ---------------------------------------------------------------------------------------

  private applyFields(file: FileMapping, row: SourceRow, entity: WriteEntity) {
    const identity = this.identityOf(file.object!, row.sourceKey, entity);
    const built = {
      identity,
      payload: {} as Record<string, unknown>,
      links: [] as ParentLink[],
      issues: [] as Issue[],
      extras: {} as Record<string, unknown>,
      /** Leads speak v1: custom fields flat at the top level. */
      dialect: (entity === 'lead' ? 'v1' : 'v2') as 'v1' | 'v2',
    };
    const nameParts: Record<string, string> = {};
    const address: Record<string, string[]> = {};
    for (const field of file.fields) {
      const target = field.target ? parseTarget(field.target) : undefined;
      if (!target) continue;
      const raw = row.values[field.column] ?? '';
      if (target.kind === 'ref') {
        if (target.object === 'claim' && target.entity === entity && raw.trim())
          built.extras.claimRef = this.keyOf('claim', raw.trim());
        continue;
      }
      const targetEntity = target.entity;
      // Each entity reads its own targets (an intake row feeds both a lead and its caller, a person).
      if (targetEntity !== entity) continue;
      if (target.kind === 'custom') {
        if (field.transform?.kind === 'address') {
          pushTo(address, `custom:${target.name}`, raw.trim());
          continue;
        }
        const result = applyTransform(raw, field.transform, this.context);
        if (!result.ok) {
          built.issues.push(this.issue(result.issue, row, field));
          continue;
        }
        if (result.issue) built.issues.push(this.issue(result.issue, row, field));
        if (result.value !== null)
          this.setCustom(built, customEntity(entity), target.name, result.value, row, field);
        continue;
      }
      this.applyStandard({
        built,
        field: target.field,
        spec: field,
        raw,
        row,
        entity,
        nameParts,
        address,
        file,
      });
    }
    if (Object.keys(nameParts).length > 0 && !built.payload.name) {
      const name = joinName(nameParts);
      if (name) built.payload.name = name;
    }
    for (const [key, parts] of Object.entries(address)) {
      const value = parts.filter(Boolean).join(', ');
      if (!value) continue;
      if (key === 'address') built.payload.address = { value };
      else this.setCustom(built, customEntity(entity), key.slice('custom:'.length), value, row);
    }
    return built;
  }

  private applyStandard(input: {
    built: ReturnType<RecordPlanner['applyFields']>;
    field: string;
    spec: FieldMapping;
    raw: string;
    row: SourceRow;
    entity: WriteEntity;
    nameParts: Record<string, string>;
    address: Record<string, string[]>;
    file: FileMapping;
  }): void {
    const { built, field, spec, raw, row, entity } = input;
    const text = raw.trim();
    const linkTo = (
      object: BackdocketObject,
      linkEntity: LinkTarget,
      payloadField: string,
      required = false,
    ) => {
      if (text)
        built.links.push(link(payloadField, linkEntity, this.identityOf(object, text, linkEntity), required));
    };
    switch (field) {
      case 'first_name':
      case 'last_name':
        if (text) input.nameParts[field === 'first_name' ? 'first' : 'last'] = text;
        return;
      case 'name':
        if (!text) return;
        if (entity === 'person' && /,/.test(text)) {
          const split = splitName(text);
          if (split.ok && split.value) {
            built.payload.name = joinName(split.value);
            return;
          }
        }
        built.payload.name = text;
        return;
      case 'owner_id':
      case 'user_id': {
        if (!text) return;
        const owner = this.options.resolveOwner(text);
        if (owner && 'userId' in owner) built.payload[field] = owner.userId;
        else if (owner && 'held' in owner) built.extras.heldOwner = owner.held;
        if (entity === 'deal' && this.options.mapping.owners.keepOriginalOwnerIn) {
          this.setCustom(built, 'deal', this.options.mapping.owners.keepOriginalOwnerIn, text, row);
        }
        return;
      }
      case 'person_id':
        if (entity === 'activity') {
          if (!built.links.some((candidate) => candidate.field === 'participants'))
            linkTo('contact', 'person', 'participants');
        } else linkTo('contact', 'person', 'person_id');
        return;
      case 'participants':
        if (!built.links.some((candidate) => candidate.field === 'participants')) {
          linkTo('contact', 'person', 'participants');
        }
        return;
      case 'org_id':
        linkTo('company', 'organization', entity === 'lead' ? 'organization_id' : 'org_id');
        return;
      case 'deal_id':
        // A child of a claim belongs to that claim's deal: if the deal is not there, the child waits too.
        if (text) built.extras.claimRef = this.keyOf('claim', text);
        linkTo('claim', 'deal', 'deal_id', true);
        return;
      case 'pipeline_id': {
        if (!text) return;
        built.extras.claimTypeRaw = text;
        const result = applyTransform(raw, spec.transform, this.context);
        if (result.ok) built.extras.claimType = result.value;
        else built.issues.push(this.issue(result.issue, row, spec));
        return;
      }
      case 'status':
        if (text) built.extras.statusRaw = text;
        return;
      case 'file':
        if (text) built.extras.storagePath = text;
        return;
      case 'address':
        pushTo(input.address, 'address', text);
        return;
    }
    const result = applyTransform(raw, spec.transform, this.context);
    if (!result.ok) {
      built.issues.push(this.issue(result.issue, row, spec));
      return;
    }
    if (result.issue) built.issues.push(this.issue(result.issue, row, spec));
    const value = result.value;
    if (value === null || value === undefined) return;
    this.setStandard(built, entity, field, value, spec, row);
  }

  private setStandard(
    built: ReturnType<RecordPlanner['applyFields']>,
    entity: WriteEntity,
    field: string,
    value: unknown,
    spec: FieldMapping,
    row: SourceRow,
  ): void {
    const payload = built.payload;
    switch (field) {
      case 'emails':
      case 'phones': {
        payload[field] ??= [];
        const list = payload[field] as { value: string; primary: boolean; label: string }[];
        const values = Array.isArray(value) ? value.map(String) : [String(value)];
        for (const item of values) {
          if (list.some((existing) => existing.value.toLowerCase() === item.toLowerCase())) continue;
          list.push({ value: item, primary: list.length === 0, label: spec.transform?.label ?? 'work' });
        }
        return;
      }
      case 'value':
        if (isPlainMoney(value)) {
          if (entity === 'lead') payload.value = { amount: value.amount, currency: value.currency };
          else {
            payload.value = value.amount;
            payload.currency = value.currency;
          }
        } else if (typeof value === 'number') payload.value = value;
        return;
      case 'add_time':
        if (typeof value !== 'string') return;
        built.extras.addTimeIso = value;
        if (entity === 'note') payload.add_time = toV1Timestamp(value);
        else if (entity === 'person' || entity === 'organization') payload.add_time = value;
        // Deals and activities cannot take add_time; the original date goes to a custom field.
        if (entity === 'deal' || entity === 'person' || entity === 'organization') {
          built.extras.originalCreateDate = value.slice(0, 10);
        }
        return;
      case 'close_time':
        if (typeof value === 'string') built.extras.closeTime = value;
        return;
      case 'due_date':
        if (typeof value === 'string') payload.due_date = value.slice(0, 10);
        return;
      case 'due_time':
        if (typeof value === 'string') payload.due_time = toClock(value);
        return;
      case 'duration':
        return;
      case 'type':
        if (typeof value === 'string')
          payload.type = this.options.schema.activityTypeKey(value) ?? value.toLowerCase();
        else if (value && typeof value === 'object' && 'activityType' in value) {
          const name = String((value as { activityType?: string }).activityType ?? 'Call');
          payload.type = this.options.schema.activityTypeKey(name) ?? name.toLowerCase();
        }
        return;
      case 'content':
      case 'note': {
        const part = spec.transform?.part;
        if (entity === 'note' && part === 'subject') {
          built.extras.subject = String(value);
          payload.content = `<p><b>${escapeText(String(value))}</b></p>${(payload.content as string) ?? ''}`;
          return;
        }
        payload[field === 'content' && entity === 'activity' ? 'note' : field] =
          `${(payload[field] as string) ?? ''}${String(value)}`;
        return;
      }
      case 'done':
        payload.done = value === true || value === 'true';
        return;
      case 'pinned_to_deal_flag':
        payload.pinned_to_deal_flag = value === true ? 1 : 0;
        return;
      case 'location':
        payload.location = entity === 'activity' ? { value: String(value) } : String(value);
        return;
      case 'priority':
        return;
      case 'lost_reason':
        built.extras.lostReason = String(value);
        return;
      case 'active_flag':
        return;
      case 'title':
      case 'subject':
        if (typeof value === 'string' && value.length > SHORT_TEXT_LIMIT) {
          built.issues.push(this.tooLong(row, spec.column, value.length, SHORT_TEXT_LIMIT));
          return;
        }
        payload[field] = value;
        return;
      default: {
        const custom = customFieldFor(entity, field);
        if (custom === undefined) {
          payload[field] = isPlainMoney(value)
            ? value.amount
            : Array.isArray(value)
              ? value.join('; ')
              : value;
        } else if (
          entity === 'person' ||
          entity === 'organization' ||
          entity === 'deal' ||
          entity === 'lead'
        ) {
          this.setCustom(built, customEntity(entity), custom, value, row, spec);
        }
      }
    }
  }

  private setCustom(
    built: { payload: Record<string, unknown>; issues: Issue[]; dialect: 'v1' | 'v2' },
    entity: CustomFieldEntity,
    name: string,
    value: unknown,
    row: SourceRow,
    spec?: FieldMapping,
  ): void {
    const field = this.options.schema.customField(entity, name);
    if (!field) {
      built.issues.push({
        code: 'custom_field_missing',
        severity: 'error',
        message: `the Pipedrive field '${name}' does not exist on ${entity}s; run ferry schema apply`,
        file: row.file,
        line: row.line,
        sourceKey: row.sourceKey,
        field: spec?.column ?? name,
      });
      return;
    }
    const limit = ['varchar', 'varchar_auto', 'phone'].includes(field.type)
      ? SHORT_TEXT_LIMIT
      : field.type === 'text'
        ? LONG_TEXT_LIMIT
        : undefined;
    const length =
      typeof value === 'string' ? value.length : Array.isArray(value) ? value.join('; ').length : 0;
    if (limit !== undefined && length > limit) {
      built.issues.push(this.tooLong(row, spec?.column ?? name, length, limit));
      return;
    }
    const encoded = encodeCustomValue(field, value, built.dialect);
    if (!encoded.ok) {
      built.issues.push(this.issue(encoded.issue, row, spec, name));
      return;
    }
    if (built.dialect === 'v2') built.payload.custom_fields ??= {};
    const target = (built.dialect === 'v1' ? built.payload : built.payload.custom_fields) as Record<
      string,
      unknown
    >;
    for (const [key, encodedValue] of encoded.entries) target[key] = encodedValue;
  }

  private statusTarget(
    statusRaw: string | undefined,
    claimType: string | undefined,
  ): StatusTarget | undefined {
    if (!statusRaw) return undefined;
    const maps = this.options.mapping.valueMaps;
    const byType = claimType
      ? Object.entries(maps.claimStatusesByType).find(
          ([type]) => normaliseValueKey(type) === normaliseValueKey(claimType),
        )?.[1]
      : undefined;
    const lookup = (map: Record<string, StatusTarget> | undefined) =>
      map
        ? Object.entries(map).find(
            ([status]) => normaliseValueKey(status) === normaliseValueKey(statusRaw),
          )?.[1]
        : undefined;
    return lookup(byType) ?? lookup(maps.claimStatuses);
  }

  private applyStatus(
    payload: Record<string, unknown>,
    status: StatusTarget | undefined,
    extras: Record<string, unknown>,
  ) {
    if (!status || status.status === 'open') {
      payload.status = 'open';
      return;
    }
    payload.status = status.status;
    const closedAt = (extras.closeTime as string | undefined) ?? undefined;
    if (closedAt) {
      payload.close_time = closedAt;
      payload[status.status === 'won' ? 'won_time' : 'lost_time'] = closedAt;
    }
    if (status.status === 'lost') {
      payload.lost_reason =
        ((extras.lostReason as string | undefined) ?? status.lostReason ?? '').slice(0, 255) || null;
      if (payload.lost_reason === null) delete payload.lost_reason;
    }
  }

  private applyFeed(built: ReturnType<RecordPlanner['applyFields']>, feed: Feed, row: SourceRow): void {
    for (const [field, target] of feed.links) {
      if (!built.links.some((candidate) => candidate.field === field)) {
        built.links.push(link(field, target.entity, target.identity, false));
      }
    }
    if (feed.owner && built.payload.owner_id === undefined) {
      const owner = this.options.resolveOwner(feed.owner.ref);
      if (owner && 'userId' in owner) built.payload.owner_id = owner.userId;
      else if (owner && 'held' in owner) built.extras.heldOwner = owner.held;
    }
    for (const [key, slot] of feed.values) {
      const name = key.slice('custom:'.length);
      this.setCustom(built, 'deal', name, rollUp(slot.rollup, slot.items), row);
    }
  }

  /** Identity, original date and visibility on every record (DESIGN.md §2). */
  private stamp(
    built: ReturnType<RecordPlanner['applyFields']>,
    entity: WriteEntity,
    _file: FileMapping,
    row: SourceRow,
    identity = built.identity,
  ): void {
    const customEntityName = customEntity(entity);
    if (entity === 'lead') {
      this.setCustom(built, 'deal', IDENTITY_FIELD, identity, row);
      if (this.options.visibleTo !== undefined) built.payload.visible_to = String(this.options.visibleTo);
      if (built.extras.heldOwner) built.issues.push(this.heldIssue(row, String(built.extras.heldOwner)));
      return;
    }
    this.setCustom(built, customEntityName, IDENTITY_FIELD, identity, row);
    if (built.extras.originalCreateDate) {
      this.setCustom(
        built,
        customEntityName,
        ORIGINAL_CREATE_DATE_FIELD,
        built.extras.originalCreateDate,
        row,
      );
    }
    if (this.options.visibleTo !== undefined) built.payload.visible_to = this.options.visibleTo;
    if (built.extras.heldOwner) built.issues.push(this.heldIssue(row, String(built.extras.heldOwner)));
  }

  private tooLong(row: SourceRow, field: string, length: number, limit: number): Issue {
    return {
      code: 'text_too_long',
      severity: 'error',
      message: `${length} characters; Pipedrive takes at most ${limit} here`,
      file: row.file,
      line: row.line,
      sourceKey: row.sourceKey,
      field,
      fix: 'Shorten the value in the export, or map the column to a long-text custom field.',
    };
  }

  private heldIssue(row: SourceRow, reason: string): Issue {
    return {
      code: 'owner_unresolved',
      severity: 'error',
      message: `held: ${reason}`,
      file: row.file,
      line: row.line,
      sourceKey: row.sourceKey,
      fix: 'Set owners.fallbackOwnerEmail or owners.staff in mapping.yaml, or add the user in Pipedrive.',
    };
  }

  private done(built: { issues: Issue[]; extras: Record<string, unknown> }, record: PlannedRecord): RowPlan {
    if (built.extras.heldOwner) {
      const reason = `held until its owner is resolved: ${String(built.extras.heldOwner)}`;
      if (record.entity === 'deal') this.heldDeals.set(record.identity, String(built.extras.heldOwner));
      return { kind: 'none', outcome: 'held', reason, issues: built.issues };
    }
    // A child of a held deal (its activity, note, document) waits with it instead of being skipped.
    const heldParent = record.links.find(
      (candidate) => candidate.required && this.heldDeals.has(candidate.identity),
    );
    if (heldParent) {
      return {
        kind: 'none',
        outcome: 'held',
        reason: `its ${heldParent.identity.replace(':', ' ')} is held: ${this.heldDeals.get(heldParent.identity)}`,
        issues: built.issues,
      };
    }
    const blocking = built.issues.find(
      (issue) => issue.severity === 'error' && BLOCKING_CODES.has(issue.code),
    );
    if (blocking)
      return { kind: 'none', outcome: 'quarantined', reason: blocking.message, issues: built.issues };
    return { kind: 'records', records: [record], issues: built.issues };
  }

  private quarantine(issues: Issue[], row: SourceRow, field: string, message: string): RowPlan {
    const issue: Issue = {
      code: 'missing_required',
      severity: 'error',
      message,
      file: row.file,
      line: row.line,
      sourceKey: row.sourceKey,
      field,
    };
    return { kind: 'none', outcome: 'quarantined', reason: message, issues: [...issues, issue] };
  }

  private record(
    entity: WriteEntity,
    identity: string,
    payload: Record<string, unknown>,
    links: readonly ParentLink[],
    rows: readonly RowRef[],
    upload?: PlannedRecord['upload'],
  ): PlannedRecord {
    const contentHash = stableHash([
      entity,
      identity,
      payload,
      links,
      upload ? [upload.fileName, upload.size] : null,
    ]);
    return { entity, identity, payload, links, rows, contentHash, upload };
  }

  private historyEntry(file: FileMapping, row: SourceRow, issues: Issue[]): HistoryEntry {
    const entry = { at: null as string | null, from: '', to: '', by: '', comment: '', line: row.line };
    for (const field of file.fields) {
      const raw = (row.values[field.column] ?? '').trim();
      if (!field.target || !raw) continue;
      if (field.target === 'note.add_time') {
        const result = applyTransform(raw, field.transform ?? { kind: 'datetime' }, this.context);
        if (result.ok && typeof result.value === 'string') entry.at = result.value;
        else if (!result.ok) issues.push(this.issue(result.issue, row, field));
      } else if (field.target === 'note.user_id') entry.by = raw;
      else if (field.target === 'note.content') {
        const part = field.transform?.part;
        if (part === 'from') entry.from = raw;
        else if (part === 'to') entry.to = raw;
        else entry.comment = raw;
      }
    }
    return entry;
  }

  private claimKeyOf(file: FileMapping, row: SourceRow): string | undefined {
    const claimField = file.fields.find(
      (field) => field.target === 'deal.ref:claim' || field.target === 'note.deal_id',
    );
    const value = claimField ? row.values[claimField.column]?.trim() : undefined;
    return value ? this.keyOf('claim', value) : undefined;
  }

  /** The key of the row a reference points at (the value itself when nothing resolves it). */
  private keyOf(object: BackdocketObject, value: string): string {
    return value ? (this.options.resolveKey?.(object, value) ?? value) : value;
  }

  /**
   * What the claim's feeder rows add to its deal, replayed in the order they were read: the first link and
   * owner win unless a later row is the primary one; custom values gather for their rollup.
   */
  private feedOf(claimKey: string): Feed | undefined {
    const items = this.feeds.items(claimKey, 'deal');
    if (items.length === 0) return undefined;
    const feed: Feed = { rows: [], values: new Map(), links: new Map() };
    for (const item of items) {
      if (item.row) feed.rows.push(item.row);
      for (const owner of item.owners ?? []) {
        if (!feed.owner || (owner.primary && !feed.owner.primary)) feed.owner = owner;
      }
      for (const { field, ...target } of item.links ?? []) {
        const existing = feed.links.get(field);
        if (!existing || (target.primary && !existing.primary)) feed.links.set(field, target);
      }
      for (const { key, rollup, value } of item.values ?? []) {
        const slot = feed.values.get(key) ?? { rollup, items: [] };
        slot.items.push(value);
        feed.values.set(key, slot);
      }
    }
    return feed;
  }

  /** `<object>:<key>`; references resolve to their row's key, duplicate contacts to the contact they duplicate. */
  private identityOf(object: BackdocketObject, reference: string, entity?: WriteEntity): string {
    const key = this.keyOf(object, reference);
    if (object === 'contact') return `contact:${this.options.duplicateOf?.(key) ?? key}`;
    if (object === 'note' && entity === 'activity') return `note:${key}`;
    return `${object}:${key}`;
  }

  private issue(issue: TransformIssue, row: SourceRow, field?: FieldMapping, fieldName?: string): Issue {
    return {
      code: issue.code,
      severity: issue.severity,
      message: issue.message,
      file: row.file,
      line: row.line,
      sourceKey: row.sourceKey,
      field: field?.column ?? fieldName,
    };
  }
}

/** Issues that make a record unsafe to write (it would arrive wrong): the row is quarantined. */
const BLOCKING_CODES = new Set([
  'ambiguous_date',
  'custom_field_missing',
  'unknown_option',
  'unknown_value',
  'text_too_long',
]);

const DEFAULT_UPLOAD_LIMIT = 25 * 1024 * 1024;

/** Pipedrive's length limits: names and titles and short text fields 255 characters, long text 65,535. */
const SHORT_TEXT_LIMIT = 255;
const LONG_TEXT_LIMIT = 65_535;

function pushTo(lists: Record<string, string[]>, key: string, value: string): void {
  const list = lists[key] ?? [];
  list.push(value);
  lists[key] = list;
}

function customEntity(entity: WriteEntity): CustomFieldEntity {
  return entity === 'person' || entity === 'organization' ? entity : 'deal';
}

/** A row of another file holding more columns of the record a row plans (same object, same key). */
export interface AlongRow {
  readonly file: FileMapping;
  readonly row: SourceRow;
}

type Built = {
  payload: Record<string, unknown>;
  links: ParentLink[];
  issues: Issue[];
  extras: Record<string, unknown>;
};

/** Adds what another file's row says of the same record: new fields, more e-mails and phones, its links. */
function mergeBuilt(into: Built, from: Built): void {
  for (const [key, value] of Object.entries(from.payload)) {
    const current = into.payload[key];
    if (key === 'custom_fields' && current && typeof current === 'object') {
      into.payload[key] = { ...(value as object), ...(current as object) };
    } else if (Array.isArray(current) && Array.isArray(value)) {
      into.payload[key] = mergeLists(current, value);
    } else if (current === undefined) into.payload[key] = value;
  }
  for (const candidate of from.links)
    if (!into.links.some((existing) => existing.field === candidate.field)) into.links.push(candidate);
  into.issues.push(...from.issues);
  for (const [key, value] of Object.entries(from.extras)) into.extras[key] ??= value;
}

/** E-mails or phones of both rows, each value once; the first list keeps the primary one. */
function mergeLists(first: readonly unknown[], second: readonly unknown[]): unknown[] {
  const itemValue = (item: unknown) =>
    String((item as { value?: unknown } | null)?.value ?? item).toLowerCase();
  const known = new Set(first.map(itemValue));
  const added = second
    .filter((item) => !known.has(itemValue(item)))
    .map((item) =>
      item && typeof item === 'object' && first.length > 0 ? { ...item, primary: false } : item,
    );
  return [...first, ...added];
}

function link(field: string, entity: LinkTarget, identity: string, required: boolean): ParentLink {
  return { field, entity, identity, required };
}

function ref(row: SourceRow): RowRef {
  return { file: row.file, sourceKey: row.sourceKey };
}

function appendMarker(html: string | undefined, identity: string): string {
  return `${html ?? ''}<p>${identityMarker(identity)}</p>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isPrimaryRow(file: FileMapping, row: SourceRow): boolean {
  const column = file.fields.find(
    (field) => field.target === null && /\b(primary|lead|principal)\b/i.test(field.column),
  )?.column;
  const value = column ? (row.values[column] ?? '').trim().toLowerCase() : '';
  return ['y', 'yes', 'true', '1', 'x'].includes(value);
}

function rollUp(rollup: 'sum' | 'last' | 'list', items: readonly unknown[]): unknown {
  if (rollup === 'last') return items.at(-1);
  if (rollup === 'sum') {
    const money = items.filter(isPlainMoney);
    if (money.length > 0) {
      const amount = Math.round(money.reduce((sum, item) => sum + item.amount, 0) * 100) / 100;
      return { amount, currency: money[0]!.currency };
    }
    return Math.round(items.reduce<number>((sum, item) => sum + (Number(item) || 0), 0) * 100) / 100;
  }
  return [...new Set(items.map((item) => String(item)))].join('; ');
}
