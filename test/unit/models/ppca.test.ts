// pPCA closed forms against dense, textbook computations on small synthetic data.
import { describe, expect, test } from '@jest/globals';
import { Matrix, determinant, inverse } from 'ml-matrix';
import {
  alignedLogLikelihood, dataMoments, decoderMle, fitPpca, likelihoodOverK, logLikelihood, maxLogLikelihood, mleColumnVariances, sigma2Mle, sigma2MleAll,
} from '../../../src/models/ppca.ts';
import { chooseLandscapePanels, columnPerturbationDelta, landscapeGrid, symmetricGrid } from '../../../src/models/ppca-landscape.ts';
import { createRng } from '../../../src/tensor/rng.ts';

const n = 8;
const rows = 200;
// Data with a known low-rank structure plus noise, so eigenvalues are well spread.
function syntheticData(): Float64Array {
  const rng = createRng('ppca-synthetic');
  const basis = Array.from({ length: 3 }, () => Array.from({ length: n }, () => rng.normal()));
  const scales = [3, 2, 1];
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const z = scales.map((s) => s * rng.normal());
    for (let c = 0; c < n; c++) out[r * n + c] = 1 + c * 0.1 + z.reduce((a, zi, i) => a + zi * basis[i][c], 0) + 0.3 * rng.normal();
  }
  return out;
}

/** −½ [n log 2π + log|C| + tr(C⁻¹S)], C = WWᵀ + σ²I, dense. */
function denseLogLik(S: Matrix, w: Matrix, sigma2: number): number {
  const c = w.mmul(w.transpose()).add(Matrix.eye(n, n).mul(sigma2));
  const tr = inverse(c).mmul(S).trace();
  return -0.5 * (n * Math.log(2 * Math.PI) + Math.log(determinant(c)) + tr);
}

const data = syntheticData();
const moments = dataMoments(data, rows, n);
const fit = fitPpca(moments);

test('moments: mean and 1/N covariance', () => {
  let mean0 = 0;
  for (let r = 0; r < rows; r++) mean0 += data[r * n];
  mean0 /= rows;
  let var0 = 0;
  for (let r = 0; r < rows; r++) var0 += (data[r * n] - mean0) ** 2;
  expect(moments.mean[0]).toBeCloseTo(mean0, 12);
  expect(moments.cov.get(0, 0)).toBeCloseTo(var0 / rows, 12);
});

test('eigendecomposition: descending, orthonormal, reconstructs S', () => {
  const l = fit.eigenvalues;
  for (let j = 1; j < n; j++) expect(l[j]).toBeLessThanOrEqual(l[j - 1]);
  const u = fit.components;
  const back = u.mmul(Matrix.diag(Array.from(l))).mmul(u.transpose());
  expect(back.sub(moments.cov).norm() / moments.cov.norm()).toBeLessThan(1e-12);
  expect(u.transpose().mmul(u).sub(Matrix.eye(n, n)).norm()).toBeLessThan(1e-12);
  expect(fit.traceCov).toBeCloseTo(l.reduce((a, b) => a + b, 0), 10);
});

test('σ²_MLE is the mean of the discarded eigenvalues (eq. 7), for one k and all k', () => {
  const l = fit.eigenvalues;
  expect(sigma2Mle(l, 2)).toBeCloseTo(l.slice(2).reduce((a, b) => a + b, 0) / (n - 2), 12);
  const all = sigma2MleAll(l);
  for (let k = 0; k < n; k++) expect(all[k]).toBeCloseTo(sigma2Mle(l, k), 12);
  expect(() => sigma2Mle(l, n)).toThrow(/k must be an integer/);
});

