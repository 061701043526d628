import { describe, expect, test } from '@jest/globals';
import {
  dequantize,
  inverseLogitTransform,
  logDetConstant,
  logDetFromLogits,
  logSigmoidDerivative,
  logitTransform,
  sigmoid,
} from '../../../src/data/transform.ts';

const LAMBDA = 1e-6;

describe('logit transform', () => {
  test('inverse recovers x across (0,1), including the extremes of dequantised bytes', () => {
    for (const x of [1 / 512, 0.01, 0.25, 0.5, 0.9, (255 + 0.999) / 256]) {
      expect(inverseLogitTransform(logitTransform(x, LAMBDA), LAMBDA)).toBeCloseTo(x, 12);
    }
  });

  test('maps x = 0 and x = 1 to ±logit(λ) (finite) and is increasing', () => {
    const lo = logitTransform(0, LAMBDA);
    const hi = logitTransform(1, LAMBDA);
    expect(lo).toBeCloseTo(Math.log(LAMBDA / (1 - LAMBDA)), 9);
    expect(hi).toBeCloseTo(-lo, 9);
    expect(logitTransform(0.3, LAMBDA)).toBeLessThan(logitTransform(0.31, LAMBDA));
  });

  test('sigmoid is stable for large |y| and inverts logit', () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(Math.log(0.3 / 0.7))).toBeCloseTo(0.3, 14);
  });

  test('log(σ(y)(1−σ(y))) matches the direct formula and stays finite at |y| = 50', () => {
    for (const y of [-7, -0.3, 0, 2.5, 13.8]) {
      const s = sigmoid(y);
      expect(logSigmoidDerivative(y)).toBeCloseTo(Math.log(s * (1 - s)), 9);
    }
    expect(logSigmoidDerivative(50)).toBeCloseTo(-50, 9);
  });
});

describe('log-det-Jacobian of x ↦ y', () => {
  test('equals Σ log(dy_i/dx_i) from central finite differences', () => {
    const xs = [0.002, 0.1, 0.5, 0.77, 0.996];
    const ys = xs.map((x) => logitTransform(x, LAMBDA));
    const h = 1e-7;
    const fd = xs.reduce((acc, x) => acc + Math.log((logitTransform(x + h, LAMBDA) - logitTransform(x - h, LAMBDA)) / (2 * h)), 0);
    expect(logDetFromLogits(ys, LAMBDA)).toBeCloseTo(fd, 5);
  });

  test('is positive (the logit stretches (0,1)) and its constant is D·log(1−2λ)', () => {
    expect(logDetFromLogits([0, 0, 0], LAMBDA)).toBeCloseTo(3 * Math.log(4) + 3 * Math.log(1 - 2 * LAMBDA), 12);
    expect(logDetConstant(784, LAMBDA)).toBeCloseTo(784 * Math.log(1 - 2 * LAMBDA), 12);
  });

  test('sign convention: p(x) = p(y)·exp(logdet) integrates to 1 over (0,1) for a density on y', () => {
    // p(y) standard normal, scaled by 3 so the mass reaches the logit's tails.
    const logPy = (y: number) => -0.5 * (y / 3) ** 2 - Math.log(3 * Math.sqrt(2 * Math.PI));
    const n = 200_000;
    let integral = 0;
    for (let i = 0; i < n; i++) {
      const x = (i + 0.5) / n;
      const y = logitTransform(x, LAMBDA);
      integral += Math.exp(logPy(y) + logDetFromLogits([y], LAMBDA)) / n;
    }
    expect(integral).toBeCloseTo(1, 3);
  });

  test('dequantize puts byte b in [b/256, (b+1)/256)', () => {
    expect(dequantize(0, 0.5)).toBeCloseTo(0.5 / 256, 15);
    expect(dequantize(255, 0.999999)).toBeLessThan(1);
  });
});
