import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Issue } from '../core/issues.ts';
import { type Mapping, mappingSchema } from './mapping-schema.ts';
import { parseTarget } from './model.ts';

/**
 * `mapping.yaml`: rendering with explanatory comments (sample values, reasons, what is left for a person)
 * through the yaml Document API, and parsing into a `Mapping` with problems naming line and key.
 */

export interface RenderOptions {
  /** Up to a few sample values of a column, shown as a comment (the file stays on this machine). */
  readonly samples?: (file: string, column: string) => readonly string[] | undefined;
  /** Paths the person had edited and that were kept (from `mergeMapping`). */
  readonly edits?: readonly string[];
  /** The person's own comments from the previous file (from `readPersonComments`), put back in place. */
  readonly personComments?: PersonComments;
  /** For files whose object was not recognised: the objects they could hold, best first. */
  readonly objectCandidates?: (file: string) => readonly { object: string; confidence: number }[] | undefined;
}

/** A person's comments in mapping.yaml, by file and by `file\u0000column`. */
export type PersonComments = ReadonlyMap<string, string>;

/** Lines Ferry writes itself; everything else in a comment is the person's and is kept. */
const OWN_COMMENT =
  /^ (samples: |LEFT FOR YOU|kept your edit|\S.* → (user|person|organization|deal|lead|activity|note|file|not migrated) \()/;

/**
 * Collects the comments a person added above files and fields, so a re-proposal can keep them.
 * @example renderMappingFile(merged, { personComments: readPersonComments(oldText) })
 */
export function readPersonComments(text: string): PersonComments {
  const out = new Map<string, string>();
  const document = parseDocument(text);
  const objects = document.get('objects', true);
  if (!isSeq(objects)) return out;
  const own = (comment: string | null | undefined) =>
    (comment ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '' && !OWN_COMMENT.test(line))
      .join('\n');
  // A comment above the first item of a sequence is parsed onto the sequence itself.
  const before = (seq: YAMLSeq, index: number, node: YAMLMap) =>
    [index === 0 ? seq.commentBefore : '', node.commentBefore].filter(Boolean).join('\n');
  for (const [index, item] of objects.items.entries()) {
    if (!isMap(item)) continue;
    const file = String(item.get('file') ?? '');
    const fileComment = own(before(objects, index, item));
    if (fileComment) out.set(file, fileComment);
    const fields = item.get('fields', true);
    if (!isSeq(fields)) continue;
    for (const [fieldIndex, field] of fields.items.entries()) {
      if (!isMap(field)) continue;
      const comment = own(before(fields, fieldIndex, field));
      if (comment) out.set(`${file}\u0000${String(field.get('column') ?? '')}`, comment);
    }
  }
  return out;
}

const HEADER = [
  ' Ferry mapping: how each BackDocket export file and column lands in Pipedrive.',
  ' Proposed by `ferry map propose`; edit freely, then lock it with `ferry map confirm`.',
  " Re-running propose keeps your edits (entries that differ from Ferry's last proposal).",
  '',
  ' target forms: <entity>.<api field> | <entity>.custom:<Field Name> (a custom field to create)',
  '               | <entity>.ref:<object> (a key linking to another file) | null (not migrated)',
  ' Columns marked "LEFT FOR YOU" were too uncertain to guess: set a target or leave null.',
].join('\n');

const SECTION_COMMENTS: Readonly<Record<string, string>> = {
  settings:
    ' How to read the export: local time zone of timestamps, day/month order of dates such as 03/04/21,\n currency of amounts without a symbol, and the phone region of numbers without a country code.',
  owners:
    ' Owners: staff are matched to Pipedrive users by e-mail (case-insensitive). Records whose owner\n cannot be matched are held (unresolved: hold) or given fallbackOwnerEmail (unresolved: fallback);\n the original owner name is kept in the custom field named by keepOriginalOwnerIn.\n staff: explicit "staff name, id or e-mail": user e-mail pairs for people whose e-mail differs.',
  duplicates:
    ' Contacts that look like the same person, found by e-mail, by name + phone, or not at all (none).\n Found pairs are proposals: a contact merges into another only once accepted, listed under accepted\n ("duplicate id": id it merges into), by `ferry map confirm --accept-merges`, on the Validation page of\n ferry ui, or by hand; merge: all accepts every pair found.',
  pipelines: ' Pipelines and their stages, in order (one pipeline per claim type).',
  valueMaps:
    ' Value maps. Lookups ignore case, spacing and punctuation (ACTIVE W/CONTRACT = Active w/Contract).\n claimStatuses: status → stage + open/won/lost (+ lost reason); claimStatusesByType overrides per claim type.\n eventTypes: event kind → activity type; noteTypes: note, or a done call/e-mail activity.',
  objects: ' Files: object detected, Pipedrive entity, and one entry per column.',
};

function flat(value: string, max = 40): string {
  const text = value.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * @example renderMappingFile(mapping, { samples: (file, column) => ['a@b.com'] })
 */
export function renderMappingFile(mapping: Mapping, options: RenderOptions = {}): string {
  const doc = new Document(mapping);
  doc.commentBefore = HEADER;
  const root = doc.contents as YAMLMap;
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const comment = SECTION_COMMENTS[String((item.key as Scalar).value)];
    if (comment) (item.key as Scalar).commentBefore = comment;
  }
  const edits = new Set(options.edits ?? []);
  const flowAt = (path: (string | number)[]) => {
    const node = doc.getIn(path, true);
    if (isMap(node) || isSeq(node)) (node as YAMLMap | YAMLSeq).flow = true;
  };
  for (const name of Object.keys(mapping.pipelines)) flowAt(['pipelines', name]);
  for (const [mapName, entries] of Object.entries(mapping.valueMaps)) {
    for (const key of Object.keys(entries as object)) flowAt(['valueMaps', mapName, key]);
  }
  mapping.objects.forEach((object, i) => {
    const node = doc.getIn(['objects', i], true) as YAMLMap | undefined;
    if (node) {
      const uncertain = object.fields.filter((f) => f.target === null && f.reason?.startsWith('uncertain'));
      const candidates = object.object === null ? (options.objectCandidates?.(object.file) ?? []) : [];
      node.commentBefore = [
        options.personComments?.get(object.file) ?? '',
        ` ${object.file} → ${object.entity ?? 'not migrated'} (${object.object ?? 'unrecognised'})`,
        object.object === null
          ? ` LEFT FOR YOU: set its object${candidates.length ? `; it could be ${candidates.map((c) => `${c.object} (${c.confidence})`).join(', ')}` : ''}`
          : '',
        uncertain.length ? ` LEFT FOR YOU: ${uncertain.map((f) => f.column).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('\n');
    }
    object.fields.forEach((field, j) => {
      const path = ['objects', i, 'fields', j];
      const fieldNode = doc.getIn(path, true) as YAMLMap | undefined;
      if (!fieldNode) return;
      // Sensitive columns (SSN …) keep their values out of the file, even as comments.
      const sensitive = field.target === null && /sensitive/i.test(field.reason ?? '');
      const samples = sensitive
        ? []
        : (options.samples?.(object.file, field.column) ?? []).slice(0, 3).map((s) => flat(s));
      const lines: string[] = [];
      const personal = options.personComments?.get(`${object.file}\u0000${field.column}`);
      if (personal) lines.push(personal);
      if (samples.length) lines.push(` samples: ${samples.join(' | ')}`);
      if (field.target === null && field.reason?.startsWith('uncertain')) {
        lines.push(
          ` LEFT FOR YOU${field.candidate ? `: best guess ${field.candidate.target} (${field.candidate.confidence})` : ''}`,
        );
      }
      if (edits.has(`objects[${object.file}].fields[${field.column}]`)) lines.push(' kept your edit');
      if (lines.length) fieldNode.commentBefore = lines.join('\n');
      for (const key of ['transform', 'options', 'candidate']) flowAt([...path, key]);
    });
  });
  return doc.toString({ lineWidth: 0 });
}

export interface MappingFileResult {
  readonly mapping: Mapping | undefined;
  readonly warnings: readonly Issue[];
  readonly errors: readonly Issue[];
}

/**
 * Parses `mapping.yaml` text. Problems are issues naming the line and the key, never exceptions.
 * @example parseMappingFile(text).errors[0] // { line: 42, field: 'objects[contacts.csv].fields[Email].target', message: '…' }
 */
export function parseMappingFile(text: string, file = 'mapping.yaml'): MappingFileResult {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      mapping: undefined,
      warnings: [],
      errors: document.errors.map((error) => {
        const line = error.linePos?.[0]?.line ?? lineAt(text, error.pos[0]);
        return {
          code: 'mapping_yaml_invalid',
          severity: 'error' as const,
          file,
          line,
          message: `line ${line}: invalid YAML: ${error.message.split('\n')[0]}`,
          fix: 'Fix the YAML syntax at that line (indentation, quotes, colons), then run ferry map confirm again.',
        };
      }),
    };
  }
  const raw = document.toJS() ?? {};
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue): Issue => {
      // An unknown key is reported on its object; point at the key itself.
      const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const path = [...(issue.path as (string | number)[]), ...(unknownKey ? [unknownKey] : [])];
      const line = lineOfPath(document, path, text);
      const key = friendlyPath(raw, path);
      return {
        code: 'mapping_invalid',
        severity: 'error',
        file,
        line,
        field: key,
        message: `line ${line ?? '?'}: ${key || '(root)'}: ${issue.message}`,
        fix: 'Correct that key in mapping.yaml, then run ferry map confirm again.',
      };
    });
    return { mapping: undefined, warnings: [], errors };
  }
  const { errors, warnings } = checkMapping(
    parsed.data,
    (path) => ({
      line: lineOfPath(document, path, text),
      key: friendlyPath(raw, path),
    }),
    file,
  );
  return { mapping: errors.length ? undefined : parsed.data, warnings, errors };
}

/**
 * One change to mapping.yaml: the value to put at `path`, or `undefined` to remove that key.
 * @example { path: ['owners', 'staff', '23'], value: 'admin@firm.com', comment: 'Reyes, Marco' }
 */
export interface MappingEdit {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  /** A comment after a scalar value, e.g. the staff member's name beside their id. */
  readonly comment?: string | undefined;
}

export interface MappingEditResult extends MappingFileResult {
  /** The edited text; write it only when `mapping` is set (no errors). */
  readonly text: string;
}

/**
 * Applies edits to mapping.yaml text in place, through the YAML document, so everything else in the file
 * (the person's comments and edits, sample comments, key order) stays as it was; then parses the result
 * with every check `ferry map confirm` makes. Pure.
 * @example editMappingFile(text, [{ path: ['valueMaps', 'claimTypes', 'Auto', 'pipeline'], value: 'Auto' }]).errors
 */
export function editMappingFile(
  text: string,
  edits: readonly MappingEdit[],
  file = 'mapping.yaml',
): MappingEditResult {
  const document = parseDocument(text);
  if (document.errors.length > 0) return { ...parseMappingFile(text, file), text };
  for (const edit of edits) {
    if (edit.value === undefined) removeAt(document, edit.path);
    else setAt(document, edit);
  }
  const next = document.toString({ lineWidth: 0 });
  return { ...parseMappingFile(next, file), text: next };
}

function setAt(document: Document, edit: MappingEdit): void {
  // An empty `{}` parent (e.g. `staff: {}`) would keep its new entries on one line: open it up.
  for (let depth = 1; depth < edit.path.length; depth += 1) {
    const parent = document.getIn(edit.path.slice(0, depth), true);
    if ((isMap(parent) || isSeq(parent)) && parent.items.length === 0) parent.flow = false;
  }
  const node = document.createNode(edit.value);
  // Structured values (a status target) stay on one line, as `ferry map propose` writes them.
  if (isMap(node) || isSeq(node)) node.flow = true;
  if (edit.comment && isScalar(node)) node.comment = ` ${edit.comment.replace(/\s+/g, ' ')}`;
  document.setIn(edit.path, node);
}

/** Removes the key, and a map it leaves empty below the top two levels (an emptied per-type override). */
function removeAt(document: Document, path: readonly (string | number)[]): void {
  if (!document.hasIn(path)) return;
  document.deleteIn(path);
  const parentPath = path.slice(0, -1);
  const parent = document.getIn(parentPath, true);
  if (parentPath.length > 2 && isMap(parent) && parent.items.length === 0) removeAt(document, parentPath);
}

const ENTITIES_WITHOUT_CUSTOM_FIELDS = new Set(['activity', 'note', 'file', 'user']);

/** Checks the zod schema cannot express: references between sections, duplicates, entity rules. */
function checkMapping(
  mapping: Mapping,
  locate: (path: (string | number)[]) => { line: number | undefined; key: string },
  file: string,
): { errors: Issue[]; warnings: Issue[] } {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const add = (list: Issue[], path: (string | number)[], code: string, message: string, fix?: string) => {
    const { line, key } = locate(path);
    list.push({
      code,
      severity: list === errors ? 'error' : 'warning',
      file,
      line,
      field: key,
      message: `line ${line ?? '?'}: ${key}: ${message}`,
      ...(fix ? { fix } : {}),
    });
  };
  for (const [type, target] of Object.entries(mapping.valueMaps.claimTypes)) {
    if (!mapping.pipelines[target.pipeline]) {
      add(
        errors,
        ['valueMaps', 'claimTypes', type, 'pipeline'],
        'mapping_unknown_pipeline',
        `pipeline '${target.pipeline}' is not listed under pipelines`,
        'Add it under pipelines with its stages, or pick a listed one.',
      );
    }
  }
  const pipelineNames = Object.keys(mapping.pipelines);
  const checkStatus = (
    path: (string | number)[],
    status: {
      stage: string;
      status: string;
      pipeline?: string | undefined;
      lostReason?: string | null | undefined;
    },
    pipelines: readonly string[],
  ) => {
    const inPipelines = status.pipeline ? [status.pipeline] : pipelines;
    for (const pipeline of inPipelines) {
      const stages = mapping.pipelines[pipeline];
      if (!stages) {
        add(
          errors,
          [...path, 'pipeline'],
          'mapping_unknown_pipeline',
          `pipeline '${pipeline}' is not listed under pipelines`,
        );
      } else if (!stages.includes(status.stage)) {
        add(
          errors,
          [...path, 'stage'],
          'mapping_unknown_stage',
          `stage '${status.stage}' is not a stage of pipeline '${pipeline}'`,
          `Add '${status.stage}' to pipelines.${pipeline}, or pick one of: ${stages.join(', ')}.`,
        );
      }
    }
    if (status.lostReason && status.status !== 'lost') {
      add(
        warnings,
        [...path, 'lostReason'],
        'mapping_lost_reason_ignored',
        'a lost reason only applies to status lost; it will be ignored',
      );
    }
  };
  for (const [name, status] of Object.entries(mapping.valueMaps.claimStatuses)) {
    checkStatus(['valueMaps', 'claimStatuses', name], status, pipelineNames);
  }
  for (const [type, statuses] of Object.entries(mapping.valueMaps.claimStatusesByType)) {
    const pipeline = mapping.valueMaps.claimTypes[type]?.pipeline;
    if (!pipeline)
      add(
        errors,
        ['valueMaps', 'claimStatusesByType', type],
        'mapping_unknown_claim_type',
        `claim type '${type}' is not under valueMaps.claimTypes`,
      );
    for (const [name, status] of Object.entries(statuses)) {
      checkStatus(['valueMaps', 'claimStatusesByType', type, name], status, pipeline ? [pipeline] : []);
    }
  }
  const files = new Set<string>();
  mapping.objects.forEach((object, i) => {
    if (files.has(object.file))
      add(errors, ['objects', i, 'file'], 'mapping_duplicate_file', `file '${object.file}' appears twice`);
    files.add(object.file);
    const columns = new Set<string>();
    object.fields.forEach((field, j) => {
      const path = ['objects', i, 'fields', j];
      if (columns.has(field.column))
        add(
          errors,
          [...path, 'column'],
          'mapping_duplicate_column',
          `column '${field.column}' appears twice in ${object.file}`,
        );
      columns.add(field.column);
      if (field.target === null) {
        if (field.reason?.startsWith('uncertain')) {
          add(
            warnings,
            [...path, 'target'],
            'mapping_left_for_person',
            `'${field.column}' was left for you (${field.reason}); it will not be migrated unless you set a target`,
          );
        }
        return;
      }
      const target = parseTarget(field.target);
      if (!target) return;
      if (object.entity === null) {
        add(
          errors,
          [...path, 'target'],
          'mapping_target_without_entity',
          `${object.file} is not migrated (entity null), so its columns cannot have targets`,
          'Set target: null, or give the file an entity.',
        );
        return;
      }
      if (target.kind === 'custom') {
        if (ENTITIES_WITHOUT_CUSTOM_FIELDS.has(target.entity)) {
          add(
            errors,
            [...path, 'target'],
            'mapping_no_custom_fields',
            `Pipedrive ${target.entity}s have no custom fields Ferry can create`,
            'Map the column to a standard field, or set target: null.',
          );
        }
        if ((field.fieldType === 'enum' || field.fieldType === 'set') && !field.options?.length) {
          add(
            warnings,
            [...path, 'options'],
            'mapping_enum_without_options',
            `${field.fieldType} field '${target.name}' has no options; they will be taken from the data`,
          );
        }
      }
    });
  });
  return { errors, warnings };
}

/** `objects.3.fields.5.target` → `objects[contacts.csv].fields[Email].target`. */
function friendlyPath(raw: unknown, path: readonly (string | number)[]): string {
  let node: unknown = raw;
  let out = '';
  for (const segment of path) {
    const current = node as Record<string, unknown> | unknown[] | undefined;
    const child =
      current === undefined || current === null
        ? undefined
        : (current as Record<string | number, unknown>)[segment];
    if (typeof segment === 'number') {
      const named = child as { file?: unknown; column?: unknown } | undefined;
      const label =
        typeof named?.column === 'string'
          ? named.column
          : typeof named?.file === 'string'
            ? named.file
            : String(segment);
      out += `[${label}]`;
    } else out += out ? `.${segment}` : segment;
    node = child;
  }
  return out;
}

function lineOfPath(
  document: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
  text: string,
): number | undefined {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const prefix = path.slice(0, depth);
    const node = document.getIn(prefix, true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineAt(text, node.range[0]);
    // A missing key: point at its parent map's key line instead.
    const parent = document.getIn(prefix.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find(
        (item) => isScalar(item.key) && (item.key as Scalar).value === prefix.at(-1),
      );
      const key = pair?.key as { range?: [number, number, number] } | undefined;
      if (key?.range) return lineAt(text, key.range[0]);
    }
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text[i] === '\n') line += 1;
  return line;
}
