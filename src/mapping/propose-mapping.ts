import type { BackdocketObject, PipedriveEntity } from '../core/objects.ts';
import type { ColumnProfile, ColumnReference, ExtractedFile, KindShare, ValueKind } from '../source/model.ts';
import { CATALOGUE, type Concept, LINK_FIELD, type ObjectCatalogue } from './catalogue/index.ts';
import { withCreationDate } from './creation-date.ts';
import { decideObjects, type FileObjects, pathShare } from './decide-objects.ts';
import { withEssentialFields } from './essential-fields.ts';
import { filePrefix, headerScore, headerTokens, stripFilePrefix, stripSelfWords } from './header-match.ts';
import {
  type CustomFieldType,
  ENTITY_FOR_OBJECT,
  type FieldProposal,
  type MappingProposal,
  type ObjectProposal,
  type TransformSpec,
} from './model.ts';
import { nearlyEqual, normaliseHeader, prettyFieldName } from './normalise-header.ts';
import { isBooleanWord } from './transforms/text.ts';

/**
 * The proposer (pure): header normalisation + domain aliases + value profiles + key overlap, then a
 * one-to-one assignment per file, calibrated confidences, and abstention below a threshold.
 */

export interface ProposeOptions {
  /** Columns whose best candidate scores below this are left for the person (target null, "uncertain"). */
  readonly abstainBelow?: number;
  /** Default phone region for phone transforms (ISO alpha-2). */
  readonly defaultPhoneRegion?: string;
  readonly defaultCurrency?: string;
  /** Distinct values per file and column (from the stored rows) for enum/set options; optional. */
  readonly distinctValues?: (file: string, column: string) => readonly string[] | undefined;
}

/** A scored candidate for one column (exposed for the re-ranker). */
export interface Candidate {
  readonly target: string | null;
  readonly score: number;
  readonly reason: string;
  readonly concept?: Concept;
}

const DEFAULT_ABSTAIN = 0.55;
/** Candidates below this are noise: the column falls back to a custom field (or nothing). */
const NOISE = 0.35;
const MAX_CONFIDENCE = 0.99;

const KIND_FAMILY: Readonly<Record<ValueKind, readonly ValueKind[]>> = {
  email: ['email'],
  phone: ['phone'],
  date: ['date', 'datetime'],
  datetime: ['datetime', 'date'],
  money: ['money', 'number', 'integer'],
  percent: ['percent', 'number'],
  boolean: ['boolean'],
  integer: ['integer', 'id', 'number'],
  number: ['number', 'integer'],
  id: ['id', 'integer'],
  url: ['url'],
  text: ['text'],
};

const KIND_WORDS: Readonly<Record<ValueKind, string>> = {
  email: 'e-mails',
  phone: 'phone numbers',
  date: 'dates',
  datetime: 'timestamps',
  money: 'amounts',
  percent: 'percentages',
  boolean: 'yes/no values',
  integer: 'whole numbers',
  number: 'numbers',
  id: 'ids',
  url: 'web addresses',
  text: 'text',
};

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const HEX_VERSION = /^(0x)?[0-9a-f]{16}$/i;
// System columns by name. 'internal' only with an id-ish word: 'Internal Notes' is data.
const DECOY_HEADER =
  /\b(guid|row version|version|etag|concurrency|sys|rec ver|xmin|rv|lock token|sync token|hash key|hash id|shard|internal (id|guid|key|version|number))\b/;

const pct = (share: number) => `${Math.round(share * 100)}%`;
const round = (value: number) => Math.round(Math.min(MAX_CONFIDENCE, Math.max(0, value)) * 100) / 100;

/**
 * Proposes, for each extracted file, its Pipedrive entity and a target per column.
 * @example proposeMapping(inventory).objects[0] // { file: 'contacts.csv', object: 'contact', entity: 'person', … }
 */
export function proposeMapping(
  files: readonly ExtractedFile[],
  options: ProposeOptions = {},
): MappingProposal {
  const decisions = decideObjects(files);
  const present = new Set([...decisions.values()].flatMap((d) => (d.object === null ? [] : [d.object])));
  const named = columnsNamedByOthers(files);
  return {
    objects: files.map((file) => {
      const decision = decisions.get(file.file) as FileObjects;
      return proposeObject(withDecidedObjects(file, decisions), decision, options, {
        present,
        namedByOthers: named.get(file.file),
      });
    }),
  };
}

/** Per file, its columns whose values other files' columns hold (≥ 95%): what they call its rows by. */
function columnsNamedByOthers(files: readonly ExtractedFile[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of files) {
    for (const column of file.columns) {
      for (const ref of column.references) {
        if (ref.file === file.file || ref.byKey !== false || ref.overlap < 0.95 || !ref.column) continue;
        const columns = out.get(ref.file) ?? new Set<string>();
        columns.add(ref.column);
        out.set(ref.file, columns);
      }
    }
  }
  return out;
}

/** The file as decided: its object, and its references naming the objects their files were decided to hold. */
function withDecidedObjects(file: ExtractedFile, decisions: ReadonlyMap<string, FileObjects>): ExtractedFile {
  const decision = decisions.get(file.file);
  return {
    ...file,
    detection: decision
      ? { object: decision.object, confidence: decision.confidence, reason: decision.reason }
      : file.detection,
    columns: file.columns.map((column) =>
      column.references.length === 0
        ? column
        : {
            ...column,
            references: column.references.map((ref) => ({
              ...ref,
              object: decisions.get(ref.file)?.object ?? ref.object,
            })),
          },
    ),
  };
}

