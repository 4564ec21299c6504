import { SPEC_TOKEN_COSTS } from './token-costs.generated.ts';

/** Compiled templates: `GET /api/v2/persons/{id}` → a matcher for concrete paths. */
const TEMPLATES = Object.entries(SPEC_TOKEN_COSTS).map(([key, cost]) => {
  const [method, template] = key.split(' ') as [string, string];
  const segments = template.split('/');
  return { method, segments, cost, literal: segments.filter((segment) => !segment.startsWith('{')).length };
});

/**
 * Token cost of one request, from the spec's `x-token-cost` (the most literal matching template wins), or the
 * documented generic costs when the spec does not list the operation.
 * @example tokenCostOf('POST', '/api/v2/persons') // 5
 * @example tokenCostOf('GET', '/v1/notes/7') // 2
 */
export function tokenCostOf(method: string, path: string): number {
  const clean = path.split('?')[0]!.replace(/^\/v1\//, '/api/v1/');
  const segments = clean.split('/');
  let best: { cost: number; literal: number } | undefined;
  for (const template of TEMPLATES) {
    if (template.method !== method.toUpperCase() || template.segments.length !== segments.length) continue;
    const matches = template.segments.every(
      (segment, index) => segment.startsWith('{') || segment === segments[index],
    );
    if (matches && (!best || template.literal > best.literal)) best = template;
  }
  if (best) return best.cost;
  return genericCost(method.toUpperCase(), clean);
}

/** Generic costs (pipedrive-api.md §3.2): v2 is half of v1. */
function genericCost(method: string, path: string): number {
  const v1 = path.startsWith('/api/v1/');
  const single = /\/\d+$|\/[0-9a-f-]{36}$/.test(path);
  const base =
    method === 'GET' ? (single ? 2 : path.includes('search') ? 40 : 20) : method === 'DELETE' ? 6 : 10;
  return v1 ? base : base / 2;
}
