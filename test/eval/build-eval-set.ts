import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { BackdocketObject } from '../../src/core/objects.ts';
import { ENTITY_FOR_OBJECT } from '../../src/mapping/model.ts';
import { encode1252 } from '../../src/source/backdocket/generate/csv-writer.ts';
import { CANONICAL, type CanonicalColumn, type CanonicalFile, type Gen } from './canonical.ts';
import {
  type Casing,
  type Decoy,
  type ExtraFile,
  FRESH_STYLES,
  HELD_OUT_STYLES,
  type IdFormat,
  STYLES,
  type Style,
  TRAINING_STYLES,
  UNSEEN_STYLES,
} from './styles.ts';
import { FRESH2_STYLES } from './styles-fresh2.ts';

/**
 * Builds the styled exports of the evaluation set (seeded) with their ground truth: per file its object,
 * per column its expected target, per data row the entity it holds and its line, and the references every
 * row carries (for scoring links after a migration).
 *
 * One firm's data is generated first, coherently (a claim's client name is its client contact's name, a
 * contact's company name is its company's), then written in the style: names, casing, locale, id format,
 * files without ids, merged and split objects, decoys.
 */

export interface TruthColumn {
  readonly header: string;
  /** Expected target (null = not migrated). */
  readonly expected: string | null;
  /** Other targets that are as right (a natural key kept as the file's key or as a custom field). */
  readonly alternatives?: readonly string[];
  readonly decoy: boolean;
  /** The canonical column it carries (absent for decoys and extra columns). */
  readonly carries?: { readonly object: BackdocketObject; readonly header: string };
  /** For columns expected to become a custom field named after the header: the styled header. */
  readonly customName?: string;
}

export interface TruthRow {
  /** The entity the row holds (`contact:12`); rows of link tables and logs are entities of their own. */
  readonly key: string;
  /** 1-based physical line of the row in the file. */
  readonly line: number;
}

export interface TruthFile {
  readonly file: string;
  readonly object: BackdocketObject;
  readonly columns: readonly TruthColumn[];
  readonly rows: readonly TruthRow[];
}

/** One generated row of one canonical object: what the firm's data says, before any styling. */
export interface EntityTruth {
  readonly object: BackdocketObject;
  readonly key: string;
  /** Display name where the entity has one (contacts, companies, staff: full name; claims: claim number). */
  readonly name: string;
  /** Canonical header → referenced entity key, for the references the row holds. */
  readonly refs: ReadonlyMap<string, string>;
  /** Canonical header → raw semantic text, for the few values scoring needs (caller names, file names). */
  readonly texts: ReadonlyMap<string, string>;
}

export interface EvalExport {
  readonly style: Style;
  readonly files: { name: string; content: Buffer }[];
  readonly truth: readonly TruthFile[];
  readonly entities: ReadonlyMap<string, EntityTruth>;
  /** The same data exported again: every file's rows re-sorted, export artefacts (counters, stamps) renewed. */
  readonly reexport: () => Promise<{ files: { name: string; content: Buffer }[]; truth: TruthFile[] }>;
}

const ROWS = 30;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Maria',
  'Dana',
  'Marco',
  'Tina',
  'Earl',
  'Linh',
  'James',
  'Aisha',
  'Carlos',
  'Grace',
  'Omar',
  'Sofia',
  'Wei',
  'Hannah',
];
const LAST = [
  'Gonzalez',
  'Whitfield',
  'Reyes',
  "O'Neil",
  'Price',
  'Nguyen',
  'Smith',
  'Khan',
  'Muñoz',
  'Baker',
  'Patel',
  'Okafor',
];
const STAFF_LAST = ['Harper', 'Ingram', 'Jensen', 'Kowalski', 'Lambert', 'Moreno', 'Nash', 'Ortiz'];
/** Callers of intake lines and other people who are not contacts: names no contact has. */
const OTHER_LAST = ['Alvarez', 'Brooks', 'Castillo', 'Dunn', 'Ellison', 'Fontaine', 'Garrity', 'Holt'];
const COMPANIES = [
  'GEICO',
  'Memorial Hermann',
  'Lone Star Freight',
  'State Farm',
  "St. Luke's Hospital",
  'Allstate',
  'Progressive',
  'Baylor Clinic',
  'Texas Mutual',
  'Harris County Court',
];
const CITIES = ['Houston', 'Austin', 'Galveston', 'Dallas', 'San Antonio'];
const STATES = ['TX', 'LA', 'OK', 'NM'];
const STREETS = ['Main St', 'Westheimer Rd', 'Congress Ave', 'Broadway', 'Elm St'];
const WORDS = [
  'client',
  'called',
  'records',
  'requested',
  'adjuster',
  'offer',
  'treatment',
  'ongoing',
  'police',
  'report',
  'received',
  'demand',
  'sent',
  'follow',
  'up',
  'settlement',
  'hearing',
  'scheduled',
];
const ID_BASE: Record<BackdocketObject, number> = {
  staff: 10,
  contact: 1000,
  company: 5000,
  claim_type: 1,
  claim: 20000,
  claim_contact: 0,
  claim_staff: 0,
  status_history: 0,
  intake: 30000,
  event: 40000,
  task: 50000,
  note: 60000,
  document: 70000,
  billing_entry: 88000,
  check_approval: 90000,
  document_template: 300,
};
const ID_PREFIX: Record<BackdocketObject, string> = {
  staff: 'U',
  contact: 'C',
  company: 'O',
  claim_type: 'T',
  claim: 'M',
  claim_contact: 'CC',
  claim_staff: 'CS',
  status_history: 'SH',
  intake: 'L',
  event: 'E',
  task: 'K',
  note: 'N',
  document: 'D',
  billing_entry: 'B',
  check_approval: 'A',
  document_template: 'DT',
};
/** Salesforce-like key prefixes (three characters naming the object). */
const SF_PREFIX: Record<BackdocketObject, string> = {
  staff: '005',
  contact: '003',
  company: '001',
  claim_type: 'a01',
  claim: '006',
  claim_contact: 'a02',
  claim_staff: 'a03',
  status_history: 'a04',
  intake: '00Q',
  event: '00U',
  task: '00T',
  note: '002',
  document: '069',
  billing_entry: 'a05',
  check_approval: 'a06',
  document_template: 'a07',
};

