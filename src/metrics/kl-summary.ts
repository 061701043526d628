// Per-dimension summaries of a row-major [n, dims] KL matrix, small enough to store with every
// run (the full matrix is 48 MB for 60k × 200).

export const KL_QUANTILE_PROBS = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];

/** [dims, probs.length] row-major: quantile p of dimension d (nearest-rank, lower). */
export function perDimQuantiles(kl: ArrayLike<number>, n: number, dims: number, probs = KL_QUANTILE_PROBS): Float32Array {
  if (kl.length !== n * dims) throw new RangeError(`perDimQuantiles: expected ${n}×${dims} values, got ${kl.length}`);
  const out = new Float32Array(dims * probs.length);
  const column = new Float64Array(n);
  for (let d = 0; d < dims; d++) {
    for (let r = 0; r < n; r++) column[r] = kl[r * dims + d];
    column.sort();
    probs.forEach((p, j) => {
      out[d * probs.length + j] = column[Math.min(n - 1, Math.floor(p * (n - 1)))];
    });
  }
  return out;
}

export function perDimMeans(kl: ArrayLike<number>, n: number, dims: number): Float64Array {
  const out = new Float64Array(dims);
  for (let r = 0; r < n; r++) for (let d = 0; d < dims; d++) out[d] += kl[r * dims + d];
  return out.map((s) => s / n);
}
