/**
 * Child process of bench/local-cost.bench.ts: the simulator without rate limits or latency in its own
 * process, so the ferry process's CPU time is Ferry's alone.
 *   node --import tsx bench/sim-child.ts TOKEN ADMIN_EMAIL
 * Prints `listening URL` once it accepts requests; stops on SIGTERM.
 */
import { startSimServer } from '../src/sim/index.ts';

const [token, adminEmail] = process.argv.slice(2) as [string, string];
const server = await startSimServer({
  port: 0,
  seed: 'bench-local-cost',
  token,
  rateLimits: false,
  // Stated in x-ratelimit-limit, so Ferry (with pipedrive.burstLimit to match) does not slow down to a plan's.
  burstLimit: 100_000,
  // Nor a daily budget to pause for: this measures Ferry's CPU, not the wait for midnight.
  dailyBudget: 1e12,
  users: [{ name: 'Firm Admin', email: adminEmail }],
});
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
