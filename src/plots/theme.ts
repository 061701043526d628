// One look for every figure: the DejaVu font that the PNG renderer ships with (so SVG text and
// PNG glyphs agree), sizes readable at laptop width, and the paper's colours for Figure 2.
import type { Config } from 'vega-lite';

export const FONT_FAMILY = 'DejaVu Sans';

/** Figure 2 of the paper: green MLE, red dashed ELBO, blue fixed σ². */
export const PAPER_COLOURS = {
  mle: '#2ca02c',
  elbo: '#d62728',
  fixedSigma2: '#1f77b4',
} as const;

export const BASE_CONFIG: Config = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: '#ccc' },
  title: { fontSize: 15, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 8, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 420 },
  header: { labelFontSize: 13, titleFontSize: 13 },
};

/** Figure size in CSS pixels for single-panel plots (readable on a 1280-px-wide laptop screen). */
export const PANEL = { width: 560, height: 340 } as const;

/** Human wording of the data space, used in axis titles (units are nats per image). */
export function spaceLabel(space: string | undefined): string {
  if (space === 'pixel') return 'pixel space';
  if (space === 'logit') return 'logit space';
  return space ? `${space} space` : 'data space';
}
