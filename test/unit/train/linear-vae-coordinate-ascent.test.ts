// The float64 coordinate-ascent trainer of the linear VAE on small synthetic data: its kernels
// agree with ml-matrix, each block is an exact maximiser of the analytic ELBO (checked with the
// independent formula of src/metrics/linear-elbo.ts, not with the blocks' own algebra), and
// training recovers the principal components and the pPCA MLE.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Matrix } from 'ml-matrix';
import { createRng } from '../../../src/tensor/rng.ts';
import { dataMoments, fitPpca, logLikelihood, maxLogLikelihood, type DataMoments, type PpcaFit } from '../../../src/models/ppca.ts';
import { analyticElboF64 } from '../../../src/metrics/linear-elbo.ts';
import { maxAbsCosinePerComponent } from '../../../src/metrics/decoder-alignment.ts';
import { combineRows, rowGram, rowsTimesSymmetric } from '../../../src/train/linear-vae-f64-kernels.ts';
import { coordinateAscentSweep, optimalEncoder, rotateToOrthogonalColumns, type DecoderState, type MomentsF64 } from '../../../src/train/linear-vae-blocks.ts';
import { momentsF64, trainLinearVaeByCoordinateAscent } from '../../../src/train/linear-vae-coordinate-ascent.ts';

const N_DIM = 12;
const K = 3;
let moments: DataMoments;
let data: MomentsF64;
let fit: PpcaFit;

/** Data with a known, well-separated spectrum: scales 6, 4, 2.5 on three random directions + unit noise. */
beforeAll(() => {
  const rng = createRng('coordinate-ascent-test');
  const rows = 400;
  const scales = [6, 4, 2.5, ...Array(N_DIM - 3).fill(1)];
  const x = new Float64Array(rows * N_DIM);
  for (let r = 0; r < rows; r++) for (let i = 0; i < N_DIM; i++) x[r * N_DIM + i] = 0.3 * i + scales[i] * rng.normal();
  // A fixed random rotation so the principal axes are not the coordinate axes.
  const q = new Matrix(Array.from({ length: N_DIM }, () => Array.from({ length: N_DIM }, () => rng.normal()))).transpose();
  const basis = new Matrix(N_DIM, N_DIM);
  for (let j = 0; j < N_DIM; j++) {
    const col = q.getColumnVector(j);
    for (let p = 0; p < j; p++) col.sub(basis.getColumnVector(p).mul(basis.getColumnVector(p).dot(col)));
    basis.setColumn(j, col.div(col.norm()));
  }
  const rotated = Matrix.from1DArray(rows, N_DIM, x).mmul(basis.transpose());
  moments = dataMoments(rotated.to1DArray(), rows, N_DIM);
  data = momentsF64(moments);
  fit = fitPpca(moments);
});

function randomState(seed: string, k = K): DecoderState {
  const rng = createRng(seed);
  return { latent: k, wt: Float64Array.from({ length: k * N_DIM }, () => rng.normal()), sigma2: 0.7 + rng.uniform() };
}

/** The analytic ELBO of explicit parameters, by src/metrics/linear-elbo.ts. */
function elboOf(wt: ArrayLike<number>, k: number, v: ArrayLike<number>, d: ArrayLike<number>, sigma2: number, mu: ArrayLike<number> = data.mean): number {
  const w = Matrix.from1DArray(k, N_DIM, Array.from(wt)).transpose();
  return analyticElboF64(moments, { w, v: Matrix.from1DArray(k, N_DIM, Array.from(v)), d, mu, sigma2 }).elbo;
}

describe('kernels', () => {
  test('rowsTimesSymmetric, rowGram and combineRows match ml-matrix products (k not a multiple of 4)', () => {
    const a = randomState('kernels', 6).wt;
    const am = Matrix.from1DArray(6, N_DIM, a);
    const expectClose = (got: ArrayLike<number>, want: number[]) => want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThan(1e-10 * (1 + Math.abs(w))));
    expectClose(rowsTimesSymmetric(a, 6, data.cov, N_DIM), am.mmul(moments.cov).to1DArray());
    expectClose(rowGram(a, 6, a, 6, N_DIM).to1DArray(), am.mmul(am.transpose()).to1DArray());
    const c = Matrix.from1DArray(2, 6, [1, -2, 0, 0.5, 3, 1, 0, 1, 1, -1, 0, 2]);
    expectClose(combineRows(c, a, N_DIM), c.mmul(am).to1DArray());
  });
});

