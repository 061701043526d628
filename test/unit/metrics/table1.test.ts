import { describe, expect, it } from '@jest/globals';
import { aggregateCollapseCurves, aggregateTable1, joinPaper, loadPaperTable1, table1Markdown, type InstanceMetrics } from '../../../src/metrics/table1.ts';

const inst = (sigma2_init: number, learn: boolean, seed: number, elbo: number, collapse: number): InstanceMetrics => ({
  dataset: 'mnist', sigma2_init, learn_sigma2: learn, seed, final_sigma2: learn ? 1.2 : sigma2_init, elbo, elbo_pixel: elbo + 100,
  tuned_elbo: elbo + 10, tuned_sigma2: 1.5, collapse_pct: collapse, kl_total: 50, active_units: 20,
});

describe('Table 1 aggregation', () => {
  it('gives mean ± sample std over seeds, ordered like the paper', () => {
    const rows = aggregateTable1([
      inst(1, false, 0, -1000, 10), inst(1, false, 1, -1010, 20),
      inst(10, false, 0, -1400, 80), inst(10, true, 0, -1020, 70),
    ]);
    expect(rows.map((r) => [r.sigma2_init, r.learn_sigma2])).toEqual([[10, false], [1, false], [10, true]]);
    const r1 = rows[1];
    expect(r1.elbo_mean).toBeCloseTo(-1005, 10);
    expect(r1.elbo_std).toBeCloseTo(Math.sqrt(50), 10); // sample std of {-1000, -1010}
    expect(r1.collapse_pct_mean).toBeCloseTo(15, 10);
    expect(r1.seeds).toBe(2);
    expect(rows[0].elbo_std).toBe(0); // one seed: 0, not NaN
  });

  it('aggregates collapse curves per ε', () => {
    const pts = [0, 1].flatMap((seed) => [1e-2, 1].map((epsilon) => ({
      dataset: 'mnist', sigma2_init: 1, learn_sigma2: false, seed, epsilon, collapsed_pct: epsilon === 1 ? 50 + seed * 10 : 0,
    })));
    const rows = aggregateCollapseCurves(pts);
    expect(rows).toHaveLength(2);
    expect(rows[1].epsilon).toBe(1);
    expect(rows[1].collapsed_pct_mean).toBeCloseTo(55, 10);
  });

  it('joins the paper values and renders Markdown', () => {
    const paper = loadPaperTable1();
    expect(paper).toHaveLength(20);
    const joined = joinPaper(aggregateTable1([inst(10, false, 0, -1400, 80)]), paper);
    expect(joined[0].paper_elbo_mean).toBeCloseTo(-1450.3, 6);
    expect(joined[0].paper_collapse_pct).toBeCloseTo(89.88, 6);
    const md = table1Markdown(joined);
    expect(md).toContain('| mnist | 10.0 | fixed |');
    expect(md).toContain('-1400.0 ± 0.0');
    expect(md).toContain('89.88');
  });
});
