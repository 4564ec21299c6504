import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { FerryError } from '../core/errors.ts';
import type { Simulator } from './simulator.ts';
import { SimState } from './state.ts';

/** Loads `--state FILE` when it exists (undefined otherwise); a broken file is a config error naming it. */
export function loadSimState(file: string): SimState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return SimState.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new FerryError(
      'config',
      `The simulator state file ${file} is not valid JSON state. Delete it or pass another --state file.`,
      {
        code: 'E_SIM_STATE',
        cause: error,
      },
    );
  }
}

/** Writes the account atomically (temp file + rename), so a crash never leaves half a state file. */
export function saveSimState(simulator: Simulator, file: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, simulator.serialize());
  renameSync(temp, file);
}
