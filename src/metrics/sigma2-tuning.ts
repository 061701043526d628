// The Gaussian-observation ELBO of eq. 10 as a function of σ², given what the trained networks
// produce on the data: the mean squared reconstruction error S = E_x E_q ‖x − D(z)‖² (per example,
// summed over the n data dimensions) and the mean KL. For fixed networks
//   ELBO(σ²) = −KL − S / (2σ²) − (n/2) log(2πσ²)
// is maximised by σ²* = S / n, where it equals −KL − n/2 − (n/2) log(2πσ²*).

export interface ElboPieces {
  /** E‖x − D(z)‖² per example (nats-free: a sum of squares over the n dimensions). */
  meanSquaredError: number;
  /** E_x KL(q(z|x) ‖ p(z)) per example. */
  meanKl: number;
  /** Data dimension n (784 for MNIST). */
  dim: number;
}

export function gaussianElbo(p: ElboPieces, sigma2: number): number {
  if (!(sigma2 > 0)) throw new RangeError(`σ² must be > 0, got ${sigma2}`);
  return -p.meanKl - p.meanSquaredError / (2 * sigma2) - 0.5 * p.dim * Math.log(2 * Math.PI * sigma2);
}

export function optimalSigma2(p: ElboPieces): number {
  return p.meanSquaredError / p.dim;
}

export function tunedElbo(p: ElboPieces): { sigma2: number; elbo: number } {
  const sigma2 = optimalSigma2(p);
  return { sigma2, elbo: gaussianElbo(p, sigma2) };
}
