import { Command, CommanderError } from 'commander';
import { exitCodeFor, isFerryError } from '../core/errors.ts';
import { redactorFromEnv } from '../core/redact.ts';
import { COMMANDS } from './commands/index.ts';

/** Builds the `ferry` program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command('ferry')
    .description(
      'Move a law firm from BackDocket to Pipedrive: map, validate, migrate exactly once, verify, roll back.',
    )
    .option('-w, --workspace <dir>', 'workspace folder (ferry.yaml + .ferry/)', process.cwd())
    .option('--json', 'print one JSON document on stdout and nothing else', false)
    .option('-y, --yes', 'answer yes to confirmations', false)
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** The only place in Ferry that turns errors into exit codes and ends the process. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    const redactor = redactorFromEnv();
    if (isFerryError(error)) {
      process.stderr.write(`ferry: ${redactor.text(error.message)}\n`);
    } else {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`ferry: internal error — please report it.\n${redactor.text(message)}\n`);
    }
    return exitCodeFor(error);
  }
}
