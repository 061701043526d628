// The analytic ELBO (closed form) against its one-sample reparameterised estimator, and tfjs's
// gradients of the analytic ELBO against float64 finite differences — on real MNIST.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { Matrix } from 'ml-matrix';
import { loadMnistPackageSubset } from '../../helpers/mnist-package-subset.ts';
import { dataMoments, type DataMoments } from '../../../src/models/ppca.ts';
import { analyticElboF64, type LinearVaeF64 } from '../../../src/metrics/linear-elbo.ts';
import {
  analyticElboFromMoments, disposeLinearVae, linearVaeFromParams, linearVaeVariables, seededNormal, stochasticElbo, tfMoments,
  type LinearVae, type LinearVaeParams, type TfMoments,
} from '../../../src/models/linear-vae.ts';
import { createRng } from '../../../src/tensor/rng.ts';
import { initBackend } from '../../../src/tensor/backend.ts';

const k = 4;
let m64: DataMoments;
let moments: TfMoments;
let x: tf.Tensor2D;
let params: LinearVaeParams;
let vae: LinearVae;

function toF64(p: LinearVaeParams): LinearVaeF64 {
  return {
    w: Matrix.from1DArray(p.dim, p.latent, Array.from(p.w)),
    v: Matrix.from1DArray(p.latent, p.dim, Array.from(p.v)),
    d: Array.from(p.logD, Math.exp),
    mu: Array.from(p.mu),
    sigma2: p.sigma2,
  };
}

beforeAll(async () => {
  await initBackend('auto');
  const s = loadMnistPackageSubset({ size: 1000, seed: 1 });
  m64 = dataMoments(s.data, s.rows, s.cols);
  moments = tfMoments(m64.mean, m64.cov.to1DArray(), s.cols, s.rows);
  x = tf.tensor2d(s.data, [s.rows, s.cols]);
  // A generic point (not an optimum), so that gradients are far from zero.
  const rng = createRng('elbo-estimators-point');
  params = {
    dim: s.cols, latent: k,
    w: seededNormal(s.cols * k, 0.5, 'w'),
    v: seededNormal(s.cols * k, 0.01, 'v'),
    logD: Float32Array.from({ length: k }, () => -1 + 0.3 * rng.normal()),
    mu: Float32Array.from(m64.mean, (v) => v + 0.1 * rng.normal()),
    sigma2: 5,
  };
  vae = linearVaeFromParams(params);
});

afterAll(() => {
  disposeLinearVae(vae);
  for (const t of [moments.mean, moments.cov, x]) t.dispose();
});

test('the tfjs analytic ELBO (float32, moment form) matches the float64 one to 1e-5 relative', () => {
  const tfElbo = tf.tidy(() => analyticElboFromMoments(vae, moments).elbo.dataSync()[0]);
  const f64 = analyticElboF64(m64, toF64(params)).elbo;
  expect(Math.abs(tfElbo - f64) / Math.abs(f64)).toBeLessThan(1e-5);
});

test('the analytic ELBO equals the mean of 400 one-sample stochastic ELBOs within 4 standard errors', () => {
  const analytic = analyticElboF64(m64, toF64(params)).elbo;
  const draws = Array.from({ length: 400 }, (_, t) => tf.tidy(() => stochasticElbo(vae, x, 1000 + t).elbo.dataSync()[0]));
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1));
  const se = sd / Math.sqrt(draws.length);
  console.log(`stochastic ELBO: mean ${mean.toFixed(4)} ± ${se.toFixed(4)} (sd ${sd.toFixed(4)}), analytic ${analytic.toFixed(4)}, z = ${((mean - analytic) / se).toFixed(2)}`);
  expect(sd).toBeGreaterThan(0);
  expect(Math.abs(mean - analytic)).toBeLessThan(4 * se);
});

describe('tfjs gradients of the analytic ELBO match float64 central differences', () => {
  test('on 35 random coordinates across W, V, log D, μ and log σ²', () => {
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(() => analyticElboFromMoments(vae, moments).elbo, linearVaeVariables(vae));
      return Object.fromEntries(linearVaeVariables(vae).map((v) => [v.name, Array.from(g[v.name].dataSync())]));
    });
    const [wtName, vName, logDName, muName, logS2Name] = linearVaeVariables(vae).map((v) => v.name);
    const rng = createRng('fd-coordinates');
    const base = toF64(params);
    const f = (p: LinearVaeF64) => analyticElboF64(m64, p).elbo;
    const cases: { what: string; tfGrad: number; fd: number }[] = [];
    const central = (perturb: (p: LinearVaeF64, h: number) => LinearVaeF64, h: number) => (f(perturb(base, h)) - f(perturb(base, -h))) / (2 * h);
    for (let t = 0; t < 10; t++) {
      const i = rng.int(params.dim);
      const j = rng.int(k);
      cases.push({ what: `W[${i},${j}]`, tfGrad: grads[wtName][j * params.dim + i], fd: central((p, h) => ({ ...p, w: p.w.clone().set(i, j, p.w.get(i, j) + h) }), 1e-4) });
      const a = rng.int(k);
      const b = rng.int(params.dim);
      cases.push({ what: `V[${a},${b}]`, tfGrad: grads[vName][a * params.dim + b], fd: central((p, h) => ({ ...p, v: p.v.clone().set(a, b, p.v.get(a, b) + h) }), 1e-5) });
      const c = rng.int(params.dim);
      cases.push({ what: `mu[${c}]`, tfGrad: grads[muName][c], fd: central((p, h) => ({ ...p, mu: Array.from(p.mu, (v, q) => (q === c ? v + h : v)) }), 1e-4) });
    }
    for (let a = 0; a < k; a++) {
      cases.push({ what: `logD[${a}]`, tfGrad: grads[logDName][a], fd: central((p, h) => ({ ...p, d: Array.from(p.d, (v, q) => (q === a ? v * Math.exp(h) : v)) }), 1e-5) });
    }
    cases.push({ what: 'logσ²', tfGrad: grads[logS2Name][0], fd: central((p, h) => ({ ...p, sigma2: p.sigma2 * Math.exp(h) }), 1e-6) });
    const scale = Math.max(...cases.map((c) => Math.abs(c.fd)));
    let worst = 0;
    for (const c of cases) {
      const err = Math.abs(c.tfGrad - c.fd) / (Math.abs(c.fd) + 1e-3 * scale);
      worst = Math.max(worst, err);
      expect(err).toBeLessThan(1e-2);
    }
    console.log(`gradient check: ${cases.length} coordinates, worst relative error ${worst.toExponential(2)} (float32 tfjs vs float64 central differences)`);
  });
});
