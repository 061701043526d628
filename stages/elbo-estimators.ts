// Figure 3: the same linear VAE (same init, same learning rate) trained on the analytic ELBO and
// on the one-sample reparameterised ELBO; the curve is the analytic ELBO of the parameters.
import * as aq from 'arquero';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { createLinearVae, disposeLinearVae } from '../src/models/linear-vae.ts';
import { scaleAwareRates, trainLinearVae, type LinearObjective } from '../src/train/linear-vae-trainer.ts';
import {
  field, isPositive, isPositiveInt, provenance, readSubset, stageBackend, subsetMoments, subsetTensor, toTfMoments,
} from '../src/train/linear-stage-support.ts';

export async function run(ctx: StageContext): Promise<void> {
  const k = field<number>(ctx, 'elbo_estimators', 'k', isPositiveInt, 'a positive integer');
  const steps = field<number>(ctx, 'elbo_estimators', 'steps', isPositiveInt, 'a positive integer');
  const lr = field<number>(ctx, 'elbo_estimators', 'lr', isPositive, 'a positive number');
  const finalLr = field<number>(ctx, 'elbo_estimators', 'final_lr', isPositive, 'a positive number');
  const initScale = field<number>(ctx, 'elbo_estimators', 'init_scale', isPositive, 'a positive number');
  const evalEvery = field<number>(ctx, 'elbo_estimators', 'eval_every', isPositiveInt, 'a positive integer');

  const backend = await stageBackend(ctx);
  const subset = readSubset(ctx);
  const moments = subsetMoments(subset);
  const n = moments.dim;
  const tm = toTfMoments(moments);
  const x = subsetTensor(subset);
  const rates = scaleAwareRates(moments.cov.trace(), n, lr);
  const rows: { step: number; method: LinearObjective; elbo: number; objective: number }[] = [];
  const finals: Record<string, number> = {};
  const methods: LinearObjective[] = ['analytic', 'stochastic'];
  methods.forEach((method, m) => {
    const vae = createLinearVae({ dim: n, latent: k, seed: ctx.seed, initScale, sigma2Init: moments.cov.trace() / n, mu: moments.mean });
    const r = trainLinearVae(vae, { moments: tm, x }, {
      steps, learningRate: rates.learningRate, finalLearningRate: rates.learningRate * (finalLr / lr),
      encoderRateScale: rates.encoderRateScale, objective: method, evalEvery, seed: ctx.seed,
      onProgress: (f, note) => ctx.progress((m + f) / methods.length, `${method}: ${note}`),
    });
    for (const c of r.curve) rows.push({ step: c.step, method, elbo: c.elbo, objective: c.objective });
    finals[method] = r.finalElbo;
    disposeLinearVae(vae);
  });
  x.dispose();
  tm.mean.dispose();
  tm.cov.dispose();
  writeFileAtomic(ctx.out('curves'), aq.from(rows).toCSV());
  writeJsonAtomic(ctx.out('meta'), {
    k, steps, final_elbo: finals,
    learning_rate: { decoder: rates.learningRate, encoder: rates.learningRate * rates.encoderRateScale, final_fraction: finalLr / lr },
    note: 'elbo = analytic ELBO of the current parameters (both methods); objective = the value optimised at that step',
    provenance: provenance(ctx, subset, backend),
  });
}
