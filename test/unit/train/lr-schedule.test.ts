import { describe, expect, it } from '@jest/globals';
import { cosineLearningRate } from '../../../src/train/lr-schedule.ts';

describe('cosineLearningRate', () => {
  it('starts at lr, ends at finalLr, passes their mean halfway and never rises', () => {
    const steps = 101;
    const rates = Array.from({ length: steps }, (_, i) => cosineLearningRate(i + 1, steps, 3e-3, 6e-5));
    expect(rates[0]).toBeCloseTo(3e-3, 15);
    expect(rates[steps - 1]).toBeCloseTo(6e-5, 15);
    expect(rates[50]).toBeCloseTo((3e-3 + 6e-5) / 2, 15);
    for (let i = 1; i < steps; i++) expect(rates[i]).toBeLessThanOrEqual(rates[i - 1]);
  });

  it('is constant when finalLr equals lr, and a single step uses lr', () => {
    expect(cosineLearningRate(37, 100, 1e-3, 1e-3)).toBe(1e-3);
    expect(cosineLearningRate(1, 1, 1e-3, 1e-5)).toBe(1e-3);
  });
});
