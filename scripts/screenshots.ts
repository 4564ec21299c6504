/**
 * `npx tsx scripts/screenshots.ts`: regenerates the README's pictures, docs/images/ui-mapping.png (the
 * mapping review page of `ferry ui`) and docs/images/report.png (the HTML report of `ferry report`), at
 * 1280x800. It runs the demo-sized job (`ferry demo`'s flow on a generated export against the simulator),
 * opens the UI on that workspace and the report it wrote in headless Chromium (Debian's /usr/bin/chromium),
 * and captures both pages. Options: --records N (default 60), --out DIR (default docs/images).
 */

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Output } from '../src/cli/output.ts';
import { runDemo } from '../src/demo/run-demo.ts';
import { startSimServer } from '../src/sim/index.ts';
import { startUiServer } from '../src/web/index.ts';
import { hasChromium, launchChromium } from '../test/helpers/chromium.ts';

const VIEWPORT = { width: 1280, height: 800 };

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const records = Number(option('--records', '60'));
const outDir = resolve(option('--out', new URL('../docs/images/', import.meta.url).pathname));
if (!hasChromium) {
  process.stderr.write('screenshots: /usr/bin/chromium is missing (apt-get install chromium).\n');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ferry-screenshots-'));
// Named like `npm run demo`'s folder: the report shows the workspace name.
const dir = join(scratch, 'demo-workspace');
// The demo's own simulator closes when the job ends; the UI lists an account's fields, so it gets one too.
const sim = await startSimServer({ port: 0, seed: 'screenshots', rateLimits: false });
const ui = await startUiServer({
  workspaceDir: dir,
  host: '127.0.0.1',
  env: { PIPEDRIVE_API_TOKEN: sim.token, PIPEDRIVE_BASE_URL: sim.url },
});
const browser = await launchChromium();
try {
  const { reportPath } = await runDemo({
    dir,
    records,
    seed: 7,
    plan: 'premium',
    out: new Output({ json: false }),
  });
  mkdirSync(outDir, { recursive: true });
  const page = await browser.newPage();
  await page.setViewportSize(VIEWPORT);
  await page.goto(`http://127.0.0.1:${ui.port}/mapping?token=${ui.token}`);
  await page.locator('#confirm-state').waitFor();
  await page.screenshot({ path: join(outDir, 'ui-mapping.png') });
  await page.goto(pathToFileURL(reportPath).href);
  await page.screenshot({ path: join(outDir, 'report.png') });
  process.stdout.write(`\nWrote ${join(outDir, 'ui-mapping.png')} and ${join(outDir, 'report.png')}\n`);
} finally {
  await browser.close();
  await ui.close();
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
}
