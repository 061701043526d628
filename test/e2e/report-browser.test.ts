// Opens the report's index.html from the file system in headless Debian chromium (driven by
// playwright-core, no browser download) and checks what a reader would see: every figure
// loaded, the tables there, no console errors, no network. Saves a screenshot under reports/.
// Until the lead points it at a smoke run's reports/, it builds the report from the fixtures.
// Without chromium the test FAILS with how to install it; ELBO_SKIP_BROWSER=1 skips it instead.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildFixtureReport } from '../fixtures/report/fixture-report.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SKIP = process.env.ELBO_SKIP_BROWSER === '1';
const HOW_TO_INSTALL = `headless chromium not found at ${CHROMIUM}. Install it with \`apt-get update && apt-get install -y chromium\` (Debian), or point CHROMIUM_PATH at a chromium binary; set ELBO_SKIP_BROWSER=1 to skip this test deliberately.`;

const maybe = SKIP ? describe.skip : describe;

maybe('report in a real browser', () => {
  let browser: BrowserContext;
  let dir: string;
  let userData: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(HOW_TO_INSTALL);
    dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
    userData = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    await buildFixtureReport(join(dir, 'reports'));
    // A fresh profile dir (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('index.html: figures load, tables present, no console errors, no network', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const network: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      network.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(dir, 'reports', 'index.html')).href, { waitUntil: 'load' });

    const images = await page.$$eval('img', (imgs) =>
      imgs.map((i) => ({ alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shownW: i.getBoundingClientRect().width })),
    );
    expect(images.filter((i) => i.alt.startsWith('Figure ')).length).toBe(6);
    for (const img of images) {
      expect({ alt: img.alt, loaded: img.complete && img.w > 0 && img.h > 0 && img.shownW > 0 }).toEqual({ alt: img.alt, loaded: true });
    }
    const claimRows = await page.$$eval('table.claims tbody tr', (rows) => rows.length);
    expect(claimRows).toBeGreaterThanOrEqual(10);
    const table1Rows = await page.$$eval('#table-1 ~ div table tbody tr', (rows) => rows.length);
    expect(table1Rows).toBeGreaterThanOrEqual(10);
    expect(await page.locator('svg[aria-label="pipeline DAG"]').count()).toBe(1);
    expect(await page.locator('text=Provenance').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(network).toEqual([]);

    const shots = resolve('reports');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report-screenshot.png'), fullPage: true });
    expect(existsSync(join(shots, 'report-screenshot.png'))).toBe(true);
    await page.close();
  });
});
