import type { Command } from 'commander';
import { registerInit } from './init.ts';

/** Each command module adds itself to the program; only built commands are registered (no placeholders). */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [registerInit];
