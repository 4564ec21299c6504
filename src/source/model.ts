import type { BackdocketObject } from '../core/objects.ts';

/**
 * What extraction knows about an export: the contract between `source/` (which produces it) and
 * `mapping/`, `validate/`, `plan/` (which read it). Plain data, no I/O.
 */

/** Kinds of value a column's profile can detect. */
export const VALUE_KINDS = [
  'email',
  'phone',
  'date',
  'datetime',
  'money',
  'percent',
  'boolean',
  'integer',
  'number',
  'id',
  'url',
  'text',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export interface KindShare {
  readonly kind: ValueKind;
  /** Share of the non-empty values of this kind, in [0,1]. */
  readonly share: number;
  /** For dates: the detected format, e.g. `MM/DD/YYYY`, `YYYY-MM-DD`, `excel-serial`. */
  readonly format?: string | undefined;
}

export interface ColumnReference {
  /** The object whose rows this column's values point at (null: the file's object is not known yet). */
  readonly object: BackdocketObject | null;
  /** The file holding that object. */
  readonly file: string;
  /** Share of this column's distinct non-empty values found in the other file's column, in [0,1]. */
  readonly overlap: number;
  /**
   * The other file's column the values are found in: its key column, another column unique in it (a
   * claim number, a company name), or two joined as a full name (`First Name + Last Name`).
   * Absent in profiles of older extractions (the key column then).
   */
  readonly column?: string | undefined;
  /** The values are the other file's keys (so they are its rows' identities as written). */
  readonly byKey?: boolean | undefined;
}

export interface ColumnProfile {
  /** Header as it will be used (de-duplicated: `Notes`, `Notes_2`). */
  readonly name: string;
  /** Header exactly as it appeared in the file. */
  readonly originalName: string;
  readonly index: number;
  /** Share of rows with a non-empty value, in [0,1]. */
  readonly fillRate: number;
  readonly distinctCount: number;
  /** Detected value kinds, most common first. */
  readonly kinds: readonly KindShare[];
  /** Up to 5 distinct sample values (for humans reviewing the map; never sent anywhere). */
  readonly samples: readonly string[];
  readonly maxLength: number;
  /** Keys of other files that this column's values match. */
  readonly references: readonly ColumnReference[];
  /**
   * Not data but an artefact of how the file was produced (seen in its values): a row counter (1, 2, 3 …
   * in file order), an export stamp (times within a day), one constant value, hexadecimal row versions.
   */
  readonly artefact?: ColumnArtefact | undefined;
  /** An earlier column of the file this one copies value for value. */
  readonly duplicateOf?: string | undefined;
  /**
   * Columns of other files whose few values (statuses, types, roles) include half or more of this
   * column's (two at least): the same vocabulary (a status history's 'New Status' and the claims' 'Status').
   */
  readonly sharesValuesWith?: readonly SharedValues[] | undefined;
}

export interface SharedValues {
  readonly file: string;
  readonly column: string;
  /** Share of this column's distinct values found in the other column, in [0,1]. */
  readonly overlap: number;
}

export const COLUMN_ARTEFACTS = ['counter', 'stamp', 'constant', 'row_version'] as const;
export type ColumnArtefact = (typeof COLUMN_ARTEFACTS)[number];

export interface ObjectDetection {
  readonly object: BackdocketObject | null;
  /** In [0,1]. */
  readonly confidence: number;
  readonly reason: string;
}

export interface ExtractedFile {
  /** Path relative to the export folder, with forward slashes. */
  readonly file: string;
  readonly detection: ObjectDetection;
  readonly rowCount: number;
  /** The column that holds the export's id for each row, or null when keys are hashed natural keys. */
  readonly keyColumn: string | null;
  readonly columns: readonly ColumnProfile[];
}

/** One stored source row. */
export interface SourceRow {
  readonly file: string;
  /** 1-based physical line where the row starts. */
  readonly line: number;
  readonly sourceKey: string;
  readonly contentHash: string;
  /** Column name (de-duplicated) → raw text. */
  readonly values: Readonly<Record<string, string>>;
}