function proposeObject(
  file: ExtractedFile,
  decision: FileObjects,
  options: ProposeOptions,
  exportWide: { present: ReadonlySet<BackdocketObject>; namedByOthers: ReadonlySet<string> | undefined },
): ObjectProposal {
  const { present, namedByOthers } = exportWide;
  const { object } = decision;
  const confidence = decision.confidence;
  const reason = decision.reason;
  // A file left for a person, or decided with little confidence, shows what else it could be.
  const candidates =
    object === null || confidence < 0.75
      ? decision.candidates.map((c) => ({ object: c.object, confidence: c.confidence, reason: c.reason }))
      : undefined;
  if (object === null) {
    return {
      file: file.file,
      object: null,
      entity: null,
      confidence: round(confidence),
      reason: reason || 'not a BackDocket object Ferry recognises',
      keyColumn: file.keyColumn,
      ...(candidates ? { candidates } : {}),
      fields: file.columns.map((column) => ({
        column: column.name,
        target: null,
        confidence: 0,
        reason: 'file not recognised: choose its object first',
      })),
    };
  }
  const entity = ENTITY_FOR_OBJECT[object];
  if (entity === null) {
    return {
      file: file.file,
      object,
      entity: null,
      confidence: round(confidence),
      reason,
      keyColumn: file.keyColumn,
      fields: file.columns.map((column) => ({
        column: column.name,
        target: null,
        confidence: MAX_CONFIDENCE,
        reason: `${object} has nothing writable in Pipedrive; listed in the rebuild reference`,
      })),
    };
  }
  return {
    file: file.file,
    object,
    entity,
    confidence: round(confidence),
    reason,
    keyColumn: file.keyColumn,
    ...(candidates ? { candidates } : {}),
    fields: proposeFields({ file, object, entity, options, present, namedByOthers }),
  };
}

interface FieldContext {
  readonly file: ExtractedFile;
  readonly object: BackdocketObject;
  readonly entity: PipedriveEntity;
  readonly options: ProposeOptions;
  /** Objects some file of the export holds (decided together). */
  readonly present?: ReadonlySet<BackdocketObject>;
  /** Columns of the file whose values other files name its rows by. */
  readonly namedByOthers?: ReadonlySet<string> | undefined;
}

function proposeFields(context: FieldContext): FieldProposal[] {
  const unplaced = new Set<string>();
  const essential = withEssentialFields({
    file: context.file,
    object: context.object,
    fields: assignFields(context, unplaced),
    unplaced,
    ...(context.namedByOthers ? { namedByOthers: context.namedByOthers } : {}),
  });
  const fields = withCreationDate({
    file: context.file,
    object: context.object,
    fields: essential,
    unplaced,
  });
  return FOLDED_OBJECTS.has(context.object) ? fields.map(rolledUp) : fields;
}

/** Objects whose rows fold into their claim's deal: several rows give one deal field. */
const FOLDED_OBJECTS: ReadonlySet<BackdocketObject> = new Set([
  'claim_contact',
  'claim_staff',
  'billing_entry',
]);

/**
 * A deal field fed by several folded rows holds what they add up to: the last date or yes/no (one value
 * fits the field), the sum of amounts, or the list of the others' values as text (a list is not an option
 * of an enum field).
 */
function rolledUp(field: FieldProposal): FieldProposal {
  if (!field.target?.startsWith('deal.custom:') || field.transform?.rollup) return field;
  const kind = field.transform?.kind;
  if (kind === 'date' || kind === 'datetime' || kind === 'boolean')
    return { ...field, transform: { ...field.transform, kind, rollup: 'last' } };
  if (kind === 'money' || kind === 'number' || kind === 'hours') return field;
  const { options: _options, ...rest } = field;
  return {
    ...rest,
    fieldType: 'text',
    transform: { ...(field.transform ?? { kind: 'text' }), rollup: 'list' },
  };
}

