// The linear VAE of eq. 9: p(x|z) = N(Wz + μ, σ²I), q(z|x) = N(V(x − μ), D), D a global diagonal.
// tfjs, float32. Parameters: decoder stored TRANSPOSED as wt = Wᵀ (k × n) so every product in the
// ELBO is a plain matMul; log D (k) and log σ² (scalar) keep D and σ² positive.
//
// Analytic ELBO (per-example mean; derivation in src/metrics/linear-elbo.ts):
//   E_q log p(x|z) = −n/2 log 2πσ² − (‖x−μ−W m‖² + Σ_i D_i ‖w_i‖²) / (2σ²),   m = V(x − μ)
//   KL(q‖p)        = ½ Σ_i (D_i + m_i² − 1 − log D_i)
// Its data average depends on the data only through the mean x̄ and the 1/N covariance S:
//   mean ‖(I−WV)(x−μ)‖² = tr S − 2 tr(WVS) + tr(WᵀW·VSVᵀ) + ‖(I−WV)(x̄−μ)‖²,
//   mean ‖m‖²           = tr(VSVᵀ) + ‖V(x̄−μ)‖²,
// so full-batch training can use (x̄, S) — exactly the same objective and gradients as the
// 1000-image batch, at k·n² instead of N·n·k per product.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, tfSeed } from '../tensor/rng.ts';
import { matMul, matMulBT, matMulSymmetricConst } from './plain-matmul.ts';

const LOG_2PI = Math.log(2 * Math.PI);

export interface LinearVae {
  dim: number;
  latent: number;
  /** Decoder Wᵀ, k × n. */
  wt: tf.Variable<tf.Rank.R2>;
  /** Encoder V, k × n. */
  v: tf.Variable<tf.Rank.R2>;
  logD: tf.Variable<tf.Rank.R1>;
  mu: tf.Variable<tf.Rank.R1>;
  logSigma2: tf.Variable<tf.Rank.R0>;
}

export interface LinearVaeInit {
  dim: number;
  latent: number;
  seed: number;
  /** Standard deviation of the random W and V entries ("small random init"). */
  initScale: number;
  sigma2Init: number;
  /** Initial μ (e.g. the data mean); zeros when absent. */
  mu?: ArrayLike<number>;
  /** Initial D entries (default 1: q starts at the prior's variance). */
  dInit?: number;
  /** Whether σ² is trained (default true). */
  learnSigma2?: boolean;
  /** Whether μ is trained (default true). */
  learnMu?: boolean;
}

/** Seeded Gaussian entries from src/tensor/rng.ts, identical on every backend. */
export function seededNormal(count: number, scale: number, seed: number | string): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = scale * rng.normal();
  return out;
}

export function createLinearVae(init: LinearVaeInit): LinearVae {
  const { dim, latent, seed, initScale, sigma2Init } = init;
  if (!(sigma2Init > 0)) throw new Error(`linear VAE: sigma2Init must be positive, found ${sigma2Init}`);
  const mu = init.mu ? Float32Array.from(init.mu) : new Float32Array(dim);
  if (mu.length !== dim) throw new Error(`linear VAE: mu has ${mu.length} entries, dim is ${dim}`);
  // tidy disposes the initial-value tensors; variables survive it.
  return tf.tidy(() => ({
    dim,
    latent,
    wt: tf.variable(tf.tensor2d(seededNormal(latent * dim, initScale, `${seed}:W`), [latent, dim]), true),
    v: tf.variable(tf.tensor2d(seededNormal(latent * dim, initScale, `${seed}:V`), [latent, dim]), true),
    logD: tf.variable(tf.fill([latent], Math.log(init.dInit ?? 1)), true) as tf.Variable<tf.Rank.R1>,
    mu: tf.variable(tf.tensor1d(mu), init.learnMu ?? true),
    logSigma2: tf.variable(tf.scalar(Math.log(sigma2Init)), init.learnSigma2 ?? true),
  }));
}

export function disposeLinearVae(vae: LinearVae): void {
  for (const t of linearVaeVariables(vae)) t.dispose();
}

export function linearVaeVariables(vae: LinearVae): tf.Variable[] {
  return [vae.wt, vae.v, vae.logD, vae.mu, vae.logSigma2];
}

/** Data mean and 1/N covariance as float32 tensors for the moment form of the ELBO. */
export interface TfMoments {
  rows: number;
  mean: tf.Tensor1D;
  cov: tf.Tensor2D;
  traceCov: number;
}

