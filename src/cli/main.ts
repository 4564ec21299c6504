import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCodeFor, isFerryError } from '../core/errors.ts';
import { redactorFromEnv } from '../core/redact.ts';
import { COMMANDS, type CommandEntry } from './commands/index.ts';

/** The program with its global options and no commands. */
function globalProgram(): Command {
  return new Command('ferry')
    .description(
      'Move a law firm from BackDocket to Pipedrive: map, validate, migrate exactly once, verify, roll back.',
    )
    .option('-w, --workspace <dir>', 'workspace folder (ferry.yaml + .ferry/)', process.cwd())
    .option('--json', 'print one JSON document on stdout and nothing else', false)
    .option('-y, --yes', 'answer yes to confirmations', false)
    .exitOverride();
}

/** The package's version, from package.json two folders up (from `src/cli/` and from `dist/cli/` alike). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * The top-level command `argv` names, as commander itself reads it (global options and their values
 * skipped; `ferry help X` names X), or undefined when it names none or cannot be parsed.
 */
function commandNamed(argv: readonly string[]): string | undefined {
  try {
    const probe = globalProgram().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    const { operands } = probe.parseOptions([...argv]);
    return operands[0] === 'help' ? operands[1] : operands[0];
  } catch {
    return undefined; // e.g. `--workspace` without its value: the real parse reports it
  }
}

/**
 * The commands a run needs: the one it names; none for a bare `--version`; all of them for help, no command
 * or an unknown one (so the help lists everything and a misspelt name gets a suggestion).
 */
function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const name = commandNamed(argv);
  const named = COMMANDS.find((command) => command.name === name);
  if (named) return [named];
  if (name === undefined && argv.some((arg) => arg === '--version' || arg === '-V')) return [];
  return COMMANDS;
}

/**
 * Builds the `ferry` program with the commands `argv` needs (all of them by default); exported so tests can
 * run commands in-process.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = globalProgram().version(packageVersion()).showHelpAfterError();
  const commands = argv === undefined ? COMMANDS : commandsFor(argv);
  const registers = await Promise.all(commands.map((command) => command.load()));
  for (const register of registers) register(program);
  return program;
}

/**
 * A reader that goes away (`ferry status | head`) closes stdout under us. The work goes on and finishes (a
 * migration stopped halfway by a pager would only need a re-run); what it would have printed is dropped.
 */
function dropOutputWhenReaderLeaves(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** The only place in Ferry that turns errors into exit codes and ends the process. */
export async function main(argv: readonly string[]): Promise<number> {
  dropOutputWhenReaderLeaves();
  try {
    const program = await buildProgram(argv);
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
