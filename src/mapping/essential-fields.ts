import type { BackdocketObject } from '../core/objects.ts';
import type { ColumnProfile, ExtractedFile } from '../source/model.ts';
import { headerTokens } from './header-match.ts';
import type { CustomFieldType, FieldProposal, TransformSpec } from './model.ts';
import { nearlyEqual } from './normalise-header.ts';

/**
 * Fields a record cannot do without, found by the shape of the values when no header names them. An
 * organization without a name is not created and a note without a body is empty, so a file whose headers
 * say neither ('Carrier / Provider', 'insurer', 'Journal Entry') would lose every row; the values still
 * say which column it is: the names are the unique short words other files call the rows by (a claim's
 * caption too), the body (of a note, or an activity's note) is the file's long prose. Pure.
 */

type Shape = 'name' | 'prose' | 'date' | 'vocabulary' | 'flag';

interface Essential {
  readonly target: string;
  readonly shape: Shape;
  /** Whether a field already gives it (a note's subject line is not its body). */
  readonly given: (field: FieldProposal) => boolean;
  readonly transform?: TransformSpec;
  readonly fieldType?: CustomFieldType;
}

/** What a row joining claims and people says of the person: the role, a word out of a few. */
const ROLE = (target: string): Essential => ({
  target,
  shape: 'vocabulary',
  given: (f) => f.target === target,
  transform: { kind: 'text', rollup: 'list' },
  fieldType: 'text',
});

/** An activity's long text is its note (Pipedrive activities take no custom fields to hold it otherwise). */
const ACTIVITY_NOTE: Essential = {
  target: 'activity.note',
  shape: 'prose',
  given: (f) => f.target === 'activity.note',
  transform: { kind: 'html' },
};

/** An activity is scheduled on a day: its first date no header placed is that day. */
const ACTIVITY_DATE: Essential = {
  target: 'activity.due_date',
  shape: 'date',
  given: (f) => f.target === 'activity.due_date',
  transform: { kind: 'date' },
};

/**
 * Whether a staff member still works at the firm decides who may own records: a staff list's only yes/no
 * column no header placed ('Vigente', 'Current') says it.
 */
const STAFF_ACTIVE: Essential = {
  target: 'user.active_flag',
  shape: 'flag',
  given: (f) => f.target === 'user.active_flag',
  transform: { kind: 'boolean' },
};

const ESSENTIAL: Partial<Record<BackdocketObject, readonly Essential[]>> = {
  staff: [STAFF_ACTIVE],
  task: [ACTIVITY_NOTE, ACTIVITY_DATE],
  event: [ACTIVITY_NOTE, ACTIVITY_DATE],
  claim_contact: [ROLE('deal.custom:Contact Roles')],
  claim_staff: [ROLE('deal.custom:Staff Roles')],
  company: [{ target: 'organization.name', shape: 'name', given: (f) => f.target === 'organization.name' }],
  // A deal without a title is not created, and with it every note, task and event of the claim: a
  // caption no header names ('Kurzrubrum', 'CASE_CAPTN') is still the short text different in every row.
  claim: [{ target: 'deal.title', shape: 'name', given: (f) => f.target === 'deal.title' }],
  note: [
    {
      target: 'note.content',
      shape: 'prose',
      given: (f) => f.target === 'note.content' && f.transform?.kind !== 'text',
      transform: { kind: 'html', part: 'body' },
    },
  ],
};

/** A name is short; prose is what a person wrote, longer than a caption. */
const NAME_MAX_LENGTH = 120;
const PROSE_MIN_LENGTH = 40;
const VOCABULARY_MAX = 12;
/** A custom field a header gave below this confidence is a loose reading, open to a missing name. */
const LOOSE_CUSTOM = 0.9;

export interface EssentialInput {
  readonly file: ExtractedFile;
  readonly object: BackdocketObject;
  readonly fields: readonly FieldProposal[];
  /**
   * Columns no concept placed (a custom field named after the header, or nothing where the entity takes
   * no custom fields): the only ones taken. A column a concept set aside (a modified date) stays aside.
   */
  readonly unplaced: ReadonlySet<string>;
  /** Columns of this file whose values other files use to name its rows (references by value). */
  readonly namedByOthers?: ReadonlySet<string>;
}

/**
 * The fields with the object's essential field given to the column whose values show it, when no header
 * gave it. Only a column left without a standard place (a custom field named after its header, or nothing)
 * is taken, at a confidence a person reviews.
 * @example withEssentialFields({ file, object: 'company', fields }) // 'insurer' → organization.name
 */
