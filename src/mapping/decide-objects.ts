import { BACKDOCKET_OBJECTS, type BackdocketObject } from '../core/objects.ts';
import { OBJECT_ID_CONCEPT } from '../source/backdocket/detect-object.ts';
import { conceptsOf } from '../source/backdocket/headers.ts';
import type { ColumnProfile, ExtractedFile } from '../source/model.ts';
import { CATALOGUE } from './catalogue/index.ts';
import { filePrefix, headerScore, headerTokens, stripFilePrefix, stripSelfWords } from './header-match.ts';

/**
 * Which BackDocket object each file holds, decided for all files together (pure). A file's role follows
 * from its columns (headers read against each object's catalogue), from what its values point at and what
 * points at it, and from the extraction's detection (file name included, a weak prior):
 * - a file without an id of its own whose columns point at claims and contacts (or companies) joins them
 *   (claim contacts); at claims and staff (claim staff);
 * - one that points at claims, shares the claims' status vocabulary and dates its rows is their status
 *   history, whatever it is called;
 * - one whose key is another file's key holds more columns of that file's object (split over two files);
 * - a file pointed at by others is the object their link columns name.
 * Files with no confident role get `object: null` and their best candidates, for a person to choose.
 */
export interface ObjectCandidate {
  readonly object: BackdocketObject;
  readonly confidence: number;
  readonly reason: string;
}

export interface ObjectDecision extends ObjectCandidate {
  readonly object: BackdocketObject;
}

export interface FileObjects {
  readonly object: BackdocketObject | null;
  readonly confidence: number;
  readonly reason: string;
  /** Best candidates first; for a file left without an object, what a person may choose from. */
  readonly candidates: readonly ObjectCandidate[];
}

/** Below this a file is left for a person, with its candidates. */
const UNSURE = 0.3;
const ROUNDS = 3;
const LINK_OBJECTS: ReadonlySet<BackdocketObject> = new Set(['claim_contact', 'claim_staff']);
/** Objects other files point at. */
const PARENT_OBJECTS: ReadonlySet<BackdocketObject> = new Set(['claim', 'contact', 'company', 'staff']);

interface Score {
  value: number;
  readonly why: string[];
}

/**
 * @example decideObjects(inventory).get('Report_StatusChanges_2024-06.csv')?.object // 'status_history'
 */
export function decideObjects(files: readonly ExtractedFile[]): Map<string, FileObjects> {
  const headerEvidence = new Map(files.map((file) => [file.file, headerShares(file)]));
  let assigned = new Map<string, BackdocketObject | null>(files.map((f) => [f.file, f.detection.object]));
  let decisions = new Map<string, FileObjects>();
  for (let round = 0; round < ROUNDS; round += 1) {
    decisions = new Map(
      files.map((file) => [file.file, decideOne(file, files, headerEvidence.get(file.file)!, assigned)]),
    );
    assigned = new Map([...decisions].map(([file, decision]) => [file, decision.object]));
  }
  return decisions;
}

