// The Pipedrive simulator: public API (re-exports only).
export { FaultInjector, type FaultKind, type FaultSpec, parseFaultSpec } from './faults.ts';
export {
  PLAN_BURST,
  PLAN_MULTIPLIER,
  type ResolvedSimOptions,
  SIM_PLANS,
  type SimOptions,
  type SimPlan,
  type SimUserSeed,
} from './options.ts';
export { loadSimState, saveSimState } from './persistence.ts';
export { DEFAULT_USERS } from './seed-data.ts';
export { type SimServer, startSimServer } from './server.ts';
export { createSimulator, resolveOptions, type SimOutcome, type Simulator } from './simulator.ts';
export { type FieldDef, type FieldEntity, type Rec, type SimCounters, SimState } from './state.ts';