export function withEssentialFields(input: EssentialInput): FieldProposal[] {
  const withCodes = { ...input, fields: withPostalCodes(input) };
  let fields = BY_STRUCTURE[input.object]?.(withCodes) ?? [...withCodes.fields];
  const taken = new Set<string>();
  for (const essential of ESSENTIAL[input.object] ?? []) {
    if (fields.some(essential.given)) continue;
    const column = bestColumn({ ...input, fields }, essential, taken);
    if (!column) continue;
    taken.add(column.name);
    fields = fields.map((field) =>
      field.column === column.name ? essentialField(column, essential, input) : field,
    );
  }
  return fields;
}

const PERSON_NAME_TARGETS: ReadonlySet<string> = new Set([
  'person.first_name',
  'person.last_name',
  'person.name',
]);

/**
 * A person without a name is not created. When no header names one ('CLT_FRST_NM', 'Vorname' misread),
 * other files may still call the contacts by two of their columns joined ('Omar Muñoz' in a claim's
 * client column is 'Omar' + 'Muñoz' here, found by inclusion): the earlier of the two is the given name,
 * the later the family name, as forms and databases order them.
 */
function withPersonNames(input: EssentialInput): FieldProposal[] {
  if (input.fields.some((f) => f.target !== null && PERSON_NAME_TARGETS.has(f.target)))
    return [...input.fields];
  const joined = [...(input.namedByOthers ?? [])]
    .map((name) => name.split(' + '))
    .find(
      (parts): parts is [string, string] =>
        parts.length === 2 &&
        parts.every((part) => input.unplaced.has(part) && part !== input.file.keyColumn),
    );
  if (!joined) return [...input.fields];
  const [given, family] = joined;
  const byName = (column: string, target: string): FieldProposal => ({
    column,
    target,
    confidence: 0.7,
    reason: `no header names the ${target}; other files call these rows by '${given}' + '${family}' joined`,
  });
  return input.fields.map((field) =>
    field.column === given
      ? byName(given, 'person.first_name')
      : field.column === family
        ? byName(family, 'person.last_name')
        : field,
  );
}

/**
 * A status history without its statuses is an empty timeline. When no header names them ('Stage From',
 * 'Stage To' read as nothing), they are the columns whose few values other files use too (the claims'
 * status): the first is the status changed from, the last the status changed to.
 */
function withStatusChanges(input: EssentialInput): FieldProposal[] {
  const given = (f: FieldProposal) =>
    f.target === 'note.content' &&
    f.transform?.kind === 'text' &&
    (f.transform.part === 'from' || f.transform.part === 'to');
  if (input.fields.some(given)) return [...input.fields];
  const statuses = input.file.columns.filter(
    (c) =>
      input.unplaced.has(c.name) &&
      (c.sharesValuesWith?.length ?? 0) > 0 &&
      isVocabulary(c, input.file.rowCount) &&
      kindShare(c, ['text']) >= 0.9,
  );
  if (statuses.length === 0 || statuses.length > 2) return [...input.fields];
  const parts = new Map<string, 'from' | 'to'>(
    statuses.length === 2
      ? [
          [statuses[0]!.name, 'from'],
          [statuses[1]!.name, 'to'],
        ]
      : [[statuses[0]!.name, 'to']],
  );
  return input.fields.map((field) => {
    const part = parts.get(field.column);
    if (!part) return field;
    return {
      column: field.column,
      target: 'note.content',
      confidence: 0.7,
      reason: `no header names the status changed ${part}; '${field.column}' holds the few values other files use for a status`,
      transform: { kind: 'text', part },
    };
  });
}

/** Five digits, or five and four (`77579`, `77579-1234`): a postal code. */
const POSTAL_CODE = /^\d{5}(-\d{4})?$/;

/**
 * Addresses come as a block of neighbouring columns. A column of postal codes no header placed
 * ('cli_PostCode', 'PLZ') beside a part of an address is that address's postal code.
 */
function withPostalCodes(input: EssentialInput): FieldProposal[] {
  const byColumn = new Map(input.fields.map((f) => [f.column, f]));
  const byIndex = new Map(input.file.columns.map((c) => [c.index, c]));
  const zipGiven = new Set(
    input.fields
      .filter((f) => f.transform?.kind === 'address' && f.transform.part === 'zip')
      .map((f) => f.target),
  );
  const out = new Map<string, FieldProposal>();
  for (const column of input.file.columns) {
    if (!input.unplaced.has(column.name) || !isPostalCodeColumn(column)) continue;
    const neighbour = [column.index - 1, column.index + 1]
      .map((index) => byColumn.get(byIndex.get(index)?.name ?? ''))
      .find((f) => f?.target && f.transform?.kind === 'address');
    if (!neighbour?.target || zipGiven.has(neighbour.target)) continue;
    zipGiven.add(neighbour.target);
    out.set(column.name, {
      column: column.name,
      target: neighbour.target,
      confidence: 0.7,
      reason: `'${column.originalName}' holds postal codes beside '${neighbour.column}', a part of the address`,
      ...(neighbour.fieldType ? { fieldType: neighbour.fieldType } : {}),
      transform: { kind: 'address', part: 'zip' },
    });
  }
  return input.fields.map((field) => out.get(field.column) ?? field);
}

