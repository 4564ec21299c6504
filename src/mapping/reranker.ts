import type { BackdocketObject, PipedriveEntity } from '../core/objects.ts';
import type { ExtractedFile } from '../source/model.ts';
import type { FieldProposal, MappingProposal } from './model.ts';
import { rankCandidates } from './propose-mapping.ts';

/**
 * An optional second opinion on uncertain columns, e.g. from an LLM. It sees headers and value
 * *patterns* (`Aaaa@aaaa.aaa`, `(999) 999-9999`), never values, and may only pick among the proposer's
 * own candidates (or null). Off unless configured.
 */

export interface RerankColumn {
  readonly column: string;
  /** Value shapes: letters → A/a, digits → 9, punctuation kept. */
  readonly patterns: readonly string[];
  readonly kinds: readonly { readonly kind: string; readonly share: number }[];
  readonly fillRate: number;
  readonly candidates: readonly { readonly target: string | null; readonly score: number }[];
}

export interface RerankRequest {
  readonly file: string;
  readonly object: BackdocketObject | null;
  readonly entity: PipedriveEntity | null;
  readonly columns: readonly RerankColumn[];
}

export interface RerankChoice {
  readonly column: string;
  readonly target: string | null;
  readonly confidence: number;
  readonly reason?: string | undefined;
}

/**
 * @example const reranker: Reranker = { rerank: async (request) => request.columns.map((c) => ({ column: c.column, target: null, confidence: 0.5 })) }
 */
export interface Reranker {
  rerank(request: RerankRequest, signal?: AbortSignal): Promise<readonly RerankChoice[]>;
}

/**
 * The shape of a value without the value.
 * @example valuePattern('jane@acme.com') // 'aaaa@aaaa.aaa' ; valuePattern('(713) 555-0101') // '(999) 999-9999'
 */
export function valuePattern(value: string): string {
  const shaped = value
    .trim()
    .replace(/\p{Lu}/gu, 'A')
    .replace(/\p{Ll}|\p{Lo}|\p{Lt}|\p{Lm}/gu, 'a')
    .replace(/\p{Nd}/gu, '9')
    .replace(/\s+/g, ' ');
  // Long runs say nothing more than their class; cap them so lengths of names or notes do not travel.
  return shaped
    .replace(/(a{6,}|A{6,}|9{10,})/g, (run) => `${run.slice(0, run[0] === '9' ? 10 : 6)}+`)
    .slice(0, 48);
}

/**
 * Asks the re-ranker about columns below `onlyBelow` confidence; accepts a choice only among the
 * proposer's candidates, capped at 0.85 confidence (a second opinion is not proof).
 */
export async function rerankProposal(
  proposal: MappingProposal,
  files: readonly ExtractedFile[],
  reranker: Reranker,
  options: { onlyBelow?: number; signal?: AbortSignal } = {},
): Promise<MappingProposal> {
  const onlyBelow = options.onlyBelow ?? 0.7;
  const objects = [];
  for (const object of proposal.objects) {
    const file = files.find((f) => f.file === object.file);
    if (!file || object.object === null || object.entity === null) {
      objects.push(object);
      continue;
    }
    const context = { file, object: object.object, entity: object.entity };
    const uncertain = object.fields.filter((f) => f.confidence < onlyBelow && !f.decoy);
    if (uncertain.length === 0) {
      objects.push(object);
      continue;
    }
    const columns: RerankColumn[] = [];
    const allowed = new Map<string, Set<string | null>>();
    for (const field of uncertain) {
      const profile = file.columns.find((c) => c.name === field.column);
      if (!profile) continue;
      const candidates = rankCandidates(profile, context).slice(0, 5);
      const options = new Set<string | null>([null, field.target, ...candidates.map((c) => c.target)]);
      allowed.set(field.column, options);
      columns.push({
        column: field.column,
        patterns: [...new Set(profile.samples.map(valuePattern))],
        kinds: profile.kinds.map((k) => ({ kind: k.kind, share: Math.round(k.share * 100) / 100 })),
        fillRate: Math.round(profile.fillRate * 100) / 100,
        candidates: candidates.map((c) => ({ target: c.target, score: Math.round(c.score * 100) / 100 })),
      });
    }
    const choices = await reranker.rerank(
      { file: object.file, object: object.object, entity: object.entity, columns },
      options.signal,
    );
    const byColumn = new Map(choices.map((c) => [c.column, c]));
    objects.push({
      ...object,
      fields: object.fields.map((field): FieldProposal => {
        const choice = byColumn.get(field.column);
        if (!choice || !allowed.get(field.column)?.has(choice.target) || choice.target === field.target)
          return field;
        const confidence = Math.min(0.85, Math.max(0, choice.confidence));
        return {
          column: field.column,
          target: choice.target,
          confidence,
          reason: `re-ranked: ${choice.reason ?? 'second opinion'} (was ${field.target ?? 'null'}: ${field.reason})`,
        };
      }),
    });
  }
  return { objects };
}

export interface OpenAiRerankerOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch;
}

/** A re-ranker over an OpenAI-compatible `/chat/completions` endpoint (JSON answer). */
export class OpenAiCompatibleReranker implements Reranker {
  private readonly options: OpenAiRerankerOptions;

  constructor(options: OpenAiRerankerOptions) {
    this.options = options;
  }

  async rerank(request: RerankRequest, signal?: AbortSignal): Promise<readonly RerankChoice[]> {
    const doFetch = this.options.fetch ?? fetch;
    const body = {
      model: this.options.model,
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        {
          role: 'system',
          content:
            'You map columns of a legal practice-management export to Pipedrive CRM fields. For each column pick one of its candidate targets or null. ' +
            'You see headers and value patterns only (A/a = letters, 9 = digits). Answer JSON: {"columns":[{"column","target","confidence","reason"}]}.',
        },
        { role: 'user', content: JSON.stringify(request) },
      ],
    };
    const response = await doFetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) return [];
    try {
      const json = (await response.json()) as { choices?: { message?: { content?: string } }[] };
      const content = json.choices?.[0]?.message?.content ?? '{}';
      const parsed = JSON.parse(content) as { columns?: RerankChoice[] };
      return (parsed.columns ?? []).filter(
        (c) =>
          typeof c.column === 'string' &&
          (c.target === null || typeof c.target === 'string') &&
          typeof c.confidence === 'number',
      );
    } catch {
      // A re-ranker that answers nonsense is ignored: the proposer's own map stands.
      return [];
    }
  }
}