/** Proposes a field per column; `unplaced` collects the columns no concept placed (a header-named field or nothing). */
function assignFields(context: FieldContext, unplaced: Set<string>): FieldProposal[] {
  const { file, object, options } = context;
  const catalogue = CATALOGUE[object];
  const abstainBelow = options.abstainBelow ?? DEFAULT_ABSTAIN;
  const decided = new Map<string, FieldProposal>();
  const ranked = new Map<string, Candidate[]>();

  for (const column of file.columns) {
    const candidates = rankCandidates(column, context, catalogue);
    const decoy = decoyReason(column, file.keyColumn, candidates[0]?.score ?? 0);
    if (decoy) {
      decided.set(column.name, {
        column: column.name,
        target: null,
        confidence: decoy.confidence,
        reason: decoy.reason,
        decoy: true,
      });
      continue;
    }
    ranked.set(column.name, candidates);
  }

  // One-to-one per file: best (column, concept) pairs first; multi-valued targets take several columns.
  const pairs: { column: ColumnProfile; candidate: Candidate }[] = [];
  for (const column of file.columns) {
    for (const candidate of ranked.get(column.name) ?? []) {
      if (candidate.score >= abstainBelow) pairs.push({ column, candidate });
    }
  }
  pairs.sort((a, b) => b.candidate.score - a.candidate.score || a.column.index - b.column.index);
  const takenBy = new Map<string, string>();
  for (const { column, candidate } of pairs) {
    if (decided.has(column.name)) continue;
    const slot = candidate.concept?.id ?? `target:${candidate.target}`;
    const multi = candidate.concept?.multi ?? false;
    const holder =
      takenBy.get(slot) ?? (candidate.target ? takenBy.get(`target:${candidate.target}`) : undefined);
    if (holder && !multi) {
      // 'Company Name' after 'Company ID' gave the link: it is a duplicate, not a lesser field.
      if (
        candidate === ranked.get(column.name)?.[0] &&
        candidate.concept?.ifTaken === null &&
        !namesOtherRows(column, profileOf(file, holder))
      ) {
        decided.set(column.name, {
          column: column.name,
          target: null,
          confidence: round(candidate.score * 0.9),
          reason: `${candidate.reason}; '${holder}' already gives ${candidate.target}`,
        });
      }
      continue;
    }
    if (candidate.target) takenBy.set(`target:${candidate.target}`, column.name);
    takenBy.set(slot, column.name);
    decided.set(column.name, fieldFrom(column, candidate, context));
  }

  return file.columns.map((column) => {
    const done = decided.get(column.name);
    if (done) return done;
    const candidates = ranked.get(column.name) ?? [];
    const best = candidates[0];
    // Lost its concept to a better column: the concept says what a runner-up becomes.
    if (best?.concept && best.score >= abstainBelow) {
      const winner =
        takenBy.get(best.concept.id) ?? (best.target ? takenBy.get(`target:${best.target}`) : undefined);
      const otherRows = namesOtherRows(column, profileOf(file, winner));
      if (best.concept.ifTaken !== undefined && best.concept.ifTaken === null && !otherRows) {
        return {
          column: column.name,
          target: null,
          confidence: round(best.score * 0.9),
          reason: `${best.reason}; '${winner}' already gives ${best.target}`,
        };
      }
      const next = candidates.find(
        (c) =>
          c !== best &&
          c.score >= abstainBelow &&
          !takenBy.has(c.concept?.id ?? `target:${c.target}`) &&
          !(c.target && takenBy.has(`target:${c.target}`)),
      );
      if (next) return fieldFrom(column, next, context);
      const dated = dateOfTaken({ column, best, winner, catalogue, taken: takenBy });
      if (dated) return fieldFrom(column, dated, context);
      // A second column naming the same concept ('Billing Phone' after 'Main Phone') is its own field, as
      // is a second column naming other rows of the same parent (a case manager beside the attorney).
      const own = fallbackField(column, context, catalogue);
      const why = otherRows
        ? `names other rows of the same ${best.concept.link ?? 'parent'} file than '${winner}': a role of its own`
        : `'${winner}' already gives ${best.target}`;
      return { ...own, reason: `${own.reason}; ${why}` };
    }
    if (best && best.score >= NOISE) {
      return {
        column: column.name,
        target: null,
        confidence: round(best.score),
        reason: `uncertain: ${best.reason}`,
        candidate: best.target ? { target: best.target, confidence: round(best.score) } : undefined,
      };
    }
    unplaced.add(column.name);
    return fallbackField(column, context, catalogue);
  });
}

/**
 * A column of dates named like a field another column gives ('Status sinds', 'Phase Date' beside the
 * status) is that field's date, when the catalogue has one ('status date'): the values say it is a date,
 * the header says of what.
 */
function dateOfTaken(input: {
  readonly column: ColumnProfile;
  readonly best: Candidate;
  readonly winner: string | undefined;
  readonly catalogue: ObjectCatalogue;
  readonly taken: ReadonlyMap<string, string>;
}): Candidate | undefined {
  const { column, best, winner, catalogue, taken } = input;
  const concept = best.concept;
  if (!concept || (concept.kinds ?? []).some((k) => k === 'date' || k === 'datetime')) return undefined;
  if (dominantShare(column, ['date', 'datetime']) < 0.9) return undefined;
  const named = new Set(concept.aliases.map((alias) => alias.split(' ').sort().join(' ')));
  const dateOf = catalogue.concepts.find(
    (other) =>
      other.target !== null &&
      (other.kinds ?? []).includes('date') &&
      !taken.has(other.id) &&
      !taken.has(`target:${other.target}`) &&
      other.aliases.some((alias) => {
        const words = alias.split(' ');
        return (
          words.includes('date') &&
          named.has(
            words
              .filter((w) => w !== 'date')
              .sort()
              .join(' '),
          )
        );
      }),
  );
  if (!dateOf) return undefined;
  return {
    target: dateOf.target,
    score: 0.72,
    reason: `'${column.originalName || column.name}' holds dates and is named like '${winner}' (${best.target}): its date`,
    concept: dateOf,
  };
}

function profileOf(file: ExtractedFile, column: string | undefined): ColumnProfile | undefined {
  return column === undefined ? undefined : file.columns.find((c) => c.name === column);
}

/**
 * Whether two columns name rows of one parent the same way (both the staff's names, both company ids)
 * without copying each other: then they name different rows (an attorney and a case manager), two
 * relations, not one written twice ('Company Name' beside 'Company ID' names the same row another way).
 */
function namesOtherRows(column: ColumnProfile, other: ColumnProfile | undefined): boolean {
  if (!other || column.duplicateOf === other.name || other.duplicateOf === column.name) return false;
  const same = (a: ColumnReference, b: ColumnReference) =>
    a.file === b.file && a.column !== undefined && a.column === b.column;
  return column.references.some(
    (ref) =>
      ref.overlap >= 0.95 && other.references.some((theirs) => theirs.overlap >= 0.95 && same(ref, theirs)),
  );
}

function fieldFrom(column: ColumnProfile, candidate: Candidate, context: FieldContext): FieldProposal {
  const concept = candidate.concept;
  const target = candidate.target;
  if (target === null) {
    return {
      column: column.name,
      target: null,
      confidence: round(candidate.score),
      reason: `${candidate.reason}; not migrated: ${concept?.why ?? 'no place in Pipedrive'}`,
    };
  }
  const transform = refineTransform(concept?.transform, column, context);
  const isCustom = target.includes('.custom:');
  const fieldType = isCustom
    ? (concept?.fieldType ?? inferFieldType(column, context.file.rowCount).type)
    : undefined;
  const options =
    fieldType === 'enum' || fieldType === 'set'
      ? optionsFor(column, context, fieldType, transform)
      : undefined;
  return {
    column: column.name,
    target,
    confidence: round(candidate.score),
    reason: candidate.reason,
    ...(fieldType ? { fieldType } : {}),
    ...(options ? { options } : {}),
    ...(transform ? { transform } : {}),
  };
}

