/**
 * JSON records from an MCP server → rows of tables, the shape the rest of Ferry reads from files. Pure.
 *
 * - scalars keep their key (`claimNumber`); `null` is an empty cell; numbers and booleans become text;
 * - nested objects become dotted columns (`client.firstName`), which the mapping proposer reads as the
 *   words `client first name`;
 * - a key that is already a human label (`"Auto: BI Limits"`, `"Q: Ambulance?"`, as custom-field bags
 *   hold them) names its column by itself: the container's name (`customFields`) adds nothing to it;
 * - arrays of plain values become one cell joined with `; ` (how exports write multi-value cells);
 * - arrays of records become a child table (`claims` + `contacts` → `claim_contacts`) whose rows start
 *   with the parent's key (`claimId`), as a link file of an export would.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One row of one table, made from a record (sub 0) or from a record nested in it (sub 1, 2, …). */
export interface TableRow {
  readonly table: string;
  /** 0 for the record itself, then its nested records in order (depth first). */
  readonly sub: number;
  /** The row's own id, when the record has one. */
  readonly recordId: string | null;
  /** The id of the record this one is nested in. */
  readonly parentId: string | null;
  /** The column holding `parentId` (rows of nested records). */
  readonly parentColumn: string | null;
  /** Column → text, in column order. Empty cells are ''. */
  readonly values: Readonly<Record<string, string>>;
}

export interface FlattenOptions {
  /** The table the record belongs to (`claims`). */
  readonly table: string;
  /** The field holding the record's id, when known (plan or source.yaml); else guessed (`id`, `claimId` …). */
  readonly idField?: string | undefined;
}

/**
 * The rows one record makes: its own (first) and those of the records nested in it.
 * @example flattenRecord({ table: 'claims', record: { id: 7, client: { id: 3 }, contacts: [{ contactId: 3, role: 'Client' }] } })
 * // [{ table: 'claims', values: { id: '7', 'client.id': '3' } …}, { table: 'claim_contacts', values: { claimId: '7', contactId: '3', role: 'Client' } …}]
 */
export function flattenRecord(record: JsonObject, options: FlattenOptions): TableRow[] {
  const rows: TableRow[] = [];
  addRecord({ record, table: options.table, idField: options.idField, parent: null, rows });
  return rows;
}

interface AddInput {
  readonly record: JsonObject;
  readonly table: string;
  readonly idField: string | undefined;
  readonly parent: { readonly column: string; readonly id: string | null } | null;
  readonly rows: TableRow[];
}

function addRecord(input: AddInput): void {
  const { record, table, rows } = input;
  // A nested record's only id-like field is usually the key it links to (contactId), not its own id.
  const idField = input.idField ?? guessIdField(table, record, { loose: input.parent === null });
  const recordId = idField !== undefined ? scalarText(record[idField]) || null : null;
  const values: Record<string, string> = {};
  const children: { table: string; records: JsonObject[] }[] = [];
  // The parent's key first (a link row names what it links first), then the record's id, then the rest.
  if (input.parent && !(input.parent.column in record)) values[input.parent.column] = input.parent.id ?? '';
  if (idField !== undefined && idField in record) values[idField] = recordId ?? '';
  const walk = (object: JsonObject, path: string): void => {
    for (const [key, value] of Object.entries(object)) {
      if (path === '' && key === idField) continue;
      const column = isLabel(key) && !(key in values) ? key : path === '' ? key : `${path}.${key}`;
      if (Array.isArray(value)) {
        const nested = value.filter((item): item is JsonObject => isObject(item));
        if (nested.length > 0) {
          const childTable = childTableName(table, path === '' ? key : `${path}.${key}`);
          // Plain values beside records in one array are kept as records with one field.
          const records = value.map((item) => (isObject(item) ? item : { value: item }));
          children.push({ table: childTable, records });
          continue;
        }
        values[column] = value
          .map((item) => scalarText(item))
          .filter((text) => text !== '')
          .join('; ');
        continue;
      }
      if (isObject(value)) {
        walk(value, column);
        continue;
      }
      values[column] = scalarText(value);
    }
  };
  walk(record, '');
  rows.push({
    table,
    sub: rows.length,
    recordId,
    parentId: input.parent?.id ?? null,
    parentColumn: input.parent?.column ?? null,
    values,
  });
  const parentColumn = `${camelSingular(table)}Id`;
  for (const child of children) {
    for (const nested of child.records) {
      addRecord({
        record: nested,
        table: child.table,
        idField: undefined,
        parent: { column: parentColumn, id: recordId },
        rows,
      });
    }
  }
}

/**
 * The field holding a record's id: `id`, `<singular>Id`, `<singular>_id`, or (loose, for top-level
 * records) the only field named like an id when it comes first; undefined when none is clear (the row is then keyed like an export row without an id column).
 */
export function guessIdField(
  table: string,
  record: JsonObject,
  options: { loose?: boolean } = { loose: true },
): string | undefined {
  const singular = camelSingular(table);
  const candidates = ['id', `${singular}Id`, `${singular}ID`, `${snakeCase(singular)}_id`, 'ID', 'Id', '_id'];
  for (const candidate of candidates) if (isScalarId(record[candidate])) return candidate;
  if (!options.loose) return undefined;
  const idNamed = Object.keys(record).filter((key) => /(^|[a-z_])(id|Id|ID)$/.test(key) && key !== 'id');
  const own = idNamed.filter((key) => isScalarId(record[key]));
  return own.length === 1 && Object.keys(record)[0] === own[0] ? own[0] : undefined;
}

/** The text of a scalar cell: `null` → '', numbers and booleans as JSON writes them. */
export function scalarText(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A key written for people ('Auto: BI Limits'), not for programs ('biLimits'). */
function isLabel(key: string): boolean {
  return /[\s:?#%/()]/.test(key.trim());
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalarId(value: JsonValue | undefined): boolean {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

/**
 * The table of records nested under `key` of a `table` record: `claims` + `statusHistory` →
 * `claim_status_history` (the words a link export's file name would use).
 */
export function childTableName(table: string, key: string): string {
  const parent = snakeCase(singularWords(table));
  let own = snakeCase(key.replace(/\./g, '_'));
  if (own.startsWith(`${parent}_`)) own = own.slice(parent.length + 1);
  return `${parent}_${own}`;
}

/** `billing_entries` → `billingEntry`, `claims` → `claim`, `Staff` → `staff`. */
export function camelSingular(table: string): string {
  const words = snakeCase(singularWords(table)).split('_').filter(Boolean);
  return words.map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

/** The last word made singular: `claim_contacts` → `claim_contact`, `companies` → `company`. */
function singularWords(table: string): string {
  const words = snakeCase(table).split('_');
  const last = words.pop() ?? '';
  return [...words, singular(last)].join('_');
}

function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (/ses$/.test(word)) return word.slice(0, -1);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `statusHistory` → `status_history`, `Claim Contacts` → `claim_contacts`. */
export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
