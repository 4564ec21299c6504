import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { FerryError } from '../core/errors.ts';
import type { Issue } from '../core/issues.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { assembleMapping, mergeMapping } from './assemble-mapping.ts';
import { DistinctValues } from './distinct-values.ts';
import {
  editMappingFile,
  type MappingEdit,
  type PersonComments,
  parseMappingFile,
  readPersonComments,
  renderMappingFile,
} from './mapping-file.ts';
import { loadLastProposal, lockMapping, type MappingLock, saveProposal } from './mapping-lock.ts';
import type { Mapping } from './mapping-schema.ts';
import type { MappingStore } from './mapping-store.ts';
import type { MappingProposal, ObjectCandidateProposal } from './model.ts';
import { proposeMapping } from './propose-mapping.ts';
import { type Reranker, rerankProposal } from './reranker.ts';

/**
 * `ferry map propose` / `ferry map confirm` as library calls (I/O: mapping.yaml, and a `MappingStore` for
 * the extraction, the lock and the proposal history), shared by the CLI and the web UI.
 */

export interface ProposeWorkspaceResult {
  /** The machine form (DESIGN.md §4) of the mapping written, edits included. */
  readonly proposal: MappingProposal;
  readonly mapping: Mapping;
  readonly path: string;
  /** Entries the person had changed and that were kept. */
  readonly edits: readonly string[];
  /** Set when an unreadable mapping.yaml was moved aside. */
  readonly backup?: string | undefined;
}

/**
 * Proposes the mapping from the extracted inventory and writes mapping.yaml, keeping the person's edits.
 * @example const { proposal, path } = await proposeWorkspaceMapping(workspace, store)
 */
export async function proposeWorkspaceMapping(
  workspace: Workspace,
  store: MappingStore,
  options: { reranker?: Reranker; signal?: AbortSignal; now?: Date } = {},
): Promise<ProposeWorkspaceResult> {
  const inventory = store.inventory();
  if (inventory.length === 0) {
    throw new FerryError(
      'config',
      'Nothing has been extracted in this workspace yet. Run `ferry extract` first.',
      {
        code: 'E_NOTHING_EXTRACTED',
      },
    );
  }
  let mine: Mapping | undefined;
  let backup: string | undefined;
  let personComments: PersonComments | undefined;
  if (existsSync(workspace.mappingPath)) {
    const text = readFileSync(workspace.mappingPath, 'utf8');
    const parsed = parseMappingFile(text, workspace.mappingPath);
    if (parsed.mapping) {
      mine = parsed.mapping;
      personComments = readPersonComments(text);
    } else {
      // An unreadable file cannot be merged; keep it beside the new one rather than lose the person's work.
      backup = `${workspace.mappingPath}.invalid-${Date.now()}`;
      renameSync(workspace.mappingPath, backup);
    }
  }
  const base = loadLastProposal(store)?.mapping;
  // A file whose object the person changed is proposed again as that object, so its columns follow.
  const files = inventory.map((file) => {
    const chosen = mine?.objects.find((o) => o.file === file.file);
    const proposed = base?.objects.find((o) => o.file === file.file);
    if (!chosen || chosen.object === (proposed?.object ?? file.detection.object)) return file;
    return {
      ...file,
      detection: { object: chosen.object, confidence: 1, reason: 'object set by you in mapping.yaml' },
    };
  });
  const distinct = DistinctValues.of(store.rows());
  const { config } = workspace;
  let proposal = proposeMapping(files, {
    defaultPhoneRegion: config.defaultPhoneRegion,
    defaultCurrency: config.defaultCurrency,
    distinctValues: distinct.get,
  });
  if (options.reranker) {
    proposal = await rerankProposal(
      proposal,
      files,
      options.reranker,
      options.signal ? { signal: options.signal } : {},
    );
  }
  const theirs = assembleMapping(proposal, {
    settings: {
      sourceTimeZone: config.sourceTimeZone,
      dateOrder: config.dateOrder,
      defaultCurrency: config.defaultCurrency,
      defaultPhoneRegion: config.defaultPhoneRegion,
    },
    distinctValues: distinct.get,
  });
  const merged = mine ? mergeMapping({ base, mine, theirs }) : { mapping: theirs, edits: [] };
  const candidates = new Map(
    proposal.objects.flatMap((o) => (o.candidates ? [[o.file, o.candidates] as const] : [])),
  );
  const text = renderMappingFile(merged.mapping, {
    objectCandidates: (file) => candidates.get(file),
    samples: (file, column) =>
      files.find((f) => f.file === file)?.columns.find((c) => c.name === column)?.samples,
    edits: merged.edits,
    ...(personComments ? { personComments } : {}),
  });
  writeFileSync(workspace.mappingPath, text);
  saveProposal(store, { mapping: theirs, edits: merged.edits, ...(options.now ? { now: options.now } : {}) });
  return {
    proposal: toProposal(merged.mapping, candidates),
    mapping: merged.mapping,
    path: workspace.mappingPath,
    edits: merged.edits,
    backup,
  };
}

