import type { Command } from 'commander';
import { registerDemo } from './demo.ts';
import { registerExtract } from './extract.ts';
import { registerGenerate } from './generate.ts';
import { registerInit } from './init.ts';
import { registerMap } from './map.ts';
import { registerMigrate } from './migrate.ts';
import { registerPlan } from './plan.ts';
import { registerReport } from './report.ts';
import { registerRollback } from './rollback.ts';
import { registerSchema } from './schema.ts';
import { registerSim } from './sim.ts';
import { registerSimBackdocket } from './sim-backdocket.ts';
import { registerSource } from './source.ts';
import { registerStatus } from './status.ts';
import { registerUi } from './ui.ts';
import { registerValidate } from './validate.ts';
import { registerVerify } from './verify.ts';

/** Each command module adds itself to the program; only built commands are registered (no placeholders). */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerSource,
  registerExtract,
  registerMap,
  registerSchema,
  registerValidate,
  registerPlan,
  registerMigrate,
  registerVerify,
  registerRollback,
  registerReport,
  registerStatus,
  registerSim,
  registerSimBackdocket,
  registerGenerate,
  registerDemo,
  registerUi,
];
