import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { type SimFaults, startBackdocketSim } from '../../source/mcp/sim/backdocket-sim.ts';
import { SIM_BREAKS, type SimBreak } from '../../source/mcp/sim/sim-tools.ts';
import { outputFor } from '../global-options.ts';

interface Options {
  from: string;
  port: string;
  token?: string;
  auth: string;
  transport: string;
  documents: boolean;
  break?: string[];
  faults?: string;
  seed: string;
}

/**
 * `ferry sim backdocket`: a local BackDocket-like MCP server over an export, for tests, the demo and
 * rehearsals. Added under `ferry sim` (the Pipedrive simulator's command).
 */
export function registerSimBackdocket(program: Command): void {
  const simCommand = program.commands.find((command) => command.name() === 'sim') ?? program.command('sim');
  simCommand
    .command('backdocket')
    .description(
      'serve a BackDocket export over MCP on 127.0.0.1 (search, get and advanced-search tools, paging, a few write tools)',
    )
    .requiredOption('--from <dir>', 'the export folder to serve (e.g. from `ferry generate`)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4020')
    .option('--token <token>', 'bearer token to accept (default: made up and printed)')
    .option(
      '--auth <mode>',
      'bearer | oauth (discovery, dynamic registration, PKCE, refresh; approves at once)',
      'bearer',
    )
    .option(
      '--transport <kind>',
      'streamable (Streamable HTTP at /mcp) | sse (only the older HTTP+SSE, at /mcp)',
      'streamable',
    )
    .option('--no-documents', 'offer no tool that returns document content')
    .option('--break <kind...>', `misbehave on purpose: ${SIM_BREAKS.join(', ')}`)
    .option('--faults <spec>', 'e.g. 429=0.05,503=0.02,latency=40 (share of requests; latency in ms)')
    .option('--seed <seed>', 'seed of the faults', 'ferry')
    .addHelpText(
      'after',
      '\nExamples:\n  ferry generate --out ./sample-export --records 200\n  ferry sim backdocket --from ./sample-export --port 4020 --token rehearsal-token\n' +
        '  BACKDOCKET_TOKEN=rehearsal-token ferry init --source http://127.0.0.1:4020/mcp',
    )
    .action(async (own: Options, command: Command) => {
      const out = outputFor(command);
      // Commander gives `ferry sim`'s options of the same name (--port, --token, --seed, --faults) to that
      // command even when they follow `backdocket`: take them back from it.
      const given = (name: string) =>
        simCommand.getOptionValueSource(name) === 'cli' ? (simCommand.opts()[name] as string) : undefined;
      const options: Options = {
        ...own,
        port: given('port') ?? own.port,
        seed: given('seed') ?? own.seed,
        ...((given('token') ?? own.token) ? { token: given('token') ?? own.token } : {}),
        ...((given('faults') ?? own.faults) ? { faults: given('faults') ?? own.faults } : {}),
      };
      if (!existsSync(options.from) || !statSync(options.from).isDirectory())
        throw new FerryError('config', `--from ${options.from} is not a folder.`, { code: 'E_USAGE' });
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new FerryError('config', `--port takes a port number, not '${options.port}'.`, {
          code: 'E_USAGE',
        });
      if (options.auth !== 'bearer' && options.auth !== 'oauth')
        throw new FerryError('config', `--auth is bearer or oauth, not '${options.auth}'.`, {
          code: 'E_USAGE',
        });
      if (options.transport !== 'streamable' && options.transport !== 'sse')
        throw new FerryError('config', `--transport is streamable or sse, not '${options.transport}'.`, {
          code: 'E_USAGE',
        });
      const breaks = (options.break ?? []).map((kind) => {
        if (!(SIM_BREAKS as readonly string[]).includes(kind))
          throw new FerryError('config', `--break takes ${SIM_BREAKS.join(', ')}; not '${kind}'.`, {
            code: 'E_USAGE',
          });
        return kind as SimBreak;
      });
      const sim = await startBackdocketSim({
        exportDir: options.from,
        port,
        auth: options.auth,
        token: options.token,
        transport: options.transport,
        documents: options.documents,
        breaks,
        faults: options.faults ? parseSimFaults(options.faults) : undefined,
        seed: options.seed,
      }).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'EADDRINUSE')
          throw new FerryError(
            'config',
            `Port ${port} on 127.0.0.1 is in use. Pick another with --port, or --port 0.`,
            { code: 'E_PORT_IN_USE' },
          );
        throw error;
      });
      // The rehearsal server's own token is made up for it (or given with --token): it is shown on purpose.
      if (out.json)
        process.stdout.write(
          `${JSON.stringify({ url: sim.url, auth: options.auth, token: sim.token ?? null })}\n`,
        );
      else {
        process.stdout.write(`BackDocket rehearsal MCP server listening on ${sim.url}\n`);
        process.stdout.write(
          options.auth === 'bearer'
            ? `  token: ${sim.token}\n`
            : '  auth: OAuth (run `ferry source login`; sign-ins are approved at once)\n',
        );
        process.stdout.write(
          `  serving ${options.from}${breaks.length > 0 ? `; misbehaving: ${breaks.join(', ')}` : ''}\n`,
        );
        process.stdout.write(`  calls: ${new URL('/__sim/calls', sim.url).href}  (Ctrl-C stops)\n`);
      }
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      await sim.close();
      out.note(`BackDocket rehearsal server stopped (${signal})`);
    });
}

/** `429=0.05,503=0.02,latency=40` → faults. */
export function parseSimFaults(spec: string): SimFaults {
  const faults: {
    rateLimited?: number;
    unavailable?: number;
    latencyMs?: number;
    retryAfterSeconds?: number;
  } = {};
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [kind, raw] = part.split('=');
    const value = Number(raw);
    if (!kind || raw === undefined || !Number.isFinite(value) || value < 0)
      throw new FerryError(
        'config',
        `--faults: '${part}' is not kind=number (429=0.05,503=0.02,latency=40,retry-after=1).`,
        { code: 'E_USAGE' },
      );
    if (kind === '429') faults.rateLimited = value;
    else if (kind === '503' || kind === '5xx') faults.unavailable = value;
    else if (kind === 'latency') faults.latencyMs = value;
    else if (kind === 'retry-after') faults.retryAfterSeconds = value;
    else
      throw new FerryError('config', `--faults: unknown kind '${kind}' (429, 503, latency, retry-after).`, {
        code: 'E_USAGE',
      });
    if ((kind === '429' || kind === '503' || kind === '5xx') && value > 1)
      throw new FerryError('config', `--faults: ${kind} is a share of requests, between 0 and 1.`, {
        code: 'E_USAGE',
      });
  }
  return faults;
}
