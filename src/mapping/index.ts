// The mapping stage: proposer, mapping file, confirmation lock and the pure transforms.

/** Proposal → Mapping with default value maps; three-way merge keeping a person's edits (pure). */
export {
  type AssembleOptions,
  activityTypeFor,
  assembleMapping,
  classifyStatus,
  type MergeResult,
  mergeMapping,
} from './assemble-mapping.ts';
export { DistinctValues } from './distinct-values.ts';
/** `ferry map propose` / `confirm` as library calls (I/O). */
export {
  type ConfirmResult,
  confirmWorkspaceMapping,
  type EditMappingResult,
  editWorkspaceMapping,
  type ProposeWorkspaceResult,
  proposeWorkspaceMapping,
  toProposal,
} from './map-workspace.ts';
/** mapping.yaml text ↔ Mapping (pure). */
export {
  editMappingFile,
  type MappingEdit,
  type MappingEditResult,
  type MappingFileResult,
  type PersonComments,
  parseMappingFile,
  type RenderOptions,
  readPersonComments,
  renderMappingFile,
} from './mapping-file.ts';
/** The confirmation lock (store I/O): migrate calls assertMappingConfirmed before any record moves. */
export {
  assertMappingConfirmed,
  isMappingConfirmed,
  loadLastProposal,
  lockMapping,
  type MappingLock,
  mappingHash,
  readMappingLock,
  saveProposal,
} from './mapping-lock.ts';
/** The parsed mapping.yaml and its parts. */
export {
  type FieldMapping,
  type FileMapping,
  type Mapping,
  type MappingSettings,
  mappingSchema,
  type OwnerPolicy,
  type StatusTarget,
  type ValueMaps,
} from './mapping-schema.ts';
/** What the mapping keeps in and reads from a workspace, and its SQLite adapter. */
export type { MappingStore, StoredProposal } from './mapping-store.ts';
/** Proposal machine form (DESIGN.md §4), target strings and the object → entity map. */
export {
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  ENTITY_FOR_OBJECT,
  type FieldProposal,
  type MappingProposal,
  type ObjectProposal,
  type ParsedTarget,
  parseTarget,
  TRANSFORM_KINDS,
  type TransformKind,
  type TransformSpec,
} from './model.ts';
export { normaliseHeader, normaliseHeaderTokens, prettyFieldName } from './normalise-header.ts';
/** The proposer (pure). */
export {
  type Candidate,
  inferFieldType,
  type ProposeOptions,
  proposeMapping,
  rankCandidates,
} from './propose-mapping.ts';
/** Optional re-ranker (sees headers and value patterns only). */
export {
  OpenAiCompatibleReranker,
  type OpenAiRerankerOptions,
  type RerankChoice,
  type RerankColumn,
  type Reranker,
  type RerankRequest,
  rerankProposal,
  valuePattern,
} from './reranker.ts';
export { sqliteMappingStore } from './sqlite-mapping-store.ts';
export * from './transforms/index.ts';