function fallbackField(
  column: ColumnProfile,
  context: FieldContext,
  catalogue: ObjectCatalogue,
): FieldProposal {
  if (catalogue.fallback === 'null') {
    return {
      column: column.name,
      target: null,
      confidence: 0.8,
      reason: `'${column.originalName}' has no standard place: ${catalogue.fallbackWhy ?? 'not migrated'}`,
    };
  }
  const inferred = inferFieldType(column, context.file.rowCount);
  const name = prettyFieldName(column.originalName || column.name);
  const target = `${context.entity}.custom:${name}`;
  const options =
    inferred.type === 'enum' || inferred.type === 'set'
      ? optionsFor(column, context, inferred.type, inferred.transform)
      : undefined;
  // A custom field named after the header is what a person would do by hand, hence the middling confidence.
  // Evidence is weak (no concept matched): it stays below 0.75, the band a person may skim past.
  const confidence = 0.6 + 0.1 * Math.min(1, column.fillRate * 2);
  return {
    column: column.name,
    target,
    confidence: round(confidence),
    reason: `no standard field matches '${column.originalName}'; kept as a new ${inferred.type} custom field (${inferred.why})`,
    fieldType: inferred.type,
    ...(options ? { options } : {}),
    ...(inferred.transform ? { transform: inferred.transform } : {}),
  };
}

/**
 * Columns that are not business data, by evidence: empty everywhere, a copy of another column, a row
 * counter, the export's own time stamps, one constant value nothing names, row versions, GUIDs nothing
 * points at and that point at nothing. Header words (sync token, row version …) are a weaker prior.
 */
function decoyReason(
  column: ColumnProfile,
  keyColumn: string | null,
  bestScore: number,
): { reason: string; confidence: number } | undefined {
  if (column.name === keyColumn) return undefined;
  const name = column.originalName || column.name;
  if (column.fillRate === 0) return { reason: `'${name}' is empty in every row`, confidence: 0.97 };
  if (column.duplicateOf)
    return { reason: `'${name}' repeats '${column.duplicateOf}' value for value`, confidence: 0.92 };
  const linked = column.references.some((r) => r.overlap >= 0.95);
  switch (column.artefact) {
    case 'counter':
      if (!linked)
        return { reason: `'${name}' numbers the rows 1, 2, 3 …: their position, not data`, confidence: 0.92 };
      break;
    case 'stamp':
      return {
        reason: `'${name}' holds the export's own time stamps (all within a day), not data`,
        confidence: 0.9,
      };
    case 'row_version':
      return { reason: `'${name}' holds row-version stamps, not business data`, confidence: 0.93 };
    case 'constant':
      // One value in every row says nothing of any record, unless the header names a field outright.
      if (bestScore < 0.9) return { reason: `'${name}' holds one value in every row`, confidence: 0.9 };
      break;
  }
  const header = normaliseHeader(name);
  const samples = column.samples.filter((s) => s.trim() !== '');
  const guidShare = samples.length ? samples.filter((s) => GUID.test(s.trim())).length / samples.length : 0;
  const hexShare = samples.length
    ? samples.filter((s) => HEX_VERSION.test(s.trim())).length / samples.length
    : 0;
  if (guidShare >= 0.8 && !linked)
    return { reason: `'${name}' holds internal GUIDs that no other file points at`, confidence: 0.93 };
  if (hexShare >= 0.8)
    return { reason: `'${name}' holds row-version stamps, not business data`, confidence: 0.93 };
  if (!linked && (DECOY_HEADER.test(header) || /^_|_$/.test(column.originalName.trim()))) {
    return { reason: `'${name}' looks like a system column (internal id or version)`, confidence: 0.9 };
  }
  return undefined;
}

