/**
 * Faults cost their own time, not the run's: the migrate-rate run (the real CLI, `ferry migrate --full` of a
 * generated export against `ferry sim`, latency 150±100 ms, `ferry.yaml` at its defaults) once calm and once
 * under `5xx=0.03,lost=0.02,timeout=0.01` from the first request; the faulted run's throughput (records
 * written per second over the whole command) as a share of the calm run's, on the same export and plan.
 * Run alone: npx tsx bench/run.ts migrate-faults
 * (FERRY_BENCH_MIGRATE_CLAIMS_FAULTS sets the claims, default 300; FERRY_BENCH_FAULTS_PLAN the plan, default ultimate)
 */
import {
  type BenchPlan,
  LATENCY,
  type MigrateRun,
  measureMigrate,
  percent,
  prepareExport,
} from './migrate-rate-support.ts';
import type { BenchSection } from './run.ts';

const CLAIMS = Number(process.env.FERRY_BENCH_MIGRATE_CLAIMS_FAULTS ?? 300);
const PLAN = (process.env.FERRY_BENCH_FAULTS_PLAN ?? 'ultimate') as BenchPlan;
const FAULTS = '5xx=0.03,lost=0.02,timeout=0.01';
const TARGET = 0.85;

export async function run(): Promise<BenchSection> {
  const prepared = await prepareExport(CLAIMS);
  const calm = await measureMigrate(prepared, { plan: PLAN, faults: LATENCY, label: 'calm' });
  process.stderr.write(`bench migrate-faults: calm: exit ${calm.exit}, ${calm.seconds.toFixed(1)} s\n`);
  const faulted = await measureMigrate(prepared, {
    plan: PLAN,
    faults: `${FAULTS},${LATENCY}`,
    label: 'faults',
  });
  process.stderr.write(
    `bench migrate-faults: faults: exit ${faulted.exit}, ${faulted.seconds.toFixed(1)} s\n`,
  );
  const throughput = (run: MigrateRun) => run.records / run.seconds;
  const share = throughput(faulted) / throughput(calm);
  const row = (name: string, run: MigrateRun) =>
    `| ${name} | ${run.exit} | ${run.records} | ${run.requests} | ${run.seconds.toFixed(1)} | ${throughput(run).toFixed(1)} | ${percent(run.shareOfLimit)} | ${
      Object.entries(run.faultsInjected)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ') || '—'
    } |`;
  const met = calm.exit === 0 && faulted.exit === 0 && faulted.records === calm.records && share >= TARGET;
  return {
    title: 'Migrate under faults: throughput against the calm run',
    command: `FERRY_BENCH_MIGRATE_CLAIMS_FAULTS=${CLAIMS} FERRY_BENCH_FAULTS_PLAN=${PLAN} npx tsx bench/run.ts migrate-faults`,
    markdown: `A generated export of ${CLAIMS} claims (seed 18, every entity kind, documents included), \`ferry.yaml\` at its defaults, \`ferry migrate --full --json\` by the real CLI against \`ferry sim --plan ${PLAN} --faults …,${LATENCY}\` in its own process: once calm, once under \`${FAULTS}\` from the first request (default request timeouts: they follow the answer times seen). Throughput is records written per second over the whole command, start to exit. Target: the faulted run keeps ≥ ${percent(TARGET, 0)} of the calm run's throughput.

| run | exit | records | requests | wall s | records/s | requests/s of limit | faults injected |
|---|---|---|---|---|---|---|---|
${row('calm', calm)}
${row('faults', faulted)}

Faulted throughput: **${percent(share)} of calm** — target ${met ? 'met' : '**not met**'}.
`,
  };
}
