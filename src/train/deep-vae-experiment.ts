// One sweep instance end to end: build the model, train, evaluate, and assemble the metrics
// record of docs/artifacts.md (deep-vae). Shared by the MNIST (MLP) and CelebA (conv) stages.
import type { GaussianVae } from '../models/deep-vae.ts';
import type { Rng } from '../tensor/rng.ts';
import { evaluateDeepVae, type DeepVaeEvaluation } from './deep-vae-evaluate.ts';
import { trainDeepVae, type CurvePoint, type TrainData, type TrainResult } from './deep-vae-train.ts';

export interface ExperimentOptions {
  instance: string;
  batchSize: number;
  epochs: number;
  lr: number;
  finalLr: number;
  beta2: number;
  lrLogSigma2: number;
  rng: Rng;
  /** Mean per-image log|det dy/dx| of the rows used (0 in pixel space): ELBO_pixel = ELBO + this. */
  meanLogdet: number;
  epsilon?: number;
  delta?: number;
  onProgress?(fraction: number, note: string): void;
}

export interface ExperimentResult {
  train: TrainResult;
  evaluation: DeepVaeEvaluation;
  metrics: Record<string, number | boolean | string>;
}

export class NonFiniteMetricError extends Error {
  constructor(instance: string, field: string, value: number) {
    super(`${instance}: metric '${field}' is ${value}; refusing to write a metrics file holding non-finite numbers`);
    this.name = 'NonFiniteMetricError';
  }
}

export function runExperiment(model: GaussianVae, data: TrainData, o: ExperimentOptions): ExperimentResult {
  const train = trainDeepVae(model, data, {
    batchSize: o.batchSize,
    epochs: o.epochs,
    lr: o.lr,
    finalLr: o.finalLr,
    beta2: o.beta2,
    lrLogSigma2: o.lrLogSigma2,
    rng: o.rng,
    instance: o.instance,
    onProgress: (p: CurvePoint, steps: number) =>
      o.onProgress?.(0.9 * (p.step / steps), `step ${p.step}/${steps} ELBO ${p.elbo.toFixed(1)} σ² ${p.sigma2.toPrecision(4)}`),
  });
  o.onProgress?.(0.9, 'evaluating on the training set');
  const evaluation = evaluateDeepVae(model, data, { seed: o.rng.seed32(), epsilon: o.epsilon, delta: o.delta });
  const metrics: Record<string, number | boolean | string> = {
    sigma2_init: model.config.sigma2Init,
    learn_sigma2: model.config.learnSigma2,
    final_sigma2: evaluation.sigma2,
    elbo: evaluation.elbo,
    elbo_pixel: evaluation.elbo + o.meanLogdet,
    tuned_sigma2: evaluation.tunedSigma2,
    tuned_elbo: evaluation.tunedElbo,
    tuned_elbo_pixel: evaluation.tunedElbo + o.meanLogdet,
    mean_squared_error: evaluation.meanSquaredError,
    collapse_pct: evaluation.collapsePct,
    epsilon: o.epsilon ?? 0.01,
    delta: o.delta ?? 0.01,
    kl_total: evaluation.meanKl,
    active_units: evaluation.activeUnits,
    latent: model.config.latent,
    rows: evaluation.rows,
    steps: train.steps,
    last_train_elbo: train.curve[train.curve.length - 1]?.elbo ?? Number.NaN,
    // No timings here: metrics.json must be byte-identical on a rerun (early cutoff, repro:check).
    // Speed is logged by the stage and measured by `npm run bench`.
  };
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new NonFiniteMetricError(o.instance, k, v);
  }
  return { train, evaluation, metrics };
}
