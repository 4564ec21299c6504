import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { setFallbackOwner } from '../helpers/fallback-owner.ts';
import { type CliResult, runCli } from '../helpers/run-cli.ts';

/** The tools of `ferry sim backdocket` that change data: Ferry must never call one. */
export const WRITE_TOOLS = [
  'update_claim',
  'create_note',
  'delete_task',
  'archive_contact',
  'get_or_create_contact',
];

/**
 * Takes a workspace to the point a migration can start, through the real CLI, from an export folder or
 * an MCP server URL: init, extract, propose, a fallback owner, confirm, schema apply. Returns every
 * command's output (for the token check).
 */
export async function prepareWorkspaceFrom(input: {
  dir: string;
  source: string;
  env: NodeJS.ProcessEnv;
  fallbackOwnerEmail: string;
}): Promise<CliResult[]> {
  const outputs: CliResult[] = [];
  const ferry = async (...args: string[]) => {
    const result = await runCli(['--workspace', input.dir, ...args], { env: input.env });
    outputs.push(result);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };
  await ferry('init', '--source', input.source);
  await ferry('extract');
  await ferry('map', 'propose');
  setFallbackOwner(join(input.dir, 'mapping.yaml'), input.fallbackOwnerEmail);
  await ferry('map', 'confirm');
  await ferry('schema', 'apply');
  return outputs;
}

/** Every file under a folder (the workspace, its store and WAL included), recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** The files under `dir` whose bytes contain `secret` (as UTF-8 text). */
export function filesContaining(dir: string, secret: string): string[] {
  const needle = Buffer.from(secret, 'utf8');
  return filesUnder(dir).filter((path) => readFileSync(path).includes(needle));
}
