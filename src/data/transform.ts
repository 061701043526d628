// Dequantisation and the logit transform of MAF (Papamakarios et al. 2017, datasets/mnist.py):
//   x = (b + u) / 256,  u ~ U(0,1)            (pixel space, 0 < x < 1)
//   y = logit(λ + (1 − 2λ) x),  λ = 1e-6       (logit space)
// Densities convert with the Jacobian of x ↦ y, which is diagonal:
//   dy_i/dx_i = (1 − 2λ) / (s_i (1 − s_i)),  s_i = λ + (1 − 2λ) x_i = sigmoid(y_i)
//   log p(x) = log p(y) + D·log(1 − 2λ) − Σ_i log(s_i (1 − s_i))
// (log p(x) is a density on [0,1]^D; for the density of b + u on [0,256]^D subtract D·log 256.)

export type DataSpace = 'logit' | 'pixel';

export const MAF_LAMBDA = 1e-6;

export function dequantize(byte: number, u: number): number {
  return (byte + u) / 256;
}

export function logitTransform(x: number, lambda: number): number {
  const s = lambda + (1 - 2 * lambda) * x;
  return Math.log(s) - Math.log1p(-s);
}

export function inverseLogitTransform(y: number, lambda: number): number {
  return (sigmoid(y) - lambda) / (1 - 2 * lambda);
}

export function sigmoid(y: number): number {
  return y >= 0 ? 1 / (1 + Math.exp(-y)) : Math.exp(y) / (1 + Math.exp(y));
}

/** log(σ(y)(1 − σ(y))) = −(|y| + 2·log1p(e^{−|y|})), stable for large |y|. */
export function logSigmoidDerivative(y: number): number {
  const a = Math.abs(y);
  return -(a + 2 * Math.log1p(Math.exp(-a)));
}

/** D·log(1 − 2λ): the part of the log-det that does not depend on the image. */
export function logDetConstant(dim: number, lambda: number): number {
  return dim * Math.log1p(-2 * lambda);
}

/** log|det dy/dx| for one image given its logit-space values y (length D). */
export function logDetFromLogits(y: ArrayLike<number>, lambda: number, start = 0, dim = y.length): number {
  let sum = 0;
  for (let i = start; i < start + dim; i++) sum += logSigmoidDerivative(y[i]);
  return logDetConstant(dim, lambda) - sum;
}

export const LOGDET_FORMULA =
  'log p(x) = log p(y) + logdet, logdet = D*log(1 - 2*lambda) - sum_i log(s_i*(1 - s_i)), s = sigmoid(y) = lambda + (1 - 2*lambda)*x, x = (b + u)/256 in (0,1)';