/**
 * The machine form of a mapping (what `--json` prints); `candidates` adds, to files left without an object,
 * the objects they could hold.
 */
export function toProposal(
  mapping: Mapping,
  candidates: ReadonlyMap<string, readonly ObjectCandidateProposal[]> = new Map(),
): MappingProposal {
  return {
    objects: mapping.objects.map((o) => ({
      file: o.file,
      object: o.object,
      entity: o.entity,
      confidence: o.confidence ?? 1,
      ...(o.object === null && candidates.get(o.file) ? { candidates: candidates.get(o.file) } : {}),
      fields: o.fields.map((f) => ({
        column: f.column,
        target: f.target,
        confidence: f.confidence ?? 1,
        reason: f.reason ?? '',
        ...(f.fieldType ? { fieldType: f.fieldType } : {}),
        ...(f.options ? { options: f.options } : {}),
        ...(f.transform ? { transform: f.transform } : {}),
        ...(f.candidate ? { candidate: f.candidate } : {}),
        ...(f.decoy ? { decoy: true } : {}),
      })),
    })),
  };
}

export interface ConfirmResult {
  readonly confirmed: true;
  readonly hash: string;
  readonly path: string;
  readonly lock: MappingLock;
  readonly warnings: readonly Issue[];
}

/**
 * Validates mapping.yaml and locks its exact content. An invalid file is a config error (exit 2) listing
 * every problem with its line and key.
 */
export function confirmWorkspaceMapping(
  workspace: Pick<Workspace, 'mappingPath'>,
  store: MappingStore,
  options: { confirmedBy?: string; now?: Date } = {},
): ConfirmResult {
  const text = readMappingText(workspace.mappingPath);
  const parsed = parseMappingFile(text, workspace.mappingPath);
  if (!parsed.mapping) {
    const lines = parsed.errors.map(
      (e) =>
        `  ${workspace.mappingPath}:${e.line ?? '?'} ${e.field ?? ''}: ${e.message.replace(/^line \d+: /, '')}`,
    );
    throw new FerryError(
      'config',
      `mapping.yaml is not valid (${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}\nFix these and run \`ferry map confirm\` again.`,
      {
        code: 'E_MAPPING_INVALID',
        details: { errors: parsed.errors },
      },
    );
  }
  const lock = lockMapping(store, {
    text,
    path: workspace.mappingPath,
    confirmedBy: options.confirmedBy ?? defaultConfirmer(),
    ...(options.now ? { now: options.now } : {}),
  });
  return { confirmed: true, hash: lock.sha256, path: workspace.mappingPath, lock, warnings: parsed.warnings };
}

export interface EditMappingResult {
  readonly mapping: Mapping;
  /** False when the edits left the file as it was (nothing to confirm again). */
  readonly changed: boolean;
  readonly warnings: readonly Issue[];
}

/**
 * Applies edits to mapping.yaml in place, keeping the person's comments and other edits. Edits that would
 * leave the file invalid are refused (config error listing each problem) and the file is left untouched.
 * A changed file no longer matches its confirmation lock, so it needs `ferry map confirm` again.
 * @example editWorkspaceMapping(workspace, [{ path: ['owners', 'staff', '23'], value: 'admin@firm.com' }])
 */
export function editWorkspaceMapping(
  workspace: Pick<Workspace, 'mappingPath'>,
  edits: readonly MappingEdit[],
): EditMappingResult {
  const text = readMappingText(workspace.mappingPath);
  const result = editMappingFile(text, edits, workspace.mappingPath);
  if (!result.mapping) {
    throw new FerryError(
      'config',
      `mapping.yaml was not changed: the edit would make it invalid (${result.errors
        .map((e) => e.message.replace(/^line \d+: /, ''))
        .join('; ')}).`,
      { code: 'E_MAPPING_EDIT_INVALID', details: { errors: result.errors } },
    );
  }
  const changed = result.text !== text;
  if (changed) writeFileSync(workspace.mappingPath, result.text);
  return { mapping: result.mapping, changed, warnings: result.warnings };
}

/** mapping.yaml's text, or a config error saying to propose one first. */
function readMappingText(path: string): string {
  if (!existsSync(path)) {
    throw new FerryError('config', `${path} does not exist. Run \`ferry map propose\` first.`, {
      code: 'E_MAPPING_MISSING',
    });
  }
  return readFileSync(path, 'utf8');
}

function defaultConfirmer(): string {
  return process.env.FERRY_USER ?? process.env.USER ?? process.env.USERNAME ?? 'unknown';
}
