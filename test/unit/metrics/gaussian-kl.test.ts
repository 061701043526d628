import { describe, expect, it } from '@jest/globals';
import { gaussianKlToStdNormal, klPerDim } from '../../../src/metrics/gaussian-kl.ts';

describe('gaussianKlToStdNormal', () => {
  it('is zero at the prior', () => {
    expect(gaussianKlToStdNormal(0, 0)).toBe(0);
  });
  it('matches hand-computed values', () => {
    // μ = 1, σ² = 1: ½(1 + 1 − 1 − 0) = 0.5
    expect(gaussianKlToStdNormal(1, 0)).toBeCloseTo(0.5, 12);
    // μ = 0, σ² = e: ½(0 + e − 1 − 1) = (e − 2)/2
    expect(gaussianKlToStdNormal(0, 1)).toBeCloseTo((Math.E - 2) / 2, 12);
    // μ = 2, σ² = 0.25: ½(4 + 0.25 − 1 − log 0.25)
    expect(gaussianKlToStdNormal(2, Math.log(0.25))).toBeCloseTo(0.5 * (3.25 + Math.log(4)), 12);
  });
  it('klPerDim maps element-wise and checks lengths', () => {
    expect(Array.from(klPerDim([0, 1], [0, 0]))).toEqual([0, 0.5]);
    expect(() => klPerDim([0], [0, 1])).toThrow(RangeError);
  });
});
