import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FerryError } from '../../core/errors.ts';
import { conceptsOf } from '../backdocket/headers.ts';
import { safeRelativePath } from '../backdocket/quality/document-checks.ts';
import type { ToolAnswer } from './mcp-connection.ts';
import type { JsonObject } from './records-to-tables.ts';

/**
 * Where a downloaded document goes inside the workspace's source-files folder: the path its record
 * gives (the `Storage Path` of an export, so the migration finds it as it would in an export folder),
 * else `<table>/<id>/<file name>`. Paths that would leave the folder are never used.
 */
export function documentPath(input: {
  table: string;
  recordId: string;
  values: Readonly<Record<string, string>>;
}): string {
  const columns = Object.keys(input.values);
  const pathColumn = columns.find((column) => conceptsOf(column).includes('storage_path'));
  const fromRecord = pathColumn ? safeRelativePath(input.values[pathColumn] ?? '') : null;
  if (fromRecord) return fromRecord;
  const nameColumn = columns.find((column) => conceptsOf(column).includes('file_name'));
  const name = safeSegment(nameColumn ? (input.values[nameColumn] ?? '') : '') || 'document';
  return `${safeSegment(input.table)}/${safeSegment(input.recordId) || 'unknown'}/${name}`;
}

function safeSegment(text: string): string {
  return text
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 180);
}

/**
 * The bytes of a document from a tool's answer: an embedded resource (`blob`, base64; or `text`), or a
 * JSON answer carrying base64 content (`contentBase64`, `base64`, `content`, `data`).
 */
export function documentBytes(answer: ToolAnswer, label: string): Buffer {
  const resource = answer.resources[0];
  if (resource?.blob !== undefined) return Buffer.from(resource.blob, 'base64');
  if (resource?.text !== undefined) return Buffer.from(resource.text, 'utf8');
  const json = answer.json;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const object = json as JsonObject;
    for (const key of ['contentBase64', 'content_base64', 'base64', 'blob', 'content', 'data']) {
      const value = object[key];
      if (typeof value === 'string') return Buffer.from(value, 'base64');
    }
  }
  throw new FerryError(
    'terminal',
    `${label} answered without the document's content (no resource, no base64 field).`,
    {
      code: 'E_MCP_DOCUMENT_SHAPE',
    },
  );
}

/** Writes a document under `root` (a temporary name, then a rename: a killed download leaves no half file). */
export function saveDocument(input: { root: string; relative: string; content: Buffer }): void {
  const { root, relative, content } = input;
  const target = join(root, relative);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.part-${process.pid}`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, target);
}
