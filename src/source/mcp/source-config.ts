import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Issue } from '../../core/issues.ts';
import { PAGING_STYLES } from './model.ts';

/**
 * `source.yaml` in the workspace: a person's corrections to the read plan Ferry discovered on an MCP
 * server (`ferry source inspect` shows the plan, and a template of this file). Every key is optional.
 */
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

const pagingSchema = z
  .object({
    style: z.enum(PAGING_STYLES),
    /** The page number, offset or cursor argument. */
    param: z.string().min(1).optional(),
    sizeParam: z.string().min(1).optional(),
    size: z.number().int().positive().max(10_000).optional(),
    firstPage: z.number().int().min(0).optional(),
  })
  .strict();

const tableSchema = z
  .object({
    /** Leave this table out of the pull. */
    skip: z.boolean().optional(),
    tool: z.string().min(1).optional(),
    arguments: z.record(z.string(), jsonValue).optional(),
    paging: pagingSchema.optional(),
    /** The per-record detail tool, or false to use the listing's records as they are. */
    detail: z
      .union([
        z.literal(false),
        z.object({ tool: z.string().min(1), idArgument: z.string().min(1) }).strict(),
      ])
      .optional(),
    /** The modified-since argument, or false to always pull the table in full. */
    modifiedSince: z.union([z.literal(false), z.string().min(1)]).optional(),
    idField: z.string().min(1).optional(),
    recordsPath: z.string().min(1).optional(),
  })
  .strict();

export const sourceConfigSchema = z
  .object({
    version: z.literal(1).optional(),
    /** Detail and document calls in flight at once. */
    concurrency: z.number().int().min(1).max(32).optional(),
    /** Default page size for listings whose schema gives none. */
    pageSize: z.number().int().positive().max(10_000).optional(),
    /** Unannotated tools a person vouches are read-only (a tool annotated as a write never is). */
    readOnlyTools: z.array(z.string().min(1)).optional(),
    tables: z
      .record(
        z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_ .-]*$/, 'a table name: letters, digits, _ . - and spaces'),
        tableSchema,
      )
      .optional(),
    documents: z
      .union([
        z.literal(false),
        z
          .object({
            tool: z.string().min(1),
            idArgument: z.string().min(1),
            table: z.string().min(1).optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export type SourceConfig = z.infer<typeof sourceConfigSchema>;
export type SourceTableConfig = z.infer<typeof tableSchema>;

export interface SourceConfigResult {
  readonly config: SourceConfig | undefined;
  readonly errors: readonly Issue[];
  /** Line of a key path in the file, for errors found later (a tool the server does not have). */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/**
 * Parses `source.yaml`; problems come back as issues naming the line and the key, never as exceptions.
 * @example parseSourceConfig('tables:\n  claims:\n    tool: search_claims\n').config?.tables?.claims?.tool // 'search_claims'
 */
export function parseSourceConfig(text: string, file = 'source.yaml'): SourceConfigResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    for (let depth = path.length; depth > 0; depth -= 1) {
      const node = document.getIn(path.slice(0, depth), true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
      // A key whose value is missing or a scalar: find the pair's key instead.
      const parent = document.getIn(path.slice(0, depth - 1), true) as
        | { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] }
        | undefined;
      const pair = parent?.items?.find((item) => item.key?.value === path[depth - 1]);
      if (pair?.key?.range) return lineCounter.linePos(pair.key.range[0]).line;
    }
    return undefined;
  };
  const yamlErrors = document.errors.map(
    (error): Issue => ({
      code: 'source_yaml_invalid',
      severity: 'error',
      file,
      line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
    }),
  );
  if (yamlErrors.length > 0) return { config: undefined, errors: yamlErrors, lineOf };
  const parsed = sourceConfigSchema.safeParse(document.toJS() ?? {});
  if (parsed.success) return { config: parsed.data, errors: [], lineOf };
  const errors = parsed.error.issues.map((issue): Issue => {
    // An unknown key is named in the path, so the line is the key's own.
    const unknown = issue.code === 'unrecognized_keys' ? (issue.keys[0] ?? undefined) : undefined;
    const path = [...(issue.path as (string | number)[]), ...(unknown !== undefined ? [unknown] : [])];
    const key = path.join('.') || '(top level)';
    return {
      code: 'source_yaml_invalid',
      severity: 'error',
      file,
      line: lineOf(path),
      field: key,
      message: `${key}: ${issue.message}`,
    };
  });
  return { config: undefined, errors, lineOf };
}

/** A commented starting point for `source.yaml`, written by `ferry source inspect --write-template`. */
export function renderSourceConfigTemplate(
  tables: readonly { table: string; tool: string; detail: string | null }[],
): string {
  const lines = [
    '# Corrections to the read plan Ferry discovered (`ferry source inspect` shows it). Every key is optional;',
    '# Ferry calls only read-only tools, whatever this file says. See README.md, "MCP sources".',
    'version: 1',
    '# concurrency: 4          # detail and document calls in flight',
    '# pageSize: 100           # page size for listings whose schema gives none',
    '# readOnlyTools: []       # unannotated tools you know to be read-only',
    'tables:',
  ];
  for (const table of tables) {
    lines.push(`  ${table.table}:`);
    lines.push(`    tool: ${table.tool}`);
    lines.push(
      table.detail
        ? `    # detail: false        # use the listing's records (no ${table.detail} call per record)`
        : '    # detail: { tool: get_x, idArgument: id }',
    );
    lines.push('    # arguments: {}');
    lines.push('    # paging: { style: page, param: page, sizeParam: pageSize, size: 100, firstPage: 1 }');
  }
  lines.push('# documents: false        # do not download documents');
  return `${lines.join('\n')}\n`;
}