function isPostalCodeColumn(column: ColumnProfile): boolean {
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  return samples.length > 0 && samples.filter((s) => POSTAL_CODE.test(s)).length >= samples.length * 0.9;
}

/** A subject line is a few words: a caption, not a paragraph. */
const SUBJECT_MAX_LENGTH = 80;
const SUBJECT_MAX_WORDS = 8;

/**
 * An activity is listed by its subject. When no header names one, the subject is the short text that
 * differs from row to row: a column no concept placed ('Grund der Wiedervorlage'), or a 'description'
 * read as the activity's note whose values are captions ('Sent records ongoing'), not paragraphs. A long
 * text left over is still taken for the note afterwards.
 */
function withActivitySubject(input: EssentialInput): FieldProposal[] {
  if (input.fields.some((f) => f.target === 'activity.subject')) return [...input.fields];
  const byColumn = new Map(input.fields.map((f) => [f.column, f]));
  const candidates = input.file.columns.filter((c) => {
    const field = byColumn.get(c.name);
    const open = input.unplaced.has(c.name) || field?.target === 'activity.note';
    return (
      open &&
      c.name !== input.file.keyColumn &&
      !c.artefact &&
      !c.duplicateOf &&
      isCaption(c, input.file.rowCount)
    );
  });
  // A header that called it the note (a description) says more than a column nothing placed.
  const column = candidates.find((c) => byColumn.get(c.name)?.target === 'activity.note') ?? candidates[0];
  if (!column) return [...input.fields];
  return input.fields.map((field) =>
    field.column === column.name
      ? {
          column: column.name,
          target: 'activity.subject',
          confidence: 0.7,
          reason: `no header names the activity.subject; '${column.originalName}' holds a short caption that differs from row to row`,
        }
      : field,
  );
}

/** Short text, filled in most rows, different in most of them, a few words each. */
function isCaption(column: ColumnProfile, rowCount: number): boolean {
  const filled = Math.round(column.fillRate * rowCount);
  if (column.fillRate < 0.5 || column.maxLength > SUBJECT_MAX_LENGTH || kindShare(column, ['text']) < 0.9)
    return false;
  if (column.distinctCount < Math.max(2, filled * 0.5)) return false;
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  return (
    samples.length > 0 &&
    samples.every((s) => s.split(/\s+/).length <= SUBJECT_MAX_WORDS && /\p{L}{2}/u.test(s))
  );
}

/** Fields an object's rows need that the file's structure shows, beyond one column of one shape. */
const BY_STRUCTURE: Partial<Record<BackdocketObject, (input: EssentialInput) => FieldProposal[]>> = {
  contact: withPersonNames,
  status_history: withStatusChanges,
  task: withActivitySubject,
  event: withActivitySubject,
};

function essentialField(column: ColumnProfile, essential: Essential, input: EssentialInput): FieldProposal {
  const shown: Record<Shape, string> = {
    name: `holds a different short text in every row${input.namedByOthers?.has(column.name) ? ' and other files name these rows by it' : ''}`,
    prose: "holds the file's longest free text",
    date: 'is the first column of dates no header placed',
    vocabulary: 'holds a few words repeated across the rows',
    flag: 'is the only yes/no column no header placed',
  };
  const transform = essential.shape === 'date' ? dateTransform(column) : essential.transform;
  return {
    column: column.name,
    target: essential.target,
    confidence: 0.7,
    reason: `no header names the ${essential.target}; '${column.originalName}' ${shown[essential.shape]}`,
    ...(essential.fieldType ? { fieldType: essential.fieldType } : {}),
    ...(transform ? { transform } : {}),
  };
}

/** A date transform reading the formats the column's values were seen in. */
export function dateTransform(column: ColumnProfile): TransformSpec {
  const formats = column.kinds
    .filter((k) => (k.kind === 'date' || k.kind === 'datetime') && k.format)
    .map((k) => k.format as string);
  return formats.length > 0 ? { kind: 'date', formats: [...new Set(formats)] } : { kind: 'date' };
}

