import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { McpToolInfo } from './model.ts';
import { assembleReadPlan, classifyTool } from './read-plan.ts';
import { parseSourceConfig } from './source-config.ts';

const paged = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1 }, pageSize: { type: 'integer', maximum: 50 } },
};
const TOOLS: McpToolInfo[] = [
  {
    name: 'search_claims',
    annotations: { readOnlyHint: true },
    inputSchema: { ...paged, properties: { ...paged.properties, updatedSince: { type: 'string' } } },
  },
  {
    name: 'get_claim',
    annotations: { readOnlyHint: true },
    inputSchema: { type: 'object', properties: { claimId: { type: 'string' } }, required: ['claimId'] },
  },
  {
    name: 'listMatters',
    description: 'List matters',
    inputSchema: { type: 'object', properties: { cursor: { type: 'string' }, limit: { type: 'integer' } } },
  },
  {
    name: 'find_contacts',
    description: 'Find contacts by name',
    inputSchema: { type: 'object', properties: { offset: { type: 'integer' }, limit: { type: 'integer' } } },
  },
  {
    name: 'advanced_search',
    annotations: { readOnlyHint: true },
    inputSchema: {
      type: 'object',
      properties: { entity: { type: 'string', enum: ['notes', 'tasks'] }, page: { type: 'integer' } },
      required: ['entity'],
    },
  },
  {
    name: 'list_tasks',
    annotations: { readOnlyHint: true },
    inputSchema: { type: 'object', properties: { cursor: { type: 'string' } } },
  },
  {
    name: 'download_document',
    annotations: { readOnlyHint: true },
    inputSchema: {
      type: 'object',
      properties: { documentId: { type: 'integer' } },
      required: ['documentId'],
    },
  },
  { name: 'update_claim', annotations: { readOnlyHint: false }, inputSchema: { type: 'object' } },
  { name: 'search_and_tag', annotations: { readOnlyHint: true, destructiveHint: true } },
  { name: 'get_contacts', description: 'Get contacts, and update their last-seen date.' },
  { name: 'sync_claims', description: 'Synchronise claims with the court.' },
  {
    name: 'search_by_query',
    description: 'Search anything',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

describe('which tools Ferry may call', () => {
  it('trusts readOnlyHint, and reads an unannotated tool only when its words say it only reads', () => {
    const access = (name: string) => classifyTool(TOOLS.find((tool) => tool.name === name)!).access;
    expect(access('search_claims')).toBe('read');
    expect(access('listMatters')).toBe('read');
    expect(access('update_claim')).toBe('write');
    // Annotated destructive, even with readOnlyHint: never called.
    expect(access('search_and_tag')).toBe('write');
    // A read verb, but the description says it changes data.
    expect(access('get_contacts')).toBe('write');
    // No read verb.
    expect(access('sync_claims')).toBe('write');
    expect(classifyTool({ name: 'get_or_create_contact' }).why).toContain("'create'");
  });

  it('lets a person vouch for an unannotated tool, never for one annotated as a write', () => {
    const vouched = new Set(['get_contacts', 'update_claim']);
    expect(classifyTool(TOOLS.find((tool) => tool.name === 'get_contacts')!, vouched).access).toBe('read');
    expect(classifyTool(TOOLS.find((tool) => tool.name === 'update_claim')!, vouched).access).toBe('write');
  });
});

describe('the read plan', () => {
  it('pairs listings with detail tools, finds paging styles, fans out a generic search, and finds documents', () => {
    const { plan, problems } = assembleReadPlan({ tools: TOOLS });
    expect(problems).toEqual([]);
    const table = (name: string) => plan.tables.find((candidate) => candidate.table === name);
    expect(plan.tables.map((candidate) => `${candidate.table}←${candidate.tool}`)).toEqual([
      'claims←search_claims',
      'contacts←find_contacts',
      'matters←listMatters',
      'notes←advanced_search',
      'tasks←list_tasks',
    ]);
    expect(table('claims')).toMatchObject({
      paging: { style: 'page', param: 'page', sizeParam: 'pageSize', size: 50, firstPage: 1 },
      detail: { tool: 'get_claim', idArgument: 'claimId' },
      modifiedSince: 'updatedSince',
    });
    expect(table('contacts')?.paging).toMatchObject({ style: 'offset', param: 'offset', sizeParam: 'limit' });
    expect(table('matters')?.paging).toMatchObject({ style: 'cursor', param: 'cursor' });
    expect(table('notes')?.arguments).toEqual({ entity: 'notes' });
    // A tool made for tasks wins over the generic search that can list them too.
    expect(table('tasks')?.tool).toBe('list_tasks');
    expect(plan.documents).toMatchObject({ tool: 'download_document', idArgument: 'documentId' });
    const verdict = (name: string) => plan.tools.find((tool) => tool.name === name);
    expect(verdict('update_claim')).toMatchObject({ access: 'write', role: 'write' });
    expect(verdict('search_by_query')).toMatchObject({ access: 'read', role: 'unused' });
    expect(verdict('search_by_query')?.note).toContain("'query'");
  });

  it('takes source.yaml corrections, and refuses a write tool or a tool the server lacks with the line', () => {
    const text = [
      'version: 1',
      'readOnlyTools: [sync_claims]',
      'tables:',
      '  claims:',
      '    detail: false',
      '    paging: { style: page, size: 10 }',
      '  matters: { skip: true }',
      '  people:',
      '    tool: search_by_query',
      '    arguments: { query: "*" }',
      '  tasks:',
      '    tool: update_claim',
      '  staff:',
      '    tool: list_staff',
    ].join('\n');
    const parsed = parseSourceConfig(text);
    expect(parsed.errors).toEqual([]);
    const { plan, problems } = assembleReadPlan({
      tools: TOOLS,
      config: parsed.config,
      lineOf: parsed.lineOf,
    });
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [
        12,
        "tables.tasks.tool: 'update_claim' is not read-only (annotated readOnlyHint: false); Ferry never calls it",
      ],
      [14, "tables.staff.tool: the server has no tool 'list_staff'"],
    ]);
    const claims = plan.tables.find((table) => table.table === 'claims');
    expect(claims).toMatchObject({ detail: null, paging: { style: 'page', size: 10 }, from: 'source.yaml' });
    expect(plan.tables.some((table) => table.table === 'matters')).toBe(false);
    expect(plan.tables.find((table) => table.table === 'people')).toMatchObject({
      tool: 'search_by_query',
      arguments: { query: '*' },
    });
    expect(plan.tools.find((tool) => tool.name === 'sync_claims')?.access).toBe('read');
  });

  it('says so when no read-only tool lists records', () => {
    const { plan, problems } = assembleReadPlan({ tools: [TOOLS[7]!, TOOLS[8]!] });
    expect(plan.tables).toEqual([]);
    expect(problems[0]).toMatchObject({ code: 'no_record_tools', severity: 'error' });
    expect(problems[0]?.message).toContain('update_claim, search_and_tag');
  });
});

describe('source.yaml', () => {
  it('names the line and key of a mistake', () => {
    const result = parseSourceConfig('tables:\n  claims:\n    paging: { style: pages }\n    detial: false\n');
    expect(result.config).toBeUndefined();
    expect(result.errors.map((error) => [error.line, error.field])).toEqual([
      [3, 'tables.claims.paging.style'],
      [4, 'tables.claims.detial'],
    ]);
    expect(result.errors[1]?.message).toContain('detial');
  });

  it('reports broken YAML with its line', () => {
    const result = parseSourceConfig('tables:\n  claims: [\n');
    expect(result.errors[0]).toMatchObject({ code: 'source_yaml_invalid', line: expect.any(Number) });
  });
});

describe('the README', () => {
  it('documents a source.yaml that Ferry accepts', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('**Correcting the plan: `source.yaml`.**'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const parsed = parseSourceConfig(yaml ?? '');
    expect(parsed.errors).toEqual([]);
    expect(parsed.config?.tables?.claims?.detail).toEqual({ tool: 'get_claim', idArgument: 'claimId' });
  });
});
