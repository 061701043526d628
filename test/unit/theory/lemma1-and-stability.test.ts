// Lemma 1 and the stability of pPCA's stationary points, on real MNIST (logit space, 1000 seeded
// images), in float64.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Matrix } from 'ml-matrix';
import { loadMnistPackageSubset } from '../../helpers/mnist-package-subset.ts';
import { dataMoments, decoderMle, fitPpca, logLikelihood, maxLogLikelihood, type DataMoments, type PpcaFit } from '../../../src/models/ppca.ts';
import { analyticElboF64, lemma1Optimum } from '../../../src/metrics/linear-elbo.ts';
import { chooseLandscapePanels, columnPerturbationDelta } from '../../../src/models/ppca-landscape.ts';

let moments: DataMoments;
let fit: PpcaFit;

beforeAll(() => {
  const s = loadMnistPackageSubset({ size: 1000, seed: 0 });
  moments = dataMoments(s.data, s.rows, s.cols);
  fit = fitPpca(moments);
});

test('the dequantised subset has full rank: no eigenvalue needed clamping', () => {
  expect(fit.clamped.count).toBe(0);
  expect(fit.eigenvalues[fit.dim - 1]).toBeGreaterThan(1e-3);
});

describe('Lemma 1: at the pPCA MLE with V = M⁻¹Wᵀ, D = σ²M⁻¹ the analytic ELBO equals the log marginal likelihood', () => {
  test.each([1, 5, 20, 50])('k = %i', (k) => {
    const mle = maxLogLikelihood(fit.eigenvalues, k);
    const { elbo } = analyticElboF64(moments, lemma1Optimum(fit, k));
    const rel = Math.abs(elbo - mle) / Math.abs(mle);
    console.log(`Lemma 1, k=${k}: ELBO ${elbo.toFixed(9)}, log p ${mle.toFixed(9)}, relative difference ${rel.toExponential(2)}`);
    expect(rel).toBeLessThan(1e-6);
  });

  test('away from the optimum the ELBO is a strict lower bound', () => {
    const p = lemma1Optimum(fit, 5);
    const d = Array.from(p.d, (x) => x * 1.5);
    const loglik = logLikelihood(moments, p.w, p.sigma2);
    expect(analyticElboF64(moments, { ...p, d }).elbo).toBeLessThan(loglik - 1e-3);
  });
});

describe('stability: at a stationary point with a zero column, the likelihood increases along u_i iff λ_i > σ²', () => {
  // Stationary point: first 3 components scaled for σ², a fourth, zero column. Perturb that
  // column to a·u_i with the dense n×n likelihood (Woodbury on real vectors, not the eigen formula).
  const base = 3;
  const a = 0.05;
  function deltaAlong(i: number, sigma2: number): number {
    const w0 = decoderMle(fit, base, sigma2);
    const w = new Matrix(fit.dim, base + 1);
    for (let r = 0; r < fit.dim; r++) {
      for (let c = 0; c < base; c++) w.set(r, c, w0.get(r, c));
      w.set(r, base, a * fit.components.get(r, i - 1));
    }
    const w00 = new Matrix(fit.dim, base + 1);
    w00.setSubMatrix(w0, 0, 0);
    return logLikelihood(moments, w, sigma2) - logLikelihood(moments, w00, sigma2);
  }

  test('for every direction u_4..u_40 and three σ² between eigenvalues', () => {
    let checks = 0;
    for (const sigma2 of [Math.sqrt(fit.eigenvalues[4] * fit.eigenvalues[5]), Math.sqrt(fit.eigenvalues[14] * fit.eigenvalues[15]), Math.sqrt(fit.eigenvalues[29] * fit.eigenvalues[30])]) {
      for (let i = base + 1; i <= 40; i++) {
        const delta = deltaAlong(i, sigma2);
        expect(delta > 0).toBe(fit.eigenvalues[i - 1] > sigma2);
        expect(delta).toBeCloseTo(columnPerturbationDelta(fit.eigenvalues[i - 1], sigma2, a), 9);
        checks++;
      }
    }
    expect(checks).toBe(3 * 37);
  });

  test("Figure 1's σ² choices capture neither, exactly one, then both of u5, u7", () => {
    const panels = chooseLandscapePanels(fit.eigenvalues, base, [5, 7]);
    expect(panels.map((p) => p.captures)).toEqual([[false, false], [true, false], [true, true]]);
    for (const p of panels) {
      expect(p.sigma2).toBeLessThan(fit.eigenvalues[base - 1]);
      expect(deltaAlong(5, p.sigma2) > 0).toBe(p.captures[0]);
      expect(deltaAlong(7, p.sigma2) > 0).toBe(p.captures[1]);
    }
    console.log(`Figure 1 panels: λ5 = ${fit.eigenvalues[4].toFixed(2)}, λ7 = ${fit.eigenvalues[6].toFixed(2)}; σ² = ${panels.map((p) => p.sigma2.toFixed(2)).join(', ')}`);
  });
});
