import type { BackdocketObject, PipedriveEntity } from '../core/objects.ts';

/**
 * The mapping proposal: what `ferry map propose --json` prints (DESIGN.md §4) and what `mapping.yaml`
 * holds per file. Plain data, no I/O.
 */

/** Custom field types Ferry creates in Pipedrive (pipedrive-api.md §5.3, creatable subset). */
export const CUSTOM_FIELD_TYPES = [
  'varchar',
  'text',
  'double',
  'monetary',
  'date',
  'enum',
  'set',
  'phone',
  'address',
  'time',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** How a raw cell becomes a Pipedrive value; interpreted by the pure transforms in `transforms/`. */
export const TRANSFORM_KINDS = [
  'text',
  'email',
  'phone',
  'date',
  'datetime',
  'time',
  'money',
  'number',
  'percent',
  'boolean',
  'hours',
  'split',
  'name',
  'html',
  'html_text',
  'value_map',
  'address',
  'owner',
  'reference',
] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

/**
 * A transform spec for one field. Unused keys are left out.
 * @example { kind: 'date', formats: ['MM/DD/YYYY'] } · { kind: 'split', delimiter: ';' } · { kind: 'value_map', map: 'claimStatuses' }
 */
export interface TransformSpec {
  readonly kind: TransformKind;
  /** date/datetime: declared formats, tried in order (`MM/DD/YYYY`, `YYYY-MM-DD`, `excel-serial` …). */
  readonly formats?: readonly string[] | undefined;
  /** split / set fields: the delimiter between values. */
  readonly delimiter?: string | undefined;
  /** phone: default region (ISO 3166 alpha-2). */
  readonly region?: string | undefined;
  /** money: currency when the cell has no symbol. */
  readonly currency?: string | undefined;
  /** name: which part of a split name this column gives, or `join` for one of several parts. */
  readonly part?: string | undefined;
  /** value_map: the name of the map under `valueMaps`. */
  readonly map?: string | undefined;
  /** phones/emails: the Pipedrive label (`work`, `home`, `mobile`, `other`). */
  readonly label?: string | undefined;
  /** Billing roll-ups: how ledger rows add up on the deal. */
  readonly rollup?: 'sum' | 'last' | 'list' | undefined;
}

/**
 * One column's proposed destination.
 * @example { column: 'E-mail Address', target: 'person.emails', confidence: 0.98,
 *            reason: "header 'E-mail Address' ≈ email; 98% of values are e-mails" }
 */
export interface FieldProposal {
  readonly column: string;
  /** `<entity>.<api field>`, `<entity>.custom:<Field Name>`, `<entity>.ref:<object>`, or null (not migrated). */
  readonly target: string | null;
  readonly confidence: number;
  readonly reason: string;
  /** For `custom:` targets: the Pipedrive field type to create. */
  readonly fieldType?: CustomFieldType | undefined;
  /** For enum/set custom fields: options from the column's distinct values. */
  readonly options?: readonly string[] | undefined;
  readonly transform?: TransformSpec | undefined;
  /** When the proposer abstained: the best candidate it saw, for the person to accept or not. */
  readonly candidate?: { readonly target: string; readonly confidence: number } | undefined;
  /** The column looks like an internal artefact (GUID, row version, empty) rather than data. */
  readonly decoy?: boolean | undefined;
}

/** One file's proposed object, entity and field map. */
export interface ObjectProposal {
  readonly file: string;
  readonly object: BackdocketObject | null;
  readonly entity: PipedriveEntity | null;
  readonly confidence: number;
  readonly fields: readonly FieldProposal[];
  readonly reason?: string | undefined;
  readonly keyColumn?: string | null | undefined;
  /**
   * When the file's object was not recognised (or only weakly): the objects it could hold, best first,
   * for a person to choose from.
   */
  readonly candidates?: readonly ObjectCandidateProposal[] | undefined;
}

/** An object a file could hold, with the evidence for it. */
export interface ObjectCandidateProposal {
  readonly object: BackdocketObject;
  readonly confidence: number;
  readonly reason: string;
}

/**
 * The whole proposal, machine form (DESIGN.md §4).
 * @example { objects: [{ file: 'contacts.csv', object: 'contact', entity: 'person', confidence: 0.97, fields: […] }] }
 */
export interface MappingProposal {
  readonly objects: readonly ObjectProposal[];
}

/** Where each BackDocket object lands in Pipedrive (DESIGN.md §2). */
export const ENTITY_FOR_OBJECT: Readonly<Record<BackdocketObject, PipedriveEntity | null>> = {
  staff: 'user',
  contact: 'person',
  company: 'organization',
  claim_type: 'deal',
  claim: 'deal',
  claim_contact: 'deal',
  claim_staff: 'deal',
  status_history: 'deal',
  intake: 'lead',
  event: 'activity',
  task: 'activity',
  note: 'note',
  document: 'file',
  billing_entry: 'deal',
  check_approval: null,
  document_template: null,
};

/** A parsed target string. */
export type ParsedTarget =
  | { readonly kind: 'standard'; readonly entity: PipedriveEntity; readonly field: string }
  | { readonly kind: 'custom'; readonly entity: PipedriveEntity; readonly name: string }
  | { readonly kind: 'ref'; readonly entity: PipedriveEntity; readonly object: BackdocketObject };

const ENTITY_RE = '(user|person|organization|deal|lead|activity|note|file)';
const CUSTOM_TARGET = new RegExp(`^${ENTITY_RE}\\.custom:(.+)$`);
const REF_TARGET = new RegExp(`^${ENTITY_RE}\\.ref:([a-z_]+)$`);
const STANDARD_TARGET = new RegExp(`^${ENTITY_RE}\\.([a-z_][a-z0-9_]*)$`);
/** The planner reads every field's target for every row; a mapping has a few hundred. */
const parsedTargets = new Map<string, ParsedTarget | undefined>();

/**
 * Reads a target string; undefined when it is not in one of the three forms.
 * @example parseTarget('deal.custom:Date of Incident') // { kind: 'custom', entity: 'deal', name: 'Date of Incident' }
 */
export function parseTarget(target: string): ParsedTarget | undefined {
  if (parsedTargets.has(target)) return parsedTargets.get(target);
  const parsed = readTarget(target);
  if (parsedTargets.size < 10_000) parsedTargets.set(target, parsed);
  return parsed;
}

function readTarget(target: string): ParsedTarget | undefined {
  const custom = CUSTOM_TARGET.exec(target);
  if (custom) {
    const name = custom[2]!.trim();
    return name ? { kind: 'custom', entity: custom[1] as PipedriveEntity, name } : undefined;
  }
  const ref = REF_TARGET.exec(target);
  if (ref) {
    const object = ref[2] as BackdocketObject;
    return ENTITY_FOR_OBJECT[object] === undefined
      ? undefined
      : { kind: 'ref', entity: ref[1] as PipedriveEntity, object };
  }
  const standard = STANDARD_TARGET.exec(target);
  if (standard) return { kind: 'standard', entity: standard[1] as PipedriveEntity, field: standard[2]! };
  return undefined;
}
