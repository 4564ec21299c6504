import ExcelJS from 'exceljs';
import type { BackdocketObject } from '../../src/core/objects.ts';
import { ENTITY_FOR_OBJECT } from '../../src/mapping/model.ts';
import { CANONICAL, type CanonicalColumn, type Gen } from './canonical.ts';
import { type Casing, type DecoyKind, HELD_OUT_STYLES, STYLES, type Style } from './styles.ts';

/** Builds the styled exports of the evaluation set (seeded) with their ground truth. */

export interface TruthColumn {
  readonly header: string;
  /** Expected target (null = not migrated). */
  readonly expected: string | null;
  readonly decoy: boolean;
  /** For columns expected to become a custom field named after the header: the styled header. */
  readonly customName?: string;
}

export interface TruthFile {
  readonly file: string;
  readonly object: BackdocketObject;
  readonly columns: readonly TruthColumn[];
}

export interface EvalExport {
  readonly style: Style;
  readonly files: { name: string; content: Buffer }[];
  readonly truth: readonly TruthFile[];
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
  }
}

function formatDate(rng: () => number, style: Style['dates'], withTime: boolean, index: number): string {
  const year = 2015 + Math.floor(rng() * 9);
  const month = 1 + Math.floor(rng() * 12);
  const day = 13 + Math.floor(rng() * 15);
  const hour = 8 + Math.floor(rng() * 9);
  const minute = Math.floor(rng() * 60);
  const p = (n: number) => String(n).padStart(2, '0');
  const mode = style === 'mixed' ? (['us', 'iso', 'us'] as const)[index % 3]! : style;
  if (mode === 'iso')
    return withTime
      ? `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:00`
      : `${year}-${p(month)}-${p(day)}`;
  if (mode === 'dmy') return `${p(day)}/${p(month)}/${year}${withTime ? ` ${p(hour)}:${p(minute)}` : ''}`;
  const h12 = ((hour + 11) % 12) + 1;
  return `${month}/${day}/${year}${withTime ? ` ${h12}:${p(minute)} ${hour < 12 ? 'AM' : 'PM'}` : ''}`;
}

interface Pools {
  readonly staffNames: string[];
  readonly ids: Partial<Record<BackdocketObject, number[]>>;
}

function value(
  gen: Gen,
  rng: () => number,
  row: number,
  object: BackdocketObject,
  style: Style,
  pools: Pools,
): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  const first = pick(FIRST);
  const last = pick(LAST);
  if (gen.startsWith('enum:')) return pick(gen.slice(5).split('|'));
  if (gen.startsWith('list:')) {
    const options = gen.slice(5).split('|');
    const count = 1 + Math.floor(rng() * 2);
    return [...new Set(Array.from({ length: count }, () => pick(options)))].join(
      object === 'claim_type' ? '|' : '; ',
    );
  }
  if (gen.startsWith('ref:')) {
    const target = gen.slice(4) as BackdocketObject;
    return String(pick(pools.ids[target] ?? [ID_BASE[target] + 1]));
  }
  switch (gen) {
    case 'id':
      return String(ID_BASE[object] + row + 1);
    case 'email':
      return `${first.toLowerCase().replace(/[^a-z]/g, '')}.${last.toLowerCase().replace(/[^a-z]/g, '')}${row}@${pick(['gmail.com', 'yahoo.com', 'smithlawfirm.com', 'outlook.com'])}`;
    case 'phone': {
      const n = `${pick(['713', '512', '281', '409'])}${200 + Math.floor(rng() * 700)}${String(1000 + Math.floor(rng() * 9000))}`;
      return pick([
        `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
        `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
        `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      ]);
    }
    case 'date':
      return formatDate(rng, style.dates, false, row);
    case 'datetime':
      return formatDate(rng, style.dates, true, row);
    case 'time': {
      const h = 8 + Math.floor(rng() * 9);
      return `${((h + 11) % 12) + 1}:${pick(['00', '15', '30', '45'])} ${h < 12 ? 'AM' : 'PM'}`;
    }
    case 'money': {
      const amount = Math.round(rng() * 5000000) / 100;
      return pick([
        `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
        amount.toFixed(2),
        `$${Math.round(amount)}`,
      ]);
    }
    case 'percent':
      return pick(['33 1/3%', '40%', '0.3333', '35%', '33.33']);
    case 'bool':
      return pick(['Yes', 'No', 'Y', 'N']);
    case 'first':
      return first;
    case 'last':
      return last;
    case 'fullname':
      return `${first} ${last}`;
    case 'staffname':
      return pick(pools.staffNames);
    case 'company':
      return pick(COMPANIES);
    case 'text':
      return `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`.replace(/^./, (c) => c.toUpperCase());
    case 'long':
      return Array.from({ length: 12 + Math.floor(rng() * 10) }, () => pick(WORDS)).join(' ');
    case 'city':
      return pick(CITIES);
    case 'state':
      return pick(STATES);
    case 'zip':
      return String(77000 + Math.floor(rng() * 900));
    case 'street':
      return `${100 + Math.floor(rng() * 9000)} ${pick(STREETS)}`;
    case 'url':
      return `https://www.${pick(['geico', 'memorialhermann', 'statefarm', 'baylor'])}.com`;
    case 'int':
      return String(1 + Math.floor(rng() * 9000));
    case 'hours':
      return pick(['1.5', '0:18', '90m', '2', '0.25']);
    case 'code':
      return `${pick(['BD', 'CV', 'PR', 'INV'])}-${2015 + Math.floor(rng() * 9)}-${String(Math.floor(rng() * 99999)).padStart(5, '0')}`;
    case 'path':
      return `files/${ID_BASE.claim + row}/${pick(['Medical Records', 'Correspondence'])}/${pick(['ER Records', 'Letter', 'Photo'])} ${row}.pdf`;
    case 'sha':
      return Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rng() * 16)]).join('');
  }
  return '';
}