describe('log-likelihoods agree with the dense formula', () => {
  test.each([1, 2, 3, 5])('at the MLE, k = %i', (k) => {
    const s2 = sigma2Mle(fit.eigenvalues, k);
    const w = decoderMle(fit, k);
    const dense = denseLogLik(moments.cov, w, s2);
    expect(maxLogLikelihood(fit.eigenvalues, k)).toBeCloseTo(dense, 9);
    expect(logLikelihood(moments, w, s2)).toBeCloseTo(dense, 9);
    expect(alignedLogLikelihood(fit.eigenvalues, mleColumnVariances(fit.eigenvalues, k, s2), s2)).toBeCloseTo(dense, 9);
  });

  test('at an arbitrary (W, σ²) (Woodbury + determinant lemma)', () => {
    const rng = createRng('arbitrary-w');
    const w = Matrix.from1DArray(n, 3, Array.from({ length: 3 * n }, () => rng.normal()));
    expect(logLikelihood(moments, w, 0.7)).toBeCloseTo(denseLogLik(moments.cov, w, 0.7), 9);
  });

  test('the MLE beats nearby decoders and noise levels', () => {
    const k = 3;
    const s2 = sigma2Mle(fit.eigenvalues, k);
    const best = maxLogLikelihood(fit.eigenvalues, k);
    const w = decoderMle(fit, k);
    expect(logLikelihood(moments, w, s2 * 1.1)).toBeLessThan(best);
    expect(logLikelihood(moments, w.clone().mul(0.95), s2)).toBeLessThan(best);
  });

  test('with σ² above λ_j, eq. 8 zeroes column j (a collapsed stationary point)', () => {
    const w = decoderMle(fit, 3, (fit.eigenvalues[1] + fit.eigenvalues[2]) / 2);
    expect(w.getColumnVector(2).norm()).toBe(0);
    expect(w.getColumnVector(1).norm()).toBeGreaterThan(0);
  });
});

describe('Figure 1 landscape', () => {
  test('panels: neither / one / both, each below λ_base', () => {
    const panels = chooseLandscapePanels(fit.eigenvalues, 1, [2, 3]);
    expect(panels.map((p) => p.captures)).toEqual([[false, false], [true, false], [true, true]]);
    for (const p of panels) expect(p.sigma2).toBeLessThan(fit.eigenvalues[0]);
    expect(() => chooseLandscapePanels(fit.eigenvalues, 3, [2, 5])).toThrow(/directions must satisfy/);
  });

  test('grid: zero at the origin, matches the single-column closed form on the axes', () => {
    const sigma2 = chooseLandscapePanels(fit.eigenvalues, 1, [2, 3])[1].sigma2;
    const coefficients = symmetricGrid(2, 5);
    expect(coefficients).toEqual([-2, -1, 0, 1, 2]);
    const grid = landscapeGrid(fit, 1, sigma2, [2, 3], coefficients);
    expect(grid).toHaveLength(25);
    expect(grid.find((p) => p.a === 0 && p.b === 0)!.deltaLoglik).toBe(0);
    const onA = grid.find((p) => p.a === 1 && p.b === 0)!;
    expect(onA.deltaLoglik).toBeCloseTo(columnPerturbationDelta(fit.eigenvalues[1], sigma2, 1), 10);
    expect(onA.deltaLoglik).toBeGreaterThan(0); // λ2 > σ² in this panel
    expect(grid.find((p) => p.a === 0 && p.b === 1)!.deltaLoglik).toBeLessThan(0); // λ3 < σ²
  });
});

describe('Figure 2 curves (likelihoodOverK)', () => {
  test('one row per k < n; the fixed-σ² curve meets the MLE at k_ref and never exceeds it', () => {
    const eig = [9, 6, 4, 2.5, 1.5, 1, 0.6, 0.3];
    const rows = likelihoodOverK(eig, 3);
    expect(rows.map((r) => r.k)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const r of rows) {
      expect(r.loglik_mle).toBeCloseTo(maxLogLikelihood(eig, r.k), 12);
      expect(r.sigma2_mle).toBeCloseTo(sigma2Mle(eig, r.k), 12);
      expect(r.loglik_fixed_sigma2).toBeLessThanOrEqual(r.loglik_mle + 1e-12);
    }
    expect(rows[2].loglik_fixed_sigma2).toBeCloseTo(rows[2].loglik_mle, 10);
  });
});
