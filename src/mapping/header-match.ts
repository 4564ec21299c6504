import type { ExtractedFile } from '../source/model.ts';
import { CATALOGUE } from './catalogue/index.ts';
import { knownWords, nearlyEqual, normaliseHeader, normaliseHeaderTokens } from './normalise-header.ts';

/**
 * Reading headers against the catalogue's aliases: tokens (run-together words split with the catalogue's
 * vocabulary), the prefix a file puts on every header, the words naming the file's own object, and how well
 * a header matches an alias. Pure; used by the proposer and by the object decision.
 */

let vocabulary: Set<string> | undefined;

/** Every word the catalogue and the normaliser know, for splitting run-together headers (`dateofloss`). */
function knownVocabulary(): Set<string> {
  if (!vocabulary) {
    vocabulary = new Set(knownWords());
    for (const catalogue of Object.values(CATALOGUE)) {
      for (const concept of catalogue.concepts)
        for (const alias of concept.aliases) for (const t of alias.split(' ')) vocabulary.add(t);
      for (const word of catalogue.selfWords)
        for (const t of normaliseHeader(word).split(' ')) vocabulary.add(t);
    }
    for (const word of ['of', 'on', 'at', 'by', 'to', 'is', 'in', 'no']) vocabulary.add(word);
    // Plurals: 'recordsfax' is records + fax.
    for (const word of [...vocabulary])
      if (word.length >= 3 && !word.endsWith('s')) vocabulary.add(`${word}s`);
  }
  return vocabulary;
}

/** Splits an unknown word into known ones with as few pieces as possible; undefined when it cannot. */
function segment(word: string, known: ReadonlySet<string>): string[] | undefined {
  const best: (string[] | undefined)[] = [[]];
  for (let end = 1; end <= word.length; end += 1) {
    for (let start = Math.max(0, end - 16); start < end; start += 1) {
      const piece = word.slice(start, end);
      const before = best[start];
      if (!before || !known.has(piece) || (piece.length < 2 && !/^\d+$/.test(piece))) continue;
      if (!best[end] || before.length + 1 < best[end]!.length) best[end] = [...before, piece];
    }
  }
  const found = best[word.length];
  if (!found || found.length < 2) return undefined;
  // A word of another language cut into two-letter scraps ('laatst' → la at st) is not made of known words.
  const scraps = found.filter((piece) => piece.length <= 2 && !/^\d+$/.test(piece)).length;
  return scraps > found.length - scraps ? undefined : found;
}

const tokenCache = new Map<string, string[]>();

/** Normalised header tokens, with run-together words split (`emailaddr` → email address). */
export function headerTokens(header: string): string[] {
  const cached = tokenCache.get(header);
  if (cached) return cached;
  const known = knownVocabulary();
  let tokens = normaliseHeaderTokens(header);
  if (tokens.some((t) => t.length >= 5 && !known.has(t))) {
    const split = tokens.flatMap((t) => (t.length >= 5 && !known.has(t) ? (segment(t, known) ?? [t]) : [t]));
    tokens = normaliseHeaderTokens(split.join(' '));
  }
  if (tokens.some((t) => !known.has(t) && SKELETON.test(t))) {
    tokens = normaliseHeaderTokens(tokens.map((t) => (known.has(t) ? t : (unabbreviate(t) ?? t))).join(' '));
  }
  tokenCache.set(header, tokens);
  return tokens;
}

/** A word written without its vowels after the first letter (`frst`, `nm`, `brth`, `opn`), as fixed-width record layouts abbreviate. */
const SKELETON = /^[a-z][b-df-hj-np-tv-z]{1,5}$/;

let skeletons: Map<string, string | null> | undefined;

/**
 * The known word a vowel-less abbreviation stands for (`frst` → first, `cty` → city, `nm` → name), when one
 * word is the likeliest: a word the catalogue uses in more aliases wins a tie of spellings (`lst` is last
 * before lost), and a tie left is no answer. Only words of the catalogue, not its abbreviations, qualify.
 */
