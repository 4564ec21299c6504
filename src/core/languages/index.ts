import { DANISH } from './da.ts';
import { GERMAN, GERMAN_HEADS } from './de.ts';
import { SPANISH } from './es.ts';
import { FRENCH } from './fr.ts';
import { ITALIAN } from './it.ts';
import { NORWEGIAN } from './nb.ts';
import { DUTCH, DUTCH_HEADS } from './nl.ts';
import { POLISH } from './pl.ts';
import { PORTUGUESE } from './pt.ts';
import { SWEDISH } from './sv.ts';

/**
 * Headers written in German, French, Italian, Portuguese, Dutch, Spanish, Polish, Swedish, Danish or
 * Norwegian, read as the English the catalogue and the reader already know. A translation applied to a header's tokens, rather than foreign
 * aliases added to every concept: one table per language stays readable, both header normalisers (the
 * reader's and the mapping's) call the same function so they agree, and the English and Spanish aliases
 * stay the decision.
 *
 * Precision first: a header is translated only when it carries at least one foreign word that is not also
 * an English word ('Data', 'Art', 'Land', 'Fine' alone stay as they are), and then as a whole — articles
 * dropped, 'N° dossier' read as 'claim number', German compounds split on their head.
 */

/** Articles and 'of'-like words; by/on words (da, von, par, am, le) stay: they tell 'changed by' from 'changed on'. */
const FUNCTION_WORDS = new Set([
  ...['de', 'du', 'des', 'd', 'l', 'la', 'les', 'et'],
  ...['di', 'del', 'della', 'dello', 'dei', 'degli', 'delle', 'dell', 'ed', 'e'],
  ...['do', 'dos', 'das', 'o', 'os', 'ao'],
  ...['der', 'die', 'dem', 'den', 'vom', 'zum', 'zur', 'und'],
  ...['het', 'een', 'en', 'van'],
  ...['el', 'los', 'las', 'y'],
]);

/** Ways of writing 'number' ('N°' is rewritten to 'number' by the normalisers before this). */
const NUMBER_WORDS = new Set(['n', 'nr', 'no', 'num', 'nro', 'numero', 'numer', 'nummer', 'number']);

/**
 * Foreign words that are also English words with another meaning: read as the foreign word only beside
 * another foreign word ('Data apertura' is a date; 'Data' alone, 'Land', 'Art' are left alone).
 */
const AMBIGUOUS = new Set([
  ...['data', 'art', 'land', 'firma', 'mandate', 'fin', 'fine', 'audience'],
  ...['portable', 'rue', 'ore', 'local', 'fait'],
  // German 'Termine' (appointments) is French 'Terminé' (done).
  'termine',
]);

/**
 * Short codes that are the whole header in the language that uses them (Italian 'CAP', German 'AZ', Brazilian
 * 'UF') but may be an English word or code inside an English header ('Fee Cap'): read alone or beside
 * another foreign word, never as the one foreign-looking word of a longer header.
 */
const WHOLE_HEADER_ONLY = new Set([
  ...['cap', 'az', 'uf', 'rg', 'pec', 'persona'],
  ...['cp', 'dni', 'nie', 'nip', 'wps', 'gsm', 'cpr', 'cvr', 'sti'],
]);

/**
 * Accents off, ß as ss, and the letters Unicode does not decompose (Polish ł, Danish and Norwegian ø, æ):
 * the form both normalisers give a token.
 */
export function foldLetters(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .replace(/ẞ/g, 'SS')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'Ae')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Umlauts are also written ae, oe, ue (Faelligkeit), besides a, o, u. */
function umlautSpellings(key: string): string[] {
  const withE = key.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue');
  return [...new Set([key, withE])];
}

function keyTokens(phrase: string): string[] {
  return foldLetters(phrase.toLowerCase())
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((token) => (NUMBER_WORDS.has(token) ? 'number' : token))
    .filter((token) => !FUNCTION_WORDS.has(token));
}

const LONGEST_PHRASE = 4;

/** Folded foreign phrase (tokens joined by spaces) → English phrase. Later languages do not override earlier. */
const PHRASES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const table of [
    GERMAN,
    FRENCH,
    ITALIAN,
    PORTUGUESE,
    DUTCH,
    SPANISH,
    POLISH,
    SWEDISH,
    DANISH,
    NORWEGIAN,
  ]) {
    for (const [foreign, english] of Object.entries(table)) {
      for (const spelling of umlautSpellings(foreign)) {
        const key = keyTokens(spelling).join(' ');
        if (key && !map.has(key)) map.set(key, english);
      }
    }
  }
  return map;
})();

