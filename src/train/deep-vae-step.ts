// One Adam step of the deep Gaussian VAE on a mini-batch: −mean one-sample ELBO (eq. 10), its
// gradient for the weights (and log σ² when learned), a finiteness check, then the update.
// log σ² has its own Adam, with its own learning rate and β₂ = 0.9: its gradient
// (n/2)(‖x − D(z)‖²/(nσ²) − 1) is ~1e5 while σ² starts far below its optimum and O(1) later, and
// with the usual β₂ = 0.999 the memory of those first huge gradients shrinks Adam's step for
// ~1000 steps (measured: a σ² started at 1e-3 was still 0.02 after 936 steps at lr 0.03).
// The weights' Adam takes its β₂ from the params (0.99 in our profiles) for the same reason: with
// σ² learned from 1e-3 the weight gradients are ~10³ times larger during the first few hundred
// steps than once σ² has settled, and β₂ = 0.999 remembers them for ~10⁴ steps, freezing the
// network in its small-σ² state (measured on quick: learned σ² ended at 6.7 from init 1e-3 vs 2.3
// with β₂ = 0.99, and 2.3–2.9 from every other init).
import * as tf from '@tensorflow/tfjs-core';
import type { GaussianVae } from '../models/deep-vae.ts';
import { tfSeed } from '../tensor/rng.ts';
import { NonFiniteTrainingError } from './deep-vae-errors.ts';
import { createFusedAdam, type PendingAdamStep } from './fused-adam.ts';

/** β₂ of the log σ² optimiser (see the note at the top). */
export const SIGMA_BETA2 = 0.9;

export interface StepOptions {
  /** Initial learning rate of the weights (see setLearningRate). */
  lr: number;
  /** β₂ of the weights' Adam (default 0.999, tfjs's and the Adam paper's). */
  beta2?: number;
  /** Learning rate of log σ² (used only when σ² is learned). */
  lrLogSigma2: number;
  /** Instance id for error messages. */
  instance: string;
}

export interface StepResult {
  /** Mean one-sample ELBO of the batch (per example, nats). */
  elbo: number;
  /** max |∂loss/∂θ| over every trained variable (a max, not a squared norm, so it cannot overflow float32 by itself). */
  gradMaxAbs: number;
}

export interface TrainStep {
  /** Run one step on `x` [B, n]; `seed` seeds the reparameterisation noise. `step` is for errors. */
  run(x: tf.Tensor2D, seed: number, step: number): StepResult;
  /** The weights' learning rate from the next step on (log σ² keeps its own). */
  setLearningRate(lr: number): void;
  dispose(): void;
}

export function createTrainStep(model: GaussianVae, opts: StepOptions): TrainStep {
  const learn = model.config.learnSigma2;
  // tf.train.adam's arithmetic, bit for bit, in one pass per variable (src/train/fused-adam.ts)
  const weightOpt = createFusedAdam(opts.lr, 0.9, opts.beta2 ?? 0.999);
  const sigmaOpt = learn ? createFusedAdam(opts.lrLogSigma2, 0.9, SIGMA_BETA2) : null;
  const vars = learn ? [...model.weights, model.logSigma2] : model.weights;
  const latent = model.config.latent;

  return {
    run(x, seed, step) {
      const { value, grads } = tf.variableGrads(() => {
        const eps = tf.randomNormal([x.shape[0], latent], 0, 1, 'float32', tfSeed(seed)) as tf.Tensor2D;
        return tf.neg(tf.mean(model.elboTerms(x, eps).elbo)) as tf.Scalar;
      }, vars);
      const pending: PendingAdamStep[] = [];
      try {
        const loss = (value.dataSync() as Float32Array)[0];
        if (!Number.isFinite(loss)) throw new NonFiniteTrainingError('loss', step, model.sigma2(), opts.instance, loss);
        // Both steps are computed before either is applied: the pass that computes them also gives
        // max |g| (exact, cannot overflow), and a non-finite gradient must leave every variable as it was.
        pending.push(weightOpt.prepare(model.weights.map((variable) => ({ variable, gradient: grads[variable.name] }))));
        if (sigmaOpt && grads[model.logSigma2.name]) {
          pending.push(sigmaOpt.prepare([{ variable: model.logSigma2, gradient: grads[model.logSigma2.name] }]));
        }
        const gradMaxAbs = pending.reduce((max, p) => Math.max(max, p.gradMaxAbs), 0); // NaN stays NaN
        if (!Number.isFinite(gradMaxAbs)) throw new NonFiniteTrainingError('gradient', step, model.sigma2(), opts.instance, gradMaxAbs);
        for (const p of pending) p.apply();
        return { elbo: -loss, gradMaxAbs };
      } finally {
        for (const p of pending) p.discard();
        tf.dispose([value, ...Object.values(grads)]);
      }
    },
    setLearningRate(lr) {
      weightOpt.setLearningRate(lr);
    },
    dispose() {
      weightOpt.dispose();
      sigmaOpt?.dispose();
    },
  };
}
