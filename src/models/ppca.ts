// Probabilistic PCA in closed form (Tipping & Bishop 1999; paper §4.1), float64 with ml-matrix.
// One symmetric eigendecomposition of the 1/N sample covariance gives, for every k: σ²_MLE (eq. 7),
// W_MLE (eq. 8 with R = I) and the maximum log marginal likelihood. Log-likelihoods are
// per-example means in nats (multiply by N for the sum over the data).
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

const LOG_2PI = Math.log(2 * Math.PI);

export class PpcaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PpcaError';
  }
}

/** First and second moments of a data matrix: all pPCA needs from the data. */
export interface DataMoments {
  rows: number;
  dim: number;
  mean: Float64Array;
  /** Sample covariance with 1/N (the MLE), dim × dim. */
  cov: Matrix;
}

/** Mean and 1/N covariance of row-major data [rows, dim], accumulated in float64. */
export function dataMoments(data: ArrayLike<number>, rows: number, dim: number): DataMoments {
  if (data.length !== rows * dim) throw new PpcaError(`data holds ${data.length} values, expected ${rows}×${dim}`);
  if (rows < 2) throw new PpcaError(`need at least 2 rows for a covariance, found ${rows}`);
  const x = Matrix.from1DArray(rows, dim, Array.from(data));
  const mean = Float64Array.from(x.mean('column'));
  x.subRowVector(Array.from(mean));
  const cov = x.transpose().mmul(x).div(rows);
  return { rows, dim, mean, cov };
}

export interface PpcaFit {
  rows: number;
  dim: number;
  mean: Float64Array;
  /** Eigenvalues of the sample covariance, descending, after clamping (see `clamped`). */
  eigenvalues: Float64Array;
  /** dim × dim; column j is the unit eigenvector of eigenvalues[j] (sign: largest |entry| positive). */
  components: Matrix;
  /** Eigenvalues at or below `floor` (numerically zero or negative) were raised to `floor`. */
  clamped: { count: number; floor: number };
  traceCov: number;
}

/**
 * Eigendecomposition of the covariance. Eigenvalues below floor = λ₁·dim·2⁻⁵² (rounding level of
 * a symmetric eigensolver) are not trustworthy and would make log|C| −∞ at large k; they are
 * raised to the floor and counted, so a rank-deficient data set is visible rather than silent.
 */
