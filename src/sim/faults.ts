import { FerryError } from '../core/errors.ts';
import { SeededRandom } from './random.ts';

/**
 * Fault probabilities per request and latency in ms (see docs/simulator.md for what each does).
 * `lost` and `committed5xx` apply to writes only: the write is committed, then the answer is lost or is a 5xx.
 * `slowMs` and `blockMs` are how long a `slow` answer is held and a `403` block lasts.
 * @example parseFaultSpec('5xx=0.03,timeout=0.01,lost=0.02,429=0.02,slow=0.01@3000,latency=150±100')
 */
export interface FaultSpec {
  readonly '5xx'?: number;
  readonly timeout?: number;
  readonly reset?: number;
  readonly lost?: number;
  readonly '403'?: number;
  readonly '429'?: number;
  readonly slow?: number;
  readonly cut?: number;
  readonly committed5xx?: number;
  readonly slowMs?: number;
  readonly blockMs?: number;
  readonly latency?: { readonly mean: number; readonly jitter: number };
}

/** The order matters: a request draws one number and walks these rates in turn (seeded replays rely on it). */
const RATE_KINDS = ['5xx', 'timeout', 'reset', 'lost', '403', '429', 'slow', 'cut', 'committed5xx'] as const;
export type FaultKind = 'none' | (typeof RATE_KINDS)[number];

/** Faults that only make sense for a write: on a read they draw as no fault. */
const WRITE_ONLY: ReadonlySet<FaultKind> = new Set(['lost', 'committed5xx']);

/** Kinds that take a duration after `@`: how long the answer is held, how long the block lasts. */
const DURATIONS = { slow: 'slowMs', '403': 'blockMs' } as const;

/** Longer than Ferry's default request timeout (60 s), so a slow answer arrives after the client gave up. */
export const DEFAULT_SLOW_MS = 65_000;
export const DEFAULT_BLOCK_MS = 10_000;

type MutableSpec = { -readonly [K in keyof FaultSpec]: FaultSpec[K] };

/**
 * Parses `kind=rate,…,latency=MEAN±JITTER` (also `MEAN+-JITTER`), with `slow=RATE@MS` and `403=RATE@MS`
 * for the hold and block times; throws a config error naming the part.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: MutableSpec = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind = '', value = ''] = part.split('=').map((s) => s.trim());
    if (kind === 'latency') {
      const m = /^(\d+(?:\.\d+)?)(?:(?:±|\+-|\+\/-)(\d+(?:\.\d+)?))?$/.exec(value);
      if (!m) throw faultError(part, 'latency takes MEAN±JITTER in milliseconds, e.g. latency=150±100');
      spec.latency = { mean: Number(m[1]), jitter: Number(m[2] ?? 0) };
      continue;
    }
    if (!(RATE_KINDS as readonly string[]).includes(kind))
      throw faultError(part, `unknown fault "${kind}"; use ${RATE_KINDS.join(', ')} or latency`);
    const [rateText = '', durationText] = value.split('@').map((s) => s.trim());
    const rate = Number(rateText);
    if (rateText === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
      throw faultError(part, 'a fault rate is a probability between 0 and 1, e.g. 5xx=0.03');
    spec[kind as (typeof RATE_KINDS)[number]] = rate;
    if (durationText === undefined) continue;
    const durationKey = DURATIONS[kind as keyof typeof DURATIONS];
    const ms = Number(durationText);
    if (!durationKey) throw faultError(part, 'only slow and 403 take a duration after @');
    if (durationText === '' || !Number.isInteger(ms) || ms < 0)
      throw faultError(part, `${kind}=RATE@MS takes whole milliseconds after @, e.g. ${kind}=0.01@3000`);
    spec[durationKey] = ms;
  }
  const total = RATE_KINDS.reduce((sum, k) => sum + (spec[k] ?? 0), 0);
  if (total > 1) throw faultError(text, 'the fault rates add up to more than 1');
  return spec;
}

function faultError(part: string, why: string): FerryError {
  return new FerryError('config', `--faults "${part}": ${why}.`, { code: 'E_SIM_FAULTS' });
}

/** Draws faults from a seeded stream so a run with the same seed and request order repeats exactly. */
export class FaultInjector {
  spec: FaultSpec;
  private readonly random: SeededRandom;

  constructor(spec: FaultSpec, seed: string) {
    this.spec = spec;
    this.random = new SeededRandom(`faults:${seed}`);
  }

  draw(isWrite: boolean): FaultKind {
    const s = this.spec;
    if (!RATE_KINDS.some((kind) => s[kind])) return 'none';
    let r = this.random.next();
    for (const kind of RATE_KINDS) {
      const p = s[kind] ?? 0;
      if (r < p) return WRITE_ONLY.has(kind) && !isWrite ? 'none' : kind;
      r -= p;
    }
    return 'none';
  }

  latencyMs(): number {
    const l = this.spec.latency;
    if (!l) return 0;
    return Math.max(0, Math.round(l.mean + (this.random.next() * 2 - 1) * l.jitter));
  }

  /** 500, 502 or 503; gateways answer some of them in HTML. */
  serverError(): { status: number; html: boolean } {
    const status = [500, 502, 503][this.random.int(3)] ?? 500;
    return { status, html: status !== 500 && this.random.next() < 0.5 };
  }

  /** How a lost write ends: the socket is reset or the answer never comes. */
  lostEnding(): 'reset' | 'timeout' {
    return this.random.next() < 0.5 ? 'reset' : 'timeout';
  }

  get slowMs(): number {
    return this.spec.slowMs ?? DEFAULT_SLOW_MS;
  }

  get blockMs(): number {
    return this.spec.blockMs ?? DEFAULT_BLOCK_MS;
  }
}