/** Scores every concept of the object's catalogue (plus reference- and value-only candidates). */
export function rankCandidates(
  column: ColumnProfile,
  context: Pick<FieldContext, 'file' | 'object' | 'entity' | 'present'>,
  catalogue: ObjectCatalogue = CATALOGUE[context.object],
): Candidate[] {
  const header = column.originalName || column.name;
  const tokens = stripFilePrefix(headerTokens(header), filePrefix(context.file));
  const stripped = stripSelfWords(tokens, catalogue.selfWords);
  const variants = [tokens];
  if (stripped.length > 0 && stripped.length < tokens.length) variants.push(stripped);
  // 'Home #' holding phone numbers is a home phone.
  if (kindShare(column, 'phone') >= 0.9 && tokens.includes('number')) {
    variants.push(tokens.map((t) => (t === 'number' ? 'phone' : t)));
  }
  const idLikeValues =
    dominantShare(column, ['integer', 'id']) >= 0.8 ||
    /\b(id|number|key|guid|reference)\b/.test(tokens.join(' '));
  // A key of short codes (a fee earner's initials, keyed so because other files name the rows by them)
  // is as much the file's key as a number.
  const isKey = column.name === context.file.keyColumn && (idLikeValues || isCodeColumn(column));
  // The file's own id is its key: another column naming it ('SRA ID' beside the initials) is not.
  const keyedElsewhere = context.file.keyColumn !== null && column.name !== context.file.keyColumn;
  const selfWords = new Set(catalogue.selfWords.flatMap((w) => normaliseHeader(w).split(' ')));
  const candidates: Candidate[] = [];
  const pointsAt = linkReferences(column, context);
  const keyLink = pointsAt.find((r) => r.byKey !== false);

  for (const concept of catalogue.concepts) {
    let best = 0;
    let bestAlias = '';
    for (const alias of concept.aliases) {
      const aliasTokens = alias.split(' ');
      for (const [index, variant] of variants.entries()) {
        let score = headerScore(variant, aliasTokens) * (index === 0 ? 1 : 0.97);
        // Extra words naming another party change the subject: 'Company Name' is not the person's name.
        const extras = variant.filter((t) => !aliasTokens.some((a) => nearlyEqual(a, t)));
        if (extras.some((t) => QUALIFIERS.has(t) && !selfWords.has(t) && !linkWords(concept).has(t)))
          score *= 0.45;
        if (score > best) {
          best = score;
          bestAlias = alias;
        }
      }
    }
    const ownKey = isKey && concept.link === context.object;
    if (ownKey) {
      best = Math.max(best, 0.9);
      bestAlias ||= 'the export key';
    }
    if (best < 0.25) continue;
    const headerWhy = ownKey ? `'${header}' is the file's key` : `header '${header}' ≈ ${bestAlias}`;
    const kind = kindFactor(column, concept);
    const ref = referenceFactor(column, concept, context.object);
    let score = best * kind.factor * ref.factor;
    if (ownKey) score = Math.max(score, MAX_CONFIDENCE);
    else if (isKey) score *= 0.85;
    else if (keyedElsewhere && concept.link === context.object && concept.target?.includes('.ref:'))
      score *= 0.6;
    // Values that are another file's keys outweigh a header that names something else.
    const yields = keyLink && concept.link !== keyLink.object && !ownKey;
    if (yields) score *= 0.85;
    const why = [headerWhy, kind.why, ref.why, yields ? `but values are ${keyLink.object} keys` : '']
      .filter(Boolean)
      .join('; ');
    candidates.push({ target: concept.target, score: Math.min(MAX_CONFIDENCE, score), reason: why, concept });
  }

  // Values alone: a column whose values are found among another file's keys (or its unique names or
  // numbers) points at that file's rows, whatever its header says.
  for (const reference of pointsAt) {
    const target = linkTarget(context.entity, reference.object);
    // Only links the object's rows can carry: a ledger line's payee is not its deal's organization.
    if (!target || !catalogue.concepts.some((c) => c.target === target)) continue;
    const byKey = reference.byKey !== false;
    const score = byKey ? 0.95 : 0.86;
    if (candidates.some((c) => c.target === target && c.score >= score)) continue;
    candidates.push({
      target,
      score,
      reason: `${pct(reference.overlap)} of values are ${reference.object} ${byKey ? 'keys' : `${reference.column ?? 'values'}`} in ${reference.file}`,
      concept: referenceConcept(target, reference.object),
    });
  }

  // Values alone: a column of e-mails or phones with an unhelpful header.
  for (const kind of ['email', 'phone'] as const) {
    const share = kindShare(column, kind);
    if (share < 0.9) continue;
    const concept = catalogue.concepts.find((c) => c.kinds?.length === 1 && c.kinds[0] === kind && c.target);
    if (!concept || candidates.some((c) => c.concept === concept && c.score >= 0.5)) continue;
    candidates.push({
      target: concept.target,
      score: 0.5,
      reason: `${pct(share)} of values are ${KIND_WORDS[kind]}, but the header '${header}' does not say so`,
      concept,
    });
  }

  // Values alone: web addresses are the one web address the object has a place for (a website), at a
  // confidence a person reviews; unlike e-mails and phones, a record rarely has two.
  const urls = kindShare(column, 'url');
  const urlConcept = catalogue.concepts.find(
    (c) => c.kinds?.length === 1 && c.kinds[0] === 'url' && c.target,
  );
  if (urls >= 0.9 && urlConcept && !candidates.some((c) => c.concept === urlConcept && c.score >= 0.6)) {
    candidates.push({
      target: urlConcept.target,
      score: 0.6,
      reason: `${pct(urls)} of values are web addresses, though the header '${header}' does not say so`,
      concept: urlConcept,
    });
  }

  // Values alone: relative file paths ('files/20000/Medical Records/ER.pdf') are where a document is stored.
  const paths = pathShare(column);
  const pathConcept = catalogue.concepts.find((c) => c.target !== null && c.aliases.includes('path'));
  if (pathConcept && paths >= 0.9 && !candidates.some((c) => c.concept === pathConcept && c.score >= 0.5)) {
    candidates.push({
      target: pathConcept.target,
      score: 0.68,
      reason: `${pct(paths)} of values are file paths, but the header '${header}' does not say so`,
      concept: pathConcept,
    });
  }

  candidates.push(...relatedCandidates(column, context, header));
  const ranked = withHonorifics(column, catalogue, candidates, header);
  // At equal scores the concept whose declared kinds the values have wins: 'Created' holding dates is the
  // creation date, not 'created by' (whose 'by' the header reading drops).
  const typed = (c: Candidate) =>
    c.concept?.kinds?.length && kindFactor(column, c.concept).factor >= 1 ? 1 : 0;
  ranked.sort((a, b) => b.score - a.score || typed(b) - typed(a));
  return ranked;
}

/** Forms of address in English and Spanish, without their dots ('Mrs.', 'Lic.', 'Dra.'). */
const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'rev',
  'hon',
  'sir',
  'sr',
  'sra',
  'srta',
  'dra',
  'lic',
  'lcda',
  'lcdo',
  'ing',
  'mtro',
  'mtra',
  'don',
  'dona',
]);

/** Share of a column's sampled values that are forms of address. */
function honorificShare(column: ColumnProfile): number {
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  if (samples.length === 0) return 0;
  const isHonorific = (s: string) =>
    HONORIFICS.has(
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/\.$/, '')
        .toLowerCase(),
    );
  return samples.filter(isHonorific).length / samples.length;
}

/**
 * Values alone: a column of forms of address ('Ms.', 'Lic.') is the name's prefix, whatever its header
 * says ('Título' reads like a job title); a text field of another kind is worth less.
 */
