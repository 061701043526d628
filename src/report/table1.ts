// Table 1 with the paper's values and ours side by side: one row per (dataset, σ² init,
// learned?) present in either table; each cell "paper | ours".
import { pm, sig } from './format.ts';
import type { Table1Row } from './science.ts';

export interface TableView {
  headers: string[];
  rows: string[][];
}

const DATASET_NAME: Record<string, string> = { mnist: 'MNIST', celeba: 'CelebA 64' };

function key(r: Table1Row): string {
  return `${r.dataset}|${r.sigma2_init}|${r.learn_sigma2}`;
}

export function table1SideBySide(ours: Table1Row[], paper: Table1Row[]): TableView {
  const byKey = new Map<string, { paper?: Table1Row; ours?: Table1Row; base: Table1Row }>();
  for (const r of paper) byKey.set(key(r), { paper: r, base: r });
  for (const r of ours) {
    const e = byKey.get(key(r));
    if (e) e.ours = r;
    else byKey.set(key(r), { ours: r, base: r });
  }
  const dsOrder = (d: string) => (d === 'mnist' ? 0 : d === 'celeba' ? 1 : 2);
  const entries = [...byKey.values()].sort(
    (a, b) => dsOrder(a.base.dataset) - dsOrder(b.base.dataset) || Number(a.base.learn_sigma2) - Number(b.base.learn_sigma2) || b.base.sigma2_init - a.base.sigma2_init,
  );
  const both = (f: (r: Table1Row) => string, e: { paper?: Table1Row; ours?: Table1Row }) => [e.paper ? f(e.paper) : '—', e.ours ? f(e.ours) : '—'];
  return {
    headers: [
      'dataset', 'σ²', 'init σ²',
      'final σ² (paper)', 'final σ² (ours)',
      'ELBO (paper)', 'ELBO (ours)',
      'σ²-tuned ELBO (paper)', 'σ²-tuned ELBO (ours)',
      'tuned σ² (paper)', 'tuned σ² (ours)',
      'collapse % (paper)', 'collapse % (ours)',
      'KL (paper)', 'KL (ours)',
      'seeds (ours)',
    ],
    rows: entries.map((e) => [
      DATASET_NAME[e.base.dataset] ?? e.base.dataset,
      e.base.learn_sigma2 ? 'learned' : 'fixed',
      sig(e.base.sigma2_init),
      ...both((r) => (r.learn_sigma2 ? sig(r.final_sigma2_mean) : '—'), e),
      ...both((r) => pm(r.elbo_mean, r.elbo_std), e),
      ...both((r) => pm(r.tuned_elbo_mean, r.tuned_elbo_std), e),
      ...both((r) => sig(r.tuned_sigma2_mean), e),
      ...both((r) => pm(r.collapse_pct_mean, r.collapse_pct_std, 2), e),
      ...both((r) => pm(r.kl_mean, r.kl_std), e),
      e.ours?.seeds != null ? String(e.ours.seeds) : '—',
    ]),
  };
}
