// Figure 4: a linear decoder trained with encoders of growing depth (linear = eq. 9, then MLPs with
// 1, 2, … ReLU hidden layers), all on the analytic ELBO (closed form for any Gaussian encoder
// with a linear decoder), same decoder init and schedule.
import * as aq from 'arquero';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { createLinearVae, disposeLinearVae } from '../src/models/linear-vae.ts';
import { linearEncoder, mlpEncoder } from '../src/models/mlp-encoder.ts';
import { scaleAwareRates } from '../src/train/linear-vae-trainer.ts';
import { trainLinearDecoder } from '../src/train/linear-decoder-trainer.ts';
import {
  field, isIntList, isPositive, isPositiveInt, provenance, readSubset, stageBackend, subsetMoments, subsetTensor,
} from '../src/train/linear-stage-support.ts';

export async function run(ctx: StageContext): Promise<void> {
  const k = field<number>(ctx, 'encoder_depth', 'k', isPositiveInt, 'a positive integer');
  const depths = field<number[]>(ctx, 'encoder_depth', 'depths', isIntList, 'a list of hidden-layer counts (0 = linear)');
  const hidden = field<number>(ctx, 'encoder_depth', 'hidden', isPositiveInt, 'a positive integer');
  const steps = field<number>(ctx, 'encoder_depth', 'steps', isPositiveInt, 'a positive integer');
  const lr = field<number>(ctx, 'encoder_depth', 'lr', isPositive, 'a positive number');
  const finalLr = field<number>(ctx, 'encoder_depth', 'final_lr', isPositive, 'a positive number');
  const initScale = field<number>(ctx, 'encoder_depth', 'init_scale', isPositive, 'a positive number');
  const evalEvery = field<number>(ctx, 'encoder_depth', 'eval_every', isPositiveInt, 'a positive integer');

  const backend = await stageBackend(ctx);
  const subset = readSubset(ctx);
  const moments = subsetMoments(subset);
  const n = moments.dim;
  const traceCov = moments.cov.trace();
  const x = subsetTensor(subset);
  const rates = scaleAwareRates(traceCov, n, lr);
  const curves: { step: number; encoder: string; elbo: number }[] = [];
  const finals: { encoder: string; final_elbo: number; final_sigma2: number }[] = [];
  depths.forEach((depth, e) => {
    const decoder = createLinearVae({ dim: n, latent: k, seed: ctx.seed, initScale, sigma2Init: traceCov / n, mu: moments.mean });
    const encoder = depth === 0
      ? linearEncoder(decoder)
      : mlpEncoder({ dim: n, latent: k, hidden: Array(depth).fill(hidden), seed: ctx.seed + depth, center: moments.mean, scale: Math.sqrt(traceCov / n) });
    // MLP weights act on standardised inputs (unit scale): they take the relative rate itself.
    const encoderRateScale = depth === 0 ? rates.encoderRateScale : lr / rates.learningRate;
    const r = trainLinearDecoder(decoder, encoder, x, {
      steps, learningRate: rates.learningRate, finalLearningRate: rates.learningRate * (finalLr / lr), encoderRateScale, evalEvery,
      onProgress: (f, note) => ctx.progress((e + f) / depths.length, note),
    });
    for (const c of r.curve) curves.push({ step: c.step, encoder: encoder.name, elbo: c.elbo });
    finals.push({ encoder: encoder.name, final_elbo: r.finalElbo, final_sigma2: r.curve[r.curve.length - 1].sigma2 });
    encoder.dispose();
    disposeLinearVae(decoder);
  });
  x.dispose();
  writeFileAtomic(ctx.out('curves'), aq.from(curves).toCSV());
  writeFileAtomic(ctx.out('final'), aq.from(finals).toCSV());
  writeJsonAtomic(ctx.out('meta'), {
    k, depths, hidden, steps, finals,
    learning_rate: { decoder: rates.learningRate, linear_encoder: rates.learningRate * rates.encoderRateScale, mlp_encoder: lr, final_fraction: finalLr / lr },
    provenance: provenance(ctx, subset, backend),
  });
}