describe('each block exactly maximises the ELBO over its parameters', () => {
  test('encoder block: V = M⁻¹Wᵀ, D = σ²/diag M, μ = x̄ beat every perturbation of V, D or μ', () => {
    const s = randomState('encoder');
    const { v, d } = optimalEncoder(s, N_DIM);
    const best = elboOf(s.wt, K, v, d, s.sigma2);
    const rng = createRng('encoder-perturb');
    for (let t = 0; t < 5; t++) {
      const dv = v.map((x) => x + 1e-3 * rng.normal());
      const dd = d.map((x) => x * Math.exp(0.05 * rng.normal()));
      const dmu = data.mean.map((x) => x + 1e-2 * rng.normal());
      expect(elboOf(s.wt, K, dv, d, s.sigma2)).toBeLessThan(best);
      expect(elboOf(s.wt, K, v, dd, s.sigma2)).toBeLessThan(best);
      expect(elboOf(s.wt, K, v, d, s.sigma2, dmu)).toBeLessThan(best);
    }
  });

  test('decoder block: the next (W, σ²) beat perturbations with the encoder held fixed', () => {
    const sweep = coordinateAscentSweep(data, randomState('decoder'));
    const { v, d } = optimalEncoder(sweep.rotated, N_DIM);
    const best = elboOf(sweep.next.wt, K, v, d, sweep.next.sigma2);
    expect(best).toBeGreaterThan(sweep.elbo);
    const rng = createRng('decoder-perturb');
    for (let t = 0; t < 5; t++) {
      expect(elboOf(sweep.next.wt.map((x) => x + 1e-3 * rng.normal()), K, v, d, sweep.next.sigma2)).toBeLessThan(best);
      expect(elboOf(sweep.next.wt, K, v, d, sweep.next.sigma2 * Math.exp(0.01 * rng.normal()))).toBeLessThan(best);
    }
  });

  test('rotation block: orthogonal columns, likelihood unchanged, and the profiled ELBO reaches it (Hadamard)', () => {
    const s = randomState('rotation');
    const wt = rotateToOrthogonalColumns(s.wt, K, N_DIM);
    const gram = rowGram(wt, K, wt, K, N_DIM);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) if (i !== j) expect(Math.abs(gram.get(i, j))).toBeLessThan(1e-9 * gram.get(0, 0));
    for (let i = 1; i < K; i++) expect(gram.get(i, i)).toBeLessThanOrEqual(gram.get(i - 1, i - 1));
    const loglik = (x: Float64Array) => logLikelihood(moments, Matrix.from1DArray(K, N_DIM, x).transpose(), s.sigma2);
    expect(Math.abs(loglik(wt) - loglik(s.wt))).toBeLessThan(1e-9 * Math.abs(loglik(s.wt)));
    // The profiled ELBO of the unrotated W sits strictly below its likelihood; after rotation it equals it.
    const profiled = (x: Float64Array) => {
      const enc = optimalEncoder({ ...s, wt: x }, N_DIM);
      return elboOf(x, K, enc.v, enc.d, s.sigma2);
    };
    expect(profiled(s.wt)).toBeLessThan(loglik(s.wt) - 1e-6);
    expect(Math.abs(profiled(wt) - loglik(wt))).toBeLessThan(1e-9 * Math.abs(loglik(wt)));
    expect(Math.abs(coordinateAscentSweep(data, s).elbo - profiled(wt))).toBeLessThan(1e-9 * Math.abs(loglik(wt)));
  });
});

describe('training', () => {
  test('from a small random init: the pPCA MLE, the principal components, a non-decreasing curve', () => {
    for (const accelerate of [true, false]) {
      const r = trainLinearVaeByCoordinateAscent(data, { latent: K, seed: 1, initScale: 0.01, maxSweeps: 2000, tol: 1e-13, accelerate });
      const mle = maxLogLikelihood(fit.eigenvalues, K);
      expect(r.converged).toBe(true);
      expect(Math.abs(r.finalElbo - mle)).toBeLessThan(1e-8 * Math.abs(mle));
      expect(Math.abs(elboOf(Matrix.from1DArray(N_DIM, K, Array.from(r.params.w)).transpose().to1DArray(), K, r.params.v, r.params.d, r.params.sigma2) - r.finalElbo)).toBeLessThan(1e-9 * Math.abs(mle));
      const cos = maxAbsCosinePerComponent(r.params.w, N_DIM, K, fit.components.to1DArray());
      for (const c of cos) expect(c).toBeGreaterThan(0.9999);
      for (let i = 1; i < r.curve.length; i++) expect(r.curve[i].elbo).toBeGreaterThanOrEqual(r.curve[i - 1].elbo - 1e-12 * Math.abs(mle));
      if (accelerate) expect(r.extrapolations.accepted).toBeGreaterThan(0);
      else expect(r.extrapolations).toEqual({ accepted: 0, rejected: 0 });
    }
  });

  test('seeded: the same seed gives identical parameters, another seed another start', () => {
    const opts = { latent: K, initScale: 0.01, maxSweeps: 5, tol: 1e-13 };
    const a = trainLinearVaeByCoordinateAscent(data, { ...opts, seed: 4 });
    const b = trainLinearVaeByCoordinateAscent(data, { ...opts, seed: 4 });
    const c = trainLinearVaeByCoordinateAscent(data, { ...opts, seed: 5 });
    expect(Array.from(b.params.w)).toEqual(Array.from(a.params.w));
    expect(Array.from(c.params.w)).not.toEqual(Array.from(a.params.w));
  });

  test('rejects a latent size outside [1, n − 1]', () => {
    expect(() => trainLinearVaeByCoordinateAscent(data, { latent: N_DIM, seed: 0, initScale: 0.01, maxSweeps: 1, tol: 1e-9 })).toThrow(/latent size k = 12/);
  });
});
