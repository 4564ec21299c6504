import { basename } from 'node:path';
import type { BackdocketObject } from '../../../core/objects.ts';
import { SqliteStore } from '../../../store/sqlite-store.ts';
import { conceptsOf, headerPrefix } from '../../backdocket/headers.ts';
import { extractExport, iterateRows, loadInventory } from '../../backdocket/index.ts';
import type { ExtractedFile } from '../../model.ts';
import type { JsonObject, JsonValue } from '../records-to-tables.ts';

/**
 * The records `ferry sim backdocket` serves, made from an export folder read with Ferry's own export
 * reader and reshaped the way an API answers rather than the way a report exports: camelCase keys,
 * related fields nested (`client: {contactId, name}`), per-claim-type fields in a `customFields` object
 * keyed by their labels, each claim's contacts, staff and status history as arrays inside the claim.
 */
export interface SimData {
  /** Claims in export order, with their nested arrays. */
  readonly claims: readonly SimRecord[];
  readonly contacts: readonly SimRecord[];
  readonly tasks: readonly SimRecord[];
  /** Every other table, by entity name (`billing_entries`, `calendar_events` …), for advanced search. */
  readonly entities: ReadonlyMap<string, readonly SimRecord[]>;
  /** The entity holding documents, and the field of a document record giving its path in the export. */
  readonly documents: {
    readonly entity: string;
    readonly pathField: string;
    readonly mimeField: string | null;
  } | null;
}

export interface SimRecord {
  readonly id: string;
  readonly json: JsonObject;
  /** Milliseconds since the epoch of the record's last change, when its dates say; else null. */
  readonly modifiedAt: number | null;
}

/** Leading words that group related fields into one nested object (`Client Name` → `client.name`). */
const GROUP_WORDS = new Set([
  'client',
  'company',
  'incident',
  'settlement',
  'demand',
  'caller',
  'created',
  'modified',
  'completed',
  'uploaded',
  'referred',
  'deactivated',
  'start',
  'end',
  'requested',
  'approved',
  'assigned',
]);

/** Objects nested in their claim, and the key they take there. */
const NESTED_IN_CLAIM: ReadonlySet<BackdocketObject> = new Set([
  'claim_contact',
  'claim_staff',
  'status_history',
]);

/** A change to the served data, as if someone had used BackDocket (`POST /__sim/records`). */
export type SimChange =
  | { readonly op: 'update'; readonly entity: string; readonly id: string; readonly fields: JsonObject }
  | { readonly op: 'insert'; readonly entity: string; readonly record: JsonObject }
  | { readonly op: 'delete'; readonly entity: string; readonly id: string };

/**
 * Applies a change to the served data: an updated or inserted record is stamped modified at `now`
 * (its nested arrays replaced by the ones given), a deleted one disappears from every listing.
 */
export function changeSimData(input: { data: SimData; change: SimChange; now: number }): SimData {
  const { data, change, now } = input;
  const apply = (records: readonly SimRecord[]): SimRecord[] => {
    if (change.op === 'insert') {
      const id = String(change.record.id ?? '');
      if (!id) throw new Error('an inserted record needs an id');
      return [...records, { id, json: change.record, modifiedAt: now }];
    }
    if (!records.some((record) => record.id === change.id))
      throw new Error(`no ${change.entity} record ${change.id}`);
    if (change.op === 'delete') return records.filter((record) => record.id !== change.id);
    return records.map((record) =>
      record.id === change.id
        ? { id: record.id, json: { ...record.json, ...change.fields }, modifiedAt: now }
        : record,
    );
  };
  if (change.entity === 'claims') return { ...data, claims: apply(data.claims) };
  if (change.entity === 'contacts') return { ...data, contacts: apply(data.contacts) };
  if (change.entity === 'tasks') return { ...data, tasks: apply(data.tasks) };
  const records = data.entities.get(change.entity);
  if (!records) throw new Error(`no entity ${change.entity}`);
  return { ...data, entities: new Map([...data.entities, [change.entity, apply(records)]]) };
}

/**
 * Reads an export folder (with the export reader, into a throw-away in-memory store) and reshapes it.
 * @example const data = await loadSimData('./sample-export'); data.claims[0]?.json.client
 */
export async function loadSimData(exportDir: string): Promise<SimData> {
  const store = SqliteStore.open({ path: ':memory:' });
  try {
    await extractExport({ store, sourceDir: exportDir });
    const inventory = loadInventory(store);
    const byObject = (object: BackdocketObject) => inventory.find((file) => file.detection.object === object);
    const claimFile = byObject('claim');
    const claims = claimFile ? recordsOf(store, claimFile, { selfWord: 'claim' }) : [];
    const claimIndex = new Map(claims.map((claim) => [claim.id, claim]));
    for (const file of inventory.filter(
      (f) => f.detection.object !== null && NESTED_IN_CLAIM.has(f.detection.object),
    )) {
      const claimColumn = file.columns.find((column) => conceptsOf(column.name).includes('claim_id'))?.name;
      if (!claimColumn) continue;
      const key = nestedKey(file.file);
      for (const claim of claims) claim.json[key] = [];
      for (const row of iterateRows(store, file.file)) {
        const claim = claimIndex.get((row.values[claimColumn] ?? '').trim());
        // A row whose claim the export lacks has nothing to be nested in: an API would not have it either.
        if (!claim) continue;
        (claim.json[key] as JsonValue[]).push(
          shapeRecord(file, row.values, { drop: claimColumn, selfWord: null }).json,
        );
      }
    }
    const used = new Set(
      [claimFile, byObject('contact'), byObject('task')].filter(Boolean).map((f) => f!.file),
    );
    for (const file of inventory)
      if (file.detection.object && NESTED_IN_CLAIM.has(file.detection.object)) used.add(file.file);
    const entities = new Map<string, readonly SimRecord[]>();
    let documents: SimData['documents'] = null;
    for (const file of inventory.filter((f) => !used.has(f.file))) {
      const entity = entityName(file.file);
      entities.set(
        entity,
        recordsOf(store, file, { selfWord: file.detection.object?.split('_')[0] ?? null }),
      );
      if (file.detection.object === 'document' && !documents) {
        const path = file.columns.find((column) => conceptsOf(column.name).includes('storage_path'))?.name;
        const mime = file.columns.find((column) => conceptsOf(column.name).includes('mime_type'))?.name;
        if (path) documents = { entity, pathField: apiKey(path), mimeField: mime ? apiKey(mime) : null };
      }
    }
    const contactFile = byObject('contact');
    const taskFile = byObject('task');
    return {
      claims,
      contacts: contactFile ? recordsOf(store, contactFile, { selfWord: 'contact' }) : [],
      tasks: taskFile ? recordsOf(store, taskFile, { selfWord: 'task' }) : [],
      entities,
      documents,
    };
  } finally {
    store.close();
  }
}

