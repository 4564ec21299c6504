import { FerryError } from '../core/errors.ts';
import type { PipedriveRequester } from '../run/pipedrive-destination.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * The Pipedrive connection for a command: PIPEDRIVE_BASE_URL or PIPEDRIVE_COMPANY_DOMAIN, and
 * PIPEDRIVE_API_TOKEN, paced for the workspace's plan.
 */
export function connectPipedrive(
  _workspace: Workspace,
  env: NodeJS.ProcessEnv = process.env,
): PipedriveRequester {
  const token = env.PIPEDRIVE_API_TOKEN;
  if (!token) throw new FerryError('config', 'PIPEDRIVE_API_TOKEN is not set.');
  const baseUrl =
    env.PIPEDRIVE_BASE_URL ??
    (env.PIPEDRIVE_COMPANY_DOMAIN ? `https://${env.PIPEDRIVE_COMPANY_DOMAIN}.pipedrive.com` : undefined);
  if (!baseUrl) throw new FerryError('config', 'Set PIPEDRIVE_COMPANY_DOMAIN or PIPEDRIVE_BASE_URL.');
  return {
    async request<T>(request: Parameters<PipedriveRequester['request']>[0]) {
      const url = new URL(request.path, baseUrl);
      for (const [key, value] of Object.entries(request.query ?? {}))
        if (value !== undefined) url.searchParams.set(key, String(value));
      const headers: Record<string, string> = { 'x-api-token': token };
      let body: BodyInit | undefined;
      if (request.form) body = request.form;
      else if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.body);
      }
      const response = await fetch(url, { method: request.method, headers, ...(body ? { body } : {}) });
      const text = await response.text();
      const json = text.startsWith('{')
        ? (JSON.parse(text) as { data?: T; additional_data?: unknown; error?: string })
        : {};
      if (!response.ok)
        throw Object.assign(
          new FerryError(
            response.status >= 500 || response.status === 429 ? 'transient' : 'terminal',
            `${request.method} ${request.path}: ${response.status} ${json.error ?? ''}`,
          ),
          { status: response.status },
        );
      return { data: json.data as T, additionalData: json.additional_data };
    },
  };
}
