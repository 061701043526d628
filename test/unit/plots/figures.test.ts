import { describe, expect, test } from '@jest/globals';
import { compile } from 'vega-lite';
import { figure1Spec, panelTitle } from '../../../src/plots/figure-1.ts';
import { FIG2_SERIES, figure2Spec } from '../../../src/plots/figure-2.ts';
import { figure3Spec } from '../../../src/plots/figure-3.ts';
import { encoderOrder, figure4Spec } from '../../../src/plots/figure-4.ts';
import { collapseSpec } from '../../../src/plots/figure-collapse.ts';
import { renderFigure } from '../../../src/plots/render.ts';
import { measureText } from '../../../src/plots/text-metrics.ts';
import { PAPER_COLOURS } from '../../../src/plots/theme.ts';

const json = (x: unknown) => JSON.stringify(x);

describe('spec builders', () => {
  test('Figure 1: one panel per σ², titles say σ² and what is captured, stationary point marked', () => {
    const rows = [0, 1, 2].flatMap((panel) => [-1, 0, 1].flatMap((a) => [-1, 0, 1].map((b) => ({ panel, sigma2: [4, 2, 1][panel], a, b, delta_loglik: -(a * a + b * b) }))));
    const meta = { directions: [5, 7] as [number, number], panels: [{ sigma2: 4, captures: [false, false] as [boolean, boolean] }, { sigma2: 2, captures: [true, false] as [boolean, boolean] }, { sigma2: 1, captures: [true, true] as [boolean, boolean] }] };
    const spec = figure1Spec(rows, meta, { space: 'logit' }) as { hconcat: { title: string; layer: { data: { values: { a0: number; a1: number }[] } }[] }[] };
    expect(spec.hconcat.map((p) => p.title)).toEqual(['σ² = 4: neither u5 nor u7 captured', 'σ² = 2: u5 captured, u7 not', 'σ² = 1: both u5 and u7 captured']);
    expect(panelTitle(meta, { sigma2: 0.5, captures: [false, true] })).toBe('σ² = 0.5: u7 captured, u5 not');
    // Each cell spans half-way to its neighbours: a = 0 covers [-0.5, 0.5].
    expect(spec.hconcat[0].layer[0].data.values.find((v) => (v as unknown as { a: number }).a === 0)).toMatchObject({ a0: -0.5, a1: 0.5 });
    expect(json(spec)).toContain('stationary point');
    expect(json(spec)).toContain('nats, logit space');
    expect(() => compile(spec as never)).not.toThrow();
  });

  test('Figure 2: the paper\'s colours, red dashed, k_ref marked', () => {
    const ppca = [1, 2, 3].map((k) => ({ k, loglik_mle: -k, loglik_fixed_sigma2: -2 * k }));
    const spec = figure2Spec(ppca, [{ k: 2, elbo: -2.1 }], { kRef: 2 });
    const s = json(spec);
    expect(s).toContain(`"range":["${PAPER_COLOURS.mle}","${PAPER_COLOURS.elbo}","${PAPER_COLOURS.fixedSigma2}"]`);
    expect(s).toContain(`"domain":["${FIG2_SERIES.mle}","${FIG2_SERIES.elbo}","pPCA with σ² fixed at σ²_MLE(k = 2)"]`);
    expect(s).toContain('"range":[[1,0],[7,5],[1,0]]');
    expect((spec as { data: { values: unknown[] } }).data.values).toHaveLength(7);
    expect(() => compile(spec)).not.toThrow();
  });

  test('Figures 3 and 4: methods and encoders labelled, encoders ordered by depth', () => {
    expect(json(figure3Spec([{ step: 0, method: 'stochastic', elbo: 1 }]))).toContain('stochastic ELBO (1 sample)');
    expect(encoderOrder(['mlp-2', 'linear', 'mlp-10', 'mlp-1'])).toEqual(['linear', 'mlp-1', 'mlp-2', 'mlp-10']);
    const s = json(figure4Spec([{ step: 0, encoder: 'linear', elbo: -1 }], [{ encoder: 'linear', final_elbo: -1098.2 }]));
    expect(s).toContain('linear encoder (final −1098.2)');
  });

  test('Figures 5/6: learned vs fixed rows, log ε, lines ordered by σ² from largest', () => {
    const rows = [10, 0.1].flatMap((s) => [false, true].flatMap((learn) => [0, 0.01, 1].map((epsilon) => ({ sigma2_init: s, learn_sigma2: learn, epsilon, collapsed_pct_mean: s * 5 }))));
    const spec = collapseSpec(rows, { learned: true }) as { title: { text: string }; data: { values: { epsilon: number }[] } };
    expect(spec.title.text).toContain('Figure 6');
    // ε = 0 cannot sit on a log axis: dropped.
    expect(spec.data.values.map((v) => v.epsilon)).toEqual([0.01, 1, 0.01, 1]);
    const s = json(spec);
    expect(s).toContain('"type":"log"');
    expect(s).toContain('"domain":["σ² init 10","σ² init 0.1"]');
    expect(json(collapseSpec(rows, { learned: false }))).toContain('Figure 5');
  });
});

describe('rendering', () => {
  test('text is measured with DejaVu metrics (not 0.8 em per character)', () => {
    const w = measureText('log-likelihood', 12);
    expect(w).toBeGreaterThan(50);
    expect(w).toBeLessThan(0.8 * 12 * 14);
    expect(measureText('log-likelihood', 12, true)).toBeGreaterThan(w);
    expect(measureText('σ²', 12)).toBeGreaterThan(0);
  });

  test('SVG and PNG from a spec; same spec, same bytes', async () => {
    const spec = figure3Spec([0, 1, 2].flatMap((step) => [{ step, method: 'analytic', elbo: step }, { step, method: 'stochastic', elbo: step - 1 }]));
    const a = await renderFigure('t', spec);
    const b = await renderFigure('t', spec);
    expect(a.svg).toContain('Figure 3: stochastic vs analytic ELBO training');
    expect(a.svg).toContain('DejaVu Sans');
    expect(a.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(a.width).toBeGreaterThan(600);
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.svg).toBe(b.svg);
  });
});
