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
const PERSONS_COMMENT = '# Statuses checked with Dana on Monday.';
/** Staff member 23 (Marco Reyes) has no Pipedrive user; the UI gives his records to the admin. */
const ADMIN_EMAIL = 'admin@smithlawfirm.com';

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
  /** Form controls without a label (a screen reader would announce them as nameless). */
  const unlabelledControls = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('select, input:not([type="hidden"]), textarea')]
        .filter(
          (el) => ((el as HTMLInputElement).labels?.length ?? 0) === 0 && !el.getAttribute('aria-label'),
        )
        .map((el) => el.outerHTML),
    );
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
        { name: 'Sam Admin', email: ADMIN_EMAIL },
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
    // A person's own comment in mapping.yaml must survive edits made in the UI.
    const mappingPath = join(dir, 'mapping.yaml');
    writeFileSync(
      mappingPath,
      readFileSync(mappingPath, 'utf8').replace(/^( {2}claimStatuses:)$/m, `  ${PERSONS_COMMENT}\n$1`),
    );
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

  it('edits one claim status → stage mapping for one pipeline, keeping the comments in mapping.yaml', async () => {
    await go('/mapping');
    await page
      .getByLabel('Stage for status Active w/ Contract in pipeline Auto', { exact: true })
      .selectOption('Chase Call');
    expect(await unlabelledControls()).toEqual([]);
    await page.getByRole('button', { name: 'Save stages for Auto' }).click();
    expect(await page.locator('#saved-notice').textContent()).toContain('needs confirming again');
    expect(await page.locator('#confirm-state').textContent()).toContain('not confirmed');
    const text = readFileSync(join(dir, 'mapping.yaml'), 'utf8');
    expect(text).toMatch(
      /claimStatusesByType:\n\s+Auto:\n\s+Active w\/ Contract: \{ stage: Chase Call, status: open \}/,
    );
    expect(text).toContain(PERSONS_COMMENT);
    expect(text).toContain('person.custom:Client ZIP');
    // Workers Comp keeps the general map.
    expect(
      await page
        .getByLabel('Stage for status Active w/ Contract in pipeline Workers Comp', { exact: true })
        .inputValue(),
    ).toBe('Active w/ Contract');
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    expect((await page.locator('#confirm-state').textContent())?.trim()).toBe('Mapping confirmed.');
  }, 180_000);

  it('filters validation issues by code and severity without JavaScript', async () => {
    await go('/validate');
    await page.getByText('Dana Whitfield').first().waitFor();
    const counts = async () => {
      const text = (await page.locator('#issue-count').textContent()) ?? '';
      const [, shown, total] = /Showing (\d+) of (\d+)/.exec(text) ?? [];
      return { shown: Number(shown), total: Number(total) };
    };
    const all = await counts();
    expect(all.shown).toBe(all.total);
    expect(await unlabelledControls()).toEqual([]);
    // Keyboard: the first Tab reaches the skip link, which jumps past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const codes = await page
      .locator('#filter-code option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(codes.length).toBeGreaterThan(1);
    await page.getByLabel('Code', { exact: true }).selectOption(codes[0]!);
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(page.url()).toContain(`code=${encodeURIComponent(codes[0]!).replace(/%20/g, '+')}`);
    const narrowed = await counts();
    expect(narrowed.shown).toBeGreaterThan(0);
    expect(narrowed.shown).toBeLessThan(all.total);
    const shownCodes = await page.locator('#issue-list tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(shownCodes)).toEqual(new Set([codes[0]]));
    // A severity none of these issues has leaves the list empty; clearing brings every issue back.
    const severities = await page
      .locator('#filter-severity option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const severity = await page.locator('#issue-list tbody tr td:nth-child(1)').first().textContent();
    const other = severities.find((s) => s !== severity);
    if (other) {
      await page.getByLabel('Severity', { exact: true }).selectOption(other);
      await page.getByRole('button', { name: 'Filter' }).click();
      expect((await counts()).shown).toBe(0);
    }
    await page.getByRole('link', { name: 'Clear filters' }).click();
    expect((await counts()).shown).toBe(all.total);
  }, 180_000);

  it('assigns a fallback owner to one unmatched staff member, then asks to confirm again', async () => {
    await go('/validate');
    const marco = page.getByLabel('Owner for Reyes, Marco', { exact: true });
    expect(await marco.inputValue()).toBe('');
    await marco.selectOption(ADMIN_EMAIL);
    await page.getByRole('button', { name: 'Save owners' }).click();
    expect(await page.locator('#saved-notice').textContent()).toContain('needs confirming again');
    expect(await page.locator('#confirm-state').textContent()).toContain('not confirmed');
    expect(await page.getByLabel('Owner for Reyes, Marco', { exact: true }).inputValue()).toBe(ADMIN_EMAIL);
    // Tina keeps no owner: her records stay held.
    expect(await page.getByLabel('Owner for Tina O’Neil', { exact: true }).inputValue()).toBe('');
    const text = readFileSync(join(dir, 'mapping.yaml'), 'utf8');
    expect(text).toMatch(/staff:\n\s+"23": admin@smithlawfirm\.com # Reyes, Marco\n/);
    expect(text).toContain(PERSONS_COMMENT);
    await page.setViewportSize({ width: 1366, height: 768 });
    await shot('03-validation');
    await page.getByRole('button', { name: 'Confirm mapping' }).click();
    expect((await page.locator('#confirm-state').textContent())?.trim()).toBe('Mapping confirmed.');
    expect((await page.locator('h1').textContent())?.trim()).toBe('Validation');
  }, 180_000);

  it('shows the schema checklist, and applies the schema', async () => {
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
    // Tina's claim is held (no Pipedrive user, no owner chosen); Marco's went to the owner chosen for him.
    const deals = live(s, 'deals');
    expect(deals.length).toBe(2);
    expect(live(s, 'persons').length).toBeGreaterThanOrEqual(2);
    const admin = (s.entities.users ?? []).find((u) => u.email === ADMIN_EMAIL);
    const marcos = deals.filter((d) => String(d.title).includes('Price'));
    expect(marcos.length).toBe(1);
    expect(marcos.map((d) => d.owner_id)).toEqual([admin?.id]);
    // The edited status map: Auto's "Active w/ Contract" claim sits in the Chase Call stage of Auto.
    const gonzalez = deals.find((d) => String(d.title).includes('Lone Star'));
    const stage = (s.entities.stages ?? []).find((st) => st.id === gonzalez?.stage_id);
    const pipeline = (s.entities.pipelines ?? []).find((p) => p.id === stage?.pipeline_id);
    expect([pipeline?.name, stage?.name]).toEqual(['Auto', 'Chase Call']);
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
