import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { safeRelativePath } from '../../backdocket/quality/document-checks.ts';
import type { JsonObject, JsonValue } from '../records-to-tables.ts';
import type { SimData, SimRecord } from './sim-data.ts';

/**
 * Misbehaviours the rehearsal server can show on purpose, one at a time, to rehearse Ferry's guards:
 * - `repeat-page`: page 2 of search_claims answers page 1 again;
 * - `shifting-data`: a claim is added at the front once page 1 of search_claims was served;
 * - `truncated-json`: the third get_claim answer is cut in half;
 * - `malformed-json`: get_contact answers HTML instead of JSON;
 * - `is-error`: search_contacts answers `isError: true`;
 * - `endless`: list_tasks answers empty pages, each with a new cursor, for ever;
 * - `no-record-tools`: the server lists only its write tools.
 */
export const SIM_BREAKS = [
  'repeat-page',
  'shifting-data',
  'truncated-json',
  'malformed-json',
  'is-error',
  'endless',
  'no-record-tools',
] as const;
export type SimBreak = (typeof SIM_BREAKS)[number];

export interface SimToolOptions {
  readonly data: () => SimData;
  readonly exportDir: () => string;
  /** Serve document content (get_document_content); false rehearses a server without it. */
  readonly documents: boolean;
  readonly breaks: ReadonlySet<SimBreak>;
  /** Counters shared by every request (the server is stateless per request). */
  readonly state: { getClaimCalls: number; shifted: boolean };
}

const READ = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/**
 * The server's tools: search, get and advanced-search tools that page in three styles (page/total,
 * offset/limit, cursor), a document download, and a few write tools (annotated as writes, or, for two of
 * them, unannotated with names and descriptions that say they change data).
 */