// ---- the firm's data, before styling -----------------------------------------------------------------

type Semantic =
  | { readonly t: 'empty' }
  | { readonly t: 'text'; readonly v: string }
  | { readonly t: 'id' }
  | {
      readonly t: 'ref';
      readonly object: BackdocketObject;
      readonly index: number;
      readonly by: 'key' | 'name';
    }
  | {
      readonly t: 'date';
      readonly parts: readonly [number, number, number, number, number];
      readonly time: boolean;
    }
  | { readonly t: 'money'; readonly amount: number; readonly variant: number }
  | { readonly t: 'percent'; readonly variant: number }
  | { readonly t: 'hours'; readonly variant: number }
  | { readonly t: 'bool'; readonly v: boolean; readonly variant: number }
  | { readonly t: 'enum'; readonly options: readonly string[]; readonly pick: number }
  | { readonly t: 'nameof'; readonly column: string }
  /** Where the row's document is stored: a folder, completed with the row's file name. */
  | { readonly t: 'path'; readonly folder: string }
  | { readonly t: 'shaof'; readonly column: string };

interface Entity {
  readonly object: BackdocketObject;
  readonly index: number;
  readonly key: string;
  readonly person?: { readonly first: string; readonly last: string };
  readonly values: Map<string, Semantic>;
}

type World = ReadonlyMap<BackdocketObject, readonly Entity[]>;

const entityKey = (object: BackdocketObject, index: number) => `${object}:${index + 1}`;

/** Unique people: the i-th of a fixed permutation of first × last names. */
function personOf(index: number, lasts: readonly string[]): { first: string; last: string } {
  const n = (index * 37 + 11) % (FIRST.length * lasts.length);
  return { first: FIRST[n % FIRST.length]!, last: lasts[Math.floor(n / FIRST.length)]! };
}

function companyName(index: number): string {
  const base = COMPANIES[index % COMPANIES.length]!;
  const round = Math.floor(index / COMPANIES.length);
  return round === 0
    ? base
    : `${base} ${CITIES[(index + round) % CITIES.length]}${round > 1 ? ` ${round}` : ''}`;
}

function claimNumber(index: number): string {
  return `${['BD', 'CV', 'PR'][index % 3]}-${2015 + (index % 9)}-${String(10007 + index * 7919).slice(-5)}`;
}

function fileName(rng: () => number, index: number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  return `${pick(['ER Records', 'Letter', 'Photo', 'Bill', 'Report'])} ${index + 1}.pdf`;
}

function generateEntity(
  file: CanonicalFile,
  index: number,
  rng: () => number,
  genOf: (column: CanonicalColumn) => Gen,
): Entity {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  const object = file.object;
  const person =
    object === 'contact'
      ? personOf(index, LAST)
      : object === 'staff'
        ? personOf(index, STAFF_LAST)
        : undefined;
  const values = new Map<string, Semantic>();
  for (const column of file.columns) {
    const gen = genOf(column);
    const fill = column.fill ?? 0.9;
    if (index !== 0 && rng() >= fill) {
      values.set(column.header, { t: 'empty' });
      continue;
    }
    values.set(column.header, semantic(gen, { rng, pick, index, person, object }));
  }
  return { object, index, key: entityKey(object, index), ...(person ? { person } : {}), values };
}

