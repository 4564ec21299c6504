import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** Pipedrive's OpenAPI files, read from the shared reference folder (never copied into the repo). */
export const OPENAPI_DIR = fileURLToPath(
  new URL('../../../shared/reference/pipedrive-openapi/', import.meta.url),
);
export const HAVE_SPECS =
  existsSync(`${OPENAPI_DIR}openapi-v1.yaml`) && existsSync(`${OPENAPI_DIR}openapi-v2.yaml`);

type Json = Record<string, unknown>;

export interface SpecOperation {
  readonly requestSchema: Json | undefined;
  readonly responses: Readonly<Record<string, Json | undefined>>;
}

/** Both specs, parsed once per test file: `get('v2', 'POST', '/persons')`. */
export class PipedriveSpecs {
  private readonly docs: Record<'v1' | 'v2', Json>;
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.docs = {
      v1: parse(readFileSync(`${OPENAPI_DIR}openapi-v1.yaml`, 'utf8')) as Json,
      v2: parse(readFileSync(`${OPENAPI_DIR}openapi-v2.yaml`, 'utf8')) as Json,
    };
  }

  operation(version: 'v1' | 'v2', method: string, path: string): SpecOperation {
    const paths = this.docs[version].paths as Record<string, Record<string, Json>>;
    const op = paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`the ${version} spec has no ${method} ${path}`);
    const content = (op.requestBody as Json | undefined)?.content as
      | Record<string, { schema?: Json }>
      | undefined;
    const requestSchema = content?.['application/json']?.schema ?? content?.['multipart/form-data']?.schema;
    const responses: Record<string, Json | undefined> = {};
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      const body = (response.content as Record<string, { schema?: Json }> | undefined)?.['application/json']
        ?.schema;
      responses[status] = body;
    }
    return { requestSchema, responses };
  }

  /** Validates a response body; returns ajv's messages (empty when it fits). */
  validateResponse(
    version: 'v1' | 'v2',
    method: string,
    path: string,
    status: number,
    body: unknown,
  ): string[] {
    const op = this.operation(version, method, path);
    if (!(String(status) in op.responses))
      return [`status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`];
    const schema = op.responses[String(status)];
    if (!schema) return [];
    const key = `${version} ${method} ${path} ${status}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, true));
      this.cache.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a `null` type. For responses, `lenientNull`
 * also admits null for every typed property: Pipedrive's specs leave out `nullable` on fields the live API
 * returns as null (org_id, picture_id, due_time, …), so only non-null values are type-checked.
 */
export function toJsonSchema(schema: unknown, lenientNull: boolean): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'example' || key === 'nullable' || key === 'x-token-cost') continue;
      if (key === 'properties' || key === 'patternProperties') {
        out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, walk(v)]));
      } else out[key] = walk(value);
    }
    const n = node as Json;
    if (typeof n.type === 'string' && (n.nullable === true || lenientNull)) {
      out.type = [n.type, 'null'];
      if (Array.isArray(n.enum)) out.enum = [...n.enum, null];
    }
    return out;
  };
  return walk(schema) as Json;
}
