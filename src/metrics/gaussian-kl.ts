// KL(N(μ, σ²) ‖ N(0, 1)) per latent dimension, the quantity behind the (ε,δ)-collapse test:
//   KL_i = ½ (μ_i² + σ_i² − 1 − log σ_i²)
// Computed in float64 and clamped at 0: in float32 the terms cancel to small negatives near the prior.

export function gaussianKlToStdNormal(mu: number, logVar: number): number {
  const kl = 0.5 * (mu * mu + Math.exp(logVar) - 1 - logVar);
  return kl > 0 ? kl : 0;
}

/** Row-major [rows, dims] μ and log σ² → KL per (row, dim), same layout. */
export function klPerDim(mu: ArrayLike<number>, logVar: ArrayLike<number>, out?: Float32Array): Float32Array {
  if (mu.length !== logVar.length) throw new RangeError(`klPerDim: μ has ${mu.length} values, log σ² has ${logVar.length}`);
  const kl = out ?? new Float32Array(mu.length);
  for (let i = 0; i < mu.length; i++) kl[i] = gaussianKlToStdNormal(mu[i], logVar[i]);
  return kl;
}
