// Corollary 1's measurement: for each of the first k principal components, the largest |cosine|
// between it and any decoder column.

/** w: row-major n × k decoder; components: row-major n × n (column c = c-th eigenvector). */
export function maxAbsCosinePerComponent(w: ArrayLike<number>, n: number, k: number, components: ArrayLike<number>): number[] {
  const norms = Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i * k + j] ** 2;
    return Math.sqrt(s);
  });
  return Array.from({ length: k }, (_, c) => {
    let best = 0;
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += w[i * k + j] * components[i * n + c];
      if (norms[j] > 0) best = Math.max(best, Math.abs(dot) / norms[j]);
    }
    return best;
  });
}
