import type {
  FieldMapping,
  FileMapping,
  Mapping,
  MappingSettings,
  StatusTarget,
  ValueMaps,
} from './mapping-schema.ts';
import type { FieldProposal, MappingProposal } from './model.ts';
import { normaliseValueKey } from './transforms/text.ts';

/**
 * Proposal → full `Mapping` with defaults for every value map, so that an export maps completely
 * without edits; and the three-way merge that keeps a person's edits on re-proposal. Pure.
 */

export interface AssembleOptions {
  readonly settings: MappingSettings;
  /** Distinct non-empty values of a column, most frequent first (from the stored rows). */
  readonly distinctValues?: (file: string, column: string) => readonly string[] | undefined;
}

/** Statuses whose place in the stage order is known (backdocket-exports.md §2.4). */
const KNOWN_OPEN_ORDER = ['chase call', 'no decision', 'referral pending', 'active with contract'];
const DEFAULT_PIPELINE = 'BackDocket Claims';

/**
 * @example assembleMapping(proposal, { settings }).valueMaps.claimStatuses['Rejected'] // { stage: '…', status: 'lost', lostReason: 'Rejected' }
 */
export function assembleMapping(proposal: MappingProposal, options: AssembleOptions): Mapping {
  const values = (file: string, column: string) => options.distinctValues?.(file, column) ?? [];
  const columnsFor = (predicate: (object: string | null, field: FieldProposal) => boolean) =>
    proposal.objects.flatMap((o) =>
      o.fields
        .filter((f) => predicate(o.object, f))
        .map((f) => ({ file: o.file, column: f.column, field: f })),
    );
  const collect = (predicate: (object: string | null, field: FieldProposal) => boolean) =>
    canonicalSpellings(columnsFor(predicate).flatMap((c) => [...values(c.file, c.column)]));

  const claimTypes = collect(
    (object, f) =>
      (f.target === 'deal.pipeline_id' && (object === 'claim' || object === 'claim_type')) ||
      (object === 'intake' && f.target === 'lead.custom:Matter Type'),
  );
  const statuses = collect(
    (object, f) =>
      (object === 'claim' && f.target === 'deal.status') ||
      (object === 'status_history' &&
        f.target === 'note.content' &&
        (f.transform?.part === 'to' || f.transform?.part === 'from')),
  );
  const eventTypes = collect((object, f) => object === 'event' && f.target === 'activity.type');
  const noteTypes = collect((object, f) => object === 'note' && f.target === 'activity.type');
  const taskStatuses = collect((object, f) => object === 'task' && f.target === 'activity.done');
  const taskPriorities = collect((object, f) => object === 'task' && f.target === 'activity.priority');

  const classified = statuses.map((status) => ({ status, ...classifyStatus(status) }));
  const openStages = orderOpenStages(classified);
  const stages = openStages.length > 0 ? openStages : ['Open'];
  const closingStage = stages.at(-1)!;

  const pipelineNames = claimTypes.length > 0 ? claimTypes : [DEFAULT_PIPELINE];
  const pipelines: Record<string, string[]> = {};
  for (const name of pipelineNames) pipelines[name] = [...stages];

  const valueMaps: ValueMaps = {
    claimTypes: Object.fromEntries(claimTypes.map((type) => [type, { pipeline: type, matterType: type }])),
    claimStatuses: Object.fromEntries(
      classified.map((s): [string, StatusTarget] => [
        s.status,
        s.outcome === 'open'
          ? { stage: s.status, status: 'open' }
          : {
              stage: closingStage,
              status: s.outcome,
              ...(s.outcome === 'lost' ? { lostReason: s.lostReason ?? s.status } : {}),
            },
      ]),
    ),
    claimStatusesByType: {},
    eventTypes: Object.fromEntries(eventTypes.map((kind) => [kind, activityTypeFor(kind)])),
    noteTypes: Object.fromEntries(noteTypes.map((type) => [type, noteTargetFor(type)])),
    taskStatuses: Object.fromEntries(taskStatuses.map((status) => [status, isDoneStatus(status)])),
    taskPriorities: Object.fromEntries(taskPriorities.map((priority) => [priority, priorityFor(priority)])),
  };

  return {
    version: 1,
    settings: options.settings,
    owners: {
      matchBy: 'email',
      fallbackOwnerEmail: null,
      unresolved: 'hold',
      keepOriginalOwnerIn: 'Original Owner',
      staff: {},
    },
    duplicates: { contacts: 'email' },
    pipelines,
    valueMaps,
    objects: proposal.objects.map(
      (o): FileMapping => ({
        file: o.file,
        object: o.object,
        entity: o.entity,
        confidence: o.confidence,
        ...(o.reason ? { reason: o.reason } : {}),
        keyColumn: o.keyColumn ?? null,
        fields: o.fields.map((f) => ({
          column: f.column,
          target: f.target,
          confidence: f.confidence,
          reason: f.reason,
          ...(f.fieldType ? { fieldType: f.fieldType } : {}),
          ...(f.options ? { options: [...f.options] } : {}),
          ...(f.transform ? { transform: stripUndefined(f.transform) as FieldMapping['transform'] } : {}),
          ...(f.candidate ? { candidate: { ...f.candidate } } : {}),
          ...(f.decoy ? { decoy: true } : {}),
        })),
      }),
    ),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
  ) as T;
}

