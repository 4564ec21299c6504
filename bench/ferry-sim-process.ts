/**
 * `ferry sim` in its own process for the benches that measure the real CLI against it (migrate-rate,
 * migrate-faults, verify-rate, rollback-rate): on a free port, its counters read over its admin API.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FERRY_BIN } from '../test/helpers/run-cli.ts';

export interface SimCounters {
  requests: number;
  tokens: number;
  byStatus: Record<string, number>;
  busiestWindow: number;
  faults?: Record<string, number>;
}

/**
 * Starts `ferry sim --json --port 0 ARGS` and resolves once it listens.
 * @example const sim = await ferrySimProcess(['--plan', 'ultimate', '--token', TOKEN]); … await sim.stop();
 */
export async function ferrySimProcess(args: readonly string[]) {
  const child = spawn(process.execPath, [FERRY_BIN, 'sim', '--json', '--port', '0', ...args], {
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`ferry sim exited (${code}) before listening`)));
  });
  return {
    url,
    counters: async () =>
      ((await (await fetch(`${url}/__sim/state`)).json()) as { counters: SimCounters }).counters,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
