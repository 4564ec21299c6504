import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import {
  loadSimState,
  parseFaultSpec,
  SIM_PLANS,
  type SimPlan,
  saveSimState,
  startSimServer,
} from '../../sim/index.ts';
import { outputFor } from '../global-options.ts';

interface SimCommandOptions {
  port: string;
  plan: string;
  seats: string;
  seed: string;
  faults?: string;
  state?: string;
  token?: string;
}

function positiveInt(value: string, flag: string, allowZero = false): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || (!allowZero && n === 0))
    throw new FerryError(
      'config',
      `${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${value}".`,
    );
  return n;
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description(
      'run the Pipedrive simulator on 127.0.0.1 (both API trees, limits, faults, admin API at /__sim/*)',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4010')
    .option('--plan <plan>', `plan for the token budget and burst limit (${SIM_PLANS.join('|')})`, 'growth')
    .option('--seats <n>', 'seats in the company (daily budget = 30,000 × plan multiplier × seats)', '5')
    .option(
      '--seed <seed>',
      'seed for custom field keys, ids of leads, the made-up token and faults',
      'ferry',
    )
    .option(
      '--faults <spec>',
      'e.g. 5xx=0.03,timeout=0.01,reset=0.01,lost=0.02,latency=150±100; also 429, 403=RATE@MS, slow=RATE@MS, cut, committed5xx (docs/simulator.md)',
    )
    .option(
      '--state <file>',
      'load the account from FILE if it exists; save it there on exit (SIGINT/SIGTERM)',
    )
    .option(
      '--token <token>',
      'API token to accept (default: PIPEDRIVE_API_TOKEN, else made up from the seed)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  ferry sim --port 4010 --plan growth --seats 5 --seed demo --faults 5xx=0.03,latency=150±100 --state sim.json\n' +
        '  PIPEDRIVE_BASE_URL=http://127.0.0.1:4010 PIPEDRIVE_API_TOKEN=<printed token> ferry migrate --sample 10',
    )
    .action(async (options: SimCommandOptions, command: Command) => {
      const out = outputFor(command);
      if (!(SIM_PLANS as readonly string[]).includes(options.plan))
        throw new FerryError(
          'config',
          `--plan must be one of ${SIM_PLANS.join(', ')}, got "${options.plan}".`,
        );
      const port = positiveInt(options.port, '--port', true);
      const seats = positiveInt(options.seats, '--seats');
      const faults = options.faults ? parseFaultSpec(options.faults) : undefined;
      const envToken = process.env.PIPEDRIVE_API_TOKEN;
      const token = options.token ?? envToken;
      const state = options.state ? loadSimState(options.state) : undefined;
      const server = await startSimServer({
        port,
        plan: options.plan as SimPlan,
        seats,
        seed: options.seed,
        ...(faults ? { faults } : {}),
        ...(token ? { token } : {}),
        ...(state ? { state } : {}),
      }).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'EADDRINUSE')
          throw new FerryError(
            'config',
            `Port ${port} on 127.0.0.1 is in use. Pick another with --port, or --port 0 for a free one.`,
          );
        throw error;
      });
      // A token from the environment may be a real one: never echo it. A made-up or --token one is the
      // simulator's own credential and must be shown, so these lines bypass Output's redactor on purpose.
      const shownToken = options.token === undefined && envToken ? '(PIPEDRIVE_API_TOKEN)' : server.token;
      if (out.json) {
        process.stdout.write(
          `${JSON.stringify({ url: server.url, token: shownToken, plan: options.plan, seats })}\n`,
        );
      } else {
        process.stdout.write(`Pipedrive simulator listening on ${server.url}\n`);
        process.stdout.write(`  token: ${shownToken}\n`);
        process.stdout.write(
          `  plan: ${options.plan}, seats: ${seats}, daily budget: ${server.simulator.options.dailyBudget} tokens\n`,
        );
        process.stdout.write(
          `  admin: ${server.url}/__sim/state  (Ctrl-C stops${options.state ? ` and saves ${options.state}` : ''})\n`,
        );
      }
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      if (options.state) saveSimState(server.simulator, options.state);
      await server.close();
      out.note(`simulator stopped (${signal})${options.state ? `; state saved to ${options.state}` : ''}`);
    });
}
