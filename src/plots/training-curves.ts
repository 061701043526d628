// The layout Figures 3 and 4 share: ELBO over training steps, one coloured line per series.
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, PANEL, spaceLabel } from './theme.ts';

export interface TrainingCurvesOptions {
  title: string;
  subtitle: string;
  /** Rows with `step`, `elbo` and the series field. */
  values: Record<string, unknown>[];
  series: { field: string; title: string; scale: Record<string, unknown> };
  space?: string;
}

export function trainingCurvesSpec(o: TrainingCurvesOptions): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title, subtitle: o.subtitle },
    config: BASE_CONFIG,
    width: PANEL.width,
    height: PANEL.height,
    data: { values: o.values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'training step' },
      y: { field: 'elbo', type: 'quantitative', title: `ELBO per image (nats, ${spaceLabel(o.space)})`, scale: { zero: false } },
      color: {
        field: o.series.field,
        type: 'nominal',
        title: o.series.title,
        scale: o.series.scale,
        legend: { orient: 'bottom-right', labelLimit: 420, symbolType: 'stroke', symbolStrokeWidth: 3 },
      },
    },
  } as TopLevelSpec;
}