function withHonorifics(
  column: ColumnProfile,
  catalogue: ObjectCatalogue,
  candidates: Candidate[],
  header: string,
): Candidate[] {
  const share = honorificShare(column);
  const prefix = catalogue.concepts.find((c) => c.target !== null && c.aliases.includes('prefix'));
  if (!prefix || share < 0.8) return candidates;
  const out = candidates.map((c) =>
    c.concept === prefix || c.target === null
      ? c
      : {
          ...c,
          score: c.score * 0.5,
          reason: `${c.reason}; but ${pct(share)} of values are forms of address`,
        },
  );
  if (!out.some((c) => c.concept === prefix && c.score >= 0.8)) {
    out.push({
      target: prefix.target,
      score: 0.8,
      reason: `${pct(share)} of values are forms of address (Mr., Ms., Dr. …), whatever the header '${header}' says`,
      concept: prefix,
    });
  }
  return out;
}

/**
 * Objects whose columns may ride along in another object's file when they have no file of their own (a
 * case list carrying each client's details), with the words that name them in headers ('Client Email').
 */
const RELATED: Readonly<
  Partial<Record<BackdocketObject, readonly { object: BackdocketObject; words: readonly string[] }[]>>
> = {
  claim: [{ object: 'contact', words: ['client', 'claimant', 'plaintiff', 'customer', 'contact'] }],
  contact: [
    { object: 'company', words: ['company', 'employer', 'organization', 'organisation', 'account', 'firm'] },
  ],
};

/**
 * Candidates from a related object's catalogue, for a column named after that object ('Client First Name'
 * in a case list), when no file of the export holds that object: the file carries it, to be split out.
 */
function relatedCandidates(
  column: ColumnProfile,
  context: Pick<FieldContext, 'file' | 'object' | 'present'>,
  header: string,
): Candidate[] {
  const out: Candidate[] = [];
  const tokens = stripFilePrefix(headerTokens(header), filePrefix(context.file));
  for (const related of RELATED[context.object] ?? []) {
    if (!context.present || context.present.has(related.object)) continue;
    const word = related.words.find((w) => tokens[0] === w || tokens.at(-1) === w);
    if (!word) continue;
    // The object's word alone beside a column of its ids ('Employer' by 'Employer Id': the id already
    // gives the link) is what the row calls that object: its name.
    const alone = tokens.length === 1 && hasIdColumnOf(context.file, word, column);
    const rest = alone ? ['name'] : tokens[0] === word ? tokens.slice(1) : tokens.slice(0, -1);
    if (rest.length === 0) continue;
    for (const concept of CATALOGUE[related.object].concepts) {
      // Its own keys and links stay with the file's own columns ('Client ID' is the deal's person).
      if (concept.target === null || concept.link) continue;
      let best = 0;
      let alias = '';
      for (const candidate of concept.aliases) {
        const score = headerScore(rest, candidate.split(' '));
        if (score > best) {
          best = score;
          alias = candidate;
        }
      }
      if (best < 0.8) continue;
      const kind = kindFactor(column, concept);
      const score = Math.min(MAX_CONFIDENCE, best * 0.95 * kind.factor);
      out.push({
        target: concept.target,
        score,
        reason: [`header '${header}' ≈ ${word} ${alias}: the ${related.object} carried on each row`, kind.why]
          .filter(Boolean)
          .join('; '),
        concept,
      });
    }
  }
  return out;
}

const ID_WORDS: ReadonlySet<string> = new Set(['id', 'key', 'number', 'no', 'nbr', 'ref', 'code', 'guid']);

/** Whether another column of the file is the word with an id word ('Employer Id', 'ID Empresa'). */
function hasIdColumnOf(file: ExtractedFile, word: string, except: ColumnProfile): boolean {
  return file.columns.some((other) => {
    if (other === except) return false;
    const tokens = headerTokens(other.originalName || other.name);
    return tokens.length === 2 && tokens.includes(word) && tokens.some((t) => ID_WORDS.has(t));
  });
}

/** References to another object's rows that a column of this entity can link with (≥95% found). */
function linkReferences(
  column: ColumnProfile,
  context: Pick<FieldContext, 'object' | 'entity'>,
): (ColumnReference & { readonly object: BackdocketObject })[] {
  return column.references
    .filter(
      (r): r is ColumnReference & { readonly object: BackdocketObject } =>
        r.object !== null &&
        r.overlap >= 0.95 &&
        r.object !== context.object &&
        linkTarget(context.entity, r.object) !== undefined,
    )
    .sort((a, b) => Number(b.byKey !== false) - Number(a.byKey !== false) || b.overlap - a.overlap);
}

/** The field of `entity` that links to a row of `object` (`deal` → contact: `deal.person_id`). */
function linkTarget(entity: PipedriveEntity, object: BackdocketObject): string | undefined {
  if (!LINKABLE.has(object)) return undefined;
  return LINK_FIELD[entity]?.[object] ?? `${entity}.ref:${object}`;
}

const LINKABLE: ReadonlySet<BackdocketObject> = new Set(['contact', 'company', 'claim', 'staff']);
const referenceConcepts = new Map<string, Concept>();

/** A concept standing for "the link to that object" (a second column giving the same link is not migrated). */
function referenceConcept(target: string, object: BackdocketObject): Concept {
  let concept = referenceConcepts.get(target);
  if (!concept) {
    concept = { id: `reference:${target}`, target, aliases: [], link: object, ifTaken: null };
    referenceConcepts.set(target, concept);
  }
  return concept;
}

/** Words that name a party or record: as an extra word they make a header about something else. */
const QUALIFIERS = new Set([
  'company',
  'organization',
  'employer',
  'account',
  'firm',
  'parent',
  'claim',
  'matter',
  'staff',
  'attorney',
  'client',
  'contact',
  'person',
  'caller',
  'injured',
  'referral',
  'referred',
  'opposing',
  'defendant',
  'carrier',
  'court',
  'template',
  'document',
  'event',
  'task',
  'intake',
  'adjuster',
  'provider',
  'payee',
]);

