import { stableHash } from '../../core/hash.ts';
import type { Issue } from '../../core/issues.ts';
import type { BackdocketObject } from '../../core/objects.ts';
import {
  identityMarker,
  type ParentLink,
  type PlannedRecord,
  type RowRef,
  type WriteEntity,
} from '../../core/records.ts';
import type { FieldMapping, FileMapping, Mapping } from '../../mapping/mapping-schema.ts';
import type { TransformIssue } from '../../mapping/transforms/index.ts';
import type { SourceRow } from '../../source/model.ts';
import { type ClaimFeeds, MemoryClaimFeeds } from '../claim-feeds.ts';
import {
  type CustomFieldEntity,
  encodeCustomValue,
  IDENTITY_FIELD,
  ORIGINAL_CREATE_DATE_FIELD,
} from '../target-schema.ts';
import type { PlannerOptions, RowPlan } from './planner.ts';

/** A record as a row's fields build it, before it is planned (or held, or quarantined). */
export interface BuiltRecord {
  identity: string;
  payload: Record<string, unknown>;
  links: ParentLink[];
  issues: Issue[];
  /** What the entity planners read besides the payload (a claim's status, a document's path, …). */
  extras: Record<string, unknown>;
  /** Leads speak v1: custom fields flat at the top level. */
  dialect: 'v1' | 'v2';
}

/**
 * What every entity planner shares: the options (mapping, schema, owners, references), the feeder rows
 * waiting for their claims, what the planning of earlier rows left for later ones (a claim's client for
 * its intakes, deals held for their owner and their children with them), and the steps every record goes
 * through (identity and original date stamped, custom fields encoded, held or quarantined or planned).
 */
export class PlanContext {
  readonly options: PlannerOptions;
  /** What value transforms read from the mapping. */
  readonly transforms: {
    readonly settings: Mapping['settings'];
    readonly valueMaps: Mapping['valueMaps'];
  };
  readonly feeds: ClaimFeeds;
  /** Claim key → identity of the person the claim's deal links to (planned in the deal phase). */
  readonly claimClient = new Map<string, string>();
  /** Deals held until their owner is resolved (identity → why): their children wait with them. */
  readonly heldDeals = new Map<string, string>();
  readonly plannedClaims = new Set<string>();

  constructor(options: PlannerOptions) {
    this.options = options;
    this.feeds = options.feeds ?? new MemoryClaimFeeds();
    this.transforms = { settings: options.mapping.settings, valueMaps: options.mapping.valueMaps };
  }

  setCustom(
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

  /** Identity, original date and visibility on every record (DESIGN.md §2). */
  stamp(
    built: BuiltRecord,
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

  tooLong(row: SourceRow, field: string, length: number, limit: number): Issue {
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

  heldIssue(row: SourceRow, reason: string): Issue {
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

  done(built: { issues: Issue[]; extras: Record<string, unknown> }, record: PlannedRecord): RowPlan {
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

  quarantine(issues: Issue[], row: SourceRow, field: string, message: string): RowPlan {
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

  record(
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

  /** The key of the row a reference points at (the value itself when nothing resolves it). */
  keyOf(object: BackdocketObject, value: string): string {
    return value ? (this.options.resolveKey?.(object, value) ?? value) : value;
  }

  /** `<object>:<key>`; references resolve to their row's key, duplicate contacts to the contact they duplicate. */
  identityOf(object: BackdocketObject, reference: string, entity?: WriteEntity): string {
    const key = this.keyOf(object, reference);
    if (object === 'contact') return `contact:${this.options.duplicateOf?.(key) ?? key}`;
    if (object === 'note' && entity === 'activity') return `note:${key}`;
    return `${object}:${key}`;
  }

  issue(issue: TransformIssue, row: SourceRow, field?: FieldMapping, fieldName?: string): Issue {
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

export const DEFAULT_UPLOAD_LIMIT = 25 * 1024 * 1024;

/** Pipedrive's length limits: names and titles and short text fields 255 characters, long text 65,535. */
export const SHORT_TEXT_LIMIT = 255;
const LONG_TEXT_LIMIT = 65_535;

export function customEntity(entity: WriteEntity): CustomFieldEntity {
  return entity === 'person' || entity === 'organization' ? entity : 'deal';
}

type Built = {
  payload: Record<string, unknown>;
  links: ParentLink[];
  issues: Issue[];
  extras: Record<string, unknown>;
};

/** Adds what another file's row says of the same record: new fields, more e-mails and phones, its links. */
export function mergeBuilt(into: Built, from: Built): void {
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

export function link(
  field: string,
  entity: 'organization' | 'person' | 'deal',
  identity: string,
  required: boolean,
): ParentLink {
  return { field, entity, identity, required };
}

export function ref(row: SourceRow): RowRef {
  return { file: row.file, sourceKey: row.sourceKey };
}

export function appendMarker(html: string | undefined, identity: string): string {
  return `${html ?? ''}<p>${identityMarker(identity)}</p>`;
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
