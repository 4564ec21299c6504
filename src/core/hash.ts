import { createHash } from 'node:crypto';

/** Stable short content hash (hex) used for source keys and delta detection. */
export function stableHash(parts: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(typeof part === 'string' ? part : (JSON.stringify(part) ?? 'undefined'));
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * A 53-bit FNV-1a-style hash of a string: a number, so large sets of composite keys (a record and what
 * it links to) take a few bytes each. Collisions are possible and rare (about one in 10^15 pairs).
 * @example hash53('claim:1042>contact:501') // a number below 2^53
 */
export function hash53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822507);
  }
  return (h2 >>> 0) * 2097152 + ((h1 >>> 0) & 0x1fffff);
}