const linkWordCache = new Map<Concept, Set<string>>();

/** Words naming the object a link concept points at ('Client Person ID' is still about the client). */
function linkWords(concept: Concept): ReadonlySet<string> {
  let words = linkWordCache.get(concept);
  if (!words) {
    words = new Set(
      concept.link ? CATALOGUE[concept.link].selfWords.flatMap((w) => normaliseHeader(w).split(' ')) : [],
    );
    linkWordCache.set(concept, words);
  }
  return words;
}

/** Targets that can hold a yes/no value without saying so in their kinds (enum fields, value maps). */
function isFlagTarget(concept: Concept): boolean {
  return (
    concept.target === null ||
    concept.fieldType === 'enum' ||
    concept.transform?.kind === 'boolean' ||
    concept.transform?.kind === 'value_map'
  );
}

/**
 * The column's value kinds, with yes/no read in all its spellings: 1/0 and Active/Inactive/Former columns
 * count as yes/no (the boolean transform reads them), which the per-value profile calls numbers or text.
 */
function valueKinds(column: ColumnProfile): readonly KindShare[] {
  const samples = column.samples.filter((s) => s.trim() !== '');
  if (
    samples.length > 0 &&
    column.distinctCount <= 4 &&
    column.kinds[0]?.kind !== 'boolean' &&
    samples.every((s) => isBooleanWord(s))
  ) {
    return [{ kind: 'boolean', share: 1 }];
  }
  return column.kinds;
}

/** Every sampled value one short token of letters or digits (`SHA`, `jkowalski`): codes, not names. */
function isCodeColumn(column: ColumnProfile): boolean {
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  return samples.length > 0 && samples.every((s) => /^[\p{L}\d][\p{L}\d._-]{0,11}$/u.test(s));
}

function kindShare(column: ColumnProfile, kind: ValueKind): number {
  return column.kinds.find((k) => k.kind === kind)?.share ?? 0;
}

function dominantShare(column: ColumnProfile, kinds: readonly ValueKind[]): number {
  return column.kinds.filter((k) => kinds.includes(k.kind)).reduce((sum, k) => sum + k.share, 0);
}

const TEXTUAL_FIELDS = /\.(name|first_name|last_name|title|subject|job_title)$/;

function kindFactor(column: ColumnProfile, concept: Concept): { factor: number; why: string } {
  const kinds = valueKinds(column);
  const dominant = kinds[0];
  if (!dominant) return { factor: 1, why: '' };
  const yesNo = dominant.kind === 'boolean' && dominant.share >= 0.9;
  // A flag named after an identifier ('Photo ID', 'Has Tax ID' holding Y/N) is a flag, not that field.
  if (yesNo && !(concept.kinds ?? []).includes('boolean') && !isFlagTarget(concept)) {
    return { factor: 0.3, why: `but ${pct(dominant.share)} of values are yes/no values` };
  }
  if (concept.kinds && concept.kinds.length > 0) {
    const family = new Set(concept.kinds.flatMap((k) => KIND_FAMILY[k]));
    const compatible = kinds.filter((k) => family.has(k.kind)).reduce((sum, k) => sum + k.share, 0);
    const lead = concept.kinds[0]!;
    if (compatible >= 0.8) {
      const strong = ['email', 'phone', 'date', 'datetime', 'money', 'percent', 'boolean', 'url'].includes(
        lead,
      );
      return {
        factor: strong ? 1.05 : 1,
        why: strong ? `${pct(compatible)} of values are ${KIND_WORDS[lead]}` : '',
      };
    }
    if (compatible < 0.3 && dominant.share >= 0.6 && dominant.kind !== 'text') {
      return {
        factor: 0.45,
        why: `but ${pct(dominant.share)} of values are ${KIND_WORDS[dominant.kind]}, not ${KIND_WORDS[lead]}`,
      };
    }
    // A yes/no field cannot take words that are not yes or no (a Status of Partner/Associate).
    if (compatible < 0.3 && lead === 'boolean')
      return { factor: 0.35, why: `only ${pct(compatible)} of values are ${KIND_WORDS[lead]}` };
    if (compatible < 0.3 && ['email', 'phone', 'date', 'money'].includes(lead)) {
      return { factor: 0.6, why: `only ${pct(compatible)} of values are ${KIND_WORDS[lead]}` };
    }
    // A name column can stand in for a missing id column, but an id column is the better link; unless
    // the names are what the other file's rows are known by.
    const named = column.references.some((r) => r.object === concept.link && r.overlap >= 0.95);
    if (concept.link && compatible < 0.3 && !named) return { factor: 0.7, why: 'values are names, not keys' };
    if (concept.link && compatible < 0.3) return { factor: 1, why: '' };
    // Numbers and codes are not written in words: 'Case' holding case names is not the case number.
    if ((lead === 'id' || lead === 'integer') && dominant.kind === 'text' && dominant.share >= 0.6)
      return { factor: 0.6, why: `but ${pct(dominant.share)} of values are words, not ${KIND_WORDS[lead]}` };
    return { factor: 0.9, why: `${pct(compatible)} of values are ${KIND_WORDS[lead]}` };
  }
  // A long-text field wants long text; a short caption is a title, not a description.
  if (concept.fieldType === 'text' && dominant.kind === 'text' && column.maxLength <= 60)
    return { factor: 0.85, why: 'but the values are short' };
  if (concept.target === 'deal.title' && column.maxLength > 255)
    return { factor: 0.5, why: 'but the values are too long for a title' };
  const textual =
    concept.target !== null && (TEXTUAL_FIELDS.test(concept.target) || /\.custom:/.test(concept.target));
  if (textual && ['email', 'phone'].includes(dominant.kind) && dominant.share >= 0.8) {
    return { factor: 0.55, why: `but ${pct(dominant.share)} of values are ${KIND_WORDS[dominant.kind]}` };
  }
  return { factor: 1, why: '' };
}

