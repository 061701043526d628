import { describe, expect, test } from '@jest/globals';
import { addCollapseCurveSummary, deepVaeSummary, fixedSigma2Turn, tailMean } from '../../../src/report/results.ts';
import type { Table1Row } from '../../../src/report/science.ts';
import { PAPER_TABLE1 } from '../../fixtures/report/paper-table1.ts';

describe('results', () => {
  test('tailMean averages the last 10% (at least one point)', () => {
    expect(tailMean([0, 0, 0, 0, 0, 0, 0, 0, 10, 20])).toBe(20);
    expect(tailMean(Array.from({ length: 20 }, (_, i) => i))).toBe(18.5);
    expect(tailMean([7])).toBe(7);
  });

  test('fixedSigma2Turn: rise after k_ref and fall after the peak', () => {
    const rows = [10, 50, 100, 150, 200, 300].map((k, i) => ({ k, loglik_fixed_sigma2: [-900, -800, -760, -750, -755, -790][i] }));
    expect(fixedSigma2Turn(rows, 50)).toMatchObject({ k_ref: 50, peak_k: 150, rise_after_k_ref: 50, fall_after_peak: 40, max_k: 300 });
    // k_ref missing from the grid: the nearest k stands in.
    expect(fixedSigma2Turn(rows, 60).k_ref).toBe(50);
  });

  test('deepVaeSummary on the paper\'s MNIST rows gives the paper\'s headline numbers', () => {
    const rows = PAPER_TABLE1.filter((r) => r.dataset === 'mnist') as unknown as Table1Row[];
    const s = deepVaeSummary(rows);
    expect(s.fixed?.collapse_pct).toEqual([89.88, 27.38, 3.25, 0, 0]);
    expect(s.fixed?.sigma2_init).toEqual([10, 1, 0.1, 0.01, 0.001]);
    expect(s.fixed?.tuned_minus_elbo_min).toBeCloseTo(3.8, 6);
    expect(s.fixed?.tuned_best_minus_largest_init).toBeCloseTo(79.9, 6);
    expect(s.learned?.final_sigma2_ratio).toBeCloseTo(1.32 / 1.183, 9);
    expect(s.learned?.collapse_largest_minus_smallest_init).toBeCloseTo(46.75, 9);
  });
});

describe('addCollapseCurveSummary', () => {
  test('mean collapse over the ε grid per init σ², largest first, and its spread', () => {
    const rows = [
      // σ² = 10 collapses from ε = 0.1 on, σ² = 0.1 only at ε = 10
      ...[0.01, 0.1, 1, 10].map((epsilon) => ({ sigma2_init: 10, learn_sigma2: false, epsilon, collapsed_pct_mean: epsilon >= 0.1 ? 80 : 0 })),
      ...[0.01, 0.1, 1, 10].map((epsilon) => ({ sigma2_init: 0.1, learn_sigma2: false, epsilon, collapsed_pct_mean: epsilon >= 10 ? 40 : 0 })),
    ];
    const r = { schema: 1, profile: 'quick', data: {}, deep_vae: {}, stages: {}, skipped: {} } as unknown as Parameters<typeof addCollapseCurveSummary>[0];
    addCollapseCurveSummary(r, rows as never);
    const fixed = (r.deep_vae as Record<string, Record<string, Record<string, unknown>>>).mnist.fixed;
    expect(fixed.collapse_curve_mean).toEqual([60, 10]);
    expect(fixed.collapse_curve_mean_largest_minus_smallest_init).toBe(50);
    expect((r.deep_vae as Record<string, Record<string, unknown>>).mnist.learned).toBeUndefined();
  });
});
