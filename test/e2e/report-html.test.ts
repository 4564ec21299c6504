import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/model.ts';
import { renderReportHtml } from '../../src/report/render-report-html.ts';
import { type SimServer, startSimServer } from '../../src/sim/index.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { runCli } from '../helpers/run-cli.ts';

const TOKEN = 'facadefacadefacadefacadefacadefacadefaca';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'report');

describe('ferry report', () => {
  let sim: SimServer;
  let dir: string;
  let report: ReportData;
  let htmlPath: string;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'report',
      token: TOKEN,
      rateLimits: false,
      users: [
        { name: 'Sam Admin', email: 'admin@smithlawfirm.com' },
        { name: 'Dana Whitfield', email: 'dwhitfield@smithlawfirm.com' },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'ferry-report-'));
    cpSync(new URL('../fixtures/exports/basic', import.meta.url), join(dir, 'export'), { recursive: true });
    // A hostile value in the export must reach the report as text, never as markup.
    const notes = join(dir, 'export', 'notes.csv');
    writeFileSync(
      notes,
      `${readFileSync(notes, 'utf8')}9009,1042,Internal,"<script>alert(1)</script> and ""><img src=x onerror=alert(2)>",Dana Whitfield,04/21/2021\r\n`,
    );
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    for (const args of [
      ['init', '--source', join(dir, 'export')],
      ['extract'],
      ['map', 'propose'],
      ['map', 'confirm'],
      ['schema', 'apply'],
      ['validate'],
      ['migrate', '--full'],
      ['verify'],
    ]) {
      const result = await runCli(['--workspace', dir, ...args], { env });
      expect([0, 3], `${args.join(' ')}: ${result.stderr}`).toContain(result.code);
    }
    const result = await runCli(['--workspace', dir, 'report', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as ReportData;
    htmlPath = join(dir, '.ferry', 'report', 'report.html');
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('accounts for every extracted row of every file, and says what was verified', () => {
    for (const file of report.accountability) {
      const total = Object.values(file.outcomes).reduce((sum, n) => sum + (n ?? 0), 0);
      expect(total, file.file).toBe(file.extracted);
      expect(file.outcomes.pending ?? 0, file.file).toBe(0);
    }
    expect(report.verification?.entities.length).toBeGreaterThan(0);
    expect(report.rebuild.map((item) => item.topic)).toContain('Check approvals');
    expect(report.totals.tokens).toBeGreaterThan(0);
  });

  it('is one self-contained file that escapes every source value', () => {
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const hostile = renderReportHtml({
      ...report,
      workspaceName: '<script>alert(1)</script>',
      headline: ['"><img src=x onerror=alert(1)>'],
    });
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).not.toContain('<img src=x');
  });

  it.skipIf(!hasChromium)(
    'renders in headless Chromium with no console error and no network request',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('request', (request) => requests.push(request.url()));
        const url = pathToFileURL(htmlPath).href;
        await page.goto(url);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
          'migration summary',
        );
        await expect(page.getByText('What to rebuild by hand').isVisible()).resolves.toBe(true);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: join(ARTIFACTS, 'report-print.png'), fullPage: true });
        expect(errors).toEqual([]);
        expect(requests.filter((request) => request !== url)).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});

if (!hasChromium)
  process.stderr.write('report-html: /usr/bin/chromium is not installed; the browser check is skipped.\n');
