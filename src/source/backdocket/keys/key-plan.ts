import type { BackdocketObject } from '../../../core/objects.ts';
import { OBJECT_ID_CONCEPT } from '../detect-object.ts';
import { type Concept, conceptsOf } from '../headers.ts';
import { type ColumnEvidence, isArtefact, isIdNamedHeader } from './key-evidence.ts';

/**
 * How a file's rows get their keys: a key column chosen by evidence (unique, filled, shaped like an id,
 * and — across files — the column other files point at), or, when the file has none, a natural key: a
 * hash of the normalised values of its data columns (never row position, never export artefacts). Pure.
 */
export interface KeyPlan {
  /** The column holding each row's key, or null: rows are keyed by their natural key. */
  readonly keyColumn: string | null;
  /** Columns whose normalised values make the natural key (and the content of a duplicate's key). */
  readonly naturalColumns: readonly string[];
  /** Why, in a sentence. */
  readonly reason: string;
}

export interface KeyPlanInput {
  readonly names: readonly string[];
  readonly evidence: readonly ColumnEvidence[];
  /** The object the file holds, when known: its id concept is a prior. */
  readonly object: BackdocketObject | null;
  /**
   * A column to keep as the key while it still qualifies: the key of the previous extraction (so a
   * re-export keeps its identities), or the column other files were found to point at.
   */
  readonly preferred?: string | null | undefined;
  /** Columns the evidence of the whole file (or of other files) rules out as keys. */
  readonly excluded?: ReadonlySet<string> | undefined;
}

const ID_CONCEPTS = new Set<string>(Object.values(OBJECT_ID_CONCEPT));

/**
 * Chooses the key column by evidence, with header words as a prior only.
 * @example decideKeyPlan({ names, evidence: columnEvidence(names, sampleRows), object: 'contact' })
 */
export function decideKeyPlan(input: KeyPlanInput): KeyPlan {
  const { evidence } = input;
  const naturalColumns = evidence.filter((e) => !isArtefact(e)).map((e) => e.name);
  const natural = naturalColumns.length > 0 ? naturalColumns : [...input.names];
  const ownConcept = input.object ? OBJECT_ID_CONCEPT[input.object] : undefined;
  const scored = evidence
    .filter((e) => qualifies(e, input, ownConcept))
    .map((e) => {
      let score = e.keyShape;
      const why: string[] = [];
      if (e.name === input.preferred) {
        score += 4;
        why.push('kept from before');
      }
      if (ownConcept && conceptsOf(e.name).includes(ownConcept)) {
        score += 2;
        why.push(`names the ${input.object} id`);
      }
      if (isIdNamedHeader(e.name)) score += 1;
      if (e.index === 0) score += 0.5;
      return { evidence: e, score, why };
    })
    .sort((a, b) => b.score - a.score || a.evidence.index - b.evidence.index);
  const best = scored[0];
  if (!best) {
    return {
      keyColumn: null,
      naturalColumns: natural,
      reason: 'no column is a unique, filled identifier: rows are keyed by a hash of their values',
    };
  }
  return {
    keyColumn: best.evidence.name,
    naturalColumns: natural,
    reason: `"${best.evidence.name}" is unique and filled in every row${best.why.length ? ` (${best.why.join(', ')})` : ''}`,
  };
}

/**
 * A key column is unique, filled, shaped like an identifier, and named like one (or first). Header words
 * are a prior that only narrows: a 1, 2, 3 … counter is row position unless it names the file's own id, and
 * a column naming another object's id ('Claim ID' in a notes file) is a reference unless other files were
 * found to point at it.
 */
function qualifies(e: ColumnEvidence, input: KeyPlanInput, ownConcept: Concept | undefined): boolean {
  if (input.excluded?.has(e.name)) return false;
  if (e.fill < 1 || !e.unique) return false;
  if (e.stamp || e.rowVersion || e.constant) return false;
  // The column other files point at (or the key kept from before) may be codes rather than numbers: a
  // fee earner's initials, a user name. Names with spaces stay out: rows are then keyed by their content.
  if (e.name === input.preferred) return e.keyShape >= 0.9 || e.codeShape >= 0.9;
  if (e.keyShape < 0.9) return false;
  const concepts = conceptsOf(e.name);
  const namesOwnId = ownConcept !== undefined && concepts.includes(ownConcept);
  if (e.counter && !namesOwnId) return false;
  if (!namesOwnId && concepts.some((c) => ID_CONCEPTS.has(c))) return false;
  return namesOwnId || isIdNamedHeader(e.name) || e.index === 0;
}
