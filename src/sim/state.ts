import { hex40, seededUuid } from './random.ts';

/** A stored record in its API shape (v2 for v2 entities, v1 for v1-only ones). */
export type Rec = Record<string, unknown>;

export const FIELD_ENTITIES = ['deal', 'person', 'organization', 'activity'] as const;
export type FieldEntity = (typeof FIELD_ENTITIES)[number];

export interface FieldOption {
  id: number;
  label: string;
  color?: string | null;
}

/** A field definition; `key` is the readable system key or a per-account 40-hex hash for custom fields. */
export interface FieldDef {
  id: number;
  key: string;
  name: string;
  field_type: string;
  is_custom: boolean;
  is_deleted: boolean;
  order_nr: number;
  options: FieldOption[] | null;
  description: string | null;
  add_time: number;
  update_time: number;
  /** v1 key when it differs from the v2 one (e.g. deal owner `user_id`). */
  v1_key?: string;
  subfields?: string[];
  ui_visibility: Record<string, unknown>;
  important_fields: Record<string, unknown>;
  required_fields: Record<string, unknown>;
}

export interface StoredFile {
  readonly base64: string;
  readonly contentType: string;
}

/** Int-keyed collections of the account. Map insertion order is id order, which the id lists rely on. */
export const INT_COLLECTIONS = [
  'users',
  'persons',
  'organizations',
  'deals',
  'activities',
  'notes',
  'files',
  'pipelines',
  'stages',
  'activityTypes',
] as const;
export type IntCollection = (typeof INT_COLLECTIONS)[number];
export const UUID_COLLECTIONS = ['leads', 'leadLabels'] as const;
export type UuidCollection = (typeof UUID_COLLECTIONS)[number];
export type CollectionName = IntCollection | UuidCollection;

export interface OperationCounter {
  requests: number;
  tokens: number;
}

export interface SimCounters {
  requests: number;
  tokens: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, OperationCounter>;
  /** Faults injected, by kind (`5xx`, `lost`, `403` …); a request inside a 403 block counts as `403`. */
  faults: Record<string, number>;
  /**
   * The most requests one token had admitted within one rolling burst window (general paths): how close a
   * client came to the burst limit, measured where the limit is counted.
   */
  busiestWindow: number;
}

/** The whole account: what `--state FILE` saves and reloads. */
export class SimState {
  readonly seed: string;
  readonly int: Record<IntCollection, Map<number, Rec>>;
  readonly uuid: Record<UuidCollection, Map<string, Rec>>;
  readonly fields: Record<FieldEntity, FieldDef[]>;
  readonly fileBytes = new Map<number, StoredFile>();
  private readonly nextIds: Record<string, number>;
  counters: SimCounters;
  /** Added to the injected clock by POST /__sim/clock. */
  clockOffsetMs = 0;
  /** Tokens spent per simulated day (`YYYY-MM-DD` → tokens). */
  budgetDay = '';
  budgetSpent = 0;
  writesToday = 0;

  constructor(seed: string) {
    this.seed = seed;
    this.int = Object.fromEntries(INT_COLLECTIONS.map((c) => [c, new Map()])) as SimState['int'];
    this.uuid = Object.fromEntries(UUID_COLLECTIONS.map((c) => [c, new Map()])) as SimState['uuid'];
    this.fields = { deal: [], person: [], organization: [], activity: [] };
    this.nextIds = {};
    this.counters = emptyCounters();
  }

  /** Next integer id of a sequence (`persons`, `field`, `option`, …), starting at 1. */
  nextId(sequence: string): number {
    const id = (this.nextIds[sequence] ?? 0) + 1;
    this.nextIds[sequence] = id;
    return id;
  }

  /** Seeded UUID for leads and lead labels. */
  nextUuid(sequence: string): string {
    return seededUuid(this.seed, `${sequence}:${this.nextId(sequence)}`);
  }

  /** Seeded 40-hex key for a custom field; different seeds give different keys. */
  nextFieldKey(entity: FieldEntity): string {
    return hex40(this.seed, `field:${entity}:${this.nextId(`fieldKey:${entity}`)}`);
  }

  fieldByKey(entity: FieldEntity, key: string): FieldDef | undefined {
    return this.fields[entity].find((f) => f.key === key && !f.is_deleted);
  }

  toJSON(): unknown {
    return {
      version: 1,
      seed: this.seed,
      int: Object.fromEntries(INT_COLLECTIONS.map((c) => [c, [...this.int[c].values()]])),
      uuid: Object.fromEntries(UUID_COLLECTIONS.map((c) => [c, [...this.uuid[c].values()]])),
      fields: this.fields,
      fileBytes: Object.fromEntries(this.fileBytes),
      nextIds: this.nextIds,
      counters: this.counters,
      clockOffsetMs: this.clockOffsetMs,
      budgetDay: this.budgetDay,
      budgetSpent: this.budgetSpent,
      writesToday: this.writesToday,
    };
  }

  static fromJSON(raw: unknown): SimState {
    const doc = raw as {
      seed: string;
      int: Record<string, Rec[]>;
      uuid: Record<string, Rec[]>;
      fields: Record<FieldEntity, FieldDef[]>;
      fileBytes: Record<string, StoredFile>;
      nextIds: Record<string, number>;
      counters: SimCounters;
      clockOffsetMs: number;
      budgetDay: string;
      budgetSpent: number;
      writesToday: number;
    };
    const state = new SimState(doc.seed);
    for (const c of INT_COLLECTIONS) for (const r of doc.int[c] ?? []) state.int[c].set(r.id as number, r);
    for (const c of UUID_COLLECTIONS) for (const r of doc.uuid[c] ?? []) state.uuid[c].set(r.id as string, r);
    for (const e of FIELD_ENTITIES) state.fields[e].push(...(doc.fields[e] ?? []));
    for (const [id, file] of Object.entries(doc.fileBytes ?? {})) state.fileBytes.set(Number(id), file);
    Object.assign(state.nextIds, doc.nextIds);
    state.counters = { ...emptyCounters(), ...doc.counters };
    state.clockOffsetMs = doc.clockOffsetMs ?? 0;
    state.budgetDay = doc.budgetDay ?? '';
    state.budgetSpent = doc.budgetSpent ?? 0;
    state.writesToday = doc.writesToday ?? 0;
    return state;
  }
}

export function emptyCounters(): SimCounters {
  return { requests: 0, tokens: 0, byStatus: {}, byOperation: {}, faults: {}, busiestWindow: 0 };
}