/** German single words, folded: only they take a linking s ('Leistungs'), never an English plural ('documents'). */
const GERMAN_STEMS: ReadonlySet<string> = new Set(
  Object.keys(GERMAN)
    .filter((key) => !key.includes(' '))
    .flatMap(umlautSpellings)
    .map((key) => keyTokens(key).join(' ')),
);

/** German and Dutch compound heads (Dutch compounds the same way: geboorte+datum, bestand+s+naam). */
const HEADS = Object.entries({ ...DUTCH_HEADS, ...GERMAN_HEADS }).sort((a, b) => b[0].length - a[0].length);

/** A word that alone does not show the header is foreign (see AMBIGUOUS and WHOLE_HEADER_ONLY). */
function isWeakEvidence(word: string, headerLength: number): boolean {
  return AMBIGUOUS.has(word) || (WHOLE_HEADER_ONLY.has(word) && headerLength > 1);
}

/** A German first part written apart with its linking s: 'Leistungs-Nr.', 'Geburts-Datum'. */
function withoutLinkingS(token: string): string | undefined {
  if (token.length < 6 || !token.endsWith('s')) return undefined;
  const stem = token.slice(0, -1);
  const english = GERMAN_STEMS.has(stem) ? PHRASES.get(stem) : undefined;
  return english && !english.includes(' ') ? english : undefined;
}

/** `geburtsdatum` → 'birth date', `mandantennummer` → 'client number'; undefined when the first part is unknown. */
function splitCompound(token: string): string | undefined {
  if (token.length < 6) return undefined;
  for (const [head, english] of HEADS) {
    if (!token.endsWith(head)) continue;
    const modifier = token.slice(0, -head.length);
    if (modifier.length < 3) continue;
    // Linking letters: Geburt-s-datum, Akte-n-nummer, Mandant-en-nummer.
    for (const form of [
      modifier,
      modifier.replace(/s$/, ''),
      modifier.replace(/n$/, ''),
      modifier.replace(/en$/, ''),
    ]) {
      const known = PHRASES.get(form);
      if (known && !AMBIGUOUS.has(form)) return `${known} ${english}`;
    }
  }
  return undefined;
}

/**
 * A header's tokens (lower-case, accents off, split on punctuation) in English when it is written in one of
 * the languages above; the tokens unchanged otherwise.
 * @example translateHeaderTokens(['date', 'd', 'ouverture']) // ['date', 'opened']
 * @example translateHeaderTokens(['mandantennummer']) // ['client', 'number']
 * @example translateHeaderTokens(['data']) // ['data']
 */
export function translateHeaderTokens(tokens: readonly string[]): string[] {
  const content = tokens
    .map((token) => (NUMBER_WORDS.has(token) ? 'number' : token))
    .filter((token) => !FUNCTION_WORDS.has(token));
  const out: string[] = [];
  let foreign = false;
  for (let i = 0; i < content.length; ) {
    let matched = false;
    for (let length = Math.min(LONGEST_PHRASE, content.length - i); length >= 1; length -= 1) {
      const key = content.slice(i, i + length).join(' ');
      const english = PHRASES.get(key);
      if (english === undefined) continue;
      if (english !== key && !(length === 1 && isWeakEvidence(key, content.length))) foreign = true;
      out.push(...english.split(' '));
      i += length;
      matched = true;
      break;
    }
    if (matched) continue;
    const compound = withoutLinkingS(content[i]!) ?? splitCompound(content[i]!);
    if (compound) {
      foreign = true;
      out.push(...compound.split(' '));
    } else out.push(content[i]!);
    i += 1;
  }
  if (!foreign) return [...tokens];
  // Romance and German headers put the number or id first ('N° dossier', 'ID Mandant'); English puts it last.
  if (out.length >= 2 && (out[0] === 'number' || out[0] === 'id')) out.push(out.shift()!);
  return out;
}

/**
 * Yes/no words of these languages (ja/nein, oui/non, sì/no, sim/não, wahr/falsch, vrai/faux, ja/nee,
 * waar/onwaar, verdadero/falso, tak/nie, prawda/fałsz, ja/nej, ja/nei), folded and as written.
 */
export const FOREIGN_YES = [
  ...['ja', 'j', 'oui', 'sim', 'wahr', 'vrai', 'vero', 'verdadeiro'],
  ...['waar', 'verdadero', 'tak', 'prawda'],
] as const;
export const FOREIGN_NO = [
  ...['nein', 'non', 'nao', 'não', 'falsch', 'faux', 'falso'],
  ...['nee', 'onwaar', 'nie', 'falsz', 'fałsz', 'nej', 'nei'],
] as const;