/** One spelling per normalised value (the first seen, i.e. the most frequent), in first-seen order. */
function canonicalSpellings(values: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of values) {
    const value = raw.trim().replace(/\s+/g, ' ');
    const key = normaliseValueKey(value);
    if (key && !seen.has(key)) seen.set(key, value);
  }
  return [...seen.values()];
}

/**
 * What a claim status most likely means (backdocket-exports.md §2.4); the firm confirms it in mapping.yaml.
 * @example classifyStatus('Referral Pending') // { outcome: 'open' } ; classifyStatus('Rejected') // { outcome: 'lost', lostReason: 'Rejected' }
 */
export function classifyStatus(status: string): { outcome: 'open' | 'won' | 'lost'; lostReason?: string } {
  const key = normaliseValueKey(status);
  if (/\b(pending|awaiting)\b/.test(key)) return { outcome: 'open' };
  if (/\b(reject|rejected|declin\w*|turned down|not accepted)\b/.test(key))
    return { outcome: 'lost', lostReason: 'Rejected' };
  if (/\breferr\w*\b/.test(key)) return { outcome: 'lost', lostReason: 'Referred out' };
  if (/\b(withdr\w*|dropped|dismissed|lost|abandoned|fired|terminated|no case|denied)\b/.test(key))
    return { outcome: 'lost', lostReason: status.trim() };
  if (/\b(settled|won|closed|resolved|paid|complete|completed|disbursed|verdict)\b/.test(key))
    return { outcome: 'won' };
  return { outcome: 'open' };
}

function orderOpenStages(classified: readonly { status: string; outcome: string }[]): string[] {
  const open = classified.filter((c) => c.outcome === 'open').map((c) => c.status);
  const rank = (value: string) => {
    const index = KNOWN_OPEN_ORDER.indexOf(normaliseValueKey(value));
    // Known intake statuses first, then the signed case; firm-defined ones (Treating, Litigation…) after it.
    return index < 0 ? KNOWN_OPEN_ORDER.length - 0.5 : index;
  };
  return open
    .map((status, index) => ({ status, index }))
    .sort((a, b) => rank(a.status) - rank(b.status) || a.index - b.index)
    .map((s) => s.status);
}

/** Event kind → Pipedrive activity type name (built-in Call/Meeting/Task/Deadline/Email or a new type). */
export function activityTypeFor(kind: string): string {
  const key = normaliseValueKey(kind);
  if (/\b(hearing|court|trial|docket|arraignment|motion)\b/.test(key)) return 'Court Hearing';
  if (/\bdeposition|depo\b/.test(key)) return 'Deposition';
  if (/\b(mediation|arbitration|settlement conference)\b/.test(key)) return 'Mediation';
  if (/\b(deadline|sol|statute|due|limitations)\b/.test(key)) return 'Deadline';
  if (/\b(call|phone)\b/.test(key)) return 'Call';
  if (/\bemail\b/.test(key)) return 'Email';
  if (/\b(meeting|consult\w*|appointment|visit|conference|medical)\b/.test(key)) return 'Meeting';
  return 'Task';
}

