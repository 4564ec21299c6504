import type { Command } from 'commander';

/** Each command module adds itself to the program; only built commands are registered (no placeholders). */
export type RegisterCommand = (program: Command) => void;

/** A top-level command and how to load the module that registers it (with all its subcommands). */
export interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<RegisterCommand>;
}

/**
 * Every top-level command, in the order `ferry --help` lists them. A run loads only the module of the command
 * it names, so `ferry --version` or `ferry status` does not pay for the migration engine, the simulator or
 * the web UI. A new command is one line here:
 * @example { name: 'source', load: async () => (await import('./source.ts')).registerSource },
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', load: async () => (await import('./init.ts')).registerInit },
  { name: 'source', load: async () => (await import('./source.ts')).registerSource },
  { name: 'extract', load: async () => (await import('./extract.ts')).registerExtract },
  { name: 'map', load: async () => (await import('./map.ts')).registerMap },
  { name: 'schema', load: async () => (await import('./schema.ts')).registerSchema },
  { name: 'validate', load: async () => (await import('./validate.ts')).registerValidate },
  { name: 'plan', load: async () => (await import('./plan.ts')).registerPlan },
  { name: 'migrate', load: async () => (await import('./migrate.ts')).registerMigrate },
  { name: 'verify', load: async () => (await import('./verify.ts')).registerVerify },
  { name: 'rollback', load: async () => (await import('./rollback.ts')).registerRollback },
  { name: 'report', load: async () => (await import('./report.ts')).registerReport },
  { name: 'status', load: async () => (await import('./status.ts')).registerStatus },
  {
    name: 'sim',
    // `ferry sim` serves Pipedrive; `ferry sim backdocket` hangs off it and serves BackDocket over MCP.
    load: async () => {
      const [{ registerSim }, { registerSimBackdocket }] = await Promise.all([
        import('./sim.ts'),
        import('./sim-backdocket.ts'),
      ]);
      return (program) => {
        registerSim(program);
        registerSimBackdocket(program);
      };
    },
  },
  { name: 'generate', load: async () => (await import('./generate.ts')).registerGenerate },
  { name: 'demo', load: async () => (await import('./demo.ts')).registerDemo },
  { name: 'ui', load: async () => (await import('./ui.ts')).registerUi },
];
