// Figure 1: the pPCA log-likelihood landscape around a stationary point (W with three principal
// columns, zeros elsewhere), perturbed along two further principal directions u_i and u_j. One
// heatmap per σ²; the title says σ² and which of the two directions that σ² lets the model capture.
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, spaceLabel } from './theme.ts';

export interface LandscapeRow {
  panel: number;
  sigma2: number;
  a: number;
  b: number;
  delta_loglik: number;
}

export interface LandscapePanelMeta {
  sigma2: number;
  label?: string;
  captures: [boolean, boolean];
}

export interface LandscapeMeta {
  /** 1-based indices of the two perturbation directions. */
  directions: [number, number];
  panels: LandscapePanelMeta[];
}

export interface Figure1Options {
  space?: string;
}

/** Half the spacing between neighbouring grid values, so each cell is a rect centred on its value. */
function halfSteps(values: number[]): Map<number, [number, number]> {
  const sorted = [...new Set(values)].sort((x, y) => x - y);
  const out = new Map<number, [number, number]>();
  sorted.forEach((v, i) => {
    const left = i > 0 ? (v - sorted[i - 1]) / 2 : i + 1 < sorted.length ? (sorted[i + 1] - v) / 2 : 0.5;
    const right = i + 1 < sorted.length ? (sorted[i + 1] - v) / 2 : left;
    out.set(v, [v - left, v + right]);
  });
  return out;
}

export function panelTitle(meta: LandscapeMeta, panel: LandscapePanelMeta): string {
  const [i, j] = meta.directions;
  const [ci, cj] = panel.captures;
  const captured = ci && cj ? `both u${i} and u${j} captured` : ci ? `u${i} captured, u${j} not` : cj ? `u${j} captured, u${i} not` : `neither u${i} nor u${j} captured`;
  return `σ² = ${formatSigma2(panel.sigma2)}: ${captured}`;
}

export function formatSigma2(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(3)));
  return x.toExponential(2);
}

export function figure1Spec(rows: LandscapeRow[], meta: LandscapeMeta, opts: Figure1Options = {}): TopLevelSpec {
  const [i, j] = meta.directions;
  const panels = [...new Set(rows.map((r) => r.panel))].sort((x, y) => x - y);
  const space = spaceLabel(opts.space);
  const hconcat = panels.map((p) => {
    const panelRows = rows.filter((r) => r.panel === p);
    const aCells = halfSteps(panelRows.map((r) => r.a));
    const bCells = halfSteps(panelRows.map((r) => r.b));
    const values = panelRows.map((r) => ({
      a: r.a,
      b: r.b,
      a0: aCells.get(r.a)![0],
      a1: aCells.get(r.a)![1],
      b0: bCells.get(r.b)![0],
      b1: bCells.get(r.b)![1],
      delta_loglik: r.delta_loglik,
    }));
    const pm = meta.panels[p] ?? { sigma2: panelRows[0]?.sigma2 ?? NaN, captures: [false, false] as [boolean, boolean] };
    return {
      title: panelTitle(meta, pm),
      width: 300,
      height: 300,
      layer: [
        {
          data: { values },
          mark: { type: 'rect' as const },
          encoding: {
            x: { field: 'a0', type: 'quantitative' as const, title: `a (along u${i})`, scale: { nice: false, zero: false } },
            x2: { field: 'a1' },
            y: { field: 'b0', type: 'quantitative' as const, title: `b (along u${j})`, scale: { nice: false, zero: false } },
            y2: { field: 'b1' },
            color: {
              field: 'delta_loglik',
              type: 'quantitative' as const,
              title: ['Δ log-likelihood', `(nats, ${space})`],
              scale: { scheme: 'redblue', domainMid: 0 },
              legend: { orient: 'bottom' as const, gradientLength: 260, direction: 'horizontal' as const },
            },
            tooltip: [
              { field: 'a', type: 'quantitative' as const },
              { field: 'b', type: 'quantitative' as const },
              { field: 'delta_loglik', type: 'quantitative' as const, format: '.4g' },
            ],
          },
        },
        {
          data: { values: [{ a: 0, b: 0, label: 'stationary point' }] },
          mark: { type: 'point' as const, shape: 'cross', size: 220, filled: true, color: 'black', strokeWidth: 1 },
          encoding: {
            x: { field: 'a', type: 'quantitative' as const },
            y: { field: 'b', type: 'quantitative' as const },
          },
        },
        {
          data: { values: [{ a: 0, b: 0, label: 'stationary point' }] },
          mark: { type: 'text' as const, align: 'left' as const, dx: 9, dy: -9, fontSize: 12 },
          encoding: {
            x: { field: 'a', type: 'quantitative' as const },
            y: { field: 'b', type: 'quantitative' as const },
            text: { field: 'label' },
          },
        },
      ],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Figure 1: pPCA log-likelihood around a stationary point',
      subtitle: `W = three principal columns, zeros elsewhere; perturbed along u${i} and u${j}; colour = change in log-likelihood from the stationary point`,
    },
    config: BASE_CONFIG,
    hconcat,
    resolve: { scale: { color: 'independent' } },
    spacing: 30,
  } as TopLevelSpec;
}