export function fitPpca(moments: DataMoments): PpcaFit {
  const { dim } = moments;
  const evd = new EigenvalueDecomposition(moments.cov, { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = raw.map((_, i) => i).sort((a, b) => raw[b] - raw[a]);
  const top = raw[order[0]];
  if (!(top > 0)) throw new PpcaError(`covariance has no positive eigenvalue (largest ${top}): constant data?`);
  const floor = top * dim * Number.EPSILON;
  const eigenvalues = new Float64Array(dim);
  const components = new Matrix(dim, dim);
  let count = 0;
  order.forEach((src, j) => {
    let value = raw[src];
    if (value <= floor) {
      value = floor;
      count++;
    }
    eigenvalues[j] = value;
    let big = 0;
    for (let i = 0; i < dim; i++) if (Math.abs(vectors.get(i, src)) > Math.abs(big)) big = vectors.get(i, src);
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < dim; i++) components.set(i, j, sign * vectors.get(i, src));
  });
  let traceCov = 0;
  for (let i = 0; i < dim; i++) traceCov += moments.cov.get(i, i);
  return { rows: moments.rows, dim, mean: moments.mean, eigenvalues, components, clamped: { count, floor }, traceCov };
}

function checkK(eigenvalues: ArrayLike<number>, k: number): void {
  if (!Number.isInteger(k) || k < 0 || k >= eigenvalues.length) {
    throw new PpcaError(`k must be an integer in [0, ${eigenvalues.length - 1}], found ${k}`);
  }
}

/** Eq. 7: the average variance lost in the projection onto the first k components. */
export function sigma2Mle(eigenvalues: ArrayLike<number>, k: number): number {
  checkK(eigenvalues, k);
  let s = 0;
  for (let j = k; j < eigenvalues.length; j++) s += eigenvalues[j];
  return s / (eigenvalues.length - k);
}

/** Every σ²_MLE(k) for k = 0..n−1 in one pass (suffix sums). */
export function sigma2MleAll(eigenvalues: ArrayLike<number>): Float64Array {
  const n = eigenvalues.length;
  const out = new Float64Array(n);
  let s = 0;
  for (let k = n - 1; k >= 0; k--) {
    s += eigenvalues[k];
    out[k] = s / (n - k);
  }
  return out;
}

/**
 * Per-example log-likelihood of a pPCA whose decoder columns are the first k eigenvectors scaled
 * so that C = Σ_j c_j u_j u_jᵀ + σ²I, i.e. `columnVariances[j] = ‖w_j‖²` with w_j ∥ u_j, μ the
 * sample mean. Closed form: C shares S's eigenvectors, with eigenvalues c_j + σ².
 */
export function alignedLogLikelihood(eigenvalues: ArrayLike<number>, columnVariances: ArrayLike<number>, sigma2: number): number {
  const n = eigenvalues.length;
  if (columnVariances.length > n) throw new PpcaError(`${columnVariances.length} columns for dimension ${n}`);
  if (!(sigma2 > 0)) throw new PpcaError(`σ² must be positive, found ${sigma2}`);
  let acc = 0;
  for (let j = 0; j < n; j++) {
    const c = (j < columnVariances.length ? columnVariances[j] : 0) + sigma2;
    acc += Math.log(c) + eigenvalues[j] / c;
  }
  return -0.5 * (n * LOG_2PI + acc);
}

/** ‖w_j‖² of eq. 8 for the first k components at noise σ²: max(λ_j − σ², 0) (zero = collapsed). */
export function mleColumnVariances(eigenvalues: ArrayLike<number>, k: number, sigma2: number): Float64Array {
  checkK(eigenvalues, k);
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) out[j] = Math.max(eigenvalues[j] - sigma2, 0);
  return out;
}

/**
 * Maximum per-example log marginal likelihood with k components (Tipping & Bishop):
 * −½ [n log 2π + Σ_{j≤k} log λ_j + (n−k) log σ²_MLE + n].
 */
export function maxLogLikelihood(eigenvalues: ArrayLike<number>, k: number): number {
  const s2 = sigma2Mle(eigenvalues, k);
  const n = eigenvalues.length;
  let logdet = (n - k) * Math.log(s2);
  for (let j = 0; j < k; j++) logdet += Math.log(eigenvalues[j]);
  return -0.5 * (n * LOG_2PI + logdet + n);
}

/**
 * Eq. 8 with R = I: W = U_k (Λ_k − σ²I)^½ (n × k). σ² defaults to σ²_MLE(k); with a larger σ²,
 * columns whose λ_j ≤ σ² are zero — the other stationary points (collapsed columns).
 */
export function decoderMle(fit: PpcaFit, k: number, sigma2 = sigma2Mle(fit.eigenvalues, k)): Matrix {
  const scale = mleColumnVariances(fit.eigenvalues, k, sigma2).map(Math.sqrt);
  const w = fit.components.subMatrix(0, fit.dim - 1, 0, k - 1).clone();
  for (let j = 0; j < k; j++) for (let i = 0; i < fit.dim; i++) w.set(i, j, w.get(i, j) * scale[j]);
  return w;
}

/** Sufficient statistics of a decoder W for the likelihood: WᵀW and WᵀSW (both k × k). */
export interface DecoderGram {
  dim: number;
  traceCov: number;
  wtw: Matrix;
  wtsw: Matrix;
}

