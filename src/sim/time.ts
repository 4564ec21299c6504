/** Timestamp formats Pipedrive uses: RFC 3339 (v2), "YYYY-MM-DD HH:MM:SS" (v1), ISO with ms (leads). */

export const DAY_MS = 86_400_000;

/** `2026-01-05T09:00:00Z` (whole seconds, as v2 returns them). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-01-05 09:00:00` (v1, UTC). */
export function v1Time(ms: number): string {
  return rfc3339(ms).replace('T', ' ').replace('Z', '');
}

/** `2026-01-05T09:00:00.000Z` (leads, lead labels). */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/;
const V1_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Parses an RFC 3339 timestamp with whole seconds (fractions are refused, as observed live). */
export function parseRfc3339(value: string): number | undefined {
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseV1Time(value: string): number | undefined {
  if (!V1_TIME.test(value)) return undefined;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

/** `HH:MM` or `HH:MM:SS` → `HH:MM:SS`; undefined when malformed. */
export function normalizeTime(value: string): string | undefined {
  const m = TIME.exec(value);
  if (!m) return undefined;
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
}

/** Any of the formats above → epoch ms (for comparisons of stored timestamps). */
export function anyTimeToMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(V1_TIME.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}
