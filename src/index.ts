// Ferry's public library API (re-exports only).
export { type Clock, ManualClock, systemClock } from './core/clock.ts';
export { type FailureKind, FerryError } from './core/errors.ts';
export type { Issue } from './core/issues.ts';
export {
  BACKDOCKET_OBJECTS,
  type BackdocketObject,
  PIPEDRIVE_ENTITIES,
  type PipedriveEntity,
} from './core/objects.ts';
export { Redactor } from './core/redact.ts';
export {
  assertMappingConfirmed,
  confirmWorkspaceMapping,
  type Mapping,
  type MappingProposal,
  parseMappingFile,
  proposeMapping,
  proposeWorkspaceMapping,
} from './mapping/index.ts';
export {
  BudgetExhaustedError,
  clientFromEnv,
  PipedriveClient,
  PipedriveError,
  type PipedriveRequester,
  RateScheduler,
} from './pipedrive/index.ts';
export { createSimulator, type SimOptions, type Simulator, startSimServer } from './sim/index.ts';
export {
  extractExport,
  extractInMemory,
  iterateRows,
  loadExtractIssues,
  loadInventory,
} from './source/backdocket/index.ts';
export {
  assembleReadPlan,
  extractFromMcp,
  type McpExtractResult,
  openMcpSource,
  type ReadPlan,
} from './source/mcp/index.ts';
export { type BackdocketSim, startBackdocketSim } from './source/mcp/sim/backdocket-sim.ts';
export { SqliteStore } from './store/sqlite-store.ts';
export { initWorkspace, loadWorkspace, type Workspace } from './workspace/workspace.ts';
