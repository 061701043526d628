// Figure 2: log marginal likelihood over the hidden dimension k. Green: pPCA MLE (global
// maximum); red dashed: the ELBO reached by trained linear VAEs (should sit on the green curve);
// blue: the MLE decoder with σ² held at σ²_MLE(k_ref), which rises past k_ref and later falls.
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, PANEL, PAPER_COLOURS, spaceLabel } from './theme.ts';

export interface PpcaCurveRow {
  k: number;
  loglik_mle: number;
  loglik_fixed_sigma2: number;
}

export interface LinearVaePoint {
  k: number;
  elbo: number;
}

export interface Figure2Options {
  space?: string;
  /** k whose σ²_MLE the blue curve holds fixed (50 in the paper). */
  kRef?: number;
}

export const FIG2_SERIES = {
  mle: 'pPCA MLE (global maximum)',
  elbo: 'ELBO of trained linear VAEs',
  fixed: 'pPCA with σ² fixed',
} as const;

export function figure2Spec(ppca: PpcaCurveRow[], linearVae: LinearVaePoint[], opts: Figure2Options = {}): TopLevelSpec {
  const fixedName = opts.kRef !== undefined ? `pPCA with σ² fixed at σ²_MLE(k = ${opts.kRef})` : FIG2_SERIES.fixed;
  const values = [
    ...ppca.map((r) => ({ k: r.k, loglik: r.loglik_mle, series: FIG2_SERIES.mle })),
    ...ppca.map((r) => ({ k: r.k, loglik: r.loglik_fixed_sigma2, series: fixedName })),
    ...[...linearVae].sort((x, y) => x.k - y.k).map((r) => ({ k: r.k, loglik: r.elbo, series: FIG2_SERIES.elbo })),
  ].filter((r) => Number.isFinite(r.loglik));
  const domain = [FIG2_SERIES.mle, FIG2_SERIES.elbo, fixedName];
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain, range: [PAPER_COLOURS.mle, PAPER_COLOURS.elbo, PAPER_COLOURS.fixedSigma2] },
    legend: { orient: 'bottom-right' as const, symbolStrokeWidth: 3, symbolType: 'stroke', symbolSize: 500 },
  };
  const x = {
    field: 'k',
    type: 'quantitative' as const,
    title: 'hidden dimension k (number of principal components)',
    axis: { labelOverlap: 'greedy' as const, labelSeparation: 6 },
  };
  const y = {
    field: 'loglik',
    type: 'quantitative' as const,
    title: `log-likelihood per image (nats, ${spaceLabel(opts.space)})`,
    scale: { zero: false },
  };
  // One encoding for colour and dash so the legend shows the dashed red line as in the paper.
  const dash = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain, range: [[1, 0], [7, 5], [1, 0]] },
    legend: { orient: 'bottom-right' as const, symbolStrokeWidth: 3, symbolType: 'stroke', symbolSize: 500 },
  };
  const layer: object[] = [
    {
      mark: { type: 'line', strokeWidth: 2.5 },
      encoding: { x, y, color: colour, strokeDash: dash },
    },
    {
      mark: { type: 'point', filled: true, size: 45, opacity: 1 },
      transform: [{ filter: { field: 'series', equal: FIG2_SERIES.elbo } }],
      encoding: { x, y, color: colour },
    },
  ];
  if (opts.kRef !== undefined) {
    layer.push({
      data: { values: [{ k: opts.kRef, label: `k = ${opts.kRef}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [2, 3], color: '#777' }, encoding: { x: { field: 'k', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', dx: 4, baseline: 'top', y: 4, color: '#555', fontSize: 11 },
          encoding: { x: { field: 'k', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Figure 2: log marginal likelihood and optimal ELBO over hidden dimension',
      subtitle: 'MNIST subset; the linear VAE ELBO should match the pPCA MLE at every k',
    },
    config: BASE_CONFIG,
    width: PANEL.width,
    height: PANEL.height,
    data: { values },
    layer,
  } as TopLevelSpec;
}