function semantic(
  gen: Gen,
  context: {
    rng: () => number;
    pick: <T>(list: readonly T[]) => T;
    index: number;
    person: { first: string; last: string } | undefined;
    object: BackdocketObject;
  },
): Semantic {
  const { rng, pick, index, person } = context;
  const text = (v: string): Semantic => ({ t: 'text', v });
  if (gen.startsWith('enum:')) {
    const options = gen.slice(5).split('|');
    return { t: 'enum', options, pick: Math.floor(rng() * options.length) };
  }
  if (gen.startsWith('list:')) {
    const options = gen.slice(5).split('|');
    const count = 1 + Math.floor(rng() * 2);
    return text([...new Set(Array.from({ length: count }, () => pick(options)))].join('; '));
  }
  if (gen.startsWith('ref:'))
    return { t: 'ref', object: gen.slice(4) as BackdocketObject, index: Math.floor(rng() * ROWS), by: 'key' };
  if (gen.startsWith('refname:'))
    return {
      t: 'ref',
      object: gen.slice(8) as BackdocketObject,
      index: Math.floor(rng() * ROWS),
      by: 'name',
    };
  if (gen.startsWith('nameof:')) return { t: 'nameof', column: gen.slice(7) };
  if (gen.startsWith('shaof:')) return { t: 'shaof', column: gen.slice(6) };
  const first = pick(FIRST);
  const last = pick(LAST);
  const date = (time: boolean): Semantic => ({
    t: 'date',
    parts: [
      2015 + Math.floor(rng() * 9),
      1 + Math.floor(rng() * 12),
      13 + Math.floor(rng() * 15),
      8 + Math.floor(rng() * 9),
      Math.floor(rng() * 60),
    ],
    time,
  });
  switch (gen) {
    case 'id':
      return { t: 'id' };
    case 'ownfirst':
      return text(person?.first ?? first);
    case 'ownlast':
      return text(person?.last ?? last);
    case 'ownfull':
      return text(person ? `${person.first} ${person.last}` : `${first} ${last}`);
    case 'ownemail': {
      const who = person ?? { first, last };
      if (context.object === 'staff')
        return text(`${who.first.toLowerCase()}.${who.last.toLowerCase()}@smithlawfirm.com`);
      return text(
        `${who.first.toLowerCase().replace(/[^a-z]/g, '')}.${who.last.toLowerCase().replace(/[^a-z]/g, '')}${index}@${pick(['gmail.com', 'yahoo.com', 'smithlawfirm.com', 'outlook.com'])}`,
      );
    }
    case 'email':
      return text(
        `${first.toLowerCase().replace(/[^a-z]/g, '')}.${last.toLowerCase().replace(/[^a-z]/g, '')}${index}@${pick(['gmail.com', 'yahoo.com', 'outlook.com'])}`,
      );
    case 'phone': {
      const n = `${pick(['713', '512', '281', '409'])}${200 + Math.floor(rng() * 700)}${String(1000 + Math.floor(rng() * 9000))}`;
      return text(
        pick([
          `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
          `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
          `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
        ]),
      );
    }
    case 'date':
      return date(false);
    case 'datetime':
      return date(true);
    case 'time': {
      const h = 8 + Math.floor(rng() * 9);
      return text(`${((h + 11) % 12) + 1}:${pick(['00', '15', '30', '45'])} ${h < 12 ? 'AM' : 'PM'}`);
    }
    case 'money':
      return { t: 'money', amount: Math.round(rng() * 5000000) / 100, variant: Math.floor(rng() * 3) };
    case 'percent':
      return { t: 'percent', variant: Math.floor(rng() * 5) };
    case 'bool':
      return { t: 'bool', v: rng() < 0.5, variant: Math.floor(rng() * 2) };
    case 'first':
      return text(first);
    case 'last':
      return text(last);
    case 'fullname':
      // People who are not contacts (callers, injured parties, opposing counsel): names no contact has.
      return text(`${first} ${pick(OTHER_LAST)}`);
    case 'staffname':
      return { t: 'ref', object: 'staff', index: Math.floor(rng() * 8), by: 'name' };
    case 'company':
      return text(pick(COMPANIES));
    case 'companyname':
      return text(companyName(index));
    case 'claimnumber':
      return text(claimNumber(index));
    case 'filename':
      return text(fileName(rng, index));
    case 'text':
      return text(`${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`.replace(/^./, (c) => c.toUpperCase()));
    case 'long':
      return text(Array.from({ length: 12 + Math.floor(rng() * 10) }, () => pick(WORDS)).join(' '));
    case 'city':
      return text(pick(CITIES));
    case 'state':
      return text(pick(STATES));
    case 'zip':
      return text(String(77000 + Math.floor(rng() * 900)));
    case 'street':
      return text(`${100 + Math.floor(rng() * 9000)} ${pick(STREETS)}`);
    case 'url':
      return text(`https://www.${pick(['geico', 'memorialhermann', 'statefarm', 'baylor'])}.com`);
    case 'int':
      return text(String(1 + Math.floor(rng() * 9000)));
    case 'hours':
      return { t: 'hours', variant: Math.floor(rng() * 5) };
    case 'code':
      return text(
        `${pick(['BD', 'CV', 'PR', 'INV'])}-${2015 + Math.floor(rng() * 9)}-${String(Math.floor(rng() * 99999)).padStart(5, '0')}`,
      );
    case 'path':
      return { t: 'path', folder: `files/${20001 + index}/${pick(['Medical Records', 'Correspondence'])}` };
    case 'sha':
      return text(Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rng() * 16)]).join(''));
  }
  return { t: 'empty' };
}

/** Every canonical object's rows, for every style alike (the style only changes how they are written). */
function generateWorld(seed: number, style: Style): World {
  const world = new Map<BackdocketObject, Entity[]>();
  for (const file of CANONICAL) {
    const rng = mulberry32(seed ^ hashString(file.object));
    const genOf = (column: CanonicalColumn) =>
      style.values?.[`${file.object}:${column.header}`] ?? column.gen;
    world.set(
      file.object,
      Array.from({ length: ROWS }, (_, index) => generateEntity(file, index, rng, genOf)),
    );
  }
  return world;
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

// ---- writing the data in a style -----------------------------------------------------------------

function casing(header: string, style: Casing, object: BackdocketObject): string {
  const words = header
    .replace(/%/g, ' Pct ')
    .replace(/#/g, ' No ')
    .replace(/[()./:?&-]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const pascal = (list: string[]) =>
    list.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
  switch (style) {
    case 'as-is':
      return header;
    case 'snake':
      return words.map((w) => w.toLowerCase()).join('_');
    case 'camel': {
      const p = pascal(words);
      return p.charAt(0).toLowerCase() + p.slice(1);
    }
    case 'upper':
      return header.toUpperCase();
    case 'lower-joined':
      return words.join('').toLowerCase();
    case 'pascal-dotted':
      return `${pascal(object.split('_'))}.${pascal(words)}`;
    case 'salesforce':
      // Custom fields of a CRM's API names: Date_of_Incident__c.
      return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('_')}__c`;
    case 'pascal':
      return pascal(words);
    case 'bracketed':
      return `[${header}]`;
    case 'upper-snake':
      return words.map((w) => w.toUpperCase()).join('_');
  }
}

class StyleWriter {
  private readonly stampBase: number;
  constructor(
    private readonly style: Style,
    private readonly world: World,
    private readonly seed: number,
    /** A re-export: the export's own artefacts (time stamps) change. */
    reexport: boolean,
  ) {
    this.stampBase = Date.UTC(2024, 5, 1, 2, reexport ? 47 : 13, 0);
  }

  id(object: BackdocketObject, index: number, format: IdFormat = this.style.ids ?? 'int'): string {
    if (object === 'staff' && this.style.staffIds === 'initials') return this.staffInitials(index);
    if (object === 'claim' && this.style.claimIds === 'matter-ref') return this.matterRef(index);
    if (object === 'claim' && this.style.claimIds === 'year-seq') return this.yearSeq(index);
    const n = ID_BASE[object] + index + 1;
    switch (format) {
      case 'int':
        return String(n);
      case 'prefixed':
        return `${ID_PREFIX[object]}-${n}`;
      case 'prefixed-padded':
        return `${ID_PREFIX[object]}-${String(n).padStart(6, '0')}`;
      case 'padded':
        return String(n).padStart(8, '0');
      case 'guid': {
        const h = createHash('sha256').update(`${this.seed}:${object}:${index}`).digest('hex');
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
      }
      case 'salesforce': {
        const h = createHash('sha256').update(`${this.seed}:${object}:${index}`).digest('base64');
        return `${SF_PREFIX[object]}5g00000${h.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
      }
    }
  }

  /** A staff member's initials, unique in the firm: first initial and two of the surname (MHA), else MAH, else MHA2. */
  private staffInitials(index: number): string {
    if (!this.initials) {
      this.initials = new Map();
      const taken = new Set<string>();
      for (const entity of this.world.get('staff') ?? []) {
        const { first, last } = entity.person ?? { first: 'X', last: 'X' };
        const letters = (text: string) => text.replace(/[^A-Za-z]/g, '').toUpperCase();
        const f = letters(first);
        const l = letters(last);
        let code = `${f[0]}${l.slice(0, 2)}`;
        if (taken.has(code)) code = `${f.slice(0, 2)}${l[0]}`;
        for (let n = 2; taken.has(code); n += 1) code = `${f[0]}${l.slice(0, 2)}${n}`;
        taken.add(code);
        this.initials.set(entity.index, code);
      }
    }
    return this.initials.get(index) ?? '';
  }
  private initials: Map<number, string> | undefined;

  /** A UK matter reference: the client's surname, the matter's number, the fee earner's initials (SMI/0042/MHA). */
  private matterRef(index: number): string {
    const claim = this.world.get('claim')?.[index];
    const client = claim?.values.get('Client Contact ID');
    const owner = claim?.values.get('Lead Attorney');
    const last =
      client?.t === 'ref' ? (this.world.get('contact')?.[client.index]?.person?.last ?? 'XXX') : 'XXX';
    const earner = owner?.t === 'ref' ? this.staffInitials(owner.index) : this.staffInitials(0);
    return `${last
      .replace(/[^A-Za-z]/g, '')
      .slice(0, 3)
      .toUpperCase()}/${String(index + 1).padStart(4, '0')}/${earner}`;
  }

  /** A matter number of the year it was opened and its sequence (2024-0041); unique since the sequence is. */
  private yearSeq(index: number): string {
    const opened = this.world.get('claim')?.[index]?.values.get('Date Opened');
    const year = opened?.t === 'date' ? opened.parts[0] : 2023;
    return `${year}-${String(index + 1).padStart(4, '0')}`;
  }

  /** How a reference names its parent: its natural value, people surname first where the style says so. */
  private referenceName(object: BackdocketObject, index: number): string {
    const person = this.world.get(object)?.[index]?.person;
    if (person && this.style.nameOrder === 'last-first') return `${person.last}, ${person.first}`;
    return this.naturalValue(object, index);
  }

  /** The natural value naming an entity: a person's full name, a company's name, a claim's number. */
  naturalValue(object: BackdocketObject, index: number): string {
    const entity = this.world.get(object)?.[index];
    if (!entity) return '';
    if (entity.person) return `${entity.person.first} ${entity.person.last}`;
    if (object === 'company') return this.text(entity, 'Company Name');
    if (object === 'claim') return this.text(entity, 'Claim Number');
    return this.id(object, index);
  }

  /** A staff member's e-mail, as the staff file writes it. */
  private staffEmail(index: number): string {
    const person = this.world.get('staff')?.[index]?.person;
    return person ? `${person.first.toLowerCase()}.${person.last.toLowerCase()}@smithlawfirm.com` : '';
  }

  private text(entity: Entity, column: string): string {
    const value = entity.values.get(column);
    return value?.t === 'text' ? value.v : '';
  }

  hasIds(object: BackdocketObject): boolean {
    return !(this.style.noIds ?? []).includes(object);
  }

  format(entity: Entity, column: string, rowIndex: number): string {
    const value = entity.values.get(column);
    if (!value) return '';
    const comma = this.style.decimalComma === true;
    switch (value.t) {
      case 'empty':
        return '';
      case 'text':
        return value.v;
      case 'id':
        return this.id(entity.object, entity.index);
      case 'ref':
        if (value.object === 'staff' && value.by === 'name' && this.style.staffRefs === 'email')
          return this.staffEmail(value.index);
        if (value.object === 'staff' && value.by === 'name' && this.style.staffRefs === 'initials')
          return this.staffInitials(value.index);
        return value.by === 'name' ||
          !this.hasIds(value.object) ||
          (this.style.namedRefs ?? []).includes(`${entity.object}:${column}`)
          ? this.referenceName(value.object, value.index)
          : this.id(value.object, value.index, this.style.refIds ?? this.style.ids ?? 'int');
      case 'nameof': {
        const ref = entity.values.get(value.column);
        return ref?.t === 'ref' ? this.referenceName(ref.object, ref.index) : '';
      }
      case 'path':
        return this.documentPath(entity);
      case 'shaof':
        return createHash('sha256')
          .update(documentContent(this.documentPath(entity)))
          .digest('hex');
      case 'date':
        return formatDate(value.parts, this.style.dates, value.time, rowIndex);
      case 'money': {
        const amount = value.amount;
        if (comma) {
          const grouped = amount.toLocaleString('de-DE', { minimumFractionDigits: 2 });
          const unit = this.style.currency
            ? `${this.style.currency} ${grouped}`
            : `${grouped} ${this.style.currencySuffix ?? '€'}`;
          return [grouped, amount.toFixed(2).replace('.', ','), unit][value.variant]!;
        }
        const symbol = this.style.currency ?? '$';
        return [
          `${symbol}${amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
          amount.toFixed(2),
          `${symbol}${Math.round(amount)}`,
        ][value.variant]!;
      }
      case 'percent':
        return (
          comma ? ['33,33 %', '40%', '0,3333', '35 %', '33,33'] : ['33 1/3%', '40%', '0.3333', '35%', '33.33']
        )[value.variant]!;
      case 'hours':
        return (comma ? ['1,5', '0:18', '90m', '2', '0,25'] : ['1.5', '0:18', '90m', '2', '0.25'])[
          value.variant
        ]!;
      case 'bool': {
        const [yes, no] = this.style.booleans ?? (value.variant === 0 ? ['Yes', 'No'] : ['Y', 'N']);
        return value.v ? yes : no;
      }
      case 'enum':
        return value.options[value.pick]!;
    }
  }

  /** Where a document row's file is stored (relative to the export folder). */
  documentPath(entity: Entity): string {
    const stored = entity.values.get('Storage Path');
    const folder = stored?.t === 'path' ? stored.folder : '';
    const name = this.text(entity, 'File Name') || `document ${entity.index + 1}.pdf`;
    return `${folder || `files/${entity.index + 1}`}/${name}`;
  }

  decoyValue(decoy: Decoy, entity: Entity, position: number): string {
    // What belongs to a row (its GUID, its row version) stays with it; the export's own artefacts do not.
    const rng = mulberry32(this.seed ^ hashString(`${decoy.header}:${entity.key}`));
    const hex = (n: number) =>
      Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rng() * 16)]).join('');
    switch (decoy.kind) {
      case 'guid':
        return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      case 'rowversion':
        return `0x${'0'.repeat(10)}${hex(6).toUpperCase()}`;
      case 'empty':
        return '';
      case 'emails':
        return `contact${entity.index}@example.com`;
      case 'constant':
        return decoy.value ?? 'SYSTEM';
      case 'counter':
        return String(position + 1);
      case 'duplicate':
        return decoy.of ? this.format(entity, decoy.of, entity.index) : '';
      case 'stamp': {
        const at = new Date(this.stampBase + position * 1370 + Math.floor(rng() * 900));
        return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
    }
  }
}

function formatDate(
  parts: readonly [number, number, number, number, number],
  style: Style['dates'],
  withTime: boolean,
  index: number,
): string {
  const [year, month, day, hour, minute] = parts;
  const p = (n: number) => String(n).padStart(2, '0');
  const mode = style === 'mixed' ? (['us', 'iso', 'us'] as const)[index % 3]! : style;
  const h12 = ((hour + 11) % 12) + 1;
  switch (mode) {
    case 'iso':
      return withTime
        ? `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:00`
        : `${year}-${p(month)}-${p(day)}`;
    case 'iso-zoned':
      return withTime
        ? `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:00-05:00`
        : `${year}-${p(month)}-${p(day)}`;
    case 'dmy':
      return `${p(day)}/${p(month)}/${year}${withTime ? ` ${p(hour)}:${p(minute)}` : ''}`;
    case 'dmy-dots':
      return `${p(day)}.${p(month)}.${year}${withTime ? ` ${p(hour)}:${p(minute)}` : ''}`;
    case 'sql':
      return `${year}-${p(month)}-${p(day)} ${withTime ? `${p(hour)}:${p(minute)}` : '00:00'}:00.000`;
    case 'compact':
      return `${year}${p(month)}${p(day)}${withTime ? ` ${p(hour)}${p(minute)}` : ''}`;
    case 'dmy-dashes':
      return `${p(day)}-${p(month)}-${year}${withTime ? ` ${p(hour)}:${p(minute)}` : ''}`;
    case 'access':
      return `${month}/${day}/${year} ${withTime ? `${hour}:${p(minute)}` : '0:00'}:00`;
    case 'long': {
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      return `${day}-${months[month - 1]}-${year}${withTime ? ` ${h12}:${p(minute)} ${hour < 12 ? 'AM' : 'PM'}` : ''}`;
    }
    default:
      return `${month}/${day}/${year}${withTime ? ` ${h12}:${p(minute)} ${hour < 12 ? 'AM' : 'PM'}` : ''}`;
  }
}

function documentContent(path: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% BackDocket evaluation document ${path}\n%%EOF\n`, 'utf8');
}

function expectedTarget(column: CanonicalColumn, object: BackdocketObject): string | null {
  if (column.target !== 'custom') return column.target;
  return `${ENTITY_FOR_OBJECT[object]}.custom:${column.header}`;
}

/** One column of one styled file: its header, truth and how each row's cell is written. */
interface PlannedColumn {
  readonly header: string;
  readonly truth: TruthColumn;
  readonly cell: (entity: Entity, position: number) => string;
  /** The file's own id column. */
  readonly ownId?: boolean;
}

interface PlannedFile {
  readonly name: string;
  readonly object: BackdocketObject;
  readonly columns: PlannedColumn[];
  readonly entities: readonly Entity[];
}

/** The files of a style and their columns (the rows are written later, in any order). */
function planFiles(style: Style, world: World, writer: StyleWriter, seed: number): PlannedFile[] {
  const rng = mulberry32(seed);
  const files: PlannedFile[] = [];
  const styled = (object: BackdocketObject, canonical: string): string => {
    const renamed = style.rename[`${object}:${canonical}`] ?? style.rename[`*:${canonical}`];
    const prefix = style.columnPrefix?.[object];
    if (prefix) return `${prefix}${renamed ?? casing(canonical, style.casing, object)}`;
    if (!renamed) return casing(canonical, style.casing, object);
    return style.casing === 'pascal-dotted'
      ? `${casing('x', 'pascal-dotted', object).slice(0, -1)}${renamed}`
      : renamed;
  };
  const dropped = new Set(style.drop ?? []);
  const splitColumns = new Map(
    (style.split ?? []).map((split) => [split.object, new Set(split.columns)] as const),
  );
  for (const file of CANONICAL) {
    const name = style.files[file.object];
    if (!name) continue;
    const entities = world.get(file.object) ?? [];
    const used = new Set<string>();
    const unique = (header: string) => {
      if (style.duplicateHeaders) return header;
      let out = header;
      // Two canonical headers can collapse onto one styled spelling; keep the file readable.
      while (used.has(out.toLowerCase())) out = `${out} 2`;
      used.add(out.toLowerCase());
      return out;
    };
    const columnOf = (object: BackdocketObject, column: CanonicalColumn, header: string): PlannedColumn => {
      const expected = expectedTarget(column, object);
      const ownId = column.gen === 'id';
      const alternatives =
        !writer.hasIds(object) && object === file.object && column.gen === 'claimnumber'
          ? [`${ENTITY_FOR_OBJECT[object]}.ref:${object}`]
          : // With no companies file, a contact's company name is the company to make (split out of the row).
            object === 'contact' && column.header === 'Company Name' && !style.files.company
            ? ['organization.name']
            : undefined;
      return {
        header,
        ownId,
        truth: {
          header,
          expected,
          decoy: false,
          carries: { object, header: column.header },
          ...(alternatives ? { alternatives } : {}),
          ...(column.target === 'custom' ? { customName: header } : {}),
        },
        cell: (entity) => writer.format(entity, column.header, entity.index),
      };
    };
    const columns: PlannedColumn[] = [];
    for (const column of file.columns) {
      if (dropped.has(`${file.object}:${column.header}`)) continue;
      if (column.gen === 'id' && !writer.hasIds(file.object)) continue;
      if (splitColumns.get(file.object)?.has(column.header)) continue;
      columns.push(columnOf(file.object, column, unique(styled(file.object, column.header))));
    }
    // Objects without a file of their own ride along in this one ('Client First Name' in the case list).
    for (const merge of (style.merge ?? []).filter((m) => m.into === file.object)) {
      const source = CANONICAL.find((f) => f.object === merge.object);
      for (const header of merge.columns) {
        const column = source?.columns.find((c) => c.header === header);
        if (!column) throw new Error(`${style.name}: no canonical column ${merge.object}:${header}`);
        const styledHeader = unique(
          style.rename[`${merge.object}:${merge.prefix}${header}`] ??
            casing(`${merge.prefix}${header}`, style.casing, file.object),
        );
        const planned = columnOf(merge.object, column, styledHeader);
        columns.push({
          ...planned,
          ownId: false,
          cell: (entity) => {
            const via = entity.values.get(merge.via);
            const parent = via?.t === 'ref' ? world.get(merge.object)?.[via.index] : undefined;
            return parent ? writer.format(parent, header, parent.index) : '';
          },
        });
      }
    }
    for (const extra of (style.extras ?? []).filter((e) => e.object === file.object)) {
      const extraRng = mulberry32(seed ^ hashString(extra.header));
      const values = entities.map((entity) => {
        if (entity.index !== 0 && extraRng() >= (extra.fill ?? 0.9)) return '';
        const made = semantic(extra.gen, {
          rng: extraRng,
          pick: (list) => list[Math.floor(extraRng() * list.length)]!,
          index: entity.index,
          person: entity.person,
          object: file.object,
        });
        const holder: Entity = { ...entity, values: new Map([[extra.header, made]]) };
        return writer.format(holder, extra.header, entity.index);
      });
      const header = unique(extra.header);
      columns.push({
        header,
        truth: {
          header,
          expected:
            extra.expected === 'custom'
              ? `${ENTITY_FOR_OBJECT[file.object]}.custom:${header}`
              : extra.expected,
          decoy: false,
          ...(extra.expected === 'custom' ? { customName: header } : {}),
        },
        cell: (entity) => values[entity.index] ?? '',
      });
    }
    if (style.shuffleColumns) shuffleInPlace(columns, mulberry32(seed ^ hashString(`columns:${name}`)));
    moveKey(columns, style.keyPosition);
    for (const decoy of style.decoys.filter((d) => d.object === file.object)) {
      const at = Math.min(columns.length, 2 + Math.floor(rng() * (columns.length - 2)));
      const header = unique(decoy.header);
      columns.splice(at, 0, {
        header,
        truth: { header, expected: null, decoy: true },
        cell: (entity, position) => writer.decoyValue(decoy, entity, position),
      });
    }
    files.push({ name, object: file.object, columns, entities });
    const split = (style.split ?? []).find((s) => s.object === file.object);
    if (split) {
      const idColumn = file.columns.find((c) => c.gen === 'id');
      const moved = file.columns.filter((c) => split.columns.includes(c.header));
      if (!idColumn || moved.length === 0) throw new Error(`${style.name}: cannot split ${file.object}`);
      used.clear();
      const second = [
        columnOf(file.object, idColumn, unique(styled(file.object, idColumn.header))),
        ...moved.map((c) => columnOf(file.object, c, unique(styled(file.object, c.header)))),
      ];
      // The second file lists its rows in its own order.
      files.push({
        name: split.file,
        object: file.object,
        columns: second,
        entities: [...entities].reverse(),
      });
    }
  }
  return files;
}

/** A file holding none of the firm's objects, written cell by cell as given (its truth is not kept). */
function extraFilePlan(extra: ExtraFile): PlannedFile {
  return {
    name: extra.name,
    object: 'claim_type',
    columns: extra.header.map((header, at) => ({
      header,
      truth: { header, expected: null, decoy: true },
      cell: (entity) => extra.rows[entity.index]?.[at] ?? '',
    })),
    entities: extra.rows.map((_, index) => ({
      object: 'claim_type',
      index,
      key: `extra:${index}`,
      values: new Map(),
    })),
  };
}

function shuffleInPlace<T>(list: T[], rng: () => number): void {
  for (let i = list.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}

function moveKey(columns: PlannedColumn[], position: Style['keyPosition']): void {
  if (!position || position === 'first') return;
  const index = columns.findIndex((c) => c.ownId);
  if (index < 0) return;
  const [key] = columns.splice(index, 1);
  const at = position === 'last' ? columns.length : Math.floor(columns.length / 2);
  columns.splice(at, 0, key!);
}

function encode(text: string, encoding: Style['encoding']): Buffer {
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  // Excel's "Unicode Text": UTF-16 little-endian with its byte-order mark.
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return encoding === 'windows-1252' ? encode1252(text) : Buffer.from(text, 'utf8');
}

async function writeFile(
  style: Style,
  planned: PlannedFile,
  order: readonly Entity[],
): Promise<{ file: { name: string; content: Buffer }; truth: TruthFile }> {
  // Stray empty columns after the last one are in the file but in no truth.
  const stray = Array.from({ length: style.trailingEmpty ?? 0 }, () => '');
  const headers = [...planned.columns.map((c) => c.header), ...stray];
  const empty = style.empty ?? '';
  const rows = order.map((entity, position) => [
    ...planned.columns.map((c) => c.cell(entity, position) || empty),
    ...stray,
  ]);
  const lead = style.titleRow ? 1 : 0;
  const truthRows = order.map((entity, position) => ({ key: entity.key, line: lead + 2 + position }));
  const truth: TruthFile = {
    file: planned.name,
    object: planned.object,
    columns: planned.columns.map((c) => c.truth),
    rows: truthRows,
  };
  if (style.format === 'xlsx') {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Report');
    if (style.titleRow) sheet.addRow([style.titleRow]);
    sheet.addRow(headers);
    for (const row of rows) sheet.addRow(row);
    if (style.footer) sheet.addRow([style.footer]);
    return { file: { name: planned.name, content: Buffer.from(await workbook.xlsx.writeBuffer()) }, truth };
  }
  const delimiter = style.delimiter ?? ',';
  const cell = (value: string) =>
    value.includes(delimiter) || /["\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [
    ...(style.titleRow ? [cell(style.titleRow)] : []),
    headers.map(cell).join(delimiter),
    ...rows.map((row) => row.map(cell).join(delimiter)),
    ...(style.footer ? [cell(style.footer)] : []),
  ];
  return {
    file: { name: planned.name, content: encode(`${lines.join('\r\n')}\r\n`, style.encoding) },
    truth,
  };
}

/** Truth about each entity that end-to-end scoring reads: names and references. */
function entityTruths(world: World, writer: StyleWriter): Map<string, EntityTruth> {
  const out = new Map<string, EntityTruth>();
  for (const [object, entities] of world) {
    for (const entity of entities) {
      const refs = new Map<string, string>();
      const texts = new Map<string, string>();
      for (const [column, value] of entity.values) {
        if (value.t === 'ref') refs.set(column, entityKey(value.object, value.index));
        if (value.t === 'text') texts.set(column, value.v);
      }
      out.set(entity.key, {
        object,
        key: entity.key,
        name: writer.naturalValue(object, entity.index),
        refs,
        texts,
      });
    }
  }
  return out;
}

/** Builds one styled export. */
export async function buildExport(style: Style, seed: number): Promise<EvalExport> {
  const world = generateWorld(seed, style);
  const write = async (reexport: boolean) => {
    const writer = new StyleWriter(style, world, seed, reexport);
    const planned = planFiles(style, world, writer, seed);
    const files: { name: string; content: Buffer }[] = [];
    const truth: TruthFile[] = [];
    const shuffle = mulberry32(seed ^ 0x5eed);
    for (const file of planned) {
      const order = reexport ? shuffled(file.entities, shuffle) : file.entities;
      const written = await writeFile(style, file, order);
      files.push(written.file);
      truth.push(written.truth);
    }
    for (const extra of style.extraFiles ?? []) {
      const plan = extraFilePlan(extra);
      files.push((await writeFile(style, plan, plan.entities)).file);
    }
    // The documents the document index points at, so a migration can upload them.
    const documents = planned.find((f) => f.object === 'document');
    if (documents) {
      for (const entity of documents.entities) {
        const path = writer.documentPath(entity);
        files.push({ name: path, content: documentContent(path) });
      }
    }
    return { files, truth, writer };
  };
  const first = await write(false);
  return {
    style,
    files: first.files,
    truth: first.truth,
    entities: entityTruths(world, first.writer),
    reexport: async () => {
      const again = await write(true);
      return { files: again.files, truth: again.truth };
    },
  };
}

function shuffled<T>(list: readonly T[], rng: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The groups of the set: `tuned` (the first nine styles, tuned on before), `training` (written with the
 * held-out ones and tuned on under the protocol), `held-out` (written never to be tuned on, then tuned on),
 * `unseen` (written after, scored untuned and never studied: the honest estimate until it was tuned on),
 * `fresh` (written when `unseen` began to be tuned on, scored untuned and never studied, then tuned on),
 * `fresh2` (written when `fresh` began to be tuned on, scored untuned and never studied: the estimate now).
 */
export const STYLE_GROUPS = {
  tuned: STYLES,
  training: TRAINING_STYLES,
  'held-out': HELD_OUT_STYLES,
  unseen: UNSEEN_STYLES,
  fresh: FRESH_STYLES,
  fresh2: FRESH2_STYLES,
} as const;
export type StyleGroup = keyof typeof STYLE_GROUPS;

/** Every style of a group, seeded. */
export async function buildEvalSet(
  seed = 20260524,
  options: { group?: StyleGroup } = {},
): Promise<EvalExport[]> {
  const out: EvalExport[] = [];
  const group = options.group ?? 'tuned';
  // Each group its own data, so no held-out style shares a training style's values.
  const offset = {
    tuned: 0,
    training: 1_000_003,
    'held-out': 2_000_029,
    unseen: 3_000_017,
    fresh: 4_000_037,
    fresh2: 5_000_041,
  }[group];
  for (const [index, style] of STYLE_GROUPS[group].entries())
    out.push(await buildExport(style, seed + offset + index * 7919));
  return out;
}