function noteTargetFor(type: string): { as: 'note' | 'activity'; activityType?: string } {
  const key = normaliseValueKey(type);
  if (/\b(call|phone|voicemail|vm)\b/.test(key)) return { as: 'activity', activityType: 'Call' };
  if (/\b(email|e mail)\b/.test(key)) return { as: 'activity', activityType: 'Email' };
  return { as: 'note' };
}

function isDoneStatus(status: string): boolean {
  return /\b(complete|completed|done|closed|finished|cancel\w*|resolved)\b/.test(normaliseValueKey(status));
}

function priorityFor(priority: string): string {
  const key = normaliseValueKey(priority);
  if (/\b(high|urgent|critical|asap|alta)\b/.test(key)) return 'high';
  if (/\b(low|baja|minor)\b/.test(key)) return 'low';
  return 'medium';
}

/** What a person changed relative to Ferry's last proposal, as dotted paths (`objects[contacts.csv].fields[Email]`). */
export interface MergeResult {
  readonly mapping: Mapping;
  readonly edits: readonly string[];
}

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deepEqual(a: Json, b: Json): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isRecord(value))
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  return value;
}

/** Containers merged key by key; everything else is a leaf taken whole from the person or from Ferry. */
const CONTAINERS = [
  /^$/,
  /^settings$/,
  /^owners$/,
  /^owners\.staff$/,
  /^duplicates$/,
  /^pipelines$/,
  /^valueMaps$/,
  /^valueMaps\.[^.]+$/,
  /^objects$/,
  /^objects\[[^\]]*\]$/,
  /^objects\[[^\]]*\]\.fields$/,
];
/** Leaves whose change alone does not make an edit (Ferry's own commentary). */
const COMMENTARY = /\.(confidence|reason|candidate|decoy)$/;

/**
 * Three-way merge: where the person's file differs from Ferry's last proposal, the person's value stays;
 * elsewhere the new proposal wins. Without a last proposal, every difference counts as the person's.
 * @example mergeMapping({ base: lastProposal, mine: parsedMappingYaml, theirs: newProposal })
 */
export function mergeMapping(input: {
  base: Mapping | undefined;
  mine: Mapping;
  theirs: Mapping;
}): MergeResult {
  const edits: string[] = [];
  const merged = mergeNode(keyed(input.base), keyed(input.mine), keyed(input.theirs), '', edits);
  return { mapping: unkeyed(merged) as Mapping, edits };
}

function mergeNode(base: Json, mine: Json, theirs: Json, path: string, edits: string[]): Json {
  const container = CONTAINERS.some((re) => re.test(path));
  if (container && isRecord(mine) && isRecord(theirs)) {
    const out: Record<string, Json> = {};
    const baseRecord = isRecord(base) ? base : undefined;
    const keys = [...new Set([...Object.keys(theirs), ...Object.keys(mine)])];
    for (const key of keys) {
      const childPath = childKey(path, key);
      const value = mergeNode(baseRecord?.[key], mine[key], theirs[key], childPath, edits);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (COMMENTARY.test(path)) return theirs ?? mine;
  if (base === undefined) {
    if (mine === undefined) return theirs;
    if (theirs === undefined || deepEqual(mine, theirs)) return mine;
    edits.push(path);
    return mine;
  }
  if (deepEqual(mine, base)) return theirs;
  edits.push(path);
  return mine;
}

function childKey(path: string, key: string): string {
  if (path === '') return key;
  if (path === 'objects' || path.endsWith('.fields')) return `${path}[${key}]`;
  return `${path}.${key}`;
}

/** Arrays of files and fields become records keyed by file and column, so they merge by identity. */
function keyed(mapping: Mapping | undefined): Json {
  if (!mapping) return undefined;
  return {
    ...mapping,
    objects: Object.fromEntries(
      mapping.objects.map((o) => [
        o.file,
        { ...o, fields: Object.fromEntries(o.fields.map((f) => [f.column, f])) },
      ]),
    ),
  };
}

function unkeyed(value: Json): Json {
  if (!isRecord(value)) return value;
  const objects = isRecord(value.objects) ? value.objects : {};
  return {
    ...value,
    objects: Object.values(objects).map((o) => {
      const file = o as Record<string, Json>;
      return { ...file, fields: Object.values(isRecord(file.fields) ? file.fields : {}) };
    }),
  };
}
