/** Error raised inside a route handler; the simulator turns it into Pipedrive's error envelope. */
export class SimHttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.error ?? `HTTP ${status}`));
    this.status = status;
    this.body = body;
  }
}

const V1_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

/** v1 style error: `{success:false,error,error_info,data:null,additional_data:null}`. */
export function v1Error(status: number, error: string, errorInfo = V1_INFO): SimHttpError {
  return new SimHttpError(status, {
    success: false,
    error,
    error_info: errorInfo,
    data: null,
    additional_data: null,
  });
}

/** v2 style error with a machine `code` (ERR_BAD_REQUEST, ERR_SCHEMA_VALIDATION_FAILED, …). */
export function v2Error(status: number, code: string, error: string): SimHttpError {
  return new SimHttpError(status, { success: false, error, code });
}

/** v2 not-found body (UNCONFIRMED for CRUD endpoints; modelled on the documented convert endpoints). */
export function v2NotFound(what: string): SimHttpError {
  return new SimHttpError(404, {
    success: false,
    error: `${what} not found`,
    error_info: 'Object was not found.',
    data: null,
    additional_data: null,
    code: 'ERR_NOT_FOUND',
  });
}

export function schemaError(messages: readonly string[]): SimHttpError {
  return v2Error(400, 'ERR_SCHEMA_VALIDATION_FAILED', `Validation failed: ${messages.join('; ')}`);
}

export function badRequest(message: string): SimHttpError {
  return v2Error(400, 'ERR_BAD_REQUEST', message);
}

/** What a handler returns: the status (default 200), the JSON body, and extra headers. */
export interface SimResult {
  readonly status?: number;
  readonly body?: unknown;
  readonly raw?: { readonly bytes: Uint8Array; readonly contentType: string; readonly fileName?: string };
  readonly headers?: Readonly<Record<string, string>>;
}

export function ok(data: unknown, additionalData?: unknown, status = 200): SimResult {
  const body: Record<string, unknown> = { success: true, data };
  if (additionalData !== undefined) body.additional_data = additionalData;
  return { status, body };
}

export const UNAUTHORIZED_BODY = {
  success: false,
  error: 'unauthorized access',
  errorCode: 401,
  error_info: 'Please check developers.pipedrive.com',
} as const;