function decideOne(
  file: ExtractedFile,
  files: readonly ExtractedFile[],
  headers: ReadonlyMap<BackdocketObject, number>,
  assigned: ReadonlyMap<string, BackdocketObject | null>,
): FileObjects {
  // A person's choice (mapping.yaml) is never second-guessed.
  if (file.detection.object !== null && file.detection.confidence >= 1) {
    return {
      object: file.detection.object,
      confidence: 1,
      reason: file.detection.reason,
      candidates: [{ object: file.detection.object, confidence: 1, reason: file.detection.reason }],
    };
  }
  const scores = new Map<BackdocketObject, Score>(
    BACKDOCKET_OBJECTS.map((object) => [object, { value: 0, why: [] }]),
  );
  const add = (object: BackdocketObject, value: number, why: string) => {
    const score = scores.get(object)!;
    score.value += value;
    if (why) score.why.push(why);
  };
  for (const [object, share] of headers) {
    if (share > 0)
      add(object, 0.6 * share, `${Math.round(share * 100)}% of the headers are ${object} fields`);
  }
  if (file.detection.object)
    add(file.detection.object, 0.4 * file.detection.confidence, file.detection.reason);
  relational({ file, files, assigned, headers }, add);
  const ranked = [...scores]
    .map(([object, score]) => ({ object, score: score.value, why: score.why }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const candidates = ranked.slice(0, 3).map((s) => ({
    object: s.object,
    confidence: round(Math.min(0.99, s.score)),
    reason: s.why.join('; '),
  }));
  const best = ranked[0];
  if (!best || best.score < UNSURE) {
    return {
      object: null,
      confidence: 0,
      reason: best
        ? `not recognised: closest is ${best.object} (${best.why.join('; ')}) but too weak to trust`
        : 'not recognised: neither the file name, the columns nor their values match a BackDocket object',
      candidates,
    };
  }
  const margin = best.score - (ranked[1]?.score ?? 0);
  return {
    object: best.object,
    confidence: round(Math.min(0.99, best.score * 0.8 + Math.min(margin, 0.4) * 0.5)),
    reason: best.why.join('; '),
    candidates,
  };
}

/**
 * Sums of money: amounts with a currency sign or written to the cent (`$8,275.81`, `8.275,81`, `29521.86`),
 * not hours, minutes or counts.
 */
function isAmountColumn(column: ColumnProfile): boolean {
  const amounts = column.kinds
    .filter(
      (k) =>
        k.kind === 'money' ||
        (k.kind === 'number' &&
          (k.format === undefined || k.format === 'decimal-comma' || k.format === 'grouped')),
    )
    .reduce((sum, k) => sum + k.share, 0);
  const samples = column.samples.map((s) => s.trim()).filter(Boolean);
  const moneyLike = samples.filter((s) => /[$€£]|\d[.,]\d{2}$/.test(s)).length;
  return amounts >= 0.9 && samples.length > 0 && moneyLike >= samples.length / 2;
}

/** Nearly every value of the column is a whole number. */
function isIntegerColumn(column: ColumnProfile): boolean {
  return (column.kinds.find((k) => k.kind === 'integer')?.share ?? 0) >= 0.95;
}

const ID_CONCEPTS = new Set<string>(Object.values(OBJECT_ID_CONCEPT));

/** The header names some object's id ('Contact ID', 'client_ref'), not just 'id'. */
function namesAnObjectId(header: string): boolean {
  return conceptsOf(header).some((concept) => ID_CONCEPTS.has(concept));
}

/** What the file's values point at, and what points at it, given the other files' current objects. */
function relational(
  input: {
    readonly file: ExtractedFile;
    readonly files: readonly ExtractedFile[];
    readonly assigned: ReadonlyMap<string, BackdocketObject | null>;
    /** Per object, the share of the file's headers its catalogue names. */
    readonly headers: ReadonlyMap<BackdocketObject, number>;
  },
  add: (object: BackdocketObject, value: number, why: string) => void,
): void {
  const { file, files, assigned, headers } = input;
  const strong = (column: ColumnProfile) =>
    column.references.filter((r) => r.overlap >= 0.95 && r.file !== file.file);
  const pointsAt = new Map<BackdocketObject, string>();
  for (const column of file.columns) {
    if (column.name === file.keyColumn) continue;
    for (const ref of strong(column)) {
      const object = assigned.get(ref.file);
      if (object && !pointsAt.has(object)) pointsAt.set(object, column.name);
    }
  }
  const ownKey = file.keyColumn !== null;
  for (const [parent, column] of repeatedParents(file, assigned)) {
    add(parent, -0.5, `'${column}' names the same ${parent} in several rows: its rows hang off ${parent}s`);
    // Rows with keys of their own hanging off a parent are one of its children (tasks, notes … of claims):
    // which one, the headers say; the relation makes that reading count.
    if (!ownKey) continue;
    for (const [child, share] of headers) {
      if (share > 0 && childrenOf(parent).has(child))
        add(child, 0.15, `'${column}' hangs its rows off ${parent}s, as ${child}s do`);
    }
    // Several amounts on every row of a claim's child (a rate, a value, a total): ledger lines, not
    // tasks, events or notes, whatever the headers are called.
    const amounts = file.columns.filter(isAmountColumn);
    if (parent === 'claim' && amounts.length >= 2)
      add(
        'billing_entry',
        0.4,
        `'${column}' hangs its rows off claims and ${amounts
          .slice(0, 3)
          .map((c) => `'${c.name}'`)
          .join(', ')} carry amounts, as ledger lines do`,
      );
  }
  const named = (object: BackdocketObject) => `'${pointsAt.get(object)}'`;
  if (!ownKey && pointsAt.has('claim')) {
    // Shapes of rows that hang off claims; worth less where the headers plainly say another object.
    const unlike = (object: BackdocketObject) =>
      1 - Math.max(0, ...[...headers].filter(([other]) => other !== object).map(([, share]) => share));
    const party = pointsAt.has('contact') ? 'contact' : pointsAt.has('company') ? 'company' : undefined;
    if (party)
      add(
        'claim_contact',
        0.45 * unlike('claim_contact'),
        `${named('claim')} and ${named(party)} point at claims and ${party}s`,
      );
    if (pointsAt.has('staff'))
      add(
        'claim_staff',
        0.45 * unlike('claim_staff'),
        `${named('claim')} and ${named('staff')} point at claims and staff`,
      );
    const statuses = sharesClaimVocabulary(file, files, assigned);
    const dated = file.columns.some((c) => c.kinds[0] && ['date', 'datetime'].includes(c.kinds[0].kind));
    if (statuses && dated)
      add(
        'status_history',
        0.6 * unlike('status_history'),
        `${named('claim')} points at claims, '${statuses}' takes the claims' status values, and rows are dated`,
      );
  }
  // Rows that each name a stored file (relative paths with an extension) index documents.
  const paths = file.columns.find((c) => pathShare(c) >= 0.9);
  if (paths) add('document', 0.3, `'${paths.name}' holds file paths`);
  // A key that is another file's key: more columns of that file's object. Plain integer ids under a
  // header that names no object ('id', '#') are no evidence: every auto-numbered table shares them.
  const key = file.columns.find((c) => c.name === file.keyColumn);
  const keyTellsObjects = key !== undefined && (!isIntegerColumn(key) || namesAnObjectId(key.name));
  for (const ref of key && keyTellsObjects ? strong(key) : []) {
    const object = assigned.get(ref.file);
    if (ref.byKey !== false && object && !LINK_OBJECTS.has(object))
      add(object, 0.5, `its key '${key?.name}' is the key of ${ref.file} (${object}): more of its columns`);
  }
  // Pointed at by other files: the object their link columns name, or, when their headers do not say,
  // the kind of parent the file's own headers read most like.
  const incoming = new Map<BackdocketObject, Set<string>>();
  const unnamed = new Set<string>();
  for (const other of files) {
    if (other === file) continue;
    const otherObject = assigned.get(other.file);
    if (!otherObject) continue;
    for (const column of other.columns) {
      for (const ref of column.references) {
        if (ref.file !== file.file || ref.overlap < 0.95) continue;
        const object = linkedObject(column, other, otherObject);
        if (!object) {
          if (ref.byKey !== false) unnamed.add(other.file);
          continue;
        }
        const from = incoming.get(object) ?? new Set<string>();
        from.add(other.file);
        incoming.set(object, from);
      }
    }
  }
  for (const [object, from] of incoming) {
    add(object, Math.min(0.45, 0.15 * from.size), `${from.size} file(s) point at it as ${object}s`);
  }
  const employer = pointedAtByPeople(file, files, assigned);
  if (employer) {
    add('company', 0.5, `people in ${employer} point at its rows, many to one, and its rows carry one name`);
    add('contact', -0.3, '');
  }
  const parent = [...headers].filter(([object]) => PARENT_OBJECTS.has(object)).sort((a, b) => b[1] - a[1])[0];
  if (unnamed.size > 0 && parent && parent[1] > 0)
    add(parent[0], Math.min(0.3, 0.1 * unnamed.size), `${unnamed.size} file(s) point at its keys`);
}

/**
 * The file's rows are people: a column is headed as a given or family name, or other files name its rows
 * by two of its columns joined (`Forename + Surname`, found by inclusion).
 */
function namesPeople(file: ExtractedFile, files: readonly ExtractedFile[]): boolean {
  const concepts = new Set(file.columns.flatMap((c) => conceptsOf(c.originalName || c.name)));
  if (concepts.has('first_name') || concepts.has('last_name')) return true;
  return files.some((other) =>
    other.columns.some((c) =>
      c.references.some((r) => r.file === file.file && r.overlap >= 0.95 && (r.column ?? '').includes(' + ')),
    ),
  );
}

/**
 * A file of people (given and family names) whose column names this file's rows by key, several people
 * to one row: this file holds what people belong to (their employers, insurers), not more people, when
 * its own rows carry no given and family names. Returns the people's file.
 */
function pointedAtByPeople(
  file: ExtractedFile,
  files: readonly ExtractedFile[],
  assigned: ReadonlyMap<string, BackdocketObject | null>,
): string | undefined {
  if (file.keyColumn === null || namesPeople(file, files)) return undefined;
  for (const other of files) {
    if (other === file || assigned.get(other.file) !== 'contact' || !namesPeople(other, files)) continue;
    if (repeatedParents(other, new Map([[file.file, 'company']])).has('company')) return other.file;
  }
  return undefined;
}

const children = new Map<BackdocketObject, Set<BackdocketObject>>();

/** Objects with keys of their own whose catalogue links them to `parent` (not link tables or histories). */
function childrenOf(parent: BackdocketObject): ReadonlySet<BackdocketObject> {
  let out = children.get(parent);
  if (!out) {
    out = new Set(
      BACKDOCKET_OBJECTS.filter(
        (object) =>
          object !== parent &&
          !LINK_OBJECTS.has(object) &&
          object !== 'status_history' &&
          CATALOGUE[object].concepts.some((c) => c.link === parent && c.target !== null),
      ),
    );
    children.set(parent, out);
  }
  return out;
}

/**
 * Parent objects the file's rows point at by key with values that repeat (several rows name the same
 * claim): a file whose rows hang off claims is not the claims file, whatever its name or headers say.
 * A second file of an object names each of its keys once, so it is not caught.
 */
function repeatedParents(
  file: ExtractedFile,
  assigned: ReadonlyMap<string, BackdocketObject | null>,
): Map<BackdocketObject, string> {
  const out = new Map<BackdocketObject, string>();
  for (const column of file.columns) {
    if (column.name === file.keyColumn) continue;
    const filled = Math.round(column.fillRate * file.rowCount);
    if (filled < 4 || column.distinctCount > filled * 0.9) continue;
    for (const ref of column.references) {
      const object = assigned.get(ref.file);
      if (ref.file === file.file || ref.byKey === false || ref.overlap < 0.95) continue;
      if (object && PARENT_OBJECTS.has(object) && !out.has(object)) out.set(object, column.name);
    }
  }
  return out;
}

/** The object a link column of a file of `object` names by its header ('Nº Expediente' in notes → claim). */
function linkedObject(
  column: ColumnProfile,
  file: ExtractedFile,
  object: BackdocketObject,
): BackdocketObject | undefined {
  const tokens = stripFilePrefix(headerTokens(column.originalName || column.name), filePrefix(file));
  let best: { object: BackdocketObject; score: number } | undefined;
  for (const concept of CATALOGUE[object].concepts) {
    // Owner columns name staff.
    const link = concept.link ?? (concept.transform?.kind === 'owner' ? 'staff' : undefined);
    if (!link || link === object) continue;
    for (const alias of concept.aliases) {
      const score = headerScore(tokens, alias.split(' '));
      if (score >= 0.6 && (!best || score > best.score)) best = { object: link, score };
    }
  }
  return best?.object;
}

/** A column of the file whose values are among the values of a column of a claims file (its statuses). */
function sharesClaimVocabulary(
  file: ExtractedFile,
  files: readonly ExtractedFile[],
  assigned: ReadonlyMap<string, BackdocketObject | null>,
): string | undefined {
  // How many of this file's columns take each claims column's values: a log's old and new value both do.
  const sharers = new Map<string, number>();
  for (const column of file.columns) {
    for (const shared of column.sharesValuesWith ?? []) {
      if (assigned.get(shared.file) !== 'claim') continue;
      const key = `${shared.file}\u0000${shared.column}`;
      sharers.set(key, (sharers.get(key) ?? 0) + 1);
    }
  }
  for (const column of file.columns) {
    for (const shared of column.sharesValuesWith ?? []) {
      if (assigned.get(shared.file) !== 'claim') continue;
      const claims = files.find((f) => f.file === shared.file);
      const parent = claims?.columns.find((c) => c.name === shared.column);
      if (!parent) continue;
      // The claims' column is their status when its header says so, or when the rows carry it twice,
      // from one value to another ('Stage From' → 'Stage To' of a 'Case Stage'): a change of state.
      const changes = (sharers.get(`${shared.file}\u0000${shared.column}`) ?? 0) >= 2;
      if (changes || isStatusColumn(parent, claims as ExtractedFile)) return column.name;
    }
  }
  return undefined;
}

/** Whether a claims file's column is its status (by the claim catalogue's reading of the header). */
function isStatusColumn(column: ColumnProfile, file: ExtractedFile): boolean {
  const tokens = stripFilePrefix(headerTokens(column.originalName || column.name), filePrefix(file));
  const status = CATALOGUE.claim.concepts.find((c) => c.target === 'deal.status');
  return (status?.aliases ?? []).some((alias) => headerScore(tokens, alias.split(' ')) >= 0.85);
}

/** Per object, how much of the file's data columns its catalogue names (0 … 1). */
function headerShares(file: ExtractedFile): Map<BackdocketObject, number> {
  const prefix = filePrefix(file);
  const data = file.columns.filter((c) => c.fillRate > 0 && !c.artefact && !c.duplicateOf);
  const out = new Map<BackdocketObject, number>();
  if (data.length === 0) return out;
  for (const object of BACKDOCKET_OBJECTS) {
    const catalogue = CATALOGUE[object];
    let total = 0;
    for (const column of data) {
      const tokens = stripFilePrefix(headerTokens(column.originalName || column.name), prefix);
      const stripped = stripSelfWords(tokens, catalogue.selfWords);
      let best = 0;
      for (const concept of catalogue.concepts) {
        for (const alias of concept.aliases) {
          const words = alias.split(' ');
          best = Math.max(best, headerScore(tokens, words), headerScore(stripped, words) * 0.97);
          if (best >= 1) break;
        }
        if (best >= 1) break;
      }
      // Near-exact readings count fully; looser ones a little.
      total += best >= 0.9 ? 1 : best >= 0.8 ? 0.5 : 0;
    }
    out.set(object, total / data.length);
  }
  return out;
}

/** A relative or absolute path ending in a file name with an extension. */
const FILE_PATH = /^(?:[a-z]:)?[\\/]?(?:[^\\/\n]+[\\/])+[^\\/\n]+\.[a-z0-9]{1,5}$/i;

/** Share of a column's sampled values that are file paths. */
export function pathShare(column: ColumnProfile): number {
  const samples = column.samples.map((s) => s.trim()).filter((s) => s !== '');
  return samples.length === 0 ? 0 : samples.filter((s) => FILE_PATH.test(s)).length / samples.length;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
