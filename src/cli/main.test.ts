import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { buildProgram } from './main.ts';

async function commandsLoadedFor(argv: readonly string[]): Promise<string[]> {
  return (await buildProgram(argv)).commands.map((command) => command.name());
}

describe('lazy commands', () => {
  it('loads only the command the arguments name, wherever the global options stand', async () => {
    expect(await commandsLoadedFor(['status'])).toEqual(['status']);
    expect(await commandsLoadedFor(['-w', 'migrate', 'migrate', '--full'])).toEqual(['migrate']);
    expect(await commandsLoadedFor(['--workspace=ws', '--json', 'map', 'propose'])).toEqual(['map']);
    expect(await commandsLoadedFor(['-yw', 'ws', 'rollback', '--run', '2'])).toEqual(['rollback']);
    expect(await commandsLoadedFor(['-wws', 'verify'])).toEqual(['verify']);
    expect(await commandsLoadedFor(['migrate', '--help'])).toEqual(['migrate']);
    expect(await commandsLoadedFor(['help', 'schema'])).toEqual(['schema']);
  });

  it('loads none for --version and all of them for help, no command or an unknown one', async () => {
    const all = COMMANDS.map((command) => command.name);
    expect(await commandsLoadedFor(['--version'])).toEqual([]);
    expect(await commandsLoadedFor(['-V'])).toEqual([]);
    expect(await commandsLoadedFor(['--help'])).toEqual(all);
    expect(await commandsLoadedFor([])).toEqual(all);
    expect(await commandsLoadedFor(['help'])).toEqual(all);
    expect(await commandsLoadedFor(['statsu'])).toEqual(all);
    expect(await commandsLoadedFor(['--workspace'])).toEqual(all);
  });

  it('names each entry after the command its module registers', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('ferry');
      (await entry.load())(program);
      expect(
        program.commands.map((command) => command.name()),
        entry.name,
      ).toEqual([entry.name]);
    }
  });
});
