// Table 1 of the paper from the per-instance deep-VAE metrics: mean ± std over seeds per
// (dataset, init σ², fixed/learned), the aggregated (ε,δ)-collapse curves of Figures 5–6, and
// the paper's own values joined side by side. Aggregation through arquero (groupby/rollup).
import * as aq from 'arquero';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface InstanceMetrics {
  dataset: string;
  sigma2_init: number;
  learn_sigma2: boolean;
  seed: number;
  final_sigma2: number;
  elbo: number;
  elbo_pixel: number;
  tuned_elbo: number;
  tuned_sigma2: number;
  collapse_pct: number;
  kl_total: number;
  active_units: number;
}

export interface InstanceCurvePoint {
  dataset: string;
  sigma2_init: number;
  learn_sigma2: boolean;
  seed: number;
  epsilon: number;
  collapsed_pct: number;
}

export type Row = Record<string, number | string | boolean | null>;

export const PAPER_TABLE1_PATH = fileURLToPath(new URL('./paper-table1.csv', import.meta.url));

const KEYS = ['dataset', 'sigma2_init', 'learn_sigma2'];

/** Sample std (n − 1); 0 for a single seed rather than NaN, so CSV and Markdown stay numeric. */
function finiteOrZero(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function ordered(t: aq.ColumnTable): aq.ColumnTable {
  return t.orderby('dataset', 'learn_sigma2', aq.desc('sigma2_init'));
}

export function aggregateTable1(rows: InstanceMetrics[]): Row[] {
  if (rows.length === 0) return [];
  const t = aq
    .from(rows)
    .groupby(...KEYS)
    .rollup({
      final_sigma2_mean: 'd => op.mean(d.final_sigma2)',
      final_sigma2_std: 'd => op.stdev(d.final_sigma2)',
      elbo_mean: 'd => op.mean(d.elbo)',
      elbo_std: 'd => op.stdev(d.elbo)',
      elbo_pixel_mean: 'd => op.mean(d.elbo_pixel)',
      tuned_elbo_mean: 'd => op.mean(d.tuned_elbo)',
      tuned_elbo_std: 'd => op.stdev(d.tuned_elbo)',
      tuned_sigma2_mean: 'd => op.mean(d.tuned_sigma2)',
      collapse_pct_mean: 'd => op.mean(d.collapse_pct)',
      collapse_pct_std: 'd => op.stdev(d.collapse_pct)',
      kl_mean: 'd => op.mean(d.kl_total)',
      kl_std: 'd => op.stdev(d.kl_total)',
      active_units_mean: 'd => op.mean(d.active_units)',
      seeds: 'd => op.count()',
    });
  return (ordered(t).objects() as Row[]).map((r) => {
    const out: Row = { ...r };
    for (const k of Object.keys(out)) if (k.endsWith('_std')) out[k] = finiteOrZero(out[k]);
    return out;
  });
}

export function aggregateCollapseCurves(points: InstanceCurvePoint[]): Row[] {
  if (points.length === 0) return [];
  const t = aq
    .from(points)
    .groupby(...KEYS, 'epsilon')
    .rollup({
      collapsed_pct_mean: 'd => op.mean(d.collapsed_pct)',
      collapsed_pct_std: 'd => op.stdev(d.collapsed_pct)',
      seeds: 'd => op.count()',
    })
    .orderby('dataset', 'learn_sigma2', aq.desc('sigma2_init'), 'epsilon');
  return (t.objects() as Row[]).map((r) => ({ ...r, collapsed_pct_std: finiteOrZero(r.collapsed_pct_std) }));
}

/** The paper's Table 1 (src/metrics/paper-table1.csv), typed. */
export function loadPaperTable1(path = PAPER_TABLE1_PATH): Row[] {
  const t = aq.fromCSV(readFileSync(path, 'utf8'), { parse: { learn_sigma2: (v: string) => v === 'true', dataset: String } });
  return t.objects() as Row[];
}

/** Our rows with the paper's values as `paper_*` columns (null where the paper has no row). */
export function joinPaper(ours: Row[], paper: Row[]): Row[] {
  const key = (r: Row) => `${r.dataset}|${Number(r.sigma2_init)}|${r.learn_sigma2}`;
  const byKey = new Map(paper.map((p) => [key(p), p]));
  return ours.map((r) => {
    const p = byKey.get(key(r));
    return {
      ...r,
      paper_final_sigma2: p?.final_sigma2_mean ?? null,
      paper_elbo_mean: p?.elbo_mean ?? null,
      paper_tuned_elbo_mean: p?.tuned_elbo_mean ?? null,
      paper_tuned_sigma2: p?.tuned_sigma2_mean ?? null,
      paper_collapse_pct: p?.collapse_pct_mean ?? null,
      paper_kl_mean: p?.kl_mean ?? null,
    };
  });
}

const fmt = (v: unknown, digits = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–');
const pm = (m: unknown, s: unknown, digits = 1) => `${fmt(m, digits)} ± ${fmt(s, digits)}`;
const sig = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toPrecision(3) : '–');

/** Markdown rendering of joinPaper() rows: ours, then the paper's numbers in the last columns. */
export function table1Markdown(rows: Row[], note = ''): string {
  const head =
    '| data | init σ² | σ² | final σ² | ELBO | σ²-tuned ELBO | tuned σ² | collapse % (ε=0.01) | KL | active units | seeds | paper ELBO | paper tuned ELBO | paper tuned σ² | paper collapse % | paper KL |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n';
  const body = rows
    .map((r) =>
      [
        r.dataset, sig(r.sigma2_init), r.learn_sigma2 ? 'learned' : 'fixed',
        r.learn_sigma2 ? sig(r.final_sigma2_mean) : '', pm(r.elbo_mean, r.elbo_std), pm(r.tuned_elbo_mean, r.tuned_elbo_std),
        sig(r.tuned_sigma2_mean), pm(r.collapse_pct_mean, r.collapse_pct_std, 2), pm(r.kl_mean, r.kl_std),
        fmt(r.active_units_mean), r.seeds, fmt(r.paper_elbo_mean), fmt(r.paper_tuned_elbo_mean), sig(r.paper_tuned_sigma2),
        fmt(r.paper_collapse_pct, 2), fmt(r.paper_kl_mean),
      ].join(' | '),
    )
    .map((line) => `| ${line} |`)
    .join('\n');
  return `${note ? `${note}\n\n` : ''}${head}${body}\n`;
}