export function decoderGram(moments: DataMoments, w: Matrix): DecoderGram {
  if (w.rows !== moments.dim) throw new PpcaError(`W has ${w.rows} rows, data dimension is ${moments.dim}`);
  let traceCov = 0;
  for (let i = 0; i < moments.dim; i++) traceCov += moments.cov.get(i, i);
  const wt = w.transpose();
  return { dim: moments.dim, traceCov, wtw: wt.mmul(w), wtsw: wt.mmul(moments.cov.mmul(w)) };
}

/**
 * Per-example log marginal likelihood of (W, σ², μ = sample mean) from its Gram statistics, with
 * only k × k algebra: C = WWᵀ + σ²I, M = WᵀW + σ²I,
 *   log|C| = (n−k) log σ² + log|M|           (matrix determinant lemma)
 *   tr(C⁻¹S) = (tr S − tr(M⁻¹ WᵀSW)) / σ²    (Woodbury).
 */
export function logLikelihoodFromGram(gram: DecoderGram, sigma2: number): number {
  if (!(sigma2 > 0)) throw new PpcaError(`σ² must be positive, found ${sigma2}`);
  const k = gram.wtw.rows;
  const n = gram.dim;
  if (k === 0) return -0.5 * (n * LOG_2PI + n * Math.log(sigma2) + gram.traceCov / sigma2);
  const m = gram.wtw.clone().add(Matrix.eye(k, k).mul(sigma2));
  const chol = choleskyLogDetAndSolve(m, gram.wtsw);
  const logdet = (n - k) * Math.log(sigma2) + chol.logdet;
  let trace = 0;
  for (let i = 0; i < k; i++) trace += chol.solved.get(i, i);
  return -0.5 * (n * LOG_2PI + logdet + (gram.traceCov - trace) / sigma2);
}

/** Per-example log marginal likelihood of any (W, σ²) on data with these moments (μ = sample mean). */
export function logLikelihood(moments: DataMoments, w: Matrix, sigma2: number): number {
  return logLikelihoodFromGram(decoderGram(moments, w), sigma2);
}

/** log|A| and A⁻¹B for symmetric positive definite A (k × k), via ml-matrix's Cholesky. */
function choleskyLogDetAndSolve(a: Matrix, b: Matrix): { logdet: number; solved: Matrix } {
  // Symmetrise exactly: the library rejects a matrix that is symmetric only up to rounding.
  const sym = a.clone().add(a.transpose()).div(2);
  const chol = new CholeskyDecomposition(sym);
  if (!chol.isPositiveDefinite()) throw new PpcaError(`M = WᵀW + σ²I is not positive definite (k = ${a.rows})`);
  const l = chol.lowerTriangularMatrix;
  let logdet = 0;
  for (let i = 0; i < a.rows; i++) logdet += 2 * Math.log(l.get(i, i));
  return { logdet, solved: chol.solve(b) };
}

export interface LikelihoodOverK {
  k: number;
  sigma2_mle: number;
  /** Green curve of Figure 2: the pPCA maximum log-likelihood with k components. */
  loglik_mle: number;
  /** Blue curve: W_MLE(k) with σ² held at σ²_MLE(kRef). */
  loglik_fixed_sigma2: number;
}

/** Figure 2's closed-form curves for every k = 1 … n−1 (per-example log-likelihoods, nats). */
export function likelihoodOverK(eigenvalues: ArrayLike<number>, kRef: number): LikelihoodOverK[] {
  const s2 = sigma2MleAll(eigenvalues);
  const rows: LikelihoodOverK[] = [];
  for (let k = 1; k < eigenvalues.length; k++) {
    rows.push({
      k,
      sigma2_mle: s2[k],
      loglik_mle: maxLogLikelihood(eigenvalues, k),
      loglik_fixed_sigma2: alignedLogLikelihood(eigenvalues, mleColumnVariances(eigenvalues, k, s2[k]), s2[kRef]),
    });
  }
  return rows;
}
