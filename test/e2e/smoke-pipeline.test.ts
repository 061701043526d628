// End to end, as a user would: the README's main command on the `smoke` profile in a private copy
// of the project (empty store), then the same command again (everything cached), then the
// report it wrote opened from the file system in headless Debian chromium (playwright-core, no
// browser download): every figure loaded, tables there, no console errors, no network.
// Without chromium the browser test FAILS saying how to install it; ELBO_SKIP_BROWSER=1 skips it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { copyProject, type ProjectCopy } from '../../src/pipeline/repro/project-copy.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SKIP_BROWSER = process.env.ELBO_SKIP_BROWSER === '1';
const HOW_TO_INSTALL = `headless chromium not found at ${CHROMIUM}. Install it with \`apt-get update && apt-get install -y chromium\` (Debian), or point CHROMIUM_PATH at a chromium binary; set ELBO_SKIP_BROWSER=1 to skip this test deliberately.`;

interface ClaimResult { id: string; status: string; measured?: unknown }

let project: ProjectCopy;
let first: { status: number | null; output: string };

function pipeline(...args: string[]): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, ['bin/pipeline.mjs', ...args], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
    timeout: 600_000,
  });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

const readJson = <T>(...parts: string[]): T => JSON.parse(readFileSync(join(project.dir, ...parts), 'utf8')) as T;

beforeAll(() => {
  project = copyProject(resolve('.'), { prefix: 'e2e-smoke-' });
  first = pipeline('run', '--profile', 'smoke');
}, 600_000);

afterAll(() => project?.remove());

describe('npm run pipeline -- --profile smoke, from an empty store', () => {
  test('every stage instance runs or is skipped with its reason, none fails', () => {
    expect(first.output).toMatch(/\d+ ran, 0 cached, \d+ skipped, 0 failed/);
    expect(first.status).toBe(0);
    expect(first.output).toMatch(/skipped celeba .*CelebA needs a local copy/);
  });

  test('the report says where the data came from and holds the numbers of a real run', () => {
    const results = readJson<{
      profile: string;
      data: { source?: string; full_mnist?: boolean };
      ppca: { theory?: { lemma1_max_rel_error?: number } };
      claims: ClaimResult[];
    }>('reports', 'results.json');
    expect(results.profile).toBe('smoke');
    expect(results.data.source).toBe('package');
    expect(results.data.full_mnist).toBe(false);
    expect(results.ppca.theory?.lemma1_max_rel_error).toBeLessThan(1e-6);
    const failed = results.claims.filter((c) => c.status === 'fail');
    expect(failed).toEqual([]);
    expect(results.claims.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(5);
    const md = readFileSync(join(project.dir, 'reports', 'README.md'), 'utf8');
    expect(md).toContain('NOT full MNIST');
    for (let n = 1; n <= 6; n++) expect(existsSync(join(project.dir, 'reports', `figure-${n}.png`))).toBe(true);
  });

  test('artifacts are where a notebook looks for them, and npy files are what they claim', () => {
    const head = readFileSync(join(project.dir, 'artifacts', 'mnist', 'subset.npy')).subarray(0, 128).toString('latin1');
    expect(head).toMatch(/'descr': '<f4', 'fortran_order': False, 'shape': \(1000, 784\)/);
    expect(existsSync(join(project.dir, 'artifacts', 'deep-vae', 'sigma2=10,learn=false,seed=0', 'metrics.json'))).toBe(true);
  });

  test('a second run reruns nothing', () => {
    const again = pipeline('run', '--profile', 'smoke');
    expect(again.status).toBe(0);
    expect(again.output).toMatch(/0 ran, \d+ cached/);
  });
});

(SKIP_BROWSER ? describe.skip : describe)('the smoke report in a real browser', () => {
  let browser: BrowserContext;
  let userData: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(HOW_TO_INSTALL);
    userData = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    browser = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
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
    await page.goto(pathToFileURL(join(project.dir, 'reports', 'index.html')).href, { waitUntil: 'load' });

    const images = await page.$$eval('img', (imgs) =>
      imgs.map((i) => ({ alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shownW: i.getBoundingClientRect().width })),
    );
    expect(images.filter((i) => i.alt.startsWith('Figure ')).length).toBe(6);
    for (const img of images) {
      expect({ alt: img.alt, loaded: img.complete && img.w > 0 && img.h > 0 && img.shownW > 0 }).toEqual({ alt: img.alt, loaded: true });
    }
    expect(await page.$$eval('table.claims tbody tr', (rows) => rows.length)).toBeGreaterThanOrEqual(10);
    expect(await page.$$eval('#table-1 ~ div table tbody tr', (rows) => rows.length)).toBeGreaterThanOrEqual(4);
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
