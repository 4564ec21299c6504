import type { Money } from '../mapping/transforms/index.ts';

export function isPlainMoney(value: unknown): value is Money {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { amount?: unknown }).amount === 'number' &&
    typeof (value as { currency?: unknown }).currency === 'string'
  );
}

/** RFC 3339 UTC (`2021-04-02T14:14:00Z`) → v1's `YYYY-MM-DD HH:MM:SS`. */
export function toV1Timestamp(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** `HH:MM` or `HH:MM:SS` → `HH:MM`. */
export function toClock(time: string): string {
  return time.slice(0, 5);
}
