// Figure 3: training a linear VAE with the analytic ELBO gradient vs the one-sample
// reparameterised estimate, same learning rate, full batch: the analytic one converges faster.
import type { TopLevelSpec } from 'vega-lite';
import { trainingCurvesSpec } from './training-curves.ts';

export interface EstimatorCurveRow {
  step: number;
  method: string;
  elbo: number;
}

export function figure3Spec(rows: EstimatorCurveRow[], opts: { space?: string } = {}): TopLevelSpec {
  const label = (m: string) => (m === 'analytic' ? 'analytic ELBO' : m === 'stochastic' ? 'stochastic ELBO (1 sample)' : m);
  const values = rows.filter((r) => Number.isFinite(r.elbo)).map((r) => ({ step: r.step, elbo: r.elbo, method: label(r.method) }));
  return trainingCurvesSpec({
    title: 'Figure 3: stochastic vs analytic ELBO training',
    subtitle: 'linear VAE, full batch on the MNIST subset, same learning rate for both',
    values,
    series: { field: 'method', title: 'gradient of', scale: { domain: ['analytic ELBO', 'stochastic ELBO (1 sample)'], range: ['#1f77b4', '#ff7f0e'] } },
    space: opts.space,
  });
}
