import type { SimContext } from './context.ts';
import type { SimResult } from './http.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route handler gets the parsed request and the account state through the context. */
export type RouteHandler = (ctx: SimContext) => SimResult | Promise<SimResult>;

/**
 * One endpoint. `path` uses the spec's templates (`/api/v2/persons/{id}`), so `operation` doubles as the key
 * into SPEC_TOKEN_COSTS; `cost` overrides when the spec has no entry (removed v1 endpoints, aliases).
 */
export interface RouteDef {
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: RouteHandler;
  readonly cost?: number;
  /** Search API paths share a smaller burst window. */
  readonly search?: boolean;
}

interface CompiledRoute {
  readonly def: RouteDef;
  readonly operation: string;
  readonly segments: readonly string[];
  readonly params: readonly (string | null)[];
}

export interface RouteMatch {
  readonly def: RouteDef;
  readonly operation: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Matches by (method, segment count) bucket, then literal segments before templates: O(routes in bucket). */
export class Router {
  private readonly buckets = new Map<string, CompiledRoute[]>();

  add(def: RouteDef): void {
    const segments = def.path.split('/').filter(Boolean);
    const params = segments.map((s) => (s.startsWith('{') && s.endsWith('}') ? s.slice(1, -1) : null));
    const key = `${def.method} ${segments.length}`;
    const list = this.buckets.get(key) ?? [];
    list.push({ def, operation: `${def.method} ${def.path}`, segments, params });
    // Literal routes win over templated ones (`/persons/search` before `/persons/{id}`).
    list.sort((a, b) => countParams(a) - countParams(b));
    this.buckets.set(key, list);
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const parts = pathname.split('/').filter(Boolean);
    const list = this.buckets.get(`${method} ${parts.length}`);
    if (!list) return undefined;
    for (const route of list) {
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < parts.length; i++) {
        const name = route.params[i];
        const part = parts[i] ?? '';
        if (name) params[name] = decodeURIComponent(part);
        else if (route.segments[i] !== part) {
          matched = false;
          break;
        }
      }
      if (matched) return { def: route.def, operation: route.operation, params };
    }
    return undefined;
  }

  /** Whether any method serves this path (405 vs 404). */
  hasPath(pathname: string): boolean {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (this.match(method, pathname)) return true;
    }
    return false;
  }
}

function countParams(route: CompiledRoute): number {
  return route.params.filter((p) => p !== null).length;
}
