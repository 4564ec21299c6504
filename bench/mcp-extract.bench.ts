/**
 * MCP extraction from the local BackDocket-like server (`ferry sim backdocket`): records per second and
 * CPU per record of Ferry's pull (pages journaled, detail calls, documents, rows into the store,
 * profiles and checks), against a bare pass making the same tool calls through the same SDK client in
 * the same run. Server, Ferry and the bare pass each run in their own process.
 * Run alone: npx tsx bench/run.ts mcp-extract   (MCP_BENCH_RECORDS=100 for a quicker run; default 300 claims)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '../src/source/backdocket/generate/index.ts';
import type { BenchSection } from './run.ts';

const CLAIMS = Number(process.env.MCP_BENCH_RECORDS ?? 300);
const TOKEN = 'bench-mcp-token-3c1f0a77';
const repo = fileURLToPath(new URL('..', import.meta.url));

interface Measure {
  readonly records: number;
  readonly rows: number;
  readonly calls: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-mcp-'));
  const exportDir = join(dir, 'export');
  await generateExport({ outDir: exportDir, records: CLAIMS, seed: 19 });
  const server = await startServer(exportDir);
  try {
    // The machines are shared: bare passes before and after the first pull, their mean is the floor.
    const bareBefore = child(['bare', server.url, TOKEN]);
    const first = child(['ferry', server.url, TOKEN, join(dir, 'ferry.db'), join(dir, 'source-files')]);
    const bareAfter = child(['bare', server.url, TOKEN]);
    const rerun = child(['ferry', server.url, TOKEN, join(dir, 'ferry.db'), join(dir, 'source-files')]);
    const serverCpu = await server.stop();
    const bare = {
      ...bareBefore,
      ms: (bareBefore.ms + bareAfter.ms) / 2,
      cpuMs: (bareBefore.cpuMs + bareAfter.cpuMs) / 2,
      maxRssMb: Math.max(bareBefore.maxRssMb, bareAfter.maxRssMb),
    };
    const perSecond = (m: Measure) => Math.round(m.records / (m.ms / 1000)).toLocaleString('en-US');
    const cpuPerRecord = (m: Measure) => (m.cpuMs / m.records).toFixed(2);
    const row = (label: string, m: Measure) =>
      `| ${label} | ${m.records.toLocaleString('en-US')} | ${m.calls.toLocaleString('en-US')} | ${(m.ms / 1000).toFixed(1)} | ${perSecond(m)} | ${cpuPerRecord(m)} | ${m.maxRssMb.toFixed(0)} |`;
    const markdown = [
      `Export: \`ferry generate --records ${CLAIMS} --seed 19\` served by the rehearsal server (bearer token, no latency, no faults), one process each for the server, Ferry and the bare pass. The plan: ${first.rows.toLocaleString('en-US')} table rows from ${first.records.toLocaleString('en-US')} listed records (claims and contacts read with a detail call each, 4 in flight; documents downloaded).`,
      '',
      '| pass | records listed | tool calls | seconds | records/s | client CPU ms / record | peak RSS (MB) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('bare SDK client, same calls (floor, mean of 2)', bare),
      row('ferry extract (first pull, into SQLite)', first),
      row('ferry extract (re-run, no changes)', rerun),
      '',
      `Ferry's client CPU per record: **${(first.cpuMs / bare.cpuMs).toFixed(2)}×** the bare client's (${cpuPerRecord(first)} vs ${cpuPerRecord(bare)} ms); wall time ${(first.ms / bare.ms).toFixed(2)}×.`,
      `The server spent ${(serverCpu / (2 * bare.records + 2 * first.records)).toFixed(2)} ms of CPU per record over the four passes (the rehearsal server builds an MCP server per request, stateless).`,
      'Ferry per page and record: the page journal and the rows committed together, flattening to table rows, then the',
      "export reader's steps over the stored tables (keys, content hashes, delta, column profiles, data-quality checks).",
    ].join('\n');
    return {
      title: `MCP extract (${CLAIMS} claims, local server)`,
      command: 'npx tsx bench/run.ts mcp-extract',
      markdown,
    };
  } finally {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function child(args: string[]): Measure {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repo, 'bench', 'mcp-extract-child.ts'), ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (result.status !== 0) throw new Error(`bench child failed (${args[0]}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Measure;
}

async function startServer(exportDir: string): Promise<{ url: string; stop: () => Promise<number> }> {
  const process_: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repo, 'bench', 'mcp-sim-child.ts'), exportDir, TOKEN],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    process_.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    });
    process_.once('exit', (code) => reject(new Error(`the rehearsal server exited (${code})`)));
  });
  let stopped: Promise<number> | undefined;
  return {
    url,
    stop: () =>
      (stopped ??= new Promise<number>((resolve) => {
        process_.once('exit', () => {
          const cpu = /cpu (\{.*\})/.exec(output)?.[1];
          const used = cpu
            ? (JSON.parse(cpu) as { userMs: number; systemMs: number })
            : { userMs: 0, systemMs: 0 };
          resolve(used.userMs + used.systemMs);
        });
        process_.kill('SIGTERM');
      })),
  };
}
