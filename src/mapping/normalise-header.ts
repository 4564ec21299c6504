import { withoutTypeTag } from '../core/header-tags.ts';
import { foldLetters, translateHeaderTokens } from '../core/languages/index.ts';

/**
 * Header normalisation for the proposer: case, punctuation, camel/snake splitting, accents and the
 * abbreviations law-firm exports use, so that `DOI`, `date_of_incident` and `Fecha del incidente` can be
 * compared as token lists.
 */

/** Token → expansion (may be several tokens). Applied after splitting, on lower-case tokens. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  no: 'number',
  nr: 'number',
  nbr: 'number',
  num: 'number',
  '#': 'number',
  tel: 'phone',
  telephone: 'phone',
  ph: 'phone',
  phn: 'phone',
  cell: 'mobile',
  cellphone: 'mobile phone',
  addr: 'address',
  adr: 'address',
  atty: 'attorney',
  attny: 'attorney',
  atty1: 'attorney',
  dob: 'date of birth',
  doi: 'date of incident',
  dol: 'date of loss',
  sol: 'statute of limitations',
  mail: 'email',
  emailaddress: 'email',
  dt: 'date',
  amt: 'amount',
  desc: 'description',
  descr: 'description',
  mgr: 'manager',
  org: 'organization',
  organisation: 'organization',
  fname: 'first name',
  lname: 'last name',
  firstname: 'first name',
  lastname: 'last name',
  surname: 'last name',
  pct: 'percent',
  perc: 'percent',
  ref: 'reference',
  qty: 'quantity',
  cat: 'category',
  ext: 'extension',
  zipcode: 'zip',
  postcode: 'zip',
  postal: 'zip',
  dept: 'department',
  yr: 'year',
  yrs: 'years',
  hrs: 'hours',
  hr: 'hours',
  w: 'with',
  id: 'id',
  ids: 'id',
  uuid: 'guid',
  rowguid: 'row guid',
  rowversion: 'row version',
  ts: 'timestamp',
  ssn4: 'ssn last 4',
  pi: 'personal injury',
  mva: 'motor vehicle accident',
  inc: 'incident',
  dte: 'date',
  stat: 'status',
  sts: 'status',
  cr: 'created',
  crt: 'created',
  upd: 'updated',
  mod: 'modified',
  chg: 'changed',
  usr: 'user',
  acct: 'account',
  inv: 'invoice',
  chk: 'check',
  pmt: 'payment',
  reimb: 'reimbursable',
  ttl: 'total',
  tot: 'total',
  med: 'medical',
  loc: 'location',
  subj: 'subject',
  evt: 'event',
  apt: 'appointment',
  appt: 'appointment',
  doc: 'document',
  docs: 'document',
  cmt: 'comment',
  comments: 'comment',
  // Spanish words that carry the concept (accents already removed).
  correo: 'email',
  electronico: '',
  telefono: 'phone',
  movil: 'mobile',
  celular: 'mobile',
  nombre: 'first name',
  apellido: 'last name',
  apellidos: 'last name',
  empresa: 'company',
  compania: 'company',
  fecha: 'date',
  nacimiento: 'birth',
  direccion: 'address',
  ciudad: 'city',
  estado: 'status',
  provincia: 'state',
  pais: 'country',
  codigo: 'code',
  cp: 'zip',
  notas: 'note',
  nota: 'note',
  cargo: 'job title',
  puesto: 'job title',
  sitio: 'website',
  web: 'website',
  cliente: 'client',
  caso: 'claim',
  expediente: 'claim',
  reclamo: 'claim',
  abogado: 'attorney',
  tipo: 'type',
  monto: 'amount',
  importe: 'amount',
  acuerdo: 'settlement',
  creado: 'created',
  creacion: 'created',
  activo: 'active',
  genero: 'gender',
  sexo: 'gender',
  idioma: 'language',
  titulo: 'title',
  descripcion: 'description',
  accidente: 'incident',
  incidente: 'incident',
  prescripcion: 'statute of limitations',
  contacto: 'contact',
  personal: 'personal',
  // Claim/matter/case are the same record in BackDocket exports (matter handled separately by aliases).
  case: 'claim',
  file: 'file',
};

/** Abbreviations and stopwords known to the normaliser (vocabulary for splitting run-together headers). */
export function knownWords(): string[] {
  return [...Object.keys(ABBREVIATIONS), ...STOPWORDS].filter((w) => /^[a-z]+$/.test(w));
}

