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
