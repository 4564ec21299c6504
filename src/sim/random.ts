import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (mulberry32) so that keys, faults and made-up tokens repeat for the same seed.
 * @example const rng = new SeededRandom('seed-1'); rng.next() // 0.0 ≤ x < 1
 */
export class SeededRandom {
  private state: number;

  constructor(seed: string | number) {
    this.state = hashSeed(String(seed));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function hashSeed(seed: string): number {
  const digest = createHash('sha256').update(seed).digest();
  return digest.readUInt32LE(0);
}

/** 40 lowercase hex characters derived from the seed and a label (custom field keys, tokens). */
export function hex40(seed: string | number, label: string): string {
  return createHash('sha1').update(`${seed}\u0000${label}`).digest('hex');
}

/** A v4-shaped UUID derived from the seed and a counter (lead and lead label ids). */
export function seededUuid(seed: string | number, label: string): string {
  const h = createHash('sha256').update(`${seed}\u0000uuid\u0000${label}`).digest('hex');
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
