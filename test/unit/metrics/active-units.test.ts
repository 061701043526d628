import { describe, expect, it } from '@jest/globals';
import { countActiveUnits, MeanVarianceAccumulator } from '../../../src/metrics/active-units.ts';

describe('active units', () => {
  it('accumulates population variance per dimension across blocks', () => {
    const acc = new MeanVarianceAccumulator(2);
    // dim 0: 1, 2, 3, 4 → mean 2.5, var 1.25; dim 1: constant 7 → var 0
    acc.add([1, 7, 2, 7]);
    acc.add([3, 7, 4, 7]);
    expect(acc.count).toBe(4);
    const v = acc.variance();
    expect(v[0]).toBeCloseTo(1.25, 12);
    expect(v[1]).toBeCloseTo(0, 12);
    expect(acc.means()[1]).toBeCloseTo(7, 12);
  });

  it('stays accurate for a large common offset', () => {
    const acc = new MeanVarianceAccumulator(1);
    acc.add([1e6 + 0.1, 1e6 - 0.1, 1e6 + 0.1, 1e6 - 0.1]);
    expect(acc.variance()[0]).toBeCloseTo(0.01, 8);
  });

  it('counts dimensions whose variance exceeds 0.01', () => {
    expect(countActiveUnits([0.5, 0.01, 0.0099, 0.02])).toBe(2);
  });
});
