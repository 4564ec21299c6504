import type { PipedriveRequester, V1ListPage, V2ListPage } from '../pipedrive/api-types.ts';

/**
 * Every page of a Pipedrive list, as many records per call as the endpoint allows: v2 paths page by
 * cursor (500), v1 paths by start/limit (500; files 100).
 * @example for await (const page of listPages(client, '/api/v2/persons', { updated_since: '2026-01-01T00:00:00Z' })) …
 */
export async function* listPages(
  client: PipedriveRequester,
  path: string,
  query: Record<string, string | number | undefined> = {},
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>[]> {
  const opt = signal ? { signal } : {};
  if (path.startsWith('/api/v2/')) {
    let cursor: string | undefined;
    do {
      const { data, additionalData } = await client.request<Record<string, unknown>[] | null>({
        method: 'GET',
        path,
        query: { ...query, limit: 500, cursor },
        ...opt,
      });
      yield data ?? [];
      cursor = (additionalData as V2ListPage | undefined)?.next_cursor ?? undefined;
    } while (cursor);
    return;
  }
  const limit = path.endsWith('/files') ? 100 : 500;
  let start = 0;
  for (;;) {
    const { data, additionalData } = await client.request<Record<string, unknown>[] | null>({
      method: 'GET',
      path,
      query: { ...query, start, limit },
      ...opt,
    });
    yield data ?? [];
    const pagination = (additionalData as V1ListPage | undefined)?.pagination;
    if (!pagination?.more_items_in_collection) return;
    start = pagination.next_start ?? start + limit;
  }
}

/** Every record of a list, one at a time. */
export async function* listAll(
  client: PipedriveRequester,
  path: string,
  query: Record<string, string | number | undefined> = {},
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>> {
  for await (const page of listPages(client, path, query, signal)) yield* page;
}
