// Full-batch Adam training of the linear VAE (eq. 9) on the analytic or the one-sample stochastic
// ELBO. Every step's graph lives inside tf.tidy (via optimizer.minimize), so the tensor count stays
// flat; the curve records the ANALYTIC ELBO of the current parameters (exact, from the moments)
// for both objectives, plus the value of the objective actually optimised.
// Used where the paper compares gradient training itself (Figure 3: stochastic vs analytic ELBO at
// the same rate; Figure 4 shares its rates). Figure 2 and the Theorem 1 / Corollary 1 checks use
// src/train/linear-vae-coordinate-ascent.ts instead: the ELBO is nearly flat along rotations of
// the decoder columns, and Adam from a small init reaches the MLE likelihood in ~1000 steps but
// leaves per-component |cos| with the principal components at 0.5–0.86 after 2000 steps.
import * as tf from '@tensorflow/tfjs-core';
import type { LinearVae, TfMoments } from '../models/linear-vae.ts';
import { analyticElboFromMoments, stochasticElbo } from '../models/linear-vae.ts';
import { GroupedAdam } from './grouped-adam.ts';

export type LinearObjective = 'analytic' | 'stochastic';

export interface LinearTrainOptions {
  steps: number;
  /** Adam's initial learning rate. */
  learningRate: number;
  /**
   * Learning rate at the last step; the rate decays geometrically from `learningRate` to this
   * (default: no decay). The problem is badly conditioned (covariance eigenvalues span ~4 decades
   * on logit MNIST), so a constant large rate oscillates and a constant small one crawls.
   */
  finalLearningRate?: number;
  /** Multiplier on the rate for the encoder V (see src/train/grouped-adam.ts; default 1). */
  encoderRateScale?: number;
  objective: LinearObjective;
  /** Record the curve every this many steps (and at step 0 and the last step). */
  evalEvery: number;
  /** Base seed of the reparameterisation noise (stochastic objective): step t uses seed + t. */
  seed: number;
  onProgress?: (fraction: number, note: string) => void;
}

export interface CurvePoint {
  step: number;
  /** Analytic ELBO of the parameters at this step (per-example mean, nats). */
  elbo: number;
  /** The optimised objective's value at this step (equals elbo for the analytic objective). */
  objective: number;
  sigma2: number;
}

export interface LinearTrainResult {
  curve: CurvePoint[];
  finalElbo: number;
  steps: number;
}

export interface LinearTrainData {
  moments: TfMoments;
  /** The data batch (N × n); required for the stochastic objective only. */
  x?: tf.Tensor2D;
}

export function trainLinearVae(vae: LinearVae, data: LinearTrainData, opts: LinearTrainOptions): LinearTrainResult {
  if (opts.objective === 'stochastic' && !data.x) throw new Error('stochastic ELBO training needs the data batch x');
  const optimizer = new GroupedAdam([
    { vars: [vae.wt, vae.logD, vae.mu, vae.logSigma2], rateScale: 1 },
    { vars: [vae.v], rateScale: opts.encoderRateScale ?? 1 },
  ]);
  const decay = Math.pow((opts.finalLearningRate ?? opts.learningRate) / opts.learningRate, 1 / Math.max(opts.steps - 1, 1));
  const curve: CurvePoint[] = [];
  const analytic = (): { elbo: number; sigma2: number } =>
    tf.tidy(() => ({ elbo: analyticElboFromMoments(vae, data.moments).elbo.dataSync()[0], sigma2: Math.exp(vae.logSigma2.dataSync()[0]) }));
  const loss = (step: number) => (): tf.Scalar =>
    tf.neg(opts.objective === 'analytic' ? analyticElboFromMoments(vae, data.moments).elbo : stochasticElbo(vae, data.x!, opts.seed + step).elbo);
  try {
    for (let step = 0; step < opts.steps; step++) {
      const record = step % opts.evalEvery === 0;
      // Evaluate BEFORE the update: step() returns the objective at the pre-update parameters.
      const before = record ? analytic() : null;
      const cost = optimizer.step(loss(step), opts.learningRate * Math.pow(decay, step), record);
      if (before && cost !== null) {
        const objective = -cost;
        if (!Number.isFinite(objective) || !Number.isFinite(before.elbo)) {
          throw new Error(`linear VAE training diverged at step ${step} (ELBO ${before.elbo}, objective ${objective}); lower the learning rate`);
        }
        curve.push({ step, elbo: before.elbo, objective, sigma2: before.sigma2 });
        opts.onProgress?.(step / opts.steps, `step ${step}: ELBO ${before.elbo.toFixed(2)}`);
      }
    }
  } finally {
    optimizer.dispose();
  }
  const last = analytic();
  const objective = opts.objective === 'analytic'
    ? last.elbo
    : tf.tidy(() => stochasticElbo(vae, data.x!, opts.seed + opts.steps).elbo.dataSync()[0]);
  curve.push({ step: opts.steps, elbo: last.elbo, objective, sigma2: last.sigma2 });
  return { curve, finalElbo: last.elbo, steps: opts.steps };
}

/**
 * Learning rates that do not depend on the data's units: with v̄ = tr(S)/n (mean per-pixel
 * variance), scaling x by c scales W and μ by c and V by 1/c, so W gets r·√v̄ and V gets r/√v̄
 * (an encoder multiplier of 1/v̄). r = 0.01 gives 0.03 and 0.0033 on logit-MNIST (v̄ ≈ 9.1).
 */
export function scaleAwareRates(traceCov: number, dim: number, relativeRate: number): { learningRate: number; encoderRateScale: number } {
  const meanVariance = traceCov / dim;
  if (!(meanVariance > 0)) throw new Error(`data has no variance (tr S = ${traceCov})`);
  return { learningRate: relativeRate * Math.sqrt(meanVariance), encoderRateScale: 1 / meanVariance };
}
