// Float64 row kernels for the linear VAE's closed-form updates. A decoder is held as the k rows of
// Wᵀ (k × n, row-major), so every product below runs over contiguous rows. The one O(n²k)
// product per sweep, Wᵀ S, streams each row of S once per 4 output rows (S is 4.9 MB at n = 784,
// beyond the caches; 4 accumulator rows stay in L1) — ~1 GFLOP/s in plain JS, enough for k ≤ 100.
import { Matrix } from 'ml-matrix';

/** P = A·S for A (k × n) and a symmetric S (n × n, row-major): P's row j is Σ_l A[j,l] S[l,:]. */
export function rowsTimesSymmetric(a: Float64Array, k: number, s: Float64Array, n: number): Float64Array {
  if (a.length !== k * n || s.length !== n * n) throw new Error(`rowsTimesSymmetric: A has ${a.length} entries (k·n = ${k * n}), S has ${s.length} (n² = ${n * n})`);
  const out = new Float64Array(k * n);
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const o0 = j * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    for (let l = 0; l < n; l++) {
      const a0 = a[o0 + l], a1 = a[o1 + l], a2 = a[o2 + l], a3 = a[o3 + l];
      const r = l * n;
      for (let i = 0; i < n; i++) {
        const v = s[r + i];
        out[o0 + i] += a0 * v;
        out[o1 + i] += a1 * v;
        out[o2 + i] += a2 * v;
        out[o3 + i] += a3 * v;
      }
    }
  }
  for (; j < k; j++) {
    const o = j * n;
    for (let l = 0; l < n; l++) {
      const c = a[o + l];
      const r = l * n;
      for (let i = 0; i < n; i++) out[o + i] += c * s[r + i];
    }
  }
  return out;
}

/** G[i,j] = a_i · b_j for the rows of A (ka × n) and B (kb × n). */
export function rowGram(a: Float64Array, ka: number, b: Float64Array, kb: number, n: number): Matrix {
  const g = new Matrix(ka, kb);
  const symmetric = a === b;
  for (let i = 0; i < ka; i++) {
    for (let j = symmetric ? i : 0; j < kb; j++) {
      let acc = 0;
      const oa = i * n, ob = j * n;
      for (let l = 0; l < n; l++) acc += a[oa + l] * b[ob + l];
      g.set(i, j, acc);
      if (symmetric) g.set(j, i, acc);
    }
  }
  return g;
}

/** Rows of C·A for C (m × k) and A (k × n): out row j = Σ_a C[j,a] A[a,:]. */
export function combineRows(c: Matrix, a: Float64Array, n: number): Float64Array {
  const m = c.rows;
  const k = c.columns;
  if (a.length !== k * n) throw new Error(`combineRows: C is ${m}×${k}, A has ${a.length} entries (expected ${k * n})`);
  const out = new Float64Array(m * n);
  for (let j = 0; j < m; j++) {
    const o = j * n;
    for (let q = 0; q < k; q++) {
      const coeff = c.get(j, q);
      if (coeff === 0) continue;
      const r = q * n;
      for (let i = 0; i < n; i++) out[o + i] += coeff * a[r + i];
    }
  }
  return out;
}

export function traceOf(m: Matrix): number {
  let t = 0;
  for (let i = 0; i < Math.min(m.rows, m.columns); i++) t += m.get(i, i);
  return t;
}
