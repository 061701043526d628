// Writes one sweep instance's artifacts (docs/artifacts.md, deep-vae):
//   metrics.json, curve.csv (step, elbo, sigma2), collapse-curve.csv (epsilon, collapsed_pct),
//   kl-quantiles.npy float32 [latent, 9] (probs in metrics.json), kl-thresholds.npy float64 [latent]
//   (the (ε,δ) order statistic: dim i collapsed iff threshold < ε), kl-mean.npy float64 [latent],
//   mu-variance.npy float64 [latent] (Var_x E_q[z_i], the active-unit statistic).
import * as aq from 'arquero';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.ts';
import { writeNpy } from '../io/npy.ts';
import { KL_QUANTILE_PROBS } from '../metrics/kl-summary.ts';
import type { ExperimentResult } from './deep-vae-experiment.ts';

export const DEEP_VAE_OUTS = {
  metrics: 'metrics.json',
  curve: 'curve.csv',
  collapse_curve: 'collapse-curve.csv',
  kl_quantiles: 'kl-quantiles.npy',
  kl_thresholds: 'kl-thresholds.npy',
  kl_mean: 'kl-mean.npy',
  mu_variance: 'mu-variance.npy',
} as const;

export function writeDeepVaeOutputs(
  out: (name: keyof typeof DEEP_VAE_OUTS) => string,
  result: ExperimentResult,
  extra: Record<string, unknown>,
): void {
  const { evaluation: e, train } = result;
  const latent = e.klThresholds.length;
  writeNpy(out('kl_quantiles'), { data: e.klQuantiles, shape: [latent, KL_QUANTILE_PROBS.length] });
  writeNpy(out('kl_thresholds'), { data: e.klThresholds, shape: [latent] });
  writeNpy(out('kl_mean'), { data: e.klMeanPerDim, shape: [latent] });
  writeNpy(out('mu_variance'), { data: e.muVariance, shape: [latent] });
  writeFileAtomic(out('curve'), aq.from(train.curve).toCSV());
  writeFileAtomic(out('collapse_curve'), aq.from(e.collapseCurve).toCSV());
  writeJsonAtomic(out('metrics'), { ...result.metrics, kl_quantile_probs: KL_QUANTILE_PROBS, ...extra });
}
