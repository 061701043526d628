import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { createDeepVae } from '../../../src/models/deep-vae.ts';
import { initBackend } from '../../../src/tensor/backend.ts';
import { createRng } from '../../../src/tensor/rng.ts';
import { NonFiniteTrainingError } from '../../../src/train/deep-vae-errors.ts';
import { inputStandardisation } from '../../../src/train/deep-vae-data.ts';
import { evaluateDeepVae } from '../../../src/train/deep-vae-evaluate.ts';
import { createTrainStep } from '../../../src/train/deep-vae-step.ts';
import { trainDeepVae, type TrainData } from '../../../src/train/deep-vae-train.ts';

const N_IN = 12;
const LATENT = 4;

/** Rank-2 data plus noise: something a VAE can compress. */
function syntheticData(rows: number, seed: number): TrainData {
  const rng = createRng(seed);
  const basis = Array.from({ length: 2 }, () => Array.from({ length: N_IN }, () => rng.normal()));
  const values = new Float32Array(rows * N_IN);
  for (let r = 0; r < rows; r++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let j = 0; j < N_IN; j++) values[r * N_IN + j] = 2 * a * basis[0][j] + b * basis[1][j] + 0.1 * rng.normal();
  }
  return { values, rows, dim: N_IN };
}

const config = (sigma2Init: number, learnSigma2: boolean) => ({ inputDim: N_IN, hidden: 16, latent: LATENT, sigma2Init, learnSigma2 });

beforeAll(async () => {
  await initBackend('wasm');
});