export function tfMoments(mean: ArrayLike<number>, cov: ArrayLike<number>, dim: number, rows: number): TfMoments {
  let traceCov = 0;
  for (let i = 0; i < dim; i++) traceCov += cov[i * dim + i];
  return { rows, mean: tf.tensor1d(Float32Array.from(mean)), cov: tf.tensor2d(Float32Array.from(cov), [dim, dim]), traceCov };
}

export interface ElboTerms {
  elbo: tf.Scalar;
  /** E_q log p(x|z), per-example mean. */
  reconstruction: tf.Scalar;
  kl: tf.Scalar;
}

/** KL(N(m, D) ‖ N(0, I)) averaged over examples, given mean ‖m‖² and the log-variances. */
function klTerm(meanSqNorm: tf.Scalar, logVar: tf.Tensor): tf.Scalar {
  // ½ [Σ_i (D_i − 1 − log D_i) + mean ‖m‖²]; for per-example log-variances, averaged over rows.
  const perDim = tf.sub(tf.sub(tf.exp(logVar), 1), logVar);
  const rows = logVar.rank === 2 ? logVar.shape[0] : 1;
  return tf.mul(0.5, tf.add(tf.div(tf.sum(perDim), rows), meanSqNorm)) as tf.Scalar;
}

/**
 * Mean over rows of ‖row‖², summed per row first: one float32 accumulation over N·n ≈ 8·10⁵
 * terms biases the ELBO by ~1e-4 relative (enough to fail a Monte Carlo check); two stages do not.
 */
function meanRowSquaredNorm(t: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sum(tf.square(t), 1)) as tf.Scalar;
}

function gaussianLogLik(dim: number, logSigma2: tf.Scalar, meanSqError: tf.Scalar): tf.Scalar {
  const norm = tf.mul(-0.5 * dim, tf.add(LOG_2PI, logSigma2));
  return tf.sub(norm, tf.div(meanSqError, tf.mul(2, tf.exp(logSigma2)))) as tf.Scalar;
}

/** Analytic ELBO from the data moments (exact full-batch objective; see header). */
export function analyticElboFromMoments(vae: LinearVae, moments: TfMoments): ElboTerms {
  const { wt, v, logD, mu, logSigma2 } = vae;
  const a = matMulSymmetricConst(v, moments.cov); // V S, k × n
  const vsv = matMulBT(a, v); // V S Vᵀ, k × k
  const wtw = matMulBT(wt, wt); // WᵀW, k × k
  const delta = tf.reshape(tf.sub(moments.mean, mu), [1, vae.dim]) as tf.Tensor2D; // (x̄ − μ)ᵀ
  const vDelta = matMulBT(delta, v); // (V δ)ᵀ, 1 × k
  const resid = tf.sub(delta, matMul(vDelta, wt)); // ((I − WV) δ)ᵀ
  const sqError = tf.addN([
    tf.scalar(moments.traceCov),
    tf.mul(-2, tf.sum(tf.mul(wt, a))),
    tf.sum(tf.mul(wtw, vsv)),
    tf.sum(tf.square(resid)),
  ]) as tf.Scalar;
  const d = tf.exp(logD);
  const spread = tf.sum(tf.mul(d, tf.sum(tf.square(wt), 1))) as tf.Scalar; // tr(W D Wᵀ)
  const reconstruction = gaussianLogLik(vae.dim, logSigma2, tf.add(sqError, spread) as tf.Scalar);
  const meanSq = tf.add(tf.sum(tf.mul(a, v)), tf.sum(tf.square(vDelta))) as tf.Scalar; // tr(VSVᵀ) + ‖Vδ‖²
  const kl = klTerm(meanSq, logD);
  return { elbo: tf.sub(reconstruction, kl) as tf.Scalar, reconstruction, kl };
}

/**
 * Analytic ELBO of ANY Gaussian encoder with this linear decoder, on a batch: given per-example
 * means m (N × k) and log-variances (N × k, or k for a global D),
 * E_q ‖x − μ − Wz‖² = ‖x − μ − W m‖² + Σ_i var_i ‖w_i‖².
 */
