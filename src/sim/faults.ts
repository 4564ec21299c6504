import { FerryError } from '../core/errors.ts';
import { SeededRandom } from './random.ts';

/**
 * Fault probabilities per request and latency in ms. `lost` applies to writes only: the write is committed,
 * then the connection is reset or never answered.
 * @example parseFaultSpec('5xx=0.03,timeout=0.01,lost=0.02,latency=150±100')
 */
export interface FaultSpec {
  readonly '5xx'?: number;
  readonly timeout?: number;
  readonly reset?: number;
  readonly lost?: number;
  readonly latency?: { readonly mean: number; readonly jitter: number };
}

export type FaultKind = 'none' | '5xx' | 'timeout' | 'reset' | 'lost';

const RATE_KINDS = ['5xx', 'timeout', 'reset', 'lost'] as const;

/** Parses `kind=rate,…,latency=MEAN±JITTER` (also `MEAN+-JITTER`); throws a config error naming the part. */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = {};
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
      throw faultError(part, `unknown fault "${kind}"; use 5xx, timeout, reset, lost or latency`);
    const rate = Number(value);
    if (value === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
      throw faultError(part, 'a fault rate is a probability between 0 and 1, e.g. 5xx=0.03');
    spec[kind as (typeof RATE_KINDS)[number]] = rate;
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
    if (!s['5xx'] && !s.timeout && !s.reset && !s.lost) return 'none';
    let r = this.random.next();
    for (const kind of RATE_KINDS) {
      const p = s[kind] ?? 0;
      if (r < p) return kind === 'lost' && !isWrite ? 'none' : kind;
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
}
