import { join } from 'node:path';
import { expect } from 'vitest';
import { setFallbackOwner } from './fallback-owner.ts';
import { runCli } from './run-cli.ts';

/**
 * Takes a workspace folder holding `export/` to the point a migration can start, through the real CLI:
 * init, extract, propose, a fallback owner for staff without a Pipedrive user, confirm, schema apply.
 * `schema: false` stops before schema apply (for tests that break that step too).
 */
export async function prepareWorkspace(input: {
  dir: string;
  env: NodeJS.ProcessEnv;
  fallbackOwnerEmail: string;
  schema?: boolean;
}): Promise<void> {
  const ferry = (...args: string[]) => runCli(['--workspace', input.dir, ...args], { env: input.env });
  for (const args of [['init', '--source', join(input.dir, 'export')], ['extract'], ['map', 'propose']]) {
    const result = await ferry(...args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  setFallbackOwner(join(input.dir, 'mapping.yaml'), input.fallbackOwnerEmail);
  for (const args of [['map', 'confirm'], ...(input.schema === false ? [] : [['schema', 'apply']])]) {
    const result = await ferry(...args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
}
