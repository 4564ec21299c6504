import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { Issue } from '../core/issues.ts';

export const PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;
export type Plan = (typeof PLANS)[number];

/** `ferry.yaml`: everything about a workspace that is not the mapping. */
export const ferryConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    /** The BackDocket export folder, relative to the workspace, or the URL of its MCP server. */
    source: z.string().min(1),
    /** Time zone of the firm's local timestamps in the export (IANA name). */
    sourceTimeZone: z.string().default('America/Chicago'),
    /** How to read ambiguous numeric dates such as 03/04/21. */
    dateOrder: z.enum(['MDY', 'DMY', 'YMD']).default('MDY'),
    defaultCurrency: z.string().length(3).default('USD'),
    defaultPhoneRegion: z.string().length(2).default('US'),
    pipedrive: z
      .object({
        /**
         * The plan and seats are a starting guess: the account's answers state its real burst limit and
         * daily token budget, which Ferry follows (and remembers) from the first request on.
         */
        plan: z.enum(PLANS).default('growth'),
        seats: z.number().int().positive().default(5),
        /**
         * Requests per rolling 2 s to start from instead of the plan's, before the account's answers say
         * (`x-ratelimit-limit`); Ferry follows what they say either way. Kept for workspaces that set it.
         */
        burstLimit: z.number().int().positive().optional(),
        /**
         * The most requests per second Ferry sends, whatever the account allows: headroom for the firm's own
         * integrations sharing the token. A limit learned from the account never goes above it.
         */
        maxRequestsPerSecond: z.number().positive().optional(),
        /** Visibility of created records; 3 = entire company on Lite/Growth (7 on Premium/Ultimate). */
        visibleTo: z.number().int().optional(),
        /** Files larger than this get a link field instead of an upload. */
        maxUploadBytes: z
          .number()
          .int()
          .positive()
          .default(25 * 1024 * 1024),
      })
      .strict()
      .default({ plan: 'growth', seats: 5, maxUploadBytes: 25 * 1024 * 1024 }),
  })
  .strict();

export type FerryConfig = z.infer<typeof ferryConfigSchema>;

export interface ConfigResult {
  readonly config: FerryConfig | undefined;
  readonly warnings: readonly Issue[];
  readonly errors: readonly Issue[];
}

/** Parses `ferry.yaml` text; problems come back as issues naming the line and key, never as exceptions. */
export function parseFerryConfig(text: string, file = 'ferry.yaml'): ConfigResult {
  const document = parseDocument(text, { prettyErrors: false });
  const yamlErrors = document.errors.map(
    (error): Issue => ({
      code: 'config_yaml_invalid',
      severity: 'error',
      file,
      line: error.linePos?.[0]?.line,
      message: `Invalid YAML: ${error.message.split('\n')[0]}`,
    }),
  );
  if (yamlErrors.length > 0) return { config: undefined, warnings: [], errors: yamlErrors };
  const parsed = ferryConfigSchema.safeParse(document.toJS() ?? {});
  if (parsed.success) return { config: parsed.data, warnings: [], errors: [] };
  const errors = parsed.error.issues.map(
    (issue): Issue => ({
      code: 'config_invalid',
      severity: 'error',
      file,
      line: lineOfPath(document, issue.path as (string | number)[]),
      field: issue.path.join('.'),
      message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    }),
  );
  return { config: undefined, warnings: [], errors };
}

function lineOfPath(
  document: ReturnType<typeof parseDocument>,
  path: (string | number)[],
): number | undefined {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const node = document.getIn(path.slice(0, depth), true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node?.range) return lineAt(String(document), node.range[0]);
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text[i] === '\n') line += 1;
  return line;
}

export function renderDefaultConfig(source: string, kind: 'folder' | 'mcp' = 'folder'): string {
  const what =
    kind === 'mcp'
      ? '# The BackDocket MCP server (its token comes from BACKDOCKET_TOKEN or `ferry source login`, never this file).'
      : '# The BackDocket export folder (CSV/XLSX files and files/), relative to this file.';
  return `# Ferry workspace settings. See README.md, "Configuration".
version: 1
${what}
source: ${JSON.stringify(source)}
# Time zone of local timestamps in the export, and how to read dates such as 03/04/21.
sourceTimeZone: America/Chicago
dateOrder: MDY
defaultCurrency: USD
defaultPhoneRegion: US
pipedrive:
  # Your Pipedrive plan and seat count: only a first guess at the account's limits. Pipedrive's answers
  # state the real burst limit and daily token budget, and Ferry follows them from the first request on.
  plan: growth
  seats: 5
  # Uncomment to keep Ferry under this many requests per second, leaving headroom for your own integrations.
  # maxRequestsPerSecond: 10
  # Files larger than this (bytes) get a link field instead of an upload.
  maxUploadBytes: 26214400
`;
}