/**
 * The column that shows the shape, among those no concept placed and those left uncertain whose header
 * leans to the essential field ('Carrier Name' read as a name only half-sure): the values settle it.
 */
function bestColumn(
  input: EssentialInput,
  essential: Essential,
  taken: ReadonlySet<string>,
): ColumnProfile | undefined {
  const shape = essential.shape;
  const leaning = new Set(
    input.fields
      .filter((f) => f.target === null && f.candidate?.target === essential.target)
      .map((f) => f.column),
  );
  // Without a name the record is not made at all: a column a header placed only loosely in a custom field
  // ('Matter Description' read as an incident's, its values too short for one) may still be the caption.
  const loose = new Set(
    shape === 'name'
      ? input.fields
          .filter((f) => f.target?.includes('.custom:') && f.confidence < LOOSE_CUSTOM)
          .map((f) => f.column)
      : [],
  );
  const free = input.file.columns.filter(
    (c) =>
      (input.unplaced.has(c.name) || leaning.has(c.name) || loose.has(c.name)) &&
      !taken.has(c.name) &&
      c.name !== input.file.keyColumn &&
      !c.artefact &&
      !c.duplicateOf &&
      c.fillRate >= 0.5,
  );
  // A header leaning to the field comes before columns whose headers say nothing of it.
  free.sort((a, b) => Number(leaning.has(b.name)) - Number(leaning.has(a.name)));
  if (shape === 'date') return free.find((c) => kindShare(c, ['date', 'datetime']) >= 0.9);
  if (shape === 'flag') {
    const flags = free.filter((c) => kindShare(c, ['boolean']) >= 0.9);
    return flags.length === 1 ? flags[0] : undefined;
  }
  const candidates = free.filter((c) => kindShare(c, ['text']) >= 0.9);
  if (shape === 'vocabulary') return candidates.find((c) => isVocabulary(c, input.file.rowCount));
  if (shape === 'prose') {
    const prose = candidates.filter((c) => c.maxLength >= PROSE_MIN_LENGTH && wordy(c));
    return prose.sort((a, b) => b.maxLength - a.maxLength || a.index - b.index)[0];
  }
  const names = candidates.filter((c) => isNameShaped(c, input.file.rowCount));
  const rank = (c: ColumnProfile) =>
    (leaning.has(c.name) ? 4 : 0) +
    (input.namedByOthers?.has(c.name) ? 2 : 0) +
    (sharesFileWord(c, input.file.file) ? 1 : 0);
  return names.sort((a, b) => rank(b) - rank(a) || a.index - b.index)[0];
}

/** Filled in nearly every row, a different value in each, short, and words rather than codes. */
function isNameShaped(column: ColumnProfile, rowCount: number): boolean {
  const filled = Math.round(column.fillRate * rowCount);
  if (column.fillRate < 0.95 || filled === 0 || column.distinctCount < filled * 0.98) return false;
  if (column.maxLength > NAME_MAX_LENGTH) return false;
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  return (
    samples.length > 0 &&
    samples.every((s) => /\p{L}{2}/u.test(s) && !/^[\p{Lu}\d_-]*\d[\p{Lu}\d_-]*$/u.test(s))
  );
}

/** A few short words, each in several rows (roles, types): not names or free text. */
function isVocabulary(column: ColumnProfile, rowCount: number): boolean {
  const filled = Math.round(column.fillRate * rowCount);
  return (
    column.distinctCount >= 2 &&
    column.distinctCount <= VOCABULARY_MAX &&
    column.distinctCount <= filled / 2 &&
    column.maxLength <= 40
  );
}

function wordy(column: ColumnProfile): boolean {
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  return samples.length > 0 && samples.filter((s) => s.split(/\s+/).length >= 4).length >= samples.length / 2;
}

function kindShare(column: ColumnProfile, kinds: readonly string[]): number {
  return column.kinds.filter((k) => kinds.includes(k.kind)).reduce((sum, k) => sum + k.share, 0);
}

/** Whether the header repeats a word of the file's name ('insurer' in insurers.tsv), plurals aside. */
function sharesFileWord(column: ColumnProfile, file: string): boolean {
  const stem = file.replace(/^.*\//, '').replace(/\.[a-z0-9]+$/i, '');
  const fileWords = headerTokens(stem).map(singular);
  return headerTokens(column.originalName || column.name)
    .map(singular)
    .some((word) => word.length >= 3 && fileWords.some((f) => nearlyEqual(f, word)));
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word;
}
