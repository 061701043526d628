// Theorem 1 and Corollary 1 on real MNIST (logit space, 1000 seeded images): a linear VAE trained
// from a small random init on the analytic ELBO reaches the pPCA maximum likelihood, and its
// decoder columns are the principal components themselves (not an arbitrary rotation of them).
// Training is block coordinate ascent in float64 (src/train/linear-vae-coordinate-ascent.ts):
// every block exactly maximises the ELBO over its parameters, and nothing in it sees S's
// eigenvectors — the alignment comes from the ELBO's diagonal-D term alone.
//
// The rule for "well-separated" (issue 4, check 4): component i (i ≤ k) is held to |cos| > 0.99
// when its eigenvalue differs from BOTH neighbours, λ_{i−1} and λ_{i+1} (λ_{k+1} included: it
// decides how sharply the k-dimensional subspace is determined), by more than 5% of λ_i. Closer
// pairs are identifiable in theory but ill-conditioned; their cosines are printed, not asserted.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Matrix } from 'ml-matrix';
import { loadMnistPackageSubset } from '../../helpers/mnist-package-subset.ts';
import { dataMoments, decoderMle, fitPpca, logLikelihood, maxLogLikelihood, sigma2Mle, type DataMoments, type PpcaFit } from '../../../src/models/ppca.ts';
import { analyticElboF64, exactPosteriorEncoder } from '../../../src/metrics/linear-elbo.ts';
import { maxAbsCosinePerComponent } from '../../../src/metrics/decoder-alignment.ts';
import { momentsF64, trainLinearVaeByCoordinateAscent, type CoordinateAscentResult } from '../../../src/train/linear-vae-coordinate-ascent.ts';

const KS = [2, 5, 10, 20];
const SEPARATION = 0.05;
let fit: PpcaFit;
let m64: DataMoments;
let components: Float64Array;
const trained = new Map<number, CoordinateAscentResult>();

beforeAll(() => {
  const s = loadMnistPackageSubset({ size: 1000, seed: 0 });
  m64 = dataMoments(s.data, s.rows, s.cols);
  fit = fitPpca(m64);
  components = Float64Array.from(fit.components.to1DArray());
  const data = momentsF64(m64);
  for (const k of KS) trained.set(k, trainLinearVaeByCoordinateAscent(data, { latent: k, seed: 7, initScale: 0.01, maxSweeps: 200, tol: 1e-10 }));
});

/** Indices i < k whose eigenvalue is more than SEPARATION·λ_i away from λ_{i−1} and λ_{i+1}. */
function wellSeparated(k: number): number[] {
  const e = fit.eigenvalues;
  return Array.from({ length: k }, (_, i) => i).filter((i) => (i === 0 || e[i - 1] - e[i] > SEPARATION * e[i]) && e[i] - e[i + 1] > SEPARATION * e[i]);
}

describe('Theorem 1: no spurious local maxima — training from a small random init reaches the pPCA MLE', () => {
  test.each(KS)('k = %i: final ELBO within 0.1%% of the maximum log-likelihood, ELBO never decreasing', (k) => {
    const r = trained.get(k)!;
    const mle = maxLogLikelihood(fit.eigenvalues, k);
    const gap = (mle - r.finalElbo) / Math.abs(mle);
    // The trainer's profiled ELBO must be the ELBO of the parameters it returns (independent formula).
    const check = analyticElboF64(m64, { w: new Matrix(Array.from({ length: fit.dim }, (_, i) => Array.from(r.params.w.subarray(i * k, (i + 1) * k)))), v: new Matrix(Array.from({ length: k }, (_, j) => Array.from(r.params.v.subarray(j * fit.dim, (j + 1) * fit.dim)))), d: r.params.d, mu: r.params.mu, sigma2: r.params.sigma2 });
    console.log(`Theorem 1, k=${k}: ELBO ${r.finalElbo.toFixed(6)}, pPCA MLE ${mle.toFixed(6)}, relative gap ${gap.toExponential(2)}, ${r.sweeps} sweeps (SQUAREM kept ${r.extrapolations.accepted}, rejected ${r.extrapolations.rejected}), σ² ${r.params.sigma2.toFixed(5)} vs σ²_MLE ${sigma2Mle(fit.eigenvalues, k).toFixed(5)}`);
    expect(Math.abs(check.elbo - r.finalElbo)).toBeLessThan(1e-8 * Math.abs(mle));
    expect(gap).toBeGreaterThan(-1e-10); // a lower bound: never above the MLE beyond rounding
    expect(gap).toBeLessThan(1e-3);
    for (let i = 1; i < r.curve.length; i++) expect(r.curve[i].elbo).toBeGreaterThanOrEqual(r.curve[i - 1].elbo - 1e-10 * Math.abs(mle));
  });
});

describe('Corollary 1: the ELBO identifies the principal components', () => {
  test('at the global maximum: rotating W_MLE keeps the likelihood but lowers the ELBO (float64)', () => {
    const k = 2;
    const sigma2 = sigma2Mle(fit.eigenvalues, k);
    const w0 = decoderMle(fit, k, sigma2);
    const elboAt = (theta: number) => {
      const r = new Matrix([[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]]);
      const w = w0.mmul(r);
      const { v, d } = exactPosteriorEncoder(w, sigma2);
      return { elbo: analyticElboF64(m64, { w, v, d, mu: fit.mean, sigma2 }).elbo, loglik: logLikelihood(m64, w, sigma2) };
    };
    const mle = maxLogLikelihood(fit.eigenvalues, k);
    const gaps = [0, Math.PI / 16, Math.PI / 8, Math.PI / 4].map((t) => {
      const { elbo, loglik } = elboAt(t);
      expect(Math.abs(loglik - mle) / Math.abs(mle)).toBeLessThan(1e-10);
      return mle - elbo;
    });
    console.log(`Corollary 1, k=2: ELBO deficit of W_MLE·R(θ) for θ = 0, π/16, π/8, π/4: ${gaps.map((g) => g.toExponential(3)).join(', ')} nats`);
    expect(gaps[0]).toBeLessThan(1e-9 * Math.abs(mle));
    for (let t = 1; t < gaps.length; t++) expect(gaps[t]).toBeGreaterThan(gaps[t - 1]);
  });

  test.each(KS)('k = %i: every well-separated component has a trained decoder column with |cos| > 0.99', (k) => {
    const r = trained.get(k)!;
    const cos = maxAbsCosinePerComponent(r.params.w, fit.dim, k, components);
    const held = wellSeparated(k);
    console.log(`Corollary 1, k=${k}: per-component 1 − max |cos| ${cos.map((c) => (1 - c).toExponential(1)).join(' ')}; held to > 0.99 (separated > 5%): components ${held.map((i) => i + 1).join(', ')}`);
    expect(held.length).toBeGreaterThan(0);
    for (const i of held) expect(cos[i]).toBeGreaterThan(0.99);
    // Column norms are the scaled components of eq. 8: ‖w_i‖² = λ_i − σ², in decreasing order.
    // Loose (1%): the likelihood is flat in them too — an error c in ‖w_i‖² costs ≈ ½(c/λ_i)²
    // nats, so a run stopped at a 1e-10 relative ELBO change pins them only to a few 0.1%.
    const sigma2 = r.params.sigma2;
    for (const i of held) {
      let norm2 = 0;
      for (let a = 0; a < fit.dim; a++) norm2 += r.params.w[a * k + i] ** 2;
      expect(Math.abs(norm2 - (fit.eigenvalues[i] - sigma2))).toBeLessThan(1e-2 * fit.eigenvalues[i]);
    }
  });
});
