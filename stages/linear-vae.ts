// One linear VAE (eq. 9) per k (matrix), trained full batch with Adam on the analytic ELBO from a
// small random init; compared with the pPCA MLE for that k (Figure 2's red dashed curve).
import * as aq from 'arquero';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.ts';
import { readNpy, writeNpy } from '../src/io/npy.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { maxLogLikelihood, sigma2Mle } from '../src/models/ppca.ts';
import { createLinearVae, disposeLinearVae, exportLinearVae } from '../src/models/linear-vae.ts';
import { scaleAwareRates, trainLinearVae } from '../src/train/linear-vae-trainer.ts';
import { maxAbsCosinePerComponent } from '../src/metrics/decoder-alignment.ts';
import { field, isPositive, isPositiveInt, provenance, readSubset, stageBackend, subsetMoments, toTfMoments } from '../src/train/linear-stage-support.ts';

export async function run(ctx: StageContext): Promise<void> {
  const k = ctx.param<number>('k');
  if (!Number.isInteger(k) || k < 1) throw new Error(`stage '${ctx.id}': matrix value k must be a positive integer, found ${k}`);
  const steps = field<number>(ctx, 'linear_vae', 'steps', isPositiveInt, 'a positive integer');
  const lr = field<number>(ctx, 'linear_vae', 'lr', isPositive, 'a positive number');
  const finalLr = field<number>(ctx, 'linear_vae', 'final_lr', isPositive, 'a positive number');
  const initScale = field<number>(ctx, 'linear_vae', 'init_scale', isPositive, 'a positive number');
  const evalEvery = field<number>(ctx, 'linear_vae', 'eval_every', isPositiveInt, 'a positive integer');

  const backend = await stageBackend(ctx);
  const subset = readSubset(ctx);
  const moments = subsetMoments(subset);
  const n = moments.dim;
  if (k >= n) throw new Error(`stage '${ctx.id}': k = ${k} must be below the data dimension ${n}`);
  const eigenvalues = readNpy(ctx.input('ppca').outs.eigenvalues).data as Float64Array;
  const components = readNpy(ctx.input('ppca').outs.components).data as Float64Array;
  const tm = toTfMoments(moments);
  let traceCov = 0;
  for (let i = 0; i < n; i++) traceCov += moments.cov.get(i, i);
  const rates = scaleAwareRates(traceCov, n, lr);
  // σ² starts at tr(S)/n, the k = 0 MLE: every direction with λ_i above it is unstable from the start.
  const vae = createLinearVae({ dim: n, latent: k, seed: ctx.seed, initScale, sigma2Init: traceCov / n, mu: moments.mean });
  const result = trainLinearVae(vae, { moments: tm }, {
    steps, learningRate: rates.learningRate, finalLearningRate: rates.learningRate * (finalLr / lr),
    encoderRateScale: rates.encoderRateScale, objective: 'analytic', evalEvery, seed: ctx.seed,
    onProgress: (f, note) => ctx.progress(f, note),
  });
  const p = exportLinearVae(vae);
  disposeLinearVae(vae);
  tm.mean.dispose();
  tm.cov.dispose();

  writeNpy(ctx.out('W'), { data: p.w, shape: [n, k] });
  writeNpy(ctx.out('V'), { data: p.v, shape: [k, n] });
  writeNpy(ctx.out('logD'), { data: p.logD, shape: [k] });
  writeNpy(ctx.out('mu'), { data: p.mu, shape: [n] });
  writeNpy(ctx.out('sigma2'), { data: Float32Array.of(p.sigma2), shape: [1] });
  writeFileAtomic(ctx.out('curve'), aq.from(result.curve.map((c) => ({ step: c.step, elbo: c.elbo, sigma2: c.sigma2 }))).toCSV());
  const mle = maxLogLikelihood(eigenvalues, k);
  writeJsonAtomic(ctx.out('metrics'), {
    k,
    elbo: result.finalElbo,
    ppca_mle_loglik: mle,
    gap_rel: (mle - result.finalElbo) / Math.abs(mle),
    sigma2: p.sigma2,
    sigma2_mle: sigma2Mle(eigenvalues, k),
    steps,
    learning_rate: { decoder: rates.learningRate, encoder: rates.learningRate * rates.encoderRateScale, final_fraction: finalLr / lr },
    max_abs_cosine_per_component: maxAbsCosinePerComponent(p.w, n, k, components),
    provenance: provenance(ctx, subset, backend),
  });
}
