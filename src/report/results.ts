// results.json: every headline number of the run in one machine-readable file, and the
// numbers claims.yaml points into. Pure: loaded artifacts in, plain JSON out. Where a part
// could not be measured, `skipped[path]` says why (claims on that path show as skipped).
import type { CollapseCurveRow } from '../plots/figure-collapse.ts';
import type { ScienceData, Table1Row } from './science.ts';

export interface StageRecord {
  id: string;
  stage: string;
  fingerprint?: string;
  /** Seconds the run that produced it took; shown in the volatile report pages, not in results.json. */
  wall_seconds?: number;
  skipped?: string;
}

export interface Results {
  schema: 1;
  profile: string;
  data: Record<string, unknown>;
  ppca?: Record<string, unknown>;
  fig1?: Record<string, unknown>;
  linear_vae?: Record<string, unknown>;
  elbo_estimators?: Record<string, unknown>;
  encoder_depth?: Record<string, unknown>;
  deep_vae: Record<string, unknown>;
  stages: Record<string, Omit<StageRecord, 'id'>>;
  skipped: Record<string, string>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Mean of the last `frac` of a curve (at least one point): "final" value of a noisy training curve. */
export function tailMean(values: number[], frac = 0.1): number {
  const n = Math.max(1, Math.ceil(values.length * frac));
  return mean(values.slice(-n));
}

/** Figure 2's blue curve: how far it rises after k_ref and how far it falls after its peak. */
export function fixedSigma2Turn(rows: { k: number; loglik_fixed_sigma2: number }[], kRef: number) {
  const sorted = rows.filter((r) => finite(r.loglik_fixed_sigma2)).sort((a, b) => a.k - b.k);
  const atRef = sorted.find((r) => r.k === kRef) ?? sorted.reduce((best, r) => (Math.abs(r.k - kRef) < Math.abs(best.k - kRef) ? r : best), sorted[0]);
  const after = sorted.filter((r) => r.k >= atRef.k);
  const peak = after.reduce((best, r) => (r.loglik_fixed_sigma2 > best.loglik_fixed_sigma2 ? r : best), after[0]);
  const last = sorted[sorted.length - 1];
  return {
    k_ref: atRef.k,
    loglik_at_k_ref: atRef.loglik_fixed_sigma2,
    peak_k: peak.k,
    loglik_at_peak: peak.loglik_fixed_sigma2,
    max_k: last.k,
    loglik_at_max_k: last.loglik_fixed_sigma2,
    rise_after_k_ref: peak.loglik_fixed_sigma2 - atRef.loglik_fixed_sigma2,
    fall_after_peak: peak.loglik_fixed_sigma2 - last.loglik_fixed_sigma2,
  };
}

/** Per dataset: the Table 1 numbers the claims use, ordered by initial σ² from largest to smallest. */
export function deepVaeSummary(rows: Table1Row[]) {
  const part = (learn: boolean) => {
    const rs = rows.filter((r) => r.learn_sigma2 === learn).sort((a, b) => b.sigma2_init - a.sigma2_init);
    if (rs.length === 0) return undefined;
    const col = (k: keyof Table1Row) => rs.map((r) => (finite(r[k]) ? (r[k] as number) : null));
    const gaps = rs.filter((r) => finite(r.tuned_elbo_mean) && finite(r.elbo_mean)).map((r) => (r.tuned_elbo_mean as number) - (r.elbo_mean as number));
    const finals = rs.map((r) => r.final_sigma2_mean).filter(finite);
    const collapse = rs.map((r) => r.collapse_pct_mean).filter(finite);
    const out: Record<string, unknown> = {
      sigma2_init: rs.map((r) => r.sigma2_init),
      elbo: col('elbo_mean'),
      tuned_elbo: col('tuned_elbo_mean'),
      tuned_sigma2: col('tuned_sigma2_mean'),
      collapse_pct: col('collapse_pct_mean'),
      kl: col('kl_mean'),
      final_sigma2: col('final_sigma2_mean'),
      best_elbo: Math.max(...rs.map((r) => r.elbo_mean).filter(finite)),
    };
    if (gaps.length) out.tuned_minus_elbo_min = Math.min(...gaps);
    const tuned = rs.map((r) => r.tuned_elbo_mean);
    if (tuned.length >= 2 && tuned.every(finite)) out.tuned_best_minus_largest_init = Math.max(...(tuned as number[])) - (tuned[0] as number);
    if (learn && finals.length >= 2) out.final_sigma2_ratio = Math.max(...finals) / Math.min(...finals);
    if (collapse.length === rs.length && collapse.length >= 2) out.collapse_largest_minus_smallest_init = collapse[0] - collapse[collapse.length - 1];
    if (collapse.length === rs.length && collapse.length >= 2) out.collapse_largest_init_minus_max_rest = collapse[0] - Math.max(...collapse.slice(1));
    return out;
  };
  return { fixed: part(false), learned: part(true) };
}

/**
 * Figures 5–6 as numbers: per init σ² (largest first), the mean collapse % over the whole ε grid
 * (the area under the curve on a log-ε axis, up to a constant). Unlike Table 1's single ε = 0.01,
 * this sees the ordering of the curves wherever along ε it happens.
 */
export function addCollapseCurveSummary(r: Results, rows: CollapseCurveRow[]): void {
  for (const ds of ['mnist', 'celeba']) {
    for (const learn of [false, true]) {
      const mine = rows.filter((x) => String((x as { dataset?: string }).dataset ?? 'mnist').toLowerCase().startsWith(ds) && String(x.learn_sigma2) === String(learn));
      const inits = [...new Set(mine.map((x) => Number(x.sigma2_init)))].sort((a, b) => b - a);
      if (inits.length < 2) continue;
      const means = inits.map((s2) => {
        const pts = mine.filter((x) => Number(x.sigma2_init) === s2).map((x) => Number(x.collapsed_pct_mean));
        return pts.reduce((a, b) => a + b, 0) / pts.length;
      });
      const part = ((r.deep_vae[ds] ??= {}) as Record<string, Record<string, unknown>>)[learn ? 'learned' : 'fixed'] ??= {};
      part.collapse_curve_mean = means;
      part.collapse_curve_mean_largest_minus_smallest_init = means[0] - means[means.length - 1];
    }
  }
}

export function buildResults(s: ScienceData, profile: string, stages: StageRecord[]): Results {
  const skipped: Record<string, string> = {};
  const r: Results = { schema: 1, profile, data: {}, deep_vae: {}, stages: {}, skipped };

  // Which instances ran or were skipped; their fingerprints and durations are run provenance and
  // live in the (volatile) HTML/Markdown, so that results.json changes only when a result does.
  for (const st of stages) r.stages[st.id] = { stage: st.stage, skipped: st.skipped };

  if (s.mnistMeta.ok) {
    const m = s.mnistMeta.value;
    const d = m.provenance?.data ?? {};
    const images = finite(d.images) ? d.images : finite(m.counts?.train) ? m.counts.train : undefined;
    const full = typeof m.full_mnist === 'boolean' ? m.full_mnist : typeof d.full_mnist === 'boolean' ? d.full_mnist : undefined;
    r.data = { source: d.source, full_mnist: full, images, counts: m.counts, space: m.space };
  } else skipped.data = s.mnistMeta.why;

  if (s.ppcaCurve.ok) {
    const rows = s.ppcaCurve.value;
    const kRef = s.ppcaMeta.ok && finite(s.ppcaMeta.value.k_ref) ? s.ppcaMeta.value.k_ref : 50;
    const theory = s.theory.ok ? s.theory.value : undefined;
    if (!s.theory.ok) skipped['ppca.theory'] = s.theory.why;
    r.ppca = { k_max: Math.max(...rows.map((x) => x.k)), theory, fixed_sigma2: fixedSigma2Turn(rows, kRef) };
  } else skipped.ppca = s.ppcaCurve.why;

  if (s.landscape.ok && s.landscapeMeta.ok) {
    const meta = s.landscapeMeta.value;
    const panels = meta.panels.map((p, i) => {
      const ds = s.landscape.ok ? s.landscape.value.filter((x) => x.panel === i).map((x) => x.delta_loglik) : [];
      return { sigma2: p.sigma2, captures: p.captures, max_delta_loglik: ds.length ? Math.max(...ds) : null };
    });
    const none = panels.find((p) => !p.captures[0] && !p.captures[1]);
    const both = panels.find((p) => p.captures[0] && p.captures[1]);
    r.fig1 = { directions: meta.directions, panels, none_captured_max_delta: none?.max_delta_loglik ?? null, both_captured_max_delta: both?.max_delta_loglik ?? null };
  } else skipped.fig1 = !s.landscape.ok ? s.landscape.why : (s.landscapeMeta as { why: string }).why;

  if (s.linearVae.ok) {
    const ms = s.linearVae.value.map((m) => m.value).sort((a, b) => a.k - b.k);
    const cos = ms.flatMap((m) => m.max_abs_cosine_per_component ?? []).filter(finite);
    r.linear_vae = {
      ks: ms.map((m) => m.k),
      max_abs_gap_rel: Math.max(...ms.map((m) => Math.abs(m.gap_rel))),
      alignment_mean: cos.length ? mean(cos) : null,
      alignment_min: cos.length ? Math.min(...cos) : null,
      per_k: ms.map((m) => ({ k: m.k, elbo: m.elbo, ppca_mle_loglik: m.ppca_mle_loglik, gap_rel: m.gap_rel, sigma2: m.sigma2, steps: m.steps })),
    };
  } else skipped.linear_vae = s.linearVae.why;

  if (s.fig3.ok) {
    const curve = (m: string) => s.fig3.ok ? s.fig3.value.filter((x) => x.method === m).sort((a, b) => a.step - b.step).map((x) => x.elbo) : [];
    const a = curve('analytic');
    const st = curve('stochastic');
    if (a.length && st.length) {
      const fa = tailMean(a);
      const fs = tailMean(st);
      r.elbo_estimators = { final_analytic: fa, final_stochastic: fs, analytic_minus_stochastic: fa - fs, paper: { final_analytic: 950.7, final_stochastic: 939.3 } };
    } else skipped.elbo_estimators = 'fig3-curves.csv lacks an analytic or a stochastic curve';
  } else skipped.elbo_estimators = s.fig3.why;

  if (s.fig4Final.ok) {
    const fin = Object.fromEntries(s.fig4Final.value.map((x) => [x.encoder, x.final_elbo]));
    const others = s.fig4Final.value.filter((x) => x.encoder !== 'linear').map((x) => x.final_elbo);
    r.encoder_depth = {
      final: fin,
      best_other: others.length ? Math.max(...others) : null,
      linear_minus_best_other: finite(fin.linear) && others.length ? fin.linear - Math.max(...others) : null,
      paper: { linear: -1098.2, others: [-1108.7, -1112.1, -1119.6] },
    };
  } else skipped.encoder_depth = s.fig4Final.why;

  if (s.table1.ok) {
    for (const ds of ['mnist', 'celeba']) {
      const rows = s.table1.value.filter((x) => x.dataset === ds);
      if (rows.length) r.deep_vae[ds] = deepVaeSummary(rows);
      else skipped[`deep_vae.${ds}`] = ds === 'celeba' ? celebaWhy(stages) : `table1.csv has no ${ds} rows`;
    }
  } else {
    skipped['deep_vae.mnist'] = s.table1.why;
    skipped['deep_vae.celeba'] = celebaWhy(stages) ?? s.table1.why;
  }
  if (s.collapseCurves.ok) addCollapseCurveSummary(r, s.collapseCurves.value);
  if (s.deepVae.ok) {
    // Per run (not per mean): the smallest gain from tuning σ² over all fixed-σ² runs.
    const gains = s.deepVae.value.map((m) => m.value).filter((m) => !m.learn_sigma2 && finite(m.tuned_elbo) && finite(m.elbo)).map((m) => (m.tuned_elbo as number) - m.elbo);
    if (gains.length) r.deep_vae.runs = { count: s.deepVae.value.length, fixed_tuned_minus_elbo_min: Math.min(...gains) };
  }
  return r;
}

function celebaWhy(stages: StageRecord[]): string {
  const sk = stages.find((st) => st.skipped && /celeba|conv/i.test(st.id));
  return sk ? `${sk.id} skipped: ${sk.skipped}` : 'no CelebA results: no CelebA data was provided (the paper profile runs it when data/celeba is present)';
}
