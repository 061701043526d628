// The figures and report stages, run through their run() on the fixture artifacts.
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figureOutFiles } from '../../../src/report/figure-set.ts';
import { buildFixtureReport } from '../../fixtures/report/fixture-report.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'report-stages-'));
  dirs.push(d);
  return d;
};

interface ResultsJson {
  profile: string;
  data: { full_mnist: boolean; images: number };
  deep_vae: { mnist: { fixed: { collapse_pct: number[] } } };
  claims: { id: string; status: string; measured: unknown }[];
  skipped: Record<string, string>;
  stages: Record<string, { fingerprint?: string; wall_seconds?: number }>;
}

describe('figures + report stages on the fixtures', () => {
  test('every out written; results, claims, README and HTML say what they should', async () => {
    const { publishDir: dir } = await buildFixtureReport(fresh(), { profile: 'quick' });
    for (const f of [...figureOutFiles(), 'index.html', 'README.md', 'results.json']) expect(statSync(join(dir, f)).size).toBeGreaterThan(0);

    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsJson;
    expect(r.profile).toBe('quick');
    expect(r.data).toMatchObject({ full_mnist: false, images: 10000 });
    expect(r.deep_vae.mnist.fixed.collapse_pct[0]).toBeGreaterThan(80);
    const status = Object.fromEntries(r.claims.map((c) => [c.id, c.status]));
    expect(status['lemma1-equality']).toBe('pass');
    expect(status['fig2-blue-falls-later']).toBe('pass');
    expect(status['table1-collapse-falls-with-sigma2']).toBe('pass');
    // No CelebA in the fixtures: those claims are skipped with the reason, not failed.
    expect(status['celeba-tuned-elbo-at-least-elbo']).toBe('skipped');
    expect(r.skipped['deep_vae.celeba']).toMatch(/CelebA/);
    // Durations are run facts: shown in the (volatile) README/HTML, never in results.json.
    expect(r.stages['deep-vae[sigma2=10,learn=false,seed=0]']).not.toHaveProperty('wall_seconds');
    // Fingerprints too are run provenance: in the pages, not in results.json.
    expect(r.stages.ppca).not.toHaveProperty('fingerprint');

    const md = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(md).toContain('```mermaid\ngraph LR');
    for (let n = 1; n <= 6; n++) expect(md).toContain(`(figure-${n}.png)`);
    expect(md).toContain('NOT full MNIST');
    expect(md).toMatch(/\| deep-vae\[sigma2=10,learn=false,seed=0\] \| `[0-9a-f]{16}` \| 12\.5 s \|/);
    expect(md).toMatch(/\| MNIST \| fixed \| 10 \| — \| — \| −1450\.3 ± 4\.2 \|/);

    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html.match(/<img class="figure" src="data:image\/svg\+xml;base64,/g)).toHaveLength(6);
    // Self-contained: nothing fetched from a network (the Vega-Lite $schema URL lives only in .vl.json).
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('aria-label="pipeline DAG"');
  });

  test('a skipped upstream stage becomes placeholder figures and skipped claims, with its reason', async () => {
    const why = 'no local copy of the data';
    const { publishDir: dir } = await buildFixtureReport(fresh(), { profile: 'smoke', skip: { table1: why, 'encoder-depth': why } });
    const manifest = JSON.parse(readFileSync(join(dir, 'figures.json'), 'utf8')) as { n: number; skipped?: string }[];
    expect(manifest.filter((f) => f.skipped).map((f) => f.n)).toEqual([4, 5, 6]);
    expect(manifest.find((f) => f.n === 5)?.skipped).toBe(`stage 'table1' skipped: ${why}`);
    expect(readFileSync(join(dir, 'figure-5.svg'), 'utf8')).toContain(`Skipped: stage 'table1' skipped: ${why}`);
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsJson;
    const byId = Object.fromEntries(r.claims.map((c) => [c.id, c]));
    expect(byId['table1-collapse-falls-with-sigma2'].status).toBe('skipped');
    expect(byId['fig4-linear-encoder-not-outperformed'].status).toBe('skipped');
    // smoke-profile skip from claims.yaml
    expect(byId['table1-learned-sigma2-narrow-band'].status).toBe('skipped');
    expect(byId['lemma1-equality'].status).toBe('pass');
    expect(existsSync(join(dir, 'figure-5.png'))).toBe(true);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain(`stage table1</b>: ${why}`);
  });
});
