import type { ResolvedSimOptions } from './options.ts';
import type { SimState } from './state.ts';

/** What a route handler sees: the parsed request and the account. */
export interface SimContext {
  readonly state: SimState;
  readonly options: ResolvedSimOptions;
  /** Simulated now (epoch ms). */
  readonly now: number;
  readonly method: string;
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  /** JSON or form-urlencoded body (undefined when none). */
  readonly body: unknown;
  readonly request: Request;
  /** Id of the token's user. */
  readonly meId: number;
}
