import { describe, expect, it } from '@jest/globals';
import {
  allowedExceptions, collapseCurve, collapsedPercent, collapseThresholds, defaultEpsilonGrid, logspace, quickselect,
} from '../../../src/metrics/collapse.ts';

describe('(ε,δ)-collapse', () => {
  it('allows ⌊δN⌋ exceptions', () => {
    expect(allowedExceptions(100, 0.01)).toBe(1);
    expect(allowedExceptions(99, 0.01)).toBe(0);
    expect(allowedExceptions(1000, 0.01)).toBe(10);
    expect(allowedExceptions(5, 0)).toBe(0);
  });

  it('counts a dimension collapsed iff ≥ 1−δ of the rows have KL < ε (hand-built case)', () => {
    // 100 rows, 3 dims. dim 0: all KL = 0.001. dim 1: one row at 5, rest 0.001 (1 exception allowed).
    // dim 2: two rows at 5 (too many exceptions at ε ≤ 5).
    const n = 100;
    const kl = new Float32Array(n * 3).fill(0.001);
    kl[7 * 3 + 1] = 5;
    kl[3 * 3 + 2] = 5;
    kl[50 * 3 + 2] = 5;
    const t = collapseThresholds(kl, n, 3, 0.01);
    expect(t[0]).toBeCloseTo(0.001, 6);
    expect(t[1]).toBeCloseTo(0.001, 6);
    expect(t[2]).toBe(5);
    expect(collapsedPercent(t, 0.01)).toBeCloseTo(200 / 3, 10);
    expect(collapsedPercent(t, 5)).toBeCloseTo(200 / 3, 10); // strict: KL < ε
    expect(collapsedPercent(t, 5.0001)).toBe(100);
    expect(collapsedPercent(t, 0.0005)).toBe(0);
  });

  it('agrees with a direct count on random data', () => {
    const n = 257;
    const dims = 6;
    let s = 1;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const kl = Float64Array.from({ length: n * dims }, () => rand() ** 3);
    const t = collapseThresholds(kl, n, dims, 0.01);
    for (const eps of [0.01, 0.1, 0.3, 0.5, 0.9]) {
      let direct = 0;
      for (let d = 0; d < dims; d++) {
        let below = 0;
        for (let r = 0; r < n; r++) if (kl[r * dims + d] < eps) below++;
        if (below >= (1 - 0.01) * n) direct++;
      }
      expect(collapsedPercent(t, eps)).toBeCloseTo((100 * direct) / dims, 10);
    }
  });

  it('gives a non-decreasing curve over the ε grid', () => {
    const kl = Float32Array.from({ length: 50 * 4 }, (_, i) => (i % 4) * 0.3 + 0.00001 * i);
    const curve = collapseCurve(collapseThresholds(kl, 50, 4), defaultEpsilonGrid());
    expect(curve).toHaveLength(41);
    expect(curve[0].epsilon).toBeCloseTo(1e-4, 12);
    expect(curve[40].epsilon).toBeCloseTo(10, 9);
    for (let i = 1; i < curve.length; i++) expect(curve[i].collapsed_pct).toBeGreaterThanOrEqual(curve[i - 1].collapsed_pct);
    expect(curve[40].collapsed_pct).toBe(100);
  });

  it('logspace and quickselect', () => {
    expect(logspace(1, 100, 3).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 10, 100]);
    const a = Float64Array.from([5, 1, 4, 2, 3, 3]);
    expect(quickselect(a.slice(), 0)).toBe(1);
    expect(quickselect(a.slice(), 2)).toBe(3);
    expect(quickselect(a.slice(), 5)).toBe(5);
    expect(() => collapseThresholds([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});
