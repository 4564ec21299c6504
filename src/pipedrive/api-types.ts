/**
 * The request and response shapes of the Pipedrive endpoints Ferry uses — only the properties it reads
 * or writes (reference §4–§9; the OpenAPI files hold the rest). Everything that talks to Pipedrive goes
 * through `PipedriveRequester`, so the run, schema and verification code never see HTTP.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface PipedriveRequest {
  readonly method: HttpMethod;
  /** Path including the version prefix, e.g. `/api/v2/persons`. */
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  /** Multipart body (file uploads). */
  readonly form?: FormData;
  readonly signal?: AbortSignal;
}

/** What one call returns after the `{ success, data, additional_data }` envelope is unwrapped. */
export interface PipedriveAnswer<T> {
  readonly data: T;
  readonly additionalData?: unknown;
}

export interface PipedriveRequester {
  request<T = unknown>(options: PipedriveRequest): Promise<PipedriveAnswer<T>>;
}

/** `additional_data` of a v2 list: cursor paging. */
export interface V2ListPage {
  readonly next_cursor?: string | null;
}

/** `additional_data` of a v1 list: offset paging. */
export interface V1ListPage {
  readonly pagination?: { readonly more_items_in_collection?: boolean; readonly next_start?: number };
}

/** `GET /api/v1/users` and `/users/me`. */
export interface PipedriveUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly active_flag: boolean;
  readonly company_domain?: string;
  readonly is_admin?: number | boolean;
  readonly access?: readonly { readonly app: string; readonly admin: boolean }[];
}

/** `GET /api/v2/{deal,person,organization}Fields`. */
export interface PipedriveField {
  readonly field_name: string;
  readonly field_code: string;
  readonly field_type: string;
  readonly is_custom_field?: boolean;
  readonly options?: readonly { readonly id: number; readonly label: string }[] | null;
}

/** `GET /api/v2/pipelines`. */
export interface PipedrivePipeline {
  readonly id: number;
  readonly name: string;
  readonly is_deleted?: boolean;
}

/** `GET /api/v2/stages`. */
export interface PipedriveStage {
  readonly id: number;
  readonly name: string;
  readonly pipeline_id: number;
  readonly order_nr: number;
  readonly is_deleted?: boolean;
}

/** `GET /api/v1/activityTypes`. */
export interface PipedriveActivityType {
  readonly id: number;
  readonly name: string;
  readonly key_string: string;
  readonly active_flag: boolean;
}

/** `GET /api/v1/leadLabels` (lead ids and label ids are UUIDs). */
export interface PipedriveLeadLabel {
  readonly id: string;
  readonly name: string;
}

/** What a create answers with: the new record, of which Ferry keeps the id (a UUID for leads and labels). */
export interface PipedriveCreated<Id extends number | string = number> {
  readonly id: Id;
}

/** A created custom field: its per-account key. */
export interface PipedriveCreatedField {
  readonly field_code: string;
}
