// The training loop: seeded shuffles per epoch, fixed-size mini-batches (the last partial batch
// of an epoch is dropped so every step has the same shape), per-step noise seeds from the Rng.
import * as tf from '@tensorflow/tfjs-core';
import type { GaussianVae } from '../models/deep-vae.ts';
import { permutation, type Rng } from '../tensor/rng.ts';
import { createTrainStep } from './deep-vae-step.ts';
import { cosineLearningRate } from './lr-schedule.ts';

export interface TrainData {
  /** Row-major [rows, dim]. */
  values: Float32Array;
  rows: number;
  dim: number;
}

export interface CurvePoint {
  step: number;
  /** Mean mini-batch ELBO over the steps since the previous point (per example, nats). */
  elbo: number;
  sigma2: number;
}

export interface TrainOptions {
  batchSize: number;
  epochs: number;
  lr: number;
  /** Rate at the last step, reached by cosine decay from `lr` (default: `lr`, no decay). */
  finalLr?: number;
  /** β₂ of the weights' Adam (src/train/deep-vae-step.ts says why it is a param). */
  beta2?: number;
  lrLogSigma2: number;
  rng: Rng;
  instance: string;
  /** Record a curve point every this many steps (and at the last step). */
  logEvery?: number;
  onProgress?(point: CurvePoint, steps: number): void;
}

export interface TrainResult {
  steps: number;
  curve: CurvePoint[];
  seconds: number;
  examplesPerSecond: number;
}

export function stepsPerEpoch(rows: number, batchSize: number): number {
  return Math.max(1, Math.floor(rows / batchSize));
}

export function trainDeepVae(model: GaussianVae, data: TrainData, opts: TrainOptions): TrainResult {
  const batch = Math.min(opts.batchSize, data.rows);
  const perEpoch = stepsPerEpoch(data.rows, batch);
  const steps = Math.max(1, Math.round(opts.epochs * perEpoch));
  const logEvery = opts.logEvery ?? Math.max(1, Math.floor(steps / 100));
  const trainer = createTrainStep(model, { lr: opts.lr, beta2: opts.beta2, lrLogSigma2: opts.lrLogSigma2, instance: opts.instance });
  const finalLr = opts.finalLr ?? opts.lr;
  const X = tf.tensor2d(data.values, [data.rows, data.dim]);
  const curve: CurvePoint[] = [];
  const started = performance.now();
  let order = permutation(data.rows, opts.rng);
  let acc = 0;
  let accN = 0;
  try {
    for (let step = 1; step <= steps; step++) {
      const slot = (step - 1) % perEpoch;
      if (slot === 0 && step > 1) order = permutation(data.rows, opts.rng);
      const seed = opts.rng.seed32();
      trainer.setLearningRate(cosineLearningRate(step, steps, opts.lr, finalLr));
      const idx = tf.tensor1d(order.subarray(slot * batch, (slot + 1) * batch), 'int32');
      const xb = tf.gather(X, idx) as tf.Tensor2D;
      try {
        acc += trainer.run(xb, seed, step).elbo;
        accN++;
      } finally {
        tf.dispose([idx, xb]);
      }
      if (step % logEvery === 0 || step === steps) {
        const point = { step, elbo: acc / accN, sigma2: model.sigma2() };
        curve.push(point);
        opts.onProgress?.(point, steps);
        acc = 0;
        accN = 0;
      }
    }
  } finally {
    X.dispose();
    trainer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return { steps, curve, seconds, examplesPerSecond: (steps * batch) / seconds };
}
