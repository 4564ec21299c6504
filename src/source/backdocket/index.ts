// The BackDocket export reader: the library API of `ferry extract`.

export { detectObject } from './detect-object.ts';
export {
  type ExtractOptions,
  type ExtractProgress,
  type ExtractResult,
  extractExport,
  extractInMemory,
  listTableFiles,
  type QuarantinedFile,
} from './extract-export.ts';
export {
  type FileDelta,
  iterateRows,
  loadExtractIssues,
  loadInventory,
  loadRowChanges,
} from './extract-store.ts';
export { conceptsOf, normalizeHeader } from './headers.ts';
export { DATA_QUALITY_PROBLEMS, type DataQualityCode } from './problems.ts';
export { classifyValue } from './value-kinds.ts';
