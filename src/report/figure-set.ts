// Which figures exist, their captions, and the spec each one gets from the loaded artifacts.
// A figure whose data is missing gets a placeholder spec and a `skipped` reason, so the
// figures stage always writes its declared outs and the report says why.
import type { TopLevelSpec } from 'vega-lite';
import { figure1Spec } from '../plots/figure-1.ts';
import { figure2Spec } from '../plots/figure-2.ts';
import { figure3Spec } from '../plots/figure-3.ts';
import { figure4Spec } from '../plots/figure-4.ts';
import { collapseSpec } from '../plots/figure-collapse.ts';
import { placeholderSpec } from '../plots/placeholder.ts';
import type { Maybe } from './artifacts.ts';
import { dataSpace, type ScienceData } from './science.ts';

export interface FigureEntry {
  n: number;
  /** File stem: `figure-N`. */
  name: string;
  title: string;
  /** What the paper's figure shows, and what to look for. */
  caption: string;
  spec: TopLevelSpec;
  skipped?: string;
}

export const FIGURE_NUMBERS = [1, 2, 3, 4, 5, 6] as const;

const TITLES: Record<number, [string, string]> = {
  1: ['Stationary points of pPCA', 'Two zero columns of W perturbed along two further principal directions. The stability of the stationary point depends on σ²: too large a σ² keeps either direction from being captured.'],
  2: ['Log marginal likelihood and optimal ELBO over hidden dimension', 'Green: pPCA MLE (global maximum); red dashed: final ELBO of trained linear VAEs, which should match it; blue: the MLE decoder with σ² fixed at σ²_MLE(k_ref): it first rises past k_ref, then falls.'],
  3: ['Stochastic vs analytic ELBO training', 'Linear VAE trained full-batch with the analytic ELBO gradient and with the one-sample reparameterised estimate at the same learning rate. Paper: analytic converges faster and ends higher (950.7 vs 939.3).'],
  4: ['Linear decoders with deeper encoders', 'Linear decoder, encoders of increasing depth, trained with the ELBO. Paper: the linear encoder is not outperformed (−1098.2, −1108.7, −1112.1, −1119.6).'],
  5: ['Posterior collapse over ε, fixed σ²', '% of (ε, δ = 0.01)-collapsed latent dimensions of deep VAEs trained with σ² fixed. Large σ² → most dimensions collapse.'],
  6: ['Posterior collapse over ε, learned σ²', 'The same with σ² learned from several initial values: a large initial σ² still leaves more dimensions collapsed.'],
};

function need<T>(m: Maybe<T>): T | string {
  return m.ok ? m.value : m.why;
}

function entry(n: number, build: () => TopLevelSpec | string): FigureEntry {
  const [title, caption] = TITLES[n];
  const name = `figure-${n}`;
  const result = build();
  if (typeof result === 'string') return { n, name, title, caption, spec: placeholderSpec(`Figure ${n}: ${title}`, result), skipped: result };
  return { n, name, title, caption, spec: result };
}

export function buildFigureSet(s: ScienceData): FigureEntry[] {
  const space = dataSpace(s);
  return [
    entry(1, () => {
      const rows = need(s.landscape);
      const meta = need(s.landscapeMeta);
      if (typeof rows === 'string') return rows;
      if (typeof meta === 'string') return meta;
      return figure1Spec(rows, meta, { space });
    }),
    entry(2, () => {
      const rows = need(s.ppcaCurve);
      if (typeof rows === 'string') return rows;
      const lv = s.linearVae.ok ? s.linearVae.value.map((m) => ({ k: m.value.k, elbo: m.value.elbo })) : [];
      const kRef = s.ppcaMeta.ok && typeof s.ppcaMeta.value.k_ref === 'number' ? s.ppcaMeta.value.k_ref : undefined;
      return figure2Spec(rows, lv, { space, kRef });
    }),
    entry(3, () => {
      const rows = need(s.fig3);
      return typeof rows === 'string' ? rows : figure3Spec(rows, { space });
    }),
    entry(4, () => {
      const rows = need(s.fig4Curves);
      if (typeof rows === 'string') return rows;
      return figure4Spec(rows, s.fig4Final.ok ? s.fig4Final.value : [], { space });
    }),
    ...[false, true].map((learned) =>
      entry(learned ? 6 : 5, () => {
        const rows = need(s.collapseCurves);
        if (typeof rows === 'string') return rows;
        const mine = rows.filter((r) => (r.learn_sigma2 === true || String(r.learn_sigma2) === 'true') === learned);
        if (mine.length === 0) return `collapse-curves.csv has no rows with learn_sigma2=${learned}`;
        return collapseSpec(
          mine.map((r) => ({ ...r, learn_sigma2: learned })),
          { learned },
        );
      }),
    ),
  ];
}

/** The figures stage's declared outs: `figure-N.vl.json|.svg|.png` and the manifest. Out name = file name. */
export function figureOutFiles(manifest = 'figures.json'): string[] {
  return [...FIGURE_NUMBERS.flatMap((n) => ['vl.json', 'svg', 'png'].map((ext) => `figure-${n}.${ext}`)), manifest];
}
