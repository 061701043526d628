import { describe, expect, it } from '@jest/globals';
import { gaussianElbo, optimalSigma2, tunedElbo } from '../../../src/metrics/sigma2-tuning.ts';

describe('σ²-tuning', () => {
  const pieces = { meanSquaredError: 784 * 0.5, meanKl: 30, dim: 784 };

  it('gaussianElbo matches eq. 10 by hand', () => {
    // σ² = 1: −30 − 392/2 − 392·log(2π)
    expect(gaussianElbo(pieces, 1)).toBeCloseTo(-30 - 196 - 392 * Math.log(2 * Math.PI), 9);
  });

  it('σ²* = S/n and the tuned ELBO is the maximum over σ²', () => {
    expect(optimalSigma2(pieces)).toBeCloseTo(0.5, 12);
    const { sigma2, elbo } = tunedElbo(pieces);
    expect(elbo).toBeCloseTo(-30 - 392 - 392 * Math.log(2 * Math.PI * 0.5), 9);
    for (const s of [0.001, 0.1, 0.49, 0.51, 1, 10]) expect(gaussianElbo(pieces, s)).toBeLessThan(elbo);
    expect(gaussianElbo(pieces, sigma2)).toBeCloseTo(elbo, 9);
  });

  it('rejects σ² ≤ 0', () => {
    expect(() => gaussianElbo(pieces, 0)).toThrow(RangeError);
  });
});