/** Words that carry no meaning for matching. */
const STOPWORDS = new Set([
  'the',
  'of',
  'for',
  'a',
  'an',
  'de',
  'del',
  'la',
  'el',
  'los',
  'las',
  'y',
  'e',
  'en',
  'para',
  'por',
]);

/** Splits camelCase / PascalCase / digits, and keeps acronyms together: `ClaimID` → `Claim ID`. */
function splitCamel(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2');
}

/**
 * Header → normalised tokens.
 * @example normaliseHeaderTokens('E-mail Address') // ['email', 'address']
 * @example normaliseHeaderTokens('dateOfIncident') // ['date', 'incident']
 * @example normaliseHeaderTokens('Claim #') // ['claim', 'number']
 */
export function normaliseHeaderTokens(header: string): string[] {
  let text = foldLetters(
    withoutApiSuffixes(withoutTypeTag(header.replace(/^\uFEFF/, '')), ' ')
      // Nº, N°, N.º: 'number' in French, Spanish, Portuguese, Italian headers.
      .replace(/\b[Nn]\.?\s?[º°]/g, ' number '),
  );
  text = text.replace(/\be-?mail\b/gi, 'email').replace(/\bw\//gi, 'with ');
  text = splitCamel(text);
  text = text
    .replace(/#/g, ' # ')
    .replace(/%/g, ' percent ')
    .replace(/&/g, ' and ')
    .replace(/[_\-./:,;()[\]{}'"’`?!*+=|\\<>]+/g, ' ');
  const tokens: string[] = [];
  // Headers in German, French, Italian, Portuguese, Dutch, Spanish or Polish read as English first (core/languages).
  for (const raw of translateHeaderTokens(text.toLowerCase().split(/\s+/).filter(Boolean))) {
    if (!raw) continue;
    const expanded = ABBREVIATIONS[raw] ?? raw;
    for (const token of expanded.split(' ')) {
      if (token && !STOPWORDS.has(token)) tokens.push(token);
    }
  }
  return withIdSuffix(tokens);
}

/**
 * CRM API names mark custom fields and relations with a suffix (`County__c`, `Client__r.Name`): not a
 * word of the header (the reader's normaliser drops it too).
 */
function withoutApiSuffixes(header: string, by: ' ' | ''): string {
  return header.replace(/__[cr]\b/g, by);
}

/**
 * Many vendors head their identifiers '… Key' ('Person Key', 'Matter Key'); as the last word after a noun
 * it means the same as 'ID'. Only the last word: 'Key Dates' and 'Key Contact' are data.
 */
function withIdSuffix(tokens: string[]): string[] {
  const last = tokens.length - 1;
  if (last >= 1 && tokens[last] === 'key' && tokens[last - 1] !== 'primary') tokens[last] = 'id';
  return tokens;
}

/** Header → one normalised string (tokens joined by spaces). */
export function normaliseHeader(header: string): string {
  return normaliseHeaderTokens(header).join(' ');
}

/**
 * Human form of a header for a new custom field name: keeps meaningful case, splits snake/camel case.
 * @example prettyFieldName('auto_vehicle_year') // 'Auto Vehicle Year'
 * @example prettyFieldName('Auto: BI Limits') // 'Auto: BI Limits'
 */
export function prettyFieldName(header: string): string {
  const trimmed = withoutApiSuffixes(withoutTypeTag(header.replace(/^\uFEFF/, '')), '').trim();
  const hasSpaces = /\s/.test(trimmed);
  const isShouting = trimmed === trimmed.toUpperCase() && /[A-Z]{4,}/.test(trimmed);
  if (hasSpaces && !isShouting) return trimmed.slice(0, 255);
  const words = splitCamel(trimmed.replace(/[_]+/g, ' '))
    .split(/\s+/)
    .filter(Boolean)
    .map((word) =>
      word.length <= 3 && word === word.toUpperCase() && !isShouting
        ? word
        : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase(),
    );
  return (words.join(' ') || trimmed).slice(0, 255);
}

/** Edit distance ≤ 1 (a typo), for tokens long enough that it is not a different word. */
export function nearlyEqual(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (a.length > b.length) i += 1;
    else if (b.length > a.length) j += 1;
    else {
      i += 1;
      j += 1;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
