// Figure 1 and the stability of pPCA's stationary points (paper §4.1, Tipping & Bishop App. A).
// At σ² fixed, W = [first `base` principal components scaled per eq. 8, zeros elsewhere] is a
// stationary point of the log marginal likelihood. Perturbing a zero column along u_i changes the
// per-example likelihood by −½[log(1 + a²/σ²) − λ_i a² / (σ²(σ² + a²))] ≈ a²(λ_i − σ²)/(2σ⁴):
// direction u_i can be captured (the point is a saddle along it) iff λ_i > σ².
import { Matrix } from 'ml-matrix';
import type { DecoderGram, PpcaFit } from './ppca.ts';
import { logLikelihoodFromGram } from './ppca.ts';

export interface LandscapePanel {
  sigma2: number;
  label: string;
  /** Whether u_i, u_j can be captured at this σ² (λ > σ²). */
  captures: [boolean, boolean];
}

/**
 * Three σ² for directions i < j (1-based) chosen from the theory, on a log scale symmetric around
 * the eigenvalues: σ²_B = √(λ_i λ_j) lies between them (only u_i capturable); σ²_A = λ_i·r above
 * λ_i (neither) but kept below λ_base so the base columns stay non-zero; σ²_C = λ_j / r below
 * λ_j (both), with r = √(λ_i/λ_j).
 */
export function chooseLandscapePanels(eigenvalues: ArrayLike<number>, base: number, directions: [number, number]): LandscapePanel[] {
  const [i, j] = directions;
  if (!(i > base && j > i && j <= eigenvalues.length)) {
    throw new Error(`Figure 1 directions must satisfy ${base} < i < j ≤ ${eigenvalues.length}, found [${i}, ${j}]`);
  }
  const li = eigenvalues[i - 1];
  const lj = eigenvalues[j - 1];
  const lb = eigenvalues[base - 1];
  if (!(lb > li && li > lj)) throw new Error(`Figure 1 needs λ_${base} > λ_${i} > λ_${j}, found ${lb}, ${li}, ${lj}`);
  const r = Math.sqrt(li / lj);
  const sigmas = [Math.min(li * r, Math.sqrt(lb * li)), Math.sqrt(li * lj), lj / r];
  const labels = ['neither direction captured', `only u${i} captured`, 'both directions captured'];
  return sigmas.map((sigma2, p) => ({ sigma2, label: `σ² = ${sigma2.toPrecision(3)}: ${labels[p]}`, captures: [li > sigma2, lj > sigma2] }));
}

/**
 * Gram statistics of W = [√c_1 u_1, …, √c_base u_base, a u_i, b u_j]: with orthonormal
 * eigenvectors WᵀW = diag(c, a², b²) and WᵀSW = diag(cλ, a²λ_i, b²λ_j) exactly.
 */
export function perturbedGram(fit: PpcaFit, base: number, sigma2: number, directions: [number, number], a: number, b: number): DecoderGram {
  const idx = [...Array.from({ length: base }, (_, t) => t), directions[0] - 1, directions[1] - 1];
  const sq = [...Array.from({ length: base }, (_, t) => Math.max(fit.eigenvalues[t] - sigma2, 0)), a * a, b * b];
  const k = idx.length;
  const wtw = Matrix.zeros(k, k);
  const wtsw = Matrix.zeros(k, k);
  idx.forEach((e, t) => {
    wtw.set(t, t, sq[t]);
    wtsw.set(t, t, sq[t] * fit.eigenvalues[e]);
  });
  let traceCov = 0;
  for (const l of fit.eigenvalues) traceCov += l;
  return { dim: fit.dim, traceCov, wtw, wtsw };
}

export interface LandscapePoint {
  a: number;
  b: number;
  loglik: number;
  deltaLoglik: number;
}

/** Per-example log marginal likelihood on the grid coefficients × coefficients. */
export function landscapeGrid(fit: PpcaFit, base: number, sigma2: number, directions: [number, number], coefficients: number[]): LandscapePoint[] {
  const at = (a: number, b: number) => logLikelihoodFromGram(perturbedGram(fit, base, sigma2, directions, a, b), sigma2);
  const origin = at(0, 0);
  const out: LandscapePoint[] = [];
  for (const a of coefficients) for (const b of coefficients) {
    const loglik = at(a, b);
    out.push({ a, b, loglik, deltaLoglik: loglik - origin });
  }
  return out;
}

/** The closed-form change along one zero column (header formula), for checks. */
export function columnPerturbationDelta(lambda: number, sigma2: number, a: number): number {
  return -0.5 * (Math.log1p((a * a) / sigma2) - (lambda * a * a) / (sigma2 * (sigma2 + a * a)));
}

/** Symmetric grid −extent..extent with `points` values (odd counts include 0). */
export function symmetricGrid(extent: number, points: number): number[] {
  if (points < 2) return [0];
  return Array.from({ length: points }, (_, t) => -extent + (2 * extent * t) / (points - 1));
}
