// The tfjs linear VAE: the moment form of the analytic ELBO equals the data form, the generic
// linear-decoder ELBO agrees, parameters round-trip, and training does not leak tensors.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { dataMoments } from '../../../src/models/ppca.ts';
import {
  analyticElboFromData, analyticElboFromMoments, createLinearVae, disposeLinearVae, exportLinearVae, linearVaeFromParams, tfMoments,
  type LinearVae, type TfMoments,
} from '../../../src/models/linear-vae.ts';
import { linearEncoder, mlpEncoder } from '../../../src/models/mlp-encoder.ts';
import { trainLinearVae, scaleAwareRates } from '../../../src/train/linear-vae-trainer.ts';
import { trainLinearDecoder } from '../../../src/train/linear-decoder-trainer.ts';
import { initBackend } from '../../../src/tensor/backend.ts';
import { loadMnistPackageSubset } from '../../helpers/mnist-package-subset.ts';

let x: tf.Tensor2D;
let moments: TfMoments;
let vae: LinearVae;
let traceCov: number;
let mean: Float64Array;

beforeAll(async () => {
  await initBackend('auto');
  const s = loadMnistPackageSubset({ size: 200, seed: 3 });
  const m = dataMoments(s.data, s.rows, s.cols);
  mean = m.mean;
  moments = tfMoments(m.mean, m.cov.to1DArray(), s.cols, s.rows);
  traceCov = moments.traceCov;
  x = tf.tensor2d(s.data, [s.rows, s.cols]);
  vae = createLinearVae({ dim: s.cols, latent: 6, seed: 1, initScale: 0.05, sigma2Init: 3, mu: Array.from(m.mean, (v) => v + 0.2) });
});

afterAll(() => {
  disposeLinearVae(vae);
  for (const t of [x, moments.mean, moments.cov]) t.dispose();
});

test('analytic ELBO: moment form == data form (all three terms)', () => {
  const [a, b] = tf.tidy(() => [analyticElboFromMoments(vae, moments), analyticElboFromData(vae, x)].map((t) => [t.elbo, t.reconstruction, t.kl].map((s) => s.dataSync()[0])));
  for (let i = 0; i < 3; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i])));
  expect(a[0]).toBeCloseTo(a[1] - a[2], 2);
});

test('seeded init is reproducible and export → import round-trips', () => {
  const again = createLinearVae({ dim: vae.dim, latent: 6, seed: 1, initScale: 0.05, sigma2Init: 3 });
  expect(Array.from(again.wt.dataSync())).toEqual(Array.from(vae.wt.dataSync()));
  disposeLinearVae(again);
  const p = exportLinearVae(vae);
  expect(p.w).toHaveLength(vae.dim * 6);
  const copy = linearVaeFromParams(p);
  const [e1, e2] = tf.tidy(() => [analyticElboFromMoments(vae, moments).elbo.dataSync()[0], analyticElboFromMoments(copy, moments).elbo.dataSync()[0]]);
  expect(e2).toBeCloseTo(e1, 2);
  disposeLinearVae(copy);
});

test('analytic training increases the ELBO and keeps the tensor count flat', () => {
  const rates = scaleAwareRates(traceCov, vae.dim, 0.01);
  const model = createLinearVae({ dim: vae.dim, latent: 3, seed: 2, initScale: 0.01, sigma2Init: traceCov / vae.dim, mu: mean });
  trainLinearVae(model, { moments }, { steps: 3, learningRate: rates.learningRate, encoderRateScale: rates.encoderRateScale, objective: 'analytic', evalEvery: 1, seed: 0 });
  const before = tf.memory().numTensors;
  const r = trainLinearVae(model, { moments, x }, { steps: 60, learningRate: rates.learningRate, encoderRateScale: rates.encoderRateScale, objective: 'stochastic', evalEvery: 20, seed: 0 });
  expect(tf.memory().numTensors).toBe(before);
  expect(r.curve.map((p) => p.step)).toEqual([0, 20, 40, 60]);
  expect(r.curve[3].elbo).toBeGreaterThan(r.curve[0].elbo);
  disposeLinearVae(model);
});

test('linear and MLP encoders with a linear decoder: training improves the ELBO without leaking', () => {
  const rates = scaleAwareRates(traceCov, vae.dim, 0.01);
  for (const hidden of [[], [16]]) {
    const decoder = createLinearVae({ dim: vae.dim, latent: 3, seed: 4, initScale: 0.01, sigma2Init: traceCov / vae.dim, mu: mean });
    const encoder = hidden.length === 0 ? linearEncoder(decoder) : mlpEncoder({ dim: vae.dim, latent: 3, hidden, seed: 5, center: mean, scale: Math.sqrt(traceCov / vae.dim) });
    const before = tf.memory().numTensors;
    const r = trainLinearDecoder(decoder, encoder, x, {
      steps: 40, learningRate: rates.learningRate, encoderRateScale: hidden.length === 0 ? rates.encoderRateScale : 0.01 / rates.learningRate, evalEvery: 20,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.finalElbo).toBeGreaterThan(r.curve[0].elbo);
    encoder.dispose();
    disposeLinearVae(decoder);
  }
});
