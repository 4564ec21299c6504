import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'd0c5d0c5d0c5d0c5d0c5d0c5d0c5d0c5d0c5d0c5';

describe('documents over the upload limit', () => {
  let sim: SimServer;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'documents',
      token: TOKEN,
      rateLimits: false,
      users: [
        { name: 'Sam Admin', email: 'admin@smithlawfirm.com' },
        { name: 'Dana Whitfield', email: 'dwhitfield@smithlawfirm.com' },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-documents-'));
    cpSync(new URL('../fixtures/exports/basic', import.meta.url), join(dir, 'export'), { recursive: true });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('are not uploaded: their deal lists them in "Documents Not Uploaded" instead', async () => {
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
    expect((await ferry('init', '--source', join(dir, 'export'))).code).toBe(0);
    const config = join(dir, 'ferry.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/maxUploadBytes: \d+/, 'maxUploadBytes: 5'));
    for (const args of [
      ['extract'],
      ['map', 'propose'],
      ['map', 'confirm'],
      ['schema', 'apply'],
      ['migrate', '--full'],
    ]) {
      const result = await ferry(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as {
      entities: Record<string, Record<string, unknown>[]>;
      fields: Record<string, { field_name: string; field_code: string }[]>;
    };
    expect(state.entities.files ?? []).toEqual([]);
    const key = state.fields.deal?.find((field) => field.field_name === 'Documents Not Uploaded')
      ?.field_code as string;
    const deal = (state.entities.deals ?? [])[0]!;
    expect(String((deal.custom_fields as Record<string, unknown>)[key])).toContain('files/1042/ok.pdf');
  });
});
