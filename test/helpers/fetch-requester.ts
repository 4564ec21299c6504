import type { PipedriveRequester } from '../../src/run/pipedrive-destination.ts';

/**
 * A bare requester over fetch for tests that need one before the real client is wired in: envelope in,
 * error with `status` out. No pacing, no retries.
 */
export function fetchRequester(options: { baseUrl: string; token: string; fetch?: typeof fetch }): PipedriveRequester {
  const doFetch = options.fetch ?? fetch;
  return {
    async request<T>(request: Parameters<PipedriveRequester['request']>[0]) {
      const url = new URL(request.path, options.baseUrl);
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = { 'x-api-token': options.token };
      let body: BodyInit | undefined;
      if (request.form) body = request.form;
      else if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.body);
      }
      const response = await doFetch(url, { method: request.method, headers, ...(body ? { body } : {}) });
      const text = await response.text();
      const json = text ? (JSON.parse(text) as { data?: T; additional_data?: unknown; error?: string }) : {};
      if (!response.ok) {
        throw Object.assign(new Error(`${request.method} ${request.path} → ${response.status}: ${json.error}`), {
          status: response.status,
        });
      }
      return { data: json.data as T, additionalData: json.additional_data };
    },
  };
}