export function linearDecoderElbo(
  decoder: { wt: tf.Tensor2D; mu: tf.Tensor1D; logSigma2: tf.Scalar },
  x: tf.Tensor2D,
  mean: tf.Tensor2D,
  logVar: tf.Tensor,
): ElboTerms {
  const rows = x.shape[0];
  const dim = x.shape[1];
  const resid = tf.sub(tf.sub(x, decoder.mu), matMul(mean, decoder.wt)) as tf.Tensor2D;
  const colNorms = tf.sum(tf.square(decoder.wt), 1); // ‖w_i‖², k
  const spread = tf.div(tf.sum(tf.mul(tf.exp(logVar), colNorms)), logVar.rank === 2 ? rows : 1);
  const sqError = tf.add(meanRowSquaredNorm(resid), spread) as tf.Scalar;
  const reconstruction = gaussianLogLik(dim, decoder.logSigma2, sqError);
  const kl = klTerm(meanRowSquaredNorm(mean), logVar);
  return { elbo: tf.sub(reconstruction, kl) as tf.Scalar, reconstruction, kl };
}

/** q's means for a batch: m = (x − μ) Vᵀ, N × k. */
export function encodeLinear(vae: LinearVae, x: tf.Tensor2D): tf.Tensor2D {
  return matMulBT(tf.sub(x, vae.mu), vae.v);
}

/** Analytic ELBO computed on the data batch itself (same value as the moment form). */
export function analyticElboFromData(vae: LinearVae, x: tf.Tensor2D): ElboTerms {
  return linearDecoderElbo(vae, x, encodeLinear(vae, x), vae.logD);
}

/**
 * One-sample reparameterised ELBO: z = m + D^½ ε with ε ~ N(0, I) (seeded), the reconstruction
 * term estimated with that single sample per example, the KL in closed form (the usual VAE
 * estimator; its only noise is the reparameterisation noise, as in the paper's footnote 3).
 */
export function stochasticElbo(vae: LinearVae, x: tf.Tensor2D, seed: number): ElboTerms {
  const rows = x.shape[0];
  const m = encodeLinear(vae, x);
  const eps = tf.randomNormal([rows, vae.latent], 0, 1, 'float32', tfSeed(seed));
  const z = tf.add(m, tf.mul(eps, tf.exp(tf.mul(0.5, vae.logD))));
  const resid = tf.sub(tf.sub(x, vae.mu), matMul(z as tf.Tensor2D, vae.wt)) as tf.Tensor2D;
  const sqError = meanRowSquaredNorm(resid);
  const reconstruction = gaussianLogLik(vae.dim, vae.logSigma2, sqError);
  const kl = klTerm(meanRowSquaredNorm(m), vae.logD);
  return { elbo: tf.sub(reconstruction, kl) as tf.Scalar, reconstruction, kl };
}

/** Trained parameters as plain arrays, in the artifact layout (W is n × k, C order). */
export interface LinearVaeParams {
  dim: number;
  latent: number;
  w: Float32Array;
  v: Float32Array;
  logD: Float32Array;
  mu: Float32Array;
  sigma2: number;
}

export function exportLinearVae(vae: LinearVae): LinearVaeParams {
  const w = tf.tidy(() => tf.transpose(vae.wt).dataSync() as Float32Array);
  return {
    dim: vae.dim,
    latent: vae.latent,
    w: Float32Array.from(w),
    v: Float32Array.from(vae.v.dataSync() as Float32Array),
    logD: Float32Array.from(vae.logD.dataSync() as Float32Array),
    mu: Float32Array.from(vae.mu.dataSync() as Float32Array),
    sigma2: Math.exp(vae.logSigma2.dataSync()[0]),
  };
}

/** A linear VAE holding given parameters (e.g. a float64 optimum, or a saved model). */
export function linearVaeFromParams(p: LinearVaeParams, trainable = true): LinearVae {
  const { dim, latent } = p;
  const wt = new Float32Array(latent * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < latent; j++) wt[j * dim + i] = p.w[i * latent + j];
  return tf.tidy(() => ({
    dim,
    latent,
    wt: tf.variable(tf.tensor2d(wt, [latent, dim]), trainable),
    v: tf.variable(tf.tensor2d(Float32Array.from(p.v), [latent, dim]), trainable),
    logD: tf.variable(tf.tensor1d(Float32Array.from(p.logD)), trainable),
    mu: tf.variable(tf.tensor1d(Float32Array.from(p.mu)), trainable),
    logSigma2: tf.variable(tf.scalar(Math.log(p.sigma2)), trainable),
  }));
}