export function registerSimTools(server: McpServer, options: SimToolOptions): void {
  const { breaks } = options;
  const readTools = !breaks.has('no-record-tools');
  if (readTools) registerReadTools(server, options);

  server.registerTool(
    'update_claim',
    {
      title: 'Update claim',
      description: 'Update fields of a claim (status, name, custom fields).',
      inputSchema: { claimId: z.union([z.string(), z.number()]), fields: z.record(z.string(), z.unknown()) },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    async () => json({ ok: true }),
  );
  server.registerTool(
    'create_note',
    {
      title: 'Create note',
      description: 'Add a note to a claim or contact.',
      inputSchema: { claimId: z.union([z.string(), z.number()]).optional(), text: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    async () => json({ ok: true, id: 999_999 }),
  );
  server.registerTool(
    'delete_task',
    {
      title: 'Delete task',
      description: 'Delete a task.',
      inputSchema: { taskId: z.union([z.string(), z.number()]) },
      annotations: { destructiveHint: true },
    },
    async () => json({ ok: true }),
  );
  // Unannotated: only their words say they change data.
  server.registerTool(
    'archive_contact',
    {
      description: 'Archive a contact so that it no longer appears in searches.',
      inputSchema: { contactId: z.union([z.string(), z.number()]) },
    },
    async () => json({ ok: true }),
  );
  server.registerTool(
    'get_or_create_contact',
    {
      description: 'Find a contact by e-mail, or create one when none matches.',
      inputSchema: { email: z.string(), firstName: z.string().optional(), lastName: z.string().optional() },
    },
    async () => json({ ok: true }),
  );
}

function registerReadTools(server: McpServer, options: SimToolOptions): void {
  const { breaks, state } = options;
  const since = z.string().optional().describe('ISO date: only records created or modified on or after it');

  server.registerTool(
    'search_claims',
    {
      title: 'Search claims',
      description: 'Search claims by name, number or status. Returns claim summaries, a page at a time.',
      inputSchema: {
        query: z.string().optional(),
        status: z.string().optional(),
        modifiedSince: since,
        page: z.number().int().min(1).optional(),
        pageSize: z.number().int().min(1).max(100).optional(),
      },
      annotations: READ,
    },
    async ({ query, status, modifiedSince, page = 1, pageSize = 25 }) => {
      let claims = filterSince(options.data().claims, modifiedSince).filter(
        (claim) =>
          (!query || JSON.stringify(claim.json).toLowerCase().includes(query.toLowerCase())) &&
          (!status || String(claim.json.status ?? '').toLowerCase() === status.toLowerCase()),
      );
      if (breaks.has('shifting-data') && state.shifted) {
        claims = [
          {
            id: '999999',
            json: {
              id: 999_999,
              claimNumber: 'BD-NEW',
              name: 'Opened while you were paging',
              status: 'Chase Call',
            },
            modifiedAt: null,
          },
          ...claims,
        ];
      }
      const shown = breaks.has('repeat-page') && page >= 2 ? page - 1 : page;
      const slice = claims.slice((shown - 1) * pageSize, shown * pageSize);
      if (breaks.has('shifting-data') && page === 1) state.shifted = true;
      return json({ claims: slice.map(claimSummary), page, pageSize, total: claims.length });
    },
  );

  server.registerTool(
    'get_claim',
    {
      title: 'Get claim',
      description: 'Retrieve one claim with its contacts, staff and status history.',
      inputSchema: { claimId: z.union([z.string(), z.number()]) },
      annotations: READ,
    },
    async ({ claimId }) => {
      state.getClaimCalls += 1;
      const claims =
        breaks.has('shifting-data') && state.shifted
          ? [OPENED_WHILE_PAGING, ...options.data().claims]
          : options.data().claims;
      const claim = claims.find((candidate) => candidate.id === String(claimId));
      if (!claim) return error(`No claim ${claimId}.`);
      const text = JSON.stringify(claim.json);
      if (breaks.has('truncated-json') && state.getClaimCalls === 3)
        return { content: [{ type: 'text', text: text.slice(0, Math.floor(text.length / 2)) }] };
      return { content: [{ type: 'text', text }] };
    },
  );

  server.registerTool(
    'search_contacts',
    {
      title: 'Search contacts',
      description: 'Search contacts (clients, parties, providers) by name, e-mail or phone.',
      inputSchema: {
        query: z.string().optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      },
      annotations: READ,
    },
    async ({ query, offset = 0, limit = 50 }) => {
      if (breaks.has('is-error')) return error('Search is temporarily disabled for this firm.');
      const contacts = options
        .data()
        .contacts.filter(
          (contact) => !query || JSON.stringify(contact.json).toLowerCase().includes(query.toLowerCase()),
        );
      const results = contacts.slice(offset, offset + limit).map((contact) => ({
        id: contact.json.id ?? contact.id,
        firstName: contact.json.firstName ?? null,
        lastName: contact.json.lastName ?? null,
        email: contact.json.email ?? null,
      }));
      return json({ results, offset, limit, total: contacts.length });
    },
  );

  // Unannotated: its name and description alone say it only reads.
  server.registerTool(
    'get_contact',
    {
      description: 'Get one contact by id, with phones, e-mails and address.',
      inputSchema: { contactId: z.union([z.string(), z.number()]) },
    },
    async ({ contactId }) => {
      if (breaks.has('malformed-json'))
        return { content: [{ type: 'text', text: '<html><body>502 Bad Gateway</body></html>' }] };
      const contact = options.data().contacts.find((candidate) => candidate.id === String(contactId));
      return contact ? json(contact.json) : error(`No contact ${contactId}.`);
    },
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List tasks',
      description: 'List tasks, a page at a time: pass the nextCursor of a page to get the next one.',
      inputSchema: { cursor: z.string().optional(), limit: z.number().int().min(1).max(100).optional() },
      annotations: READ,
    },
    async ({ cursor, limit = 50 }) => {
      const tasks = options.data().tasks;
      const start = cursor
        ? Number(
            Buffer.from(cursor, 'base64url')
              .toString('utf8')
              .replace(/^after:/, ''),
          )
        : 0;
      if (breaks.has('endless')) {
        const next = Buffer.from(`after:${start + limit}`).toString('base64url');
        return structured({ tasks: [], nextCursor: next });
      }
      const slice = tasks.slice(start, start + limit);
      const nextCursor =
        start + limit < tasks.length ? Buffer.from(`after:${start + limit}`).toString('base64url') : null;
      return structured({ tasks: slice.map((task) => task.json), nextCursor });
    },
  );

  const entities = [...options.data().entities.keys()];
  if (entities.length > 0) {
    server.registerTool(
      'advanced_search',
      {
        title: 'Advanced search',
        description: 'Run an advanced search over one kind of BackDocket record, a page at a time.',
        inputSchema: {
          entity: z.enum(entities as [string, ...string[]]),
          modifiedSince: since,
          page: z.number().int().min(1).optional(),
          pageSize: z.number().int().min(1).max(100).optional(),
        },
        annotations: READ,
      },
      async ({ entity, modifiedSince, page = 1, pageSize = 50 }) => {
        const records = filterSince(options.data().entities.get(entity) ?? [], modifiedSince);
        const slice = records.slice((page - 1) * pageSize, page * pageSize);
        return json({
          entity,
          results: slice.map((record) => record.json),
          page,
          pageSize,
          total: records.length,
        });
      },
    );
  }

  const documents = options.data().documents;
  if (options.documents && documents) {
    server.registerTool(
      'get_document_content',
      {
        title: 'Download document',
        description: 'Get the content of one document (the file itself), base64-encoded.',
        inputSchema: { documentId: z.union([z.string(), z.number()]) },
        annotations: READ,
      },
      async ({ documentId }) => {
        const record = options
          .data()
          .entities.get(documents.entity)
          ?.find((candidate) => candidate.id === String(documentId));
        if (!record) return error(`No document ${documentId}.`);
        const relative = safeRelativePath(String(record.json[documents.pathField] ?? ''));
        let content: Buffer;
        try {
          if (!relative) throw new Error('no path');
          content = readFileSync(join(options.exportDir(), relative));
        } catch {
          return error(`The file of document ${documentId} is not in the document store.`);
        }
        const mimeType = documents.mimeField ? String(record.json[documents.mimeField] ?? '') : '';
        return {
          content: [
            {
              type: 'resource',
              resource: {
                uri: `backdocket://documents/${documentId}`,
                mimeType: mimeType || 'application/octet-stream',
                blob: content.toString('base64'),
              },
            },
          ],
        };
      },
    );
  }
}

/** The claim `shifting-data` adds at the front of the listing once its first page was served. */
const OPENED_WHILE_PAGING: SimRecord = {
  id: '999999',
  json: {
    id: 999_999,
    claimNumber: 'BD-NEW',
    claimName: 'Opened while you were paging',
    status: 'Chase Call',
  },
  modifiedAt: null,
};

function claimSummary(claim: SimRecord): JsonObject {
  const json = claim.json;
  const modified =
    (json.modified as JsonObject | undefined)?.date ?? (json.created as JsonObject | undefined)?.date ?? null;
  return {
    id: json.id ?? claim.id,
    claimNumber: json.claimNumber ?? null,
    name: json.claimName ?? json.name ?? null,
    status: json.status ?? null,
    modifiedDate: modified as JsonValue,
  };
}

function filterSince(records: readonly SimRecord[], since: string | undefined): readonly SimRecord[] {
  if (!since) return records;
  const at = Date.parse(since);
  if (Number.isNaN(at)) return records;
  // A record whose dates cannot be read is always included: a filter must never lose a change.
  return records.filter((record) => record.modifiedAt === null || record.modifiedAt >= at);
}

function json(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}

function structured(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

function error(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
