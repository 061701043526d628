// The linear VAE's analytic ELBO in float64 (ml-matrix), for exactness checks that float32 tfjs
// cannot make (sums of ~1e3 nats per example to 1e-6 relative), and the Lemma 1 optimum.
//
// For p(x|z) = N(Wz + μ, σ²I), q(z|x) = N(m, D), m = V(x − μ), D diagonal:
//   E_q log p(x|z) = −n/2 log 2πσ² − (‖x − μ − W m‖² + tr(W D Wᵀ)) / (2σ²)
//     (E_q ‖x − μ − Wz‖² = ‖x − μ − Wm‖² + E‖W D^½ ε‖², and E‖W D^½ ε‖² = Σ_i D_i ‖w_i‖²)
//   KL(q ‖ N(0, I)) = ½ Σ_i (D_i + m_i² − 1 − log D_i).
// Averaged over the data (mean x̄, 1/N covariance S, δ = x̄ − μ):
//   mean ‖(I − WV)(x − μ)‖² = tr S − 2 tr(WVS) + tr(WᵀW · VSVᵀ) + ‖(I − WV)δ‖²
//   mean ‖m‖² = tr(VSVᵀ) + ‖Vδ‖².
import { Matrix, inverse } from 'ml-matrix';
import type { DataMoments, PpcaFit } from '../models/ppca.ts';
import { decoderMle, sigma2Mle } from '../models/ppca.ts';

const LOG_2PI = Math.log(2 * Math.PI);

export interface LinearVaeF64 {
  /** Decoder, n × k. */
  w: Matrix;
  /** Encoder, k × n. */
  v: Matrix;
  /** Diagonal of D (variances), k. */
  d: ArrayLike<number>;
  mu: ArrayLike<number>;
  sigma2: number;
}

export interface ElboTermsF64 {
  elbo: number;
  reconstruction: number;
  kl: number;
}

/** Per-example mean analytic ELBO of a linear VAE on data with these moments. */
export function analyticElboF64(moments: DataMoments, p: LinearVaeF64): ElboTermsF64 {
  const n = moments.dim;
  const k = p.w.columns;
  if (p.w.rows !== n || p.v.rows !== k || p.v.columns !== n || p.d.length !== k || p.mu.length !== n) {
    throw new Error(`linear VAE shapes: W ${p.w.rows}×${p.w.columns}, V ${p.v.rows}×${p.v.columns}, D ${p.d.length}, μ ${p.mu.length}; data dim ${n}`);
  }
  const a = p.v.mmul(moments.cov); // V S
  const vsv = a.mmul(p.v.transpose());
  const wtw = p.w.transpose().mmul(p.w);
  let traceS = 0;
  for (let i = 0; i < n; i++) traceS += moments.cov.get(i, i);
  let trWVS = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) trWVS += p.w.get(i, j) * a.get(j, i);
  let trQuad = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) trQuad += wtw.get(i, j) * vsv.get(j, i);
  const delta = Matrix.columnVector(Array.from(moments.mean, (x, i) => x - p.mu[i]));
  const vDelta = p.v.mmul(delta);
  const resid = delta.clone().sub(p.w.mmul(vDelta));
  const sqError = traceS - 2 * trWVS + trQuad + resid.norm() ** 2;
  let spread = 0;
  for (let j = 0; j < k; j++) {
    let col = 0;
    for (let i = 0; i < n; i++) col += p.w.get(i, j) ** 2;
    spread += p.d[j] * col;
  }
  const reconstruction = -0.5 * n * (LOG_2PI + Math.log(p.sigma2)) - (sqError + spread) / (2 * p.sigma2);
  let meanSq = vDelta.norm() ** 2;
  for (let i = 0; i < k; i++) meanSq += vsv.get(i, i);
  let kl = meanSq;
  for (let j = 0; j < k; j++) kl += p.d[j] - 1 - Math.log(p.d[j]);
  kl *= 0.5;
  return { elbo: reconstruction - kl, reconstruction, kl };
}

/**
 * The variational parameters that make q the exact pPCA posterior (eq. 6) for a decoder W and
 * noise σ²: V = M⁻¹Wᵀ, D = σ² diag(M⁻¹), M = WᵀW + σ²I. D equals the posterior covariance only
 * when M is diagonal (orthogonal decoder columns, as at W_MLE with R = I) — that is Lemma 1.
 */
export function exactPosteriorEncoder(w: Matrix, sigma2: number): { v: Matrix; d: Float64Array } {
  const k = w.columns;
  const m = w.transpose().mmul(w).add(Matrix.eye(k, k).mul(sigma2));
  const mInv = inverse(m);
  return { v: mInv.mmul(w.transpose()), d: Float64Array.from({ length: k }, (_, i) => sigma2 * mInv.get(i, i)) };
}

/** Lemma 1's point: W = W_MLE(k) (R = I), σ² = σ²_MLE(k), μ = x̄, and the exact-posterior encoder. */
export function lemma1Optimum(fit: PpcaFit, k: number): LinearVaeF64 {
  const sigma2 = sigma2Mle(fit.eigenvalues, k);
  const w = decoderMle(fit, k, sigma2);
  const { v, d } = exactPosteriorEncoder(w, sigma2);
  return { w, v, d, mu: fit.mean, sigma2 };
}
