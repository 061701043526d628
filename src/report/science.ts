// Every science artifact the figures and the report read (docs/artifacts.md), loaded once.
import type { CollapseCurveRow } from '../plots/figure-collapse.ts';
import type { LandscapeMeta, LandscapeRow } from '../plots/figure-1.ts';
import type { PpcaCurveRow } from '../plots/figure-2.ts';
import type { EstimatorCurveRow } from '../plots/figure-3.ts';
import type { EncoderCurveRow, EncoderFinalRow } from '../plots/figure-4.ts';
import { loadCsv, loadJson, loadJsonAll, type InputsOf, type Maybe } from './artifacts.ts';

/** Upstream stage names as in pipeline.yaml. */
export const STAGE = {
  mnist: 'mnist',
  ppca: 'ppca',
  linearVae: 'linear-vae',
  estimators: 'elbo-estimators',
  encoderDepth: 'encoder-depth',
  deepVae: 'deep-vae',
  table1: 'table1',
} as const;

export interface Provenance {
  stage?: string;
  profile?: string;
  data?: { source?: string; images?: number; full_mnist?: boolean; [k: string]: unknown };
  backend?: { name?: string; package?: string; versions?: Record<string, string> };
  node?: string;
  seed?: number;
  wall_seconds?: number;
}

export interface MnistMeta {
  provenance?: Provenance;
  space?: string;
  full_mnist?: boolean;
  counts?: Record<string, number>;
  [k: string]: unknown;
}

export interface LinearVaeMetrics {
  k: number;
  elbo: number;
  ppca_mle_loglik: number;
  gap_rel: number;
  sigma2?: number;
  steps?: number;
  max_abs_cosine_per_component?: number[];
  provenance?: Provenance;
}

export interface DeepVaeMetrics {
  sigma2_init: number;
  learn_sigma2: boolean;
  seed: number;
  final_sigma2?: number;
  elbo: number;
  tuned_sigma2?: number;
  tuned_elbo?: number;
  collapse_pct?: number;
  kl_total?: number;
  active_units?: number;
  dataset?: string;
  provenance?: Provenance;
}

export interface Table1Row {
  dataset: string;
  sigma2_init: number;
  learn_sigma2: boolean;
  final_sigma2_mean?: number | null;
  final_sigma2_std?: number | null;
  elbo_mean?: number | null;
  elbo_std?: number | null;
  tuned_elbo_mean?: number | null;
  tuned_elbo_std?: number | null;
  tuned_sigma2_mean?: number | null;
  collapse_pct_mean?: number | null;
  collapse_pct_std?: number | null;
  kl_mean?: number | null;
  kl_std?: number | null;
  active_units_mean?: number | null;
  seeds?: number | null;
}

export interface ScienceData {
  mnistMeta: Maybe<MnistMeta>;
  ppcaCurve: Maybe<PpcaCurveRow[]>;
  ppcaMeta: Maybe<{ k_ref?: number; provenance?: Provenance; [k: string]: unknown }>;
  landscape: Maybe<LandscapeRow[]>;
  landscapeMeta: Maybe<LandscapeMeta>;
  theory: Maybe<Record<string, unknown>>;
  linearVae: Maybe<{ id: string; value: LinearVaeMetrics }[]>;
  fig3: Maybe<EstimatorCurveRow[]>;
  fig4Curves: Maybe<EncoderCurveRow[]>;
  fig4Final: Maybe<EncoderFinalRow[]>;
  deepVae: Maybe<{ id: string; value: DeepVaeMetrics }[]>;
  table1: Maybe<Table1Row[]>;
  paperTable1: Maybe<Table1Row[]>;
  collapseCurves: Maybe<CollapseCurveRow[]>;
}

const TABLE1_KEYS = ['dataset', 'sigma2_init', 'learn_sigma2'];

export function loadScience(inputsOf: InputsOf): ScienceData {
  return {
    mnistMeta: loadJson<MnistMeta>(inputsOf, STAGE.mnist, 'meta.json'),
    ppcaCurve: loadCsv<PpcaCurveRow>(inputsOf, STAGE.ppca, 'ppca.csv', ['k', 'loglik_mle', 'loglik_fixed_sigma2']),
    ppcaMeta: loadJson(inputsOf, STAGE.ppca, 'meta.json'),
    landscape: loadCsv<LandscapeRow>(inputsOf, STAGE.ppca, 'fig1-landscape.csv', ['panel', 'sigma2', 'a', 'b', 'delta_loglik']),
    landscapeMeta: loadJson<LandscapeMeta>(inputsOf, STAGE.ppca, 'fig1-meta.json'),
    theory: loadJson(inputsOf, STAGE.ppca, 'theory.json'),
    linearVae: loadJsonAll<LinearVaeMetrics>(inputsOf, STAGE.linearVae, 'metrics.json'),
    fig3: loadCsv<EstimatorCurveRow>(inputsOf, STAGE.estimators, 'fig3-curves.csv', ['step', 'method', 'elbo']),
    fig4Curves: loadCsv<EncoderCurveRow>(inputsOf, STAGE.encoderDepth, 'fig4-curves.csv', ['step', 'encoder', 'elbo']),
    fig4Final: loadCsv<EncoderFinalRow>(inputsOf, STAGE.encoderDepth, 'fig4-final.csv', ['encoder', 'final_elbo']),
    deepVae: loadJsonAll<DeepVaeMetrics>(inputsOf, STAGE.deepVae, 'metrics.json'),
    table1: normaliseDataset(loadCsv<Table1Row>(inputsOf, STAGE.table1, 'table1.csv', TABLE1_KEYS)),
    paperTable1: normaliseDataset(loadCsv<Table1Row>(inputsOf, STAGE.table1, 'paper-table1.csv', TABLE1_KEYS)),
    collapseCurves: loadCsv<CollapseCurveRow>(inputsOf, STAGE.table1, 'collapse-curves.csv', ['sigma2_init', 'learn_sigma2', 'epsilon', 'collapsed_pct_mean']),
  };
}

/** `MNIST`, `celeba`, `CelebA 64` → `mnist` / `celeba`; learn_sigma2 as a boolean. */
function normaliseDataset(m: Maybe<Table1Row[]>): Maybe<Table1Row[]> {
  if (!m.ok) return m;
  return {
    ...m,
    value: m.value.map((r) => ({
      ...r,
      dataset: String(r.dataset).toLowerCase().replace(/[^a-z]/g, ''),
      learn_sigma2: r.learn_sigma2 === true || String(r.learn_sigma2) === 'true',
    })),
  };
}

/** The data space of the experiments (`logit` or `pixel`) from the mnist meta, if known. */
export function dataSpace(s: ScienceData): string | undefined {
  return s.mnistMeta.ok ? s.mnistMeta.value.space : undefined;
}
