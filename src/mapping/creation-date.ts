import type { BackdocketObject } from '../core/objects.ts';
import type { ColumnProfile, ExtractedFile } from '../source/model.ts';
import { CATALOGUE } from './catalogue/index.ts';
import { dateTransform } from './essential-fields.ts';
import { headerTokens } from './header-match.ts';
import type { FieldProposal } from './model.ts';

/**
 * When a record was made, read from the column beside who made it: a date column no header placed whose
 * words are those of the creator's column without 'by' ('Entered' and 'Date Entered' beside 'Entered By';
 * 'dtmEntered' beside 'strEnteredBy') is the creation date, whatever verb the export uses. Pure.
 */

interface CreationFields {
  /** Targets that hold who made the record. */
  readonly by: readonly string[];
  /** The target of when it was made. */
  readonly date: string;
}

const CREATION: Partial<Record<BackdocketObject, CreationFields>> = {
  claim: { by: ['deal.custom:Created By'], date: 'deal.custom:Original Create Date' },
  contact: { by: ['person.owner_id'], date: 'person.add_time' },
  company: { by: ['organization.owner_id'], date: 'organization.add_time' },
};

/** Words that say 'who' or 'when' rather than what happened. */
const AGENT_WORDS: ReadonlySet<string> = new Set(['by', 'user', 'who', 'staff']);
const DATE_WORDS: ReadonlySet<string> = new Set(['date', 'on', 'at', 'time', 'when', 'day']);

/**
 * The fields with the creation date given to the date column named after the creator's column, when no
 * field gives it yet and that column was left to a custom field (named after its header, or read loosely).
 * @example withCreationDate({ file, object: 'claim', fields, unplaced }) // 'Entered' → deal.custom:Original Create Date
 */
export function withCreationDate(input: {
  readonly file: ExtractedFile;
  readonly object: BackdocketObject;
  readonly fields: readonly FieldProposal[];
  readonly unplaced: ReadonlySet<string>;
}): FieldProposal[] {
  const creation = CREATION[input.object];
  const fields = [...input.fields];
  if (!creation || fields.some((f) => f.target === creation.date)) return fields;
  const creator = fields.find((f) => f.target !== null && creation.by.includes(f.target));
  if (!creator) return fields;
  const verb = headerTokens(creator.column).filter((t) => !AGENT_WORDS.has(t));
  if (verb.length === 0) return fields;
  // Columns no concept placed, or placed only in a custom field named after their header.
  const loose = new Set(
    fields
      .filter((f) => input.unplaced.has(f.column) || (f.target?.includes('.custom:') && f.confidence < 0.75))
      .map((f) => f.column),
  );
  const column = input.file.columns.find(
    (c) => loose.has(c.name) && isDateColumn(c) && sameWords(dateless(c), verb),
  );
  if (!column) return fields;
  // The catalogue says how the target takes its value: Pipedrive's add_time is a date-time, a custom date a day.
  const kind = CATALOGUE[input.object].concepts.find((c) => c.target === creation.date)?.transform?.kind;
  const transform = { ...dateTransform(column), kind: kind === 'datetime' ? 'datetime' : 'date' } as const;
  return fields.map((field) =>
    field.column === column.name
      ? {
          column: column.name,
          target: creation.date,
          confidence: 0.72,
          reason: `'${column.originalName || column.name}' holds dates and is named like '${creator.column}' without who: when the record was made`,
          transform,
        }
      : field,
  );
}

function dateless(column: ColumnProfile): string[] {
  return headerTokens(column.originalName || column.name).filter((t) => !DATE_WORDS.has(t));
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 0 && a.length === b.length && a.every((word) => b.includes(word));
}

function isDateColumn(column: ColumnProfile): boolean {
  const share = column.kinds
    .filter((k) => k.kind === 'date' || k.kind === 'datetime')
    .reduce((sum, k) => sum + k.share, 0);
  return share >= 0.9;
}
