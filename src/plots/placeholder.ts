// A figure whose upstream data was skipped (e.g. CelebA without a local copy) still has its
// declared outs; this spec draws its title and the reason instead of a plot.
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, PANEL } from './theme.ts';

export function placeholderSpec(title: string, reason: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'skipped' },
    config: { ...BASE_CONFIG, view: { stroke: '#bbb', strokeDash: [4, 4] } },
    width: PANEL.width,
    height: 120,
    data: { values: [{ text: `Skipped: ${reason}` }] },
    mark: { type: 'text', fontSize: 14, color: '#666', limit: PANEL.width - 20 },
    encoding: { text: { field: 'text' } },
  } as TopLevelSpec;
}
