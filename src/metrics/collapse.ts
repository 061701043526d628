// (ε,δ)-collapse (paper §6.2): latent dimension i is collapsed when
//   P_x[ KL(q(z_i|x) ‖ p(z_i)) < ε ] ≥ 1 − δ.
// Per dimension that holds iff at most ⌊δN⌋ of the N rows have KL ≥ ε, i.e. iff the
// (N − ⌊δN⌋)-th smallest KL of that dimension is < ε. That order statistic ("threshold") is
// computed once per dimension; the curve over ε then costs nothing.

export const DEFAULT_DELTA = 0.01;

/** How many of n rows may violate KL < ε while the dimension still counts as collapsed. */
export function allowedExceptions(n: number, delta: number): number {
  if (!(delta >= 0 && delta < 1)) throw new RangeError(`delta must be in [0, 1), got ${delta}`);
  return Math.floor(delta * n + 1e-9);
}

/**
 * For each dimension of a row-major [n, dims] KL matrix, the (n − ⌊δn⌋)-th smallest KL value:
 * dimension i is (ε,δ)-collapsed exactly when thresholds[i] < ε.
 */
export function collapseThresholds(kl: ArrayLike<number>, n: number, dims: number, delta = DEFAULT_DELTA): Float64Array {
  if (kl.length !== n * dims) throw new RangeError(`collapseThresholds: expected ${n}×${dims} values, got ${kl.length}`);
  if (n === 0) throw new RangeError('collapseThresholds: no rows');
  const k = n - allowedExceptions(n, delta) - 1; // 0-based rank of the order statistic
  const column = new Float64Array(n);
  const out = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    for (let r = 0; r < n; r++) column[r] = kl[r * dims + d];
    out[d] = quickselect(column, k);
  }
  return out;
}

/** Percentage (0–100) of dimensions (ε,δ)-collapsed, from collapseThresholds(). */
export function collapsedPercent(thresholds: ArrayLike<number>, epsilon: number): number {
  let c = 0;
  for (let i = 0; i < thresholds.length; i++) if (thresholds[i] < epsilon) c++;
  return (100 * c) / thresholds.length;
}

/** num values from `from` to `to` evenly spaced in log10 (both ends included). */
export function logspace(from: number, to: number, num: number): number[] {
  if (!(from > 0 && to > 0) || num < 2) throw new RangeError(`logspace(${from}, ${to}, ${num})`);
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: num }, (_, i) => 10 ** (a + ((b - a) * i) / (num - 1)));
}

export interface CollapsePoint {
  epsilon: number;
  collapsed_pct: number;
}

export function collapseCurve(thresholds: ArrayLike<number>, epsilons: number[]): CollapsePoint[] {
  return epsilons.map((epsilon) => ({ epsilon, collapsed_pct: collapsedPercent(thresholds, epsilon) }));
}

/** The ε grid of Figures 5–6: 1e-4 … 10, 41 points (8 per decade + 1). */
export function defaultEpsilonGrid(): number[] {
  return logspace(1e-4, 10, 41);
}

/** k-th smallest (0-based) of `a`, reordering `a` in place (Hoare/Floyd–Rivest-style selection). */
export function quickselect(a: Float64Array, k: number): number {
  if (k < 0 || k >= a.length) throw new RangeError(`quickselect: k=${k} outside [0, ${a.length})`);
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
