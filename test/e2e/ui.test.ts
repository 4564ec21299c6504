import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { startUiServer, type UiServer } from '../../src/web/index.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'feedfacefeedfacefeedfacefeedfacefeedface';
const SHOTS = new URL('../../test-artifacts/ui/', import.meta.url).pathname;

interface SimState {
  entities: Record<string, Record<string, unknown>[]>;
  fields: Record<string, { field_code: string; field_name: string; is_deleted?: boolean }[]>;
}

if (!hasChromium) console.warn('ui.test: /usr/bin/chromium is absent; skipping the browser flow.');

describe.skipIf(!hasChromium)('ferry ui in headless Chromium: the whole job', () => {
  let sim: SimServer;
  let ui: UiServer;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const state = async () => (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;
  const live = (s: SimState, collection: string) =>
    (s.entities[collection] ?? []).filter((r) => r.is_deleted !== true);
  const go = async (path: string) => {
    await page.goto(`http://127.0.0.1:${ui.port}${path}?token=${ui.token}`);
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const waitForJob = async () => {
    await page.waitForFunction(
      () => {
        const status = document.getElementById('progress')?.getAttribute('data-status');
        return status === 'completed' || status === 'failed';
      },
      undefined,
      { timeout: 120_000 },
    );
    return page.locator('#progress').textContent();
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sim = await startSimServer({
      port: 0,
      seed: 'ui',
      token: TOKEN,
      rateLimits: false,
      users: [
        { name: 'Sam Admin', email: 'admin@smithlawfirm.com' },
        { name: 'Dana Whitfield', email: 'dwhitfield@smithlawfirm.com' },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-ui-'));
    cpSync(new URL('../fixtures/exports/basic', import.meta.url), join(dir, 'export'), { recursive: true });
    // Hostile source data: a script in a note must render as text.
    const notes = join(dir, 'export', 'notes.csv');
    writeFileSync(
      notes,
      readFileSync(notes, 'utf8').replace('Called adj.', '<script>window.pwned=1</script>Called adj.'),
    );
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    for (const args of [['init', '--source', join(dir, 'export')], ['extract'], ['map', 'propose']]) {
      const result = await runCli(['--workspace', dir, ...args], { env });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    ui = await startUiServer({ workspaceDir: dir, host: '127.0.0.1', env });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 800 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await sim?.close();
  }, 180_000);

  it('refuses a request without the token, and a cross-site POST', async () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect((await fetch(`http://127.0.0.1:${ui.port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${ui.port}/?token=wrong`)).status).toBe(403);
    const crossSite = await fetch(`http://127.0.0.1:${ui.port}/mapping/confirm`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${ui.token}`,
    });
    expect(crossSite.status).toBe(403);
    const ok = await fetch(ui.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
  }, 180_000);

  it('shows the inventory, with a script in a note rendered as text', async () => {
    await page.goto(ui.url);
    expect((await page.locator('h1').textContent())?.trim()).toBe('Source inventory');
    await page.getByText('<script>window.pwned=1</script>Called adj.', { exact: false }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await shot('01-inventory');
  }, 180_000);

  it('changes one mapping target to a new custom field and confirms', async () => {
    await go('/mapping');
    expect(await page.locator('#confirm-state').textContent()).toContain('not confirmed');
    const row = page.locator('form', { has: page.locator('input[name="column"][value="Zip"]') });
    await row.locator('select[name="target"]').selectOption('__new');
    await row.getByLabel('name').fill('Client ZIP');
    await row.getByRole('button', { name: 'Change' }).click();
    await page.getByRole('cell', { name: 'person.custom:Client ZIP', exact: true }).first().waitFor();
    await shot('02-mapping');
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    expect((await page.locator('#confirm-state').textContent())?.trim()).toBe('Mapping confirmed.');
    expect(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).toContain('person.custom:Client ZIP');
  }, 180_000);

  it('shows validation and the schema checklist, and applies the schema', async () => {
    await go('/validate');
    await page.getByText('Dana Whitfield').first().waitFor();
    await shot('03-validation');
    await go('/schema');
    await shot('04-schema');
    await page.getByRole('button', { name: 'Approve and apply schema' }).click();
    expect(await page.locator('#schema-result').textContent()).toContain('0 problem(s)');
    const s = await state();
    expect(s.fields.person?.some((f) => f.field_name === 'Client ZIP')).toBe(true);
  }, 180_000);

  it('runs the sample and shows its field-level diff', async () => {
    await go('/run');
    await page.getByRole('button', { name: 'Run sample' }).click();
    expect(await waitForJob()).toContain('completed');
    expect(live(await state(), 'deals').length).toBeGreaterThan(0);
    await go('/verify');
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page.locator('#verify-state').waitFor();
    await shot('05-sample-verify');
  }, 180_000);

  it('runs full with live progress and shows the report', async () => {
    await go('/run');
    await page.getByRole('button', { name: 'Run full migration' }).click();
    expect(await waitForJob()).toContain('completed');
    await shot('06-full-run');
    const s = await state();
    // The fixture's other two claims are held: their attorneys have no Pipedrive user.
    expect(live(s, 'deals').length).toBe(1);
    expect(live(s, 'persons').length).toBeGreaterThanOrEqual(2);
    await go('/report');
    expect((await page.locator('h1').textContent())?.trim()).toBe('Report');
    await shot('07-report');
    await page.getByRole('link', { name: 'Open the full report' }).click();
    await shot('08-report-full');
  }, 180_000);

  it('rolls back after a confirmation that lists what will be removed', async () => {
    await go('/rollback');
    expect(await page.locator('#rollback-plan').textContent()).toContain('deal');
    await shot('09-rollback-confirm');
    await page.getByLabel(/I understand/).check();
    await page.getByRole('button', { name: 'Roll back' }).click();
    expect(await waitForJob()).toContain('completed');
    await shot('10-rolled-back');
    const s = await state();
    for (const collection of ['deals', 'persons', 'organizations', 'activities', 'notes'])
      expect(live(s, collection), collection).toEqual([]);
  }, 180_000);
});
