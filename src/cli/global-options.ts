import type { Command } from 'commander';
import { type GlobalOptions, Output } from './output.ts';

/** The global flags as seen from inside a subcommand's action. */
export function globalOptions(command: Command): GlobalOptions {
  const all = command.optsWithGlobals() as Partial<GlobalOptions>;
  return { workspace: all.workspace ?? process.cwd(), json: Boolean(all.json), yes: Boolean(all.yes) };
}

export function outputFor(command: Command): Output {
  return new Output({ json: globalOptions(command).json });
}