function referenceFactor(
  column: ColumnProfile,
  concept: Concept,
  object: BackdocketObject,
): { factor: number; why: string } {
  if (!concept.link || concept.link === object || column.references.length === 0)
    return { factor: 1, why: '' };
  const own = column.references.find((r) => r.object === concept.link);
  // Keys are the better link; names the other file's rows are known by are a link too, a weaker one.
  if (own && own.overlap >= 0.8 && own.byKey !== false) {
    return { factor: 1.06, why: `${pct(own.overlap)} of values are ${concept.link} keys` };
  }
  if (own && own.overlap >= 0.95) {
    return { factor: 0.9, why: `${pct(own.overlap)} of values are ${concept.link} ${own.column ?? 'names'}` };
  }
  const other = column.references.find((r) => r.object !== concept.link && r.overlap >= 0.95);
  if (other && (!own || own.overlap < 0.3)) {
    return { factor: 0.85, why: `but values match ${other.object} keys` };
  }
  return { factor: 1, why: '' };
}

function refineTransform(
  transform: TransformSpec | undefined,
  column: ColumnProfile,
  context: FieldContext,
): TransformSpec | undefined {
  if (!transform) return undefined;
  const { options } = context;
  if (transform.kind === 'date' || transform.kind === 'datetime') {
    const formats = column.kinds
      .filter((k) => (k.kind === 'date' || k.kind === 'datetime') && k.format)
      .map((k) => k.format!);
    return formats.length > 0 && !transform.formats
      ? { ...transform, formats: [...new Set(formats)] }
      : transform;
  }
  if (transform.kind === 'phone' && options.defaultPhoneRegion && !transform.region) {
    return { ...transform, region: options.defaultPhoneRegion, ...phoneLabel(column) };
  }
  if (transform.kind === 'phone') return { ...transform, ...phoneLabel(column) };
  if (transform.kind === 'money' && options.defaultCurrency && !transform.currency) {
    return { ...transform, currency: options.defaultCurrency };
  }
  if (transform.kind === 'split')
    return { ...transform, delimiter: detectDelimiter(column) ?? transform.delimiter };
  return transform;
}

function phoneLabel(column: ColumnProfile): { label?: string } {
  const header = normaliseHeader(column.originalName || column.name);
  if (/\b(mobile|cell)\b/.test(header)) return { label: 'mobile' };
  if (/\bhome\b/.test(header)) return { label: 'home' };
  if (/\b(work|office|business)\b/.test(header)) return { label: 'work' };
  return {};
}

function detectDelimiter(column: ColumnProfile): string | undefined {
  for (const delimiter of [';', '|', ',']) {
    if (column.samples.filter((s) => s.includes(delimiter)).length >= Math.max(1, column.samples.length / 3))
      return delimiter;
  }
  return undefined;
}

/** Pipedrive field type for a column that becomes a new custom field. */
export function inferFieldType(
  column: ColumnProfile,
  rowCount: number,
): { type: CustomFieldType; transform?: TransformSpec; why: string } {
  const dominant = column.kinds[0];
  const share = dominant?.share ?? 0;
  if (dominant && share >= 0.8) {
    switch (dominant.kind) {
      case 'date':
      case 'datetime': {
        const formats = column.kinds.filter((k) => k.format).map((k) => k.format!);
        return {
          type: 'date',
          transform: formats.length ? { kind: 'date', formats } : { kind: 'date' },
          why: `${pct(share)} dates`,
        };
      }
      case 'money':
        return { type: 'monetary', transform: { kind: 'money' }, why: `${pct(share)} amounts` };
      case 'percent':
        return { type: 'double', transform: { kind: 'percent' }, why: `${pct(share)} percentages` };
      case 'number':
        return { type: 'double', transform: { kind: 'number' }, why: `${pct(share)} numbers` };
      case 'integer':
        if (column.maxLength >= 6 || column.distinctCount > rowCount * 0.9)
          return { type: 'varchar', why: 'id-like numbers kept as text' };
        return { type: 'double', transform: { kind: 'number' }, why: `${pct(share)} numbers` };
      case 'phone':
        return { type: 'phone', transform: { kind: 'phone' }, why: `${pct(share)} phone numbers` };
      case 'boolean':
        return { type: 'enum', transform: { kind: 'boolean' }, why: `${pct(share)} yes/no values` };
      default:
        break;
    }
  }
  const delimiter = detectDelimiter(column);
  if (delimiter && delimiter !== ',' && column.maxLength < 255) {
    return { type: 'set', transform: { kind: 'split', delimiter }, why: `lists separated by '${delimiter}'` };
  }
  if (column.maxLength > 255) return { type: 'text', why: 'long text' };
  if (
    column.distinctCount > 0 &&
    column.distinctCount <= 12 &&
    column.distinctCount <= Math.max(3, rowCount / 4)
  ) {
    return { type: 'enum', why: `${column.distinctCount} distinct values` };
  }
  return { type: 'varchar', why: 'short text' };
}

function optionsFor(
  column: ColumnProfile,
  context: FieldContext,
  type: 'enum' | 'set',
  transform: TransformSpec | undefined,
): readonly string[] {
  if (transform?.kind === 'boolean') return ['Yes', 'No'];
  const values = context.options.distinctValues?.(context.file.file, column.name) ?? column.samples;
  const out = new Map<string, string>();
  for (const raw of values) {
    const parts = type === 'set' ? raw.split(transform?.delimiter ?? ';') : [raw];
    for (const part of parts) {
      const value = part.trim().replace(/\s+/g, ' ');
      if (!value) continue;
      const key = value.toLowerCase();
      if (!out.has(key)) out.set(key, value);
    }
  }
  return [...out.values()].sort((a, b) => a.localeCompare(b));
}
