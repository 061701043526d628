// Figures 5 and 6: % of (ε, δ)-collapsed latent dimensions over ε (log scale), one line per
// initial σ²; Figure 5 for fixed σ², Figure 6 for learned σ². Large σ² → most dimensions collapse.
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, PANEL } from './theme.ts';
import { formatSigma2 } from './figure-1.ts';

export interface CollapseCurveRow {
  sigma2_init: number;
  learn_sigma2: boolean;
  epsilon: number;
  collapsed_pct_mean: number;
  collapsed_pct_std?: number;
}

export interface CollapseOptions {
  learned: boolean;
  /** 0.01 in the paper. */
  delta?: number;
  dataset?: string;
}

export function collapseFigureNumber(learned: boolean): 5 | 6 {
  return learned ? 6 : 5;
}

export function collapseSpec(rows: CollapseCurveRow[], opts: CollapseOptions): TopLevelSpec {
  const delta = opts.delta ?? 0.01;
  const chosen = rows.filter((r) => r.learn_sigma2 === opts.learned && r.epsilon > 0 && Number.isFinite(r.collapsed_pct_mean));
  const inits = [...new Set(chosen.map((r) => r.sigma2_init))].sort((x, y) => y - x);
  const label = (s: number) => `σ² init ${formatSigma2(s)}`;
  const values = chosen.map((r) => {
    const sd = r.collapsed_pct_std ?? 0;
    return {
      epsilon: r.epsilon,
      pct: r.collapsed_pct_mean,
      lo: Math.max(0, r.collapsed_pct_mean - sd),
      hi: Math.min(100, r.collapsed_pct_mean + sd),
      init: label(r.sigma2_init),
    };
  });
  const colour = {
    field: 'init',
    type: 'nominal' as const,
    title: opts.learned ? 'σ² learned, initialised at' : 'σ² fixed at',
    scale: { domain: inits.map(label), scheme: 'viridis' },
    // Same legend object on both layers (they merge); opaque stroke symbols despite the faint band.
    legend: { orient: 'top-left' as const, labelExpr: "replace(datum.label, 'σ² init ', '')", symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1, symbolSize: 300 },
  };
  const x = {
    field: 'epsilon',
    type: 'quantitative' as const,
    title: 'ε: KL threshold (nats, log scale)',
    scale: { type: 'log' as const },
    axis: { format: '~g' },
  };
  const n = collapseFigureNumber(opts.learned);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Figure ${n}: posterior collapse over ε, ${opts.learned ? 'learned' : 'fixed'} σ²`,
      subtitle: `deep VAE on ${opts.dataset ?? 'MNIST'}; % of latent dimensions with KL(q(z_i|x) ‖ p(z_i)) < ε for ≥ ${Math.round((1 - delta) * 100)}% of inputs (δ = ${delta})`,
    },
    config: BASE_CONFIG,
    width: PANEL.width,
    height: PANEL.height,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.15 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colour },
      },
      {
        mark: { type: 'line', strokeWidth: 2.2, point: { size: 30, filled: true } },
        encoding: {
          x,
          y: { field: 'pct', type: 'quantitative', title: 'collapsed latent dimensions (%)', scale: { domain: [0, 100] } },
          color: colour,
        },
      },
    ],
  } as TopLevelSpec;
}
