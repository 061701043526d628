// Reads the per-instance deep-VAE artifacts a Table 1 fan-in needs (metrics.json and
// collapse-curve.csv), skipping instances that skipped themselves (CelebA without data).
import * as aq from 'arquero';
import { readFileSync } from 'node:fs';
import type { StageInput } from '../pipeline/stage.ts';
import type { InstanceCurvePoint, InstanceMetrics } from './table1.ts';

export interface Table1Inputs {
  metrics: InstanceMetrics[];
  curves: InstanceCurvePoint[];
  skipped: { id: string; reason: string }[];
}

export function readTable1Inputs(inputs: StageInput[], dataset: string): Table1Inputs {
  const out: Table1Inputs = { metrics: [], curves: [], skipped: [] };
  for (const input of inputs) {
    if (input.skipped) {
      out.skipped.push({ id: input.id, reason: input.skipped });
      continue;
    }
    const m = JSON.parse(readFileSync(input.outs.metrics, 'utf8')) as Record<string, unknown>;
    const key = {
      dataset: String(m.dataset ?? dataset),
      sigma2_init: Number(m.sigma2_init),
      learn_sigma2: Boolean(m.learn_sigma2),
      seed: Number(m.seed ?? input.matrix.seed ?? 0),
    };
    out.metrics.push({
      ...key,
      final_sigma2: Number(m.final_sigma2),
      elbo: Number(m.elbo),
      elbo_pixel: Number(m.elbo_pixel),
      tuned_elbo: Number(m.tuned_elbo),
      tuned_sigma2: Number(m.tuned_sigma2),
      collapse_pct: Number(m.collapse_pct),
      kl_total: Number(m.kl_total),
      active_units: Number(m.active_units),
    });
    const curve = aq.fromCSV(readFileSync(input.outs.collapse_curve, 'utf8')).objects() as { epsilon: number; collapsed_pct: number }[];
    for (const p of curve) out.curves.push({ ...key, epsilon: Number(p.epsilon), collapsed_pct: Number(p.collapsed_pct) });
  }
  return out;
}
