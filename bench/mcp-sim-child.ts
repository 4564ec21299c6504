/**
 * Child process of bench/mcp-extract.bench.ts: `ferry sim backdocket`'s server in its own process, so the
 * client's CPU time is Ferry's alone and the server's is measured apart.
 *   node --import tsx bench/mcp-sim-child.ts EXPORT_DIR TOKEN
 * Prints `listening URL` once it accepts requests; on SIGTERM prints `cpu {"userMs","systemMs"}` and exits.
 */
import { startBackdocketSim } from '../src/source/mcp/sim/backdocket-sim.ts';

const [exportDir, token] = process.argv.slice(2) as [string, string];
const server = await startBackdocketSim({ exportDir, token, port: 0 });
const ready = process.cpuUsage();
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => {
  // CPU spent serving, not loading the export.
  const used = process.cpuUsage(ready);
  process.stdout.write(`cpu ${JSON.stringify({ userMs: used.user / 1000, systemMs: used.system / 1000 })}\n`);
  void server.close().then(() => process.exit(0));
});
