import type { ExtractedFile, SourceRow } from '../../model.ts';
import type { ColumnStats } from '../column-stats.ts';
import type { ColumnEvidence } from '../keys/key-evidence.ts';

/** What the data-quality checks see of one extracted file. */
export interface QualityFile {
  readonly extracted: ExtractedFile;
  readonly stats: readonly ColumnStats[];
  readonly keys: ReadonlySet<string>;
  readonly headerLine: number;
  /** What the first rows said of each column (row counters, export stamps …). */
  readonly evidence?: readonly ColumnEvidence[] | undefined;
}

/**
 * Input of the cross-file checks: the files' profiles and a way to re-read a file's rows (an array for
 * extractInMemory, the store otherwise), so both paths report the same issues.
 */
export interface QualityInput {
  readonly files: readonly QualityFile[];
  /**
   * The file's rows in line order. `columns` names the values the check reads: a store-backed input
   * fills only those (reading and building every value of a wide file, several times over, was most of
   * the cost of the checks); other values may be missing, so read them as `row.values[c] ?? ''`.
   */
  rows(file: string, columns: readonly (string | undefined)[]): Iterable<SourceRow>;
}

/** At most this many row-level issues per check and column; a summary names the rest. */
export const ROWS_PER_CHECK = 500;