describe('deep Gaussian VAE', () => {
  it('assembles eq. 10 from μ, log σ²_q, the sample and D(z)', () => {
    const model = createDeepVae(config(0.5, false), createRng(1));
    const data = syntheticData(5, 2);
    const x = tf.tensor2d(data.values, [5, N_IN]);
    const eps = tf.randomNormal([5, LATENT], 0, 1, 'float32', 3) as tf.Tensor2D;
    const terms = model.elboTerms(x, eps);
    const { mu, logVar } = model.encode(x);
    const muV = mu.dataSync();
    const lvV = logVar.dataSync();
    const epsV = eps.dataSync();
    const z = tf.tensor2d(Array.from(muV, (m, i) => m + Math.exp(0.5 * lvV[i]) * epsV[i]), [5, LATENT]);
    const xhat = model.decode(z).dataSync();
    const elbo = terms.elbo.dataSync();
    for (let r = 0; r < 5; r++) {
      let kl = 0;
      for (let d = 0; d < LATENT; d++) {
        const i = r * LATENT + d;
        kl += 0.5 * (muV[i] ** 2 + Math.exp(lvV[i]) - 1 - lvV[i]);
      }
      let sse = 0;
      for (let j = 0; j < N_IN; j++) sse += (data.values[r * N_IN + j] - xhat[r * N_IN + j]) ** 2;
      const expected = -kl - sse / (2 * 0.5) - 0.5 * N_IN * Math.log(2 * Math.PI * 0.5);
      expect(elbo[r]).toBeCloseTo(expected, 2);
    }
    tf.dispose([x, eps, mu, logVar, z, terms.elbo, terms.kl, terms.sse]);
    model.dispose();
  });

  it('standardises the encoder input: (x − mean)·scale into an otherwise identical encoder', () => {
    const data = syntheticData(6, 13);
    const standardisation = inputStandardisation(data);
    const withMap = createDeepVae({ ...config(1, false), inputStandardisation: standardisation }, createRng(14));
    const plain = createDeepVae(config(1, false), createRng(14));
    const scaled = Float32Array.from(data.values, (v, i) => (v - standardisation.center[i % N_IN]) / standardisation.scale);
    const a = tf.tidy(() => withMap.encode(tf.tensor2d(data.values, [6, N_IN])).mu.dataSync());
    const b = tf.tidy(() => plain.encode(tf.tensor2d(scaled, [6, N_IN])).mu.dataSync());
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
    withMap.dispose();
    plain.dispose();
  });

  it('computes the standardisation as per-coordinate means and one global std', () => {
    // rows (1, 10) and (3, 14): means (2, 12); deviations ±1 and ±2 → global variance (1+1+4+4)/4
    const s = inputStandardisation({ values: Float32Array.from([1, 10, 3, 14]), rows: 2, dim: 2 });
    expect(Array.from(s.center)).toEqual([2, 12]);
    expect(s.scale).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(() => inputStandardisation({ values: Float32Array.from([5, 5, 5, 5]), rows: 2, dim: 2 })).toThrow(/constant/);
    expect(() => createDeepVae({ ...config(1, false), inputStandardisation: s }, createRng(1))).toThrow(/2 centers for 12 inputs/);
  });

  it('takes the learning rate set between steps: at rate 0 the weights stay put', () => {
    const model = createDeepVae(config(1, false), createRng(15));
    const step = createTrainStep(model, { lr: 1e-2, beta2: 0.99, lrLogSigma2: 1e-2, instance: 'test' });
    const x = tf.tensor2d(syntheticData(16, 16).values, [16, N_IN]);
    const weightsNow = () => model.weights.map((w) => Array.from(w.dataSync()));
    const before = weightsNow();
    step.setLearningRate(0);
    step.run(x, 1, 1);
    expect(weightsNow()).toEqual(before);
    step.setLearningRate(1e-2);
    step.run(x, 2, 2);
    expect(weightsNow()).not.toEqual(before);
    step.dispose();
    model.dispose();
    x.dispose();
  });

  it('keeps the tensor count constant across training steps', () => {
    const model = createDeepVae(config(1, true), createRng(4));
    const step = createTrainStep(model, { lr: 1e-3, lrLogSigma2: 1e-2, instance: 'test' });
    const x = tf.tensor2d(syntheticData(32, 5).values, [32, N_IN]);
    step.run(x, 1, 1); // creates the Adam slots
    const after1 = tf.memory().numTensors;
    for (let s = 2; s <= 6; s++) step.run(x, s, s);
    expect(tf.memory().numTensors).toBe(after1);
    step.dispose();
    model.dispose();
    x.dispose();
  });

  it('stops with a typed error naming the step, σ² and instance on a NaN loss', () => {
    const model = createDeepVae(config(0.01, false), createRng(6));
    const step = createTrainStep(model, { lr: 1e-3, lrLogSigma2: 1e-2, instance: 'deep-vae[sigma2=0.01,learn=false,seed=0]' });
    const values = syntheticData(8, 7).values;
    values[3] = Number.NaN;
    const x = tf.tensor2d(values, [8, N_IN]);
    const before = tf.memory().numTensors;
    let caught: unknown;
    try {
      step.run(x, 1, 17);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(NonFiniteTrainingError);
    expect((caught as Error).message).toMatch(/deep-vae\[sigma2=0\.01,learn=false,seed=0\].*loss.*step 17.*σ² = 0\.0100000/);
    expect(tf.memory().numTensors).toBe(before);
    step.dispose();
    model.dispose();
    x.dispose();
  });

  const trainOnce = (sigma2Init: number, learn: boolean, epochs = 8, lrLogSigma2 = 0.05) => {
    const data = syntheticData(256, 8);
    const rng = createRng(9);
    const model = createDeepVae(config(sigma2Init, learn), rng);
    const result = trainDeepVae(model, data, { batchSize: 32, epochs, lr: 3e-3, lrLogSigma2, rng, instance: 't', logEvery: 8 });
    const evaluation = evaluateDeepVae(model, data, { seed: 11, batchSize: 100 });
    model.dispose();
    return { result, evaluation };
  };

  it('trains at fixed σ²: the ELBO rises, the latents get used, tuned ≥ final, and a rerun is identical', () => {
    const a = trainOnce(0.1, false);
    const curve = a.result.curve;
    expect(curve[curve.length - 1].elbo).toBeGreaterThan(curve[0].elbo + 50);
    // the data's per-dimension variance is ~5: a residual far below it means z carries the signal
    expect(a.evaluation.tunedSigma2).toBeLessThan(1);
    expect(a.evaluation.tunedElbo).toBeGreaterThanOrEqual(a.evaluation.elbo);
    expect(a.evaluation.collapseCurve.length).toBe(41);
    expect(a.evaluation.klQuantiles.length).toBe(LATENT * 9);
    const b = trainOnce(0.1, false);
    expect(b.evaluation.elbo).toBe(a.evaluation.elbo);
    expect(b.result.curve).toEqual(a.result.curve);
  });

  it('learns σ²: it moves from its init to the model residual, where the tuned σ² agrees with it', () => {
    const { result, evaluation } = trainOnce(0.001, true, 30, 0.1);
    const final = result.curve[result.curve.length - 1].sigma2;
    expect(final).toBeGreaterThan(0.01);
    expect(Math.abs(Math.log(final / evaluation.tunedSigma2))).toBeLessThan(0.5);
    expect(evaluation.tunedElbo - evaluation.elbo).toBeLessThan(5);
  });

  it('holds σ² fixed when not learned', () => {
    const data = syntheticData(64, 10);
    const rng = createRng(12);
    const model = createDeepVae(config(0.1, false), rng);
    trainDeepVae(model, data, { batchSize: 32, epochs: 2, lr: 1e-3, lrLogSigma2: 0.05, rng, instance: 't' });
    expect(model.sigma2()).toBeCloseTo(0.1, 6);
    model.dispose();
  });
});