function unabbreviate(token: string): string | undefined {
  if (!skeletons) {
    const uses = new Map<string, number>();
    for (const catalogue of Object.values(CATALOGUE))
      for (const concept of catalogue.concepts)
        for (const alias of concept.aliases)
          for (const word of alias.split(' ')) uses.set(word, (uses.get(word) ?? 0) + 1);
    const best = new Map<string, { word: string; uses: number; tie: boolean }>();
    for (const [word, count] of uses) {
      // A vowel dropped from inside the word, not only its last letter: 'alt' is 'alt(ernate)' cut short,
      // not 'alta' without its vowels.
      if (!/^[a-z]{3,}$/.test(word) || !/[aeiou]/.test(word.slice(1, -1))) continue;
      const skeleton = word[0] + word.slice(1).replace(/[aeiou]/g, '');
      if (skeleton === word) continue;
      const current = best.get(skeleton);
      if (!current || count > current.uses) best.set(skeleton, { word, uses: count, tie: false });
      else if (count === current.uses) current.tie = true;
    }
    skeletons = new Map([...best].map(([skeleton, b]) => [skeleton, b.tie ? null : b.word]));
  }
  return skeletons.get(token) ?? undefined;
}

const prefixCache = new WeakMap<ExtractedFile, string[]>();

/** Leading words shared by nearly every header of a file (`Contact.Email`, `Contact.Phone` → `contact`). */
export function filePrefix(file: ExtractedFile): string[] {
  const cached = prefixCache.get(file);
  if (cached) return cached;
  const lists = file.columns.map((c) => headerTokens(c.originalName || c.name)).filter((t) => t.length > 0);
  let prefix: string[] = [];
  if (lists.length >= 3) {
    const first = lists[0]!;
    for (let length = 1; length < first.length; length += 1) {
      const candidate = first.slice(0, length);
      const sharing = lists.filter((t) => t.length > length && candidate.every((w, i) => t[i] === w)).length;
      if (sharing / lists.length >= 0.8) prefix = candidate;
      else break;
    }
  }
  prefixCache.set(file, prefix);
  return prefix;
}

export function stripFilePrefix(tokens: readonly string[], prefix: readonly string[]): string[] {
  if (prefix.length === 0 || tokens.length <= prefix.length) return [...tokens];
  return prefix.every((w, i) => tokens[i] === w) ? tokens.slice(prefix.length) : [...tokens];
}

export function stripSelfWords(tokens: readonly string[], selfWords: readonly string[]): string[] {
  for (const phrase of selfWords) {
    const words = normaliseHeader(phrase).split(' ');
    if (words.length === 0 || tokens.length <= words.length) continue;
    if (words.every((word, i) => tokens[i] === word)) return tokens.slice(words.length);
  }
  return [...tokens];
}

/** How well a header's tokens match one alias, in [0,1]. */
export function headerScore(header: readonly string[], alias: readonly string[]): number {
  if (header.length === 0 || alias.length === 0) return 0;
  if (header.join(' ') === alias.join(' ')) return 1;
  const matches = (list: readonly string[], token: string) => list.some((t) => nearlyEqual(t, token));
  const exactIn = (list: readonly string[], token: string) => list.includes(token);
  const aliasInHeader = alias.filter((t) => matches(header, t)).length;
  const headerInAlias = header.filter((t) => matches(alias, t)).length;
  const typoPenalty =
    alias.every((t) => exactIn(header, t)) && header.every((t) => exactIn(alias, t)) ? 0 : 0.04;
  if (aliasInHeader === alias.length && headerInAlias === header.length) return 0.94 - typoPenalty;
  if (aliasInHeader === alias.length) {
    // Header says more than the alias ("Primary Email Address" ⊇ "email address").
    return 0.72 + 0.2 * (alias.length / header.length) - typoPenalty;
  }
  if (headerInAlias === header.length) {
    // Header says less ("Phone" vs "phone number").
    return 0.55 + 0.3 * (header.length / alias.length) - typoPenalty;
  }
  const union = new Set([...header, ...alias]).size;
  const common = header.filter((t) => matches(alias, t)).length;
  return common === 0 ? 0 : 0.2 + 0.35 * (common / union);
}
