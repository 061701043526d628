// Metrics of a trained deep VAE on the training set (paper Table 1, Figures 5–6): one
// reparameterised sample per example (seeded), the ELBO at the model's σ², the closed-form
// σ²* = E‖x − D(z)‖²/n and the ELBO there (from the SAME sample, so tuned ≥ final by
// construction), (ε,δ)-collapse from the exact per-example KLs, and active units.
import * as tf from '@tensorflow/tfjs-core';
import { countActiveUnits, MeanVarianceAccumulator } from '../metrics/active-units.ts';
import { collapseCurve, collapsedPercent, collapseThresholds, DEFAULT_DELTA, defaultEpsilonGrid, type CollapsePoint } from '../metrics/collapse.ts';
import { klPerDim } from '../metrics/gaussian-kl.ts';
import { perDimMeans, perDimQuantiles } from '../metrics/kl-summary.ts';
import { gaussianElbo, tunedElbo } from '../metrics/sigma2-tuning.ts';
import type { GaussianVae } from '../models/deep-vae.ts';
import { tfSeed } from '../tensor/rng.ts';
import type { TrainData } from './deep-vae-train.ts';

export interface EvaluateOptions {
  seed: number;
  batchSize?: number;
  delta?: number;
  /** ε at which collapse_pct is reported (Table 1: 0.01). */
  epsilon?: number;
  epsilons?: number[];
}

export interface DeepVaeEvaluation {
  rows: number;
  sigma2: number;
  /** Mean one-sample ELBO at the model's σ² (per example, nats, the data's space). */
  elbo: number;
  meanKl: number;
  meanSquaredError: number;
  tunedSigma2: number;
  tunedElbo: number;
  collapsePct: number;
  activeUnits: number;
  collapseCurve: CollapsePoint[];
  /** Per latent dimension: the (ε,δ) threshold, mean KL, Var_x(μ), KL quantiles [latent, probs]. */
  klThresholds: Float64Array;
  klMeanPerDim: Float64Array;
  muVariance: Float64Array;
  klQuantiles: Float32Array;
}

export function evaluateDeepVae(model: GaussianVae, data: TrainData, opts: EvaluateOptions): DeepVaeEvaluation {
  const { latent } = model.config;
  const batch = opts.batchSize ?? 1000;
  const kl = new Float32Array(data.rows * latent);
  const muStats = new MeanVarianceAccumulator(latent);
  let sse = 0;
  for (let start = 0, b = 0; start < data.rows; start += batch, b++) {
    const rows = Math.min(batch, data.rows - start);
    const [mu, logVar, err] = tf.tidy(() => {
      const x = tf.tensor2d(data.values.subarray(start * data.dim, (start + rows) * data.dim), [rows, data.dim]);
      const q = model.encode(x);
      // A fixed seed per batch index: the evaluation is a pure function of (model, data, seed).
      const eps = tf.randomNormal([rows, latent], 0, 1, 'float32', tfSeed((opts.seed + b * 7919) >>> 0));
      const z = tf.add(q.mu, tf.mul(tf.exp(tf.mul(q.logVar, 0.5)), eps)) as tf.Tensor2D;
      return [q.mu, q.logVar, tf.sum(tf.squaredDifference(x, model.decode(z)))];
    });
    const muValues = mu.dataSync() as Float32Array;
    klPerDim(muValues, logVar.dataSync() as Float32Array, kl.subarray(start * latent, (start + rows) * latent));
    muStats.add(muValues, rows);
    sse += (err.dataSync() as Float32Array)[0];
    tf.dispose([mu, logVar, err]);
  }
  let klSum = 0;
  for (let i = 0; i < kl.length; i++) klSum += kl[i];
  const pieces = { meanSquaredError: sse / data.rows, meanKl: klSum / data.rows, dim: data.dim };
  const sigma2 = model.sigma2();
  const tuned = tunedElbo(pieces);
  const delta = opts.delta ?? DEFAULT_DELTA;
  const thresholds = collapseThresholds(kl, data.rows, latent, delta);
  const muVariance = muStats.variance();
  return {
    rows: data.rows,
    sigma2,
    elbo: gaussianElbo(pieces, sigma2),
    meanKl: pieces.meanKl,
    meanSquaredError: pieces.meanSquaredError,
    tunedSigma2: tuned.sigma2,
    tunedElbo: tuned.elbo,
    collapsePct: collapsedPercent(thresholds, opts.epsilon ?? 0.01),
    activeUnits: countActiveUnits(muVariance),
    collapseCurve: collapseCurve(thresholds, opts.epsilons ?? defaultEpsilonGrid()),
    klThresholds: thresholds,
    klMeanPerDim: perDimMeans(kl, data.rows, latent),
    muVariance,
    klQuantiles: perDimQuantiles(kl, data.rows, latent),
  };
}