interface MutableRecord {
  readonly id: string;
  readonly json: JsonObject;
  readonly modifiedAt: number | null;
}

function recordsOf(
  store: SqliteStore,
  file: ExtractedFile,
  options: { selfWord: string | null },
): MutableRecord[] {
  const records: MutableRecord[] = [];
  for (const row of iterateRows(store, file.file)) {
    const shaped = shapeRecord(file, row.values, { drop: null, selfWord: options.selfWord });
    records.push({ id: row.sourceKey, json: shaped.json, modifiedAt: shaped.modifiedAt });
  }
  return records;
}

/** One row as an API record: `id` first, grouped fields nested, ad-hoc fields under `customFields`. */
function shapeRecord(
  file: ExtractedFile,
  values: Readonly<Record<string, string>>,
  options: { drop: string | null; selfWord: string | null },
): { json: JsonObject; modifiedAt: number | null } {
  const headers = file.columns.map((column) => column.name).filter((name) => name !== options.drop);
  const firstWords = new Map<string, number>();
  for (const header of headers) {
    const first = words(header)[0]?.toLowerCase();
    if (first && words(header).length > 1) firstWords.set(first, (firstWords.get(first) ?? 0) + 1);
  }
  const json: JsonObject = {};
  const customFields: JsonObject = {};
  let modifiedAt: number | null = null;
  for (const header of headers) {
    const raw = values[header] ?? '';
    const value: JsonValue =
      raw === '' ? null : /(^|\s)id$/i.test(header) && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : raw;
    if (header === file.keyColumn) {
      json.id = value;
      continue;
    }
    if (headerPrefix(header) !== null) {
      customFields[header] = value;
      continue;
    }
    if (/^(modified|created)\b/i.test(header) && /date|on$/i.test(header) && raw) {
      const at = parseLooseDate(raw);
      if (at !== null && (modifiedAt === null || at > modifiedAt)) modifiedAt = at;
    }
    const parts = words(header);
    const first = parts[0]?.toLowerCase() ?? '';
    if (
      parts.length > 1 &&
      GROUP_WORDS.has(first) &&
      first !== options.selfWord &&
      (firstWords.get(first) ?? 0) >= 2
    ) {
      json[first] ??= {};
      (json[first] as JsonObject)[camel(parts.slice(1))] = value;
      continue;
    }
    json[apiKey(header)] = value;
  }
  if (Object.keys(customFields).length > 0) json.customFields = customFields;
  return { json, modifiedAt };
}

/** `Claim Number` → `claimNumber`, `Attorney Fee %` → `attorneyFeePercent`, `Defendant(s)` → `defendants`. */
export function apiKey(header: string): string {
  return camel(words(header));
}

function words(header: string): string[] {
  return header
    .replace(/\(s\)/gi, 's')
    .replace(/%/g, ' percent ')
    .replace(/#/g, ' number ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

function camel(parts: readonly string[]): string {
  return parts
    .map((word, i) => {
      const lower = word.toLowerCase();
      return i === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join('');
}

/** `claim_status_history.csv` → `statusHistory` (the key of the array inside each claim). */
function nestedKey(file: string): string {
  const parts = words(basename(file).replace(/\.[^.]+$/, ''));
  const rest =
    parts[0]?.toLowerCase() === 'claim' || parts[0]?.toLowerCase() === 'claims' ? parts.slice(1) : parts;
  return camel(rest.length > 0 ? rest : parts);
}

/** `Billing Entries.csv` → `billing_entries`. */
export function entityName(file: string): string {
  return words(basename(file).replace(/\.[^.]+$/, ''))
    .map((word) => word.toLowerCase())
    .join('_');
}

/** Dates as exports write them (`4/12/2021`, `2021-04-12T15:03:11`, `04/02/2021 9:14 AM`), else null. */
export function parseLooseDate(text: string): number | null {
  const value = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}/.test(value)
    ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
    : Number.NaN;
  if (!Number.isNaN(iso)) return iso;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\b/.exec(value);
  if (us) {
    const year = us[3]!.length === 2 ? 2000 + Number(us[3]) : Number(us[3]);
    const at = Date.UTC(year, Number(us[1]) - 1, Number(us[2]));
    return Number.isNaN(at) ? null : at;
  }
  return null;
}
