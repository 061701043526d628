// Figure 4: linear decoder with encoders of growing depth. The paper does not expect the linear
// encoder to be outperformed; the legend carries each encoder's final ELBO as the paper's caption does.
import type { TopLevelSpec } from 'vega-lite';
import { trainingCurvesSpec } from './training-curves.ts';

export interface EncoderCurveRow {
  step: number;
  encoder: string;
  elbo: number;
}

export interface EncoderFinalRow {
  encoder: string;
  final_elbo: number;
}

/** linear first, then mlp-1, mlp-2, … by depth; unknown names last, alphabetically. */
export function encoderOrder(names: string[]): string[] {
  const depth = (n: string) => (n === 'linear' ? 0 : /^mlp-(\d+)$/.test(n) ? Number(/^mlp-(\d+)$/.exec(n)![1]) : 1e9);
  return [...new Set(names)].sort((x, y) => depth(x) - depth(y) || x.localeCompare(y));
}

export function encoderLabel(name: string, final?: number): string {
  const m = /^mlp-(\d+)$/.exec(name);
  const base = name === 'linear' ? 'linear encoder' : m ? `MLP encoder, ${m[1]} hidden layer${m[1] === '1' ? '' : 's'}` : name;
  return final === undefined || !Number.isFinite(final) ? base : `${base} (final ${final.toFixed(1).replace('-', '−')})`;
}

export function figure4Spec(curves: EncoderCurveRow[], finals: EncoderFinalRow[], opts: { space?: string } = {}): TopLevelSpec {
  const finalBy = new Map(finals.map((f) => [f.encoder, f.final_elbo]));
  const order = encoderOrder([...curves.map((r) => r.encoder), ...finals.map((f) => f.encoder)]);
  const labels = new Map(order.map((e) => [e, encoderLabel(e, finalBy.get(e))]));
  const values = curves.filter((r) => Number.isFinite(r.elbo)).map((r) => ({ step: r.step, elbo: r.elbo, encoder: labels.get(r.encoder)! }));
  return trainingCurvesSpec({
    title: 'Figure 4: linear decoders with encoders of increasing depth',
    subtitle: 'training ELBO; legend gives the final average ELBO of each model',
    values,
    series: { field: 'encoder', title: 'encoder', scale: { domain: order.map((e) => labels.get(e)!), scheme: 'tableau10' } },
    space: opts.space,
  });
}