function decoyValue(kind: DecoyKind, rng: () => number, row: number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rng() * 16)]).join('');
  switch (kind) {
    case 'guid':
      return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    case 'rowversion':
      return `0x${'0'.repeat(10)}${hex(6).toUpperCase()}`;
    case 'empty':
      return '';
    case 'emails':
      return `contact${row}@example.com`;
    case 'constant':
      return 'SYSTEM';
  }
}

function expectedTarget(column: CanonicalColumn, object: BackdocketObject): string | null {
  if (column.target !== 'custom') return column.target;
  return `${ENTITY_FOR_OBJECT[object]}.custom:${column.header}`;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Builds one styled export. */
export async function buildExport(style: Style, seed: number): Promise<EvalExport> {
  const rng = mulberry32(seed);
  const included = CANONICAL.filter((file) => style.files[file.object]);
  const pools: Pools = {
    staffNames: Array.from(
      { length: 8 },
      (_, i) => `${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`,
    ),
    ids: Object.fromEntries(
      CANONICAL.map((file) => [
        file.object,
        Array.from({ length: ROWS }, (_, i) => ID_BASE[file.object] + i + 1),
      ]),
    ),
  };
  const files: { name: string; content: Buffer }[] = [];
  const truth: TruthFile[] = [];
  for (const file of included) {
    const name = style.files[file.object]!;
    const headers: string[] = [];
    const columns: TruthColumn[] = [];
    const generators: ((row: number) => string)[] = [];
    const used = new Set<string>();
    for (const column of file.columns) {
      const renamed = style.rename[`${file.object}:${column.header}`] ?? style.rename[`*:${column.header}`];
      let header = renamed
        ? style.casing === 'pascal-dotted'
          ? `${casing('x', 'pascal-dotted', file.object).slice(0, -1)}${renamed}`
          : renamed
        : casing(column.header, style.casing, file.object);
      // Two canonical headers can collapse onto one styled spelling; keep the file readable.
      while (used.has(header.toLowerCase())) header = `${header} 2`;
      used.add(header.toLowerCase());
      headers.push(header);
      columns.push({
        header,
        expected: expectedTarget(column, file.object),
        decoy: false,
        ...(column.target === 'custom' ? { customName: header } : {}),
      });
      const fill = column.fill ?? 0.9;
      generators.push((row) =>
        row === 0 || rng() < fill ? value(column.gen, rng, row, file.object, style, pools) : '',
      );
    }
    for (const decoy of style.decoys.filter((d) => d.object === file.object)) {
      const at = Math.min(headers.length, 2 + Math.floor(rng() * (headers.length - 2)));
      const header =
        style.casing === 'pascal-dotted' && !decoy.header.startsWith('_') ? decoy.header : decoy.header;
      headers.splice(at, 0, header);
      columns.splice(at, 0, { header, expected: null, decoy: true });
      generators.splice(at, 0, (row) => decoyValue(decoy.kind, rng, row));
    }
    const rows = Array.from({ length: ROWS }, (_, row) => generators.map((g) => g(row)));
    truth.push({ file: name, object: file.object, columns });
    if (style.format === 'xlsx') {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Report');
      if (style.titleRow) sheet.addRow([style.titleRow]);
      sheet.addRow(headers);
      for (const row of rows) sheet.addRow(row);
      files.push({ name, content: Buffer.from(await workbook.xlsx.writeBuffer()) });
    } else {
      const lines = [
        ...(style.titleRow ? [csvCell(style.titleRow)] : []),
        headers.map(csvCell).join(','),
        ...rows.map((row) => row.map(csvCell).join(',')),
      ];
      files.push({ name, content: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8') });
    }
  }
  return { style, files, truth };
}

/** Every style of the set, seeded. */
export async function buildEvalSet(
  seed = 20260524,
  options: { heldOut?: boolean } = {},
): Promise<EvalExport[]> {
  const out: EvalExport[] = [];
  const styles = options.heldOut ? HELD_OUT_STYLES : STYLES;
  for (const [index, style] of styles.entries()) out.push(await buildExport(style, seed + index * 7919));
  return out;
}
