import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'feedfacefeedfacefeedfacefeedfacefeedface';

interface SimState {
  entities: Record<string, Record<string, unknown>[]>;
  fields: Record<string, { field_code: string; field_name: string; is_deleted?: boolean }[]>;
}

describe('the whole job on a small dirty export, through the real CLI and a real socket', () => {
  let sim: SimServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ferry = (...args: string[]) => runCli(['--workspace', dir, ...args], { env });
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;
  const live = (s: SimState, collection: string) =>
    (s.entities[collection] ?? []).filter((r) => r.is_deleted !== true);

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'migrate-basic',
      token: TOKEN,
      rateLimits: false,
      users: [
        { name: 'Sam Admin', email: 'admin@smithlawfirm.com' },
        { name: 'Dana Whitfield', email: 'dwhitfield@smithlawfirm.com' },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-migrate-basic-'));
    cpSync(new URL('../fixtures/exports/basic', import.meta.url), join(dir, 'export'), { recursive: true });
    env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    for (const args of [
      ['init', '--source', join(dir, 'export')],
      ['extract'],
      ['map', 'propose'],
      ['map', 'confirm'],
    ]) {
      const result = await ferry(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('refuses to migrate before the schema exists (exit 3), then applies it idempotently', async () => {
    const early = await ferry('migrate', '--full');
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('ferry schema apply');
    const first = await ferry('schema', 'apply', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).created.length).toBeGreaterThan(5);
    const second = await ferry('schema', 'apply', '--json');
    expect(JSON.parse(second.stdout).created).toEqual([]);
    const s = await state();
    expect(s.fields.deal?.some((field) => field.field_name === 'BackDocket ID')).toBe(true);
  });

  it('plans the cost with the daily token limit the account stated, or the one given', async () => {
    const me = await fetch(`${sim.url}/api/v1/users/me`, { headers: { 'x-api-token': TOKEN } });
    const accountLimit = Number(me.headers.get('x-daily-ratelimit-token-limit'));
    const planned = await ferry('plan', '--json');
    expect(planned.code, planned.stderr).toBe(0);
    const report = JSON.parse(planned.stdout);
    expect(report.cost.dailyBudget).toBe(accountLimit);
    expect(report.limits.daily).toMatchObject({ tokens: accountLimit, source: 'remembered' });
    expect(report.cost.lines.some((line: { entity: string }) => line.entity === 'deal')).toBe(true);
    expect(report.cost.tokens).toBeGreaterThan(report.cost.requests);

    const tight = JSON.parse((await ferry('plan', '--daily-budget', '100', '--json')).stdout);
    expect(tight.limits.daily).toMatchObject({ tokens: 100, source: 'flag' });
    // Ferry plans to spend 90% of the budget, leaving the rest to the firm’s other integrations.
    expect(tight.cost.days).toBe(Math.ceil(report.cost.tokens / 90));
    const text = await ferry('plan');
    expect(text.stdout).toMatch(/Complexity: (simple|moderate|complex)/);
    expect(text.stdout).toContain(
      `daily budget: ${accountLimit.toLocaleString('en-US')} tokens, stated by the account's answers to an earlier command`,
    );
    expect((await ferry('plan', '--daily-budget', 'lots')).code).toBe(2);
  });

  it('validates with issues, quarantines, an ownership report and exit 3', async () => {
    const result = await ferry('validate', '--json');
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    const codes = new Set(report.issues.map((issue: { code: string }) => issue.code));
    expect(codes).toContain('duplicate_contact');
    expect(codes).toContain('invalid_phone');
    expect(
      report.ownership.entries.find((e: { staff: { name: string } }) => e.staff.name === 'Dana Whitfield')
        .resolution.status,
    ).toBe('matched');
    expect(report.account.user.admin).toBe(true);
  });

  it('migrates everything linked, accounts for every row, and a second --full creates nothing', async () => {
    const result = await ferry('migrate', '--full', '--json');
    expect(result.code, result.stderr).toBe(0);
    const s = await state();
    const deals = live(s, 'deals');
    const persons = live(s, 'persons');
    expect(deals).toHaveLength(1);
    // The duplicate contact (same e-mail) is merged, not created twice.
    expect(persons.filter((p) => p.name === 'Maria Gonzalez')).toHaveLength(1);
    const deal = deals[0]!;
    expect(deal.title).toBe('Gonzalez, Maria v. Lone Star Freight');
    expect(persons.map((p) => p.id)).toContain(deal.person_id);
    expect(deal.owner_id).toBe(2);
    const notes = live(s, 'notes');
    expect(notes.some((n) => n.deal_id === deal.id && String(n.content).includes('status history'))).toBe(
      true,
    );
    expect(
      live(s, 'activities').some((a) => a.deal_id === deal.id && a.type === 'call' && a.done === true),
    ).toBe(true);
    expect(live(s, 'files').some((f) => f.deal_id === deal.id)).toBe(true);
    // No file outside the export folder was ever uploaded.
    expect(live(s, 'files').every((f) => !String(f.name ?? f.file_name).includes('passwd'))).toBe(true);

    const again = await ferry('migrate', '--full', '--json');
    expect(again.code, again.stderr).toBe(0);
    const stats = JSON.parse(again.stdout).stats as Record<string, { created: number }>;
    expect(Object.values(stats).reduce((sum, entity) => sum + entity.created, 0)).toBe(0);
    expect(live(await state(), 'persons')).toHaveLength(persons.length);
  });

  it('verifies clean, then finds a field changed, a record deleted and an extra one in Pipedrive', async () => {
    const clean = await ferry('verify', '--json');
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    const s = await state();
    const deal = live(s, 'deals')[0]!;
    const person = live(s, 'persons')[0]!;
    await fetch(`${sim.url}/__sim/records/deals/${deal.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Renamed in Pipedrive' }),
    });
    const activity = live(s, 'activities')[0]!;
    await fetch(`${sim.url}/__sim/records/activities/${activity.id}`, { method: 'DELETE' });
    const identityKey = s.fields.person?.find((field) => field.field_name === 'BackDocket ID')
      ?.field_code as string;
    await fetch(`${sim.url}/__sim/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        persons: [
          {
            name: 'Copy',
            custom_fields: {
              [identityKey]: String((person.custom_fields as Record<string, unknown>)[identityKey]),
            },
          },
        ],
      }),
    });
    const result = await ferry('verify', '--json');
    expect(result.code).toBe(4);
    const report = JSON.parse(result.stdout);
    expect(
      report.diffs.some(
        (d: { field: string; actual: unknown }) => d.field === 'title' && d.actual === 'Renamed in Pipedrive',
      ),
    ).toBe(true);
    expect(report.missing.some((m: { entity: string }) => m.entity === 'activity')).toBe(true);
    expect(report.unexpected.some((u: { entity: string }) => u.entity === 'person')).toBe(true);
  });

  it('never writes the API token into the workspace (store, mapping, CSVs, reports)', async () => {
    await ferry('report');
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const files: string[] = [];
    const walk = (path: string) => {
      for (const name of readdirSync(path)) {
        const full = join(path, name);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(readFileSync(file).includes(TOKEN), file).toBe(false);
  });

  it('rolls back: no record Ferry created stays live, edited records are reported unless --force', async () => {
    const refused = await ferry('rollback');
    expect(refused.code).toBe(2);
    const result = await ferry('rollback', '--yes', '--force', '--json');
    expect(result.code, result.stderr).toBe(0);
    const s = await state();
    for (const collection of ['deals', 'activities', 'notes', 'files'])
      expect(live(s, collection)).toEqual([]);
    // Only the hand-made copy remains among persons.
    expect(live(s, 'persons').map((p) => p.name)).toEqual(['Copy']);
    expect(s.fields.deal?.some((field) => field.field_name === 'BackDocket ID' && !field.is_deleted)).toBe(
      false,
    );
  });
});
