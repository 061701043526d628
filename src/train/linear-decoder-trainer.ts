// Full-batch Adam on the analytic ELBO of a linear decoder with any Gaussian encoder (Figure 4).
// With a linear decoder the expectation over q is closed form for every encoder (see
// linearDecoderElbo), so the only differences between runs are the encoders themselves.
import * as tf from '@tensorflow/tfjs-core';
import type { LinearVae } from '../models/linear-vae.ts';
import { linearDecoderElbo } from '../models/linear-vae.ts';
import type { GaussianEncoder } from '../models/mlp-encoder.ts';
import { GroupedAdam } from './grouped-adam.ts';
import type { CurvePoint } from './linear-vae-trainer.ts';

export interface DecoderTrainOptions {
  steps: number;
  learningRate: number;
  finalLearningRate?: number;
  /** Rate multiplier for the encoder's variables (except its baseRateVars, e.g. log D). */
  encoderRateScale: number;
  evalEvery: number;
  onProgress?: (fraction: number, note: string) => void;
}

/** `decoder` supplies W, μ and σ² (its own encoder variables are ignored unless `encoder` uses them). */
export function trainLinearDecoder(
  decoder: LinearVae,
  encoder: GaussianEncoder,
  x: tf.Tensor2D,
  opts: DecoderTrainOptions,
): { curve: CurvePoint[]; finalElbo: number } {
  const optimizer = new GroupedAdam([
    { vars: [decoder.wt, decoder.mu, decoder.logSigma2, ...encoder.baseRateVars], rateScale: 1 },
    { vars: encoder.vars.filter((v) => !encoder.baseRateVars.includes(v)), rateScale: opts.encoderRateScale },
  ]);
  const decay = Math.pow((opts.finalLearningRate ?? opts.learningRate) / opts.learningRate, 1 / Math.max(opts.steps - 1, 1));
  const elbo = (): tf.Scalar => {
    const { mean, logVar } = encoder.encode(x);
    return linearDecoderElbo(decoder, x, mean, logVar).elbo;
  };
  const curve: CurvePoint[] = [];
  const sigma2 = (): number => Math.exp(decoder.logSigma2.dataSync()[0]);
  try {
    for (let step = 0; step < opts.steps; step++) {
      const record = step % opts.evalEvery === 0;
      const cost = optimizer.step(() => tf.neg(elbo()), opts.learningRate * Math.pow(decay, step), record);
      if (cost !== null) {
        if (!Number.isFinite(cost)) throw new Error(`${encoder.name}: training diverged at step ${step} (ELBO ${-cost}); lower the learning rate`);
        curve.push({ step, elbo: -cost, objective: -cost, sigma2: sigma2() });
        opts.onProgress?.(step / opts.steps, `${encoder.name} step ${step}: ELBO ${(-cost).toFixed(2)}`);
      }
    }
  } finally {
    optimizer.dispose();
  }
  const finalElbo = tf.tidy(() => elbo().dataSync()[0]);
  curve.push({ step: opts.steps, elbo: finalElbo, objective: finalElbo, sigma2: sigma2() });
  return { curve, finalElbo };
}
