/**
 * Shared by bench/verify-rate.bench.ts and bench/rollback-rate.bench.ts: a generated export migrated once
 * by the real CLI into a simulator without limits or latency (the setup, not what is measured), its
 * account saved; then, per measured run, a copy of the workspace and `ferry sim` in its own process loaded
 * with a copy of that account.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveSimState, startSimServer } from '../src/sim/index.ts';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { setFallbackOwner } from '../test/helpers/fallback-owner.ts';
import { runCli } from '../test/helpers/run-cli.ts';
import { ferrySimProcess } from './ferry-sim-process.ts';

const ADMIN = { name: 'Firm Admin', email: 'admin@smithlawfirm.com' };
/** The limit the setup's simulator states, and the one its ferry.yaml follows: the setup is not paced. */
const UNPACED = 100_000;

export interface MigratedAccount {
  readonly root: string;
  /** The workspace, migrated, with ferry.yaml back at its defaults. */
  readonly workspace: string;
  /** The account as the migration left it (a fresh day, busiest window from zero). */
  readonly stateFile: string;
  readonly records: number;
  readonly migration: { readonly requests: number; readonly tokens: number };
}

/** The real CLI in a bench's workspace (no time limit: a bench may run long). */
export function ferryIn(dir: string, env: NodeJS.ProcessEnv, args: readonly string[]) {
  return runCli(['--workspace', dir, ...args], { env, timeoutMs: 24 * 3_600_000 });
}

/** A generated export of `claims` claims (seed 18), migrated once with `ferry migrate --full`. */
export async function migratedAccount(input: {
  name: string;
  claims: number;
  token: string;
}): Promise<MigratedAccount> {
  const root = mkdtempSync(join(tmpdir(), `ferry-bench-${input.name}-`));
  const workspace = join(root, 'prepared');
  await generateExport({ outDir: join(workspace, 'export'), records: input.claims, seed: 18 });
  const sim = await startSimServer({
    port: 0,
    seed: `bench-${input.name}`,
    token: input.token,
    users: [ADMIN],
    rateLimits: false,
    burstLimit: UNPACED,
    dailyBudget: 1e12,
  });
  const env = { PIPEDRIVE_API_TOKEN: input.token, PIPEDRIVE_BASE_URL: sim.url };
  const step = async (args: readonly string[]) => {
    const result = await ferryIn(workspace, env, args);
    if (result.code !== 0) throw new Error(`ferry ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  for (const args of [['init', '--source', join(workspace, 'export')], ['extract'], ['map', 'propose']])
    await step(args);
  setFallbackOwner(join(workspace, 'mapping.yaml'), ADMIN.email);
  for (const args of [
    ['map', 'confirm'],
    ['schema', 'apply'],
  ])
    await step(args);
  const config = join(workspace, 'ferry.yaml');
  const defaults = readFileSync(config, 'utf8');
  writeFileSync(config, defaults.replace(/plan: \w+/, `plan: ultimate\n  burstLimit: ${UNPACED}`));
  const counters = sim.simulator.state.counters;
  const before = { requests: counters.requests, tokens: counters.tokens };
  const migrated = JSON.parse((await step(['migrate', '--full', '--json'])).stdout) as {
    stats: Record<string, { created: number }>;
  };
  // The measured runs start from the defaults: the account's limits are learned from its answers (not
  // from what the setup's unlimited simulator stated, should a copy's simulator get the same port).
  writeFileSync(config, defaults);
  const store = SqliteStore.open({ path: join(workspace, '.ferry', 'ferry.db') });
  store.db.prepare("DELETE FROM workspace_meta WHERE key LIKE 'pipedrive.%'").run();
  store.close();
  sim.simulator.state.budgetSpent = 0;
  counters.busiestWindow = 0;
  const stateFile = join(root, 'account.json');
  saveSimState(sim.simulator, stateFile);
  await sim.close();
  return {
    root,
    workspace,
    stateFile,
    records: Object.values(migrated.stats).reduce((sum, entity) => sum + entity.created, 0),
    migration: { requests: counters.requests - before.requests, tokens: counters.tokens - before.tokens },
  };
}

/**
 * A copy of the migrated workspace and `ferry sim --plan PLAN --faults FAULTS` in its own process, on a
 * free port, loaded with a copy of the account; resolves once it listens.
 */
export async function accountCopy(input: {
  account: MigratedAccount;
  label: string;
  plan: string;
  token: string;
  faults: string;
}) {
  const dir = join(input.account.root, input.label);
  cpSync(input.account.workspace, dir, { recursive: true });
  const stateFile = join(input.account.root, `${input.label}.json`);
  writeFileSync(stateFile, readFileSync(input.account.stateFile));
  const sim = await ferrySimProcess([
    ...['--plan', input.plan, '--token', input.token, '--state', stateFile, '--faults', input.faults],
  ]);
  return { dir, env: { PIPEDRIVE_API_TOKEN: input.token, PIPEDRIVE_BASE_URL: sim.url }, ...sim };
}

export function pct(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}
