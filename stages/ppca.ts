// pPCA in closed form on the mnist subset: eigen-spectrum, every k's MLE (Figure 2's green and
// blue curves), Figure 1's landscape, and the theory checks that need no training.
import * as aq from 'arquero';
import { writeJsonAtomic, writeFileAtomic } from '../src/io/atomic.ts';
import { writeNpy } from '../src/io/npy.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { fitPpca, likelihoodOverK } from '../src/models/ppca.ts';
import { chooseLandscapePanels, landscapeGrid, symmetricGrid } from '../src/models/ppca-landscape.ts';
import { ppcaTheoryChecks } from '../src/metrics/ppca-theory.ts';
import { field, isIntList, isPositiveInt, provenance, readSubset, subsetMoments } from '../src/train/linear-stage-support.ts';

export async function run(ctx: StageContext): Promise<void> {
  const kRef = field<number>(ctx, 'ppca', 'k_ref', isPositiveInt, 'a positive integer');
  const base = field<number>(ctx, 'ppca', 'fig1_base', isPositiveInt, 'a positive integer');
  const directions = field<number[]>(ctx, 'ppca', 'fig1_directions', (v) => isIntList(v) && (v as number[]).length === 2, 'two 1-based component indices') as [number, number];
  const gridPoints = field<number>(ctx, 'ppca', 'fig1_grid', isPositiveInt, 'a positive integer');
  const lemmaKs = field<number[]>(ctx, 'ppca', 'lemma1_k', isIntList, 'a list of k');

  const subset = readSubset(ctx);
  ctx.progress(0.05, 'covariance');
  const moments = subsetMoments(subset);
  ctx.progress(0.2, 'eigendecomposition');
  const fit = fitPpca(moments);
  ctx.log(`eigenvalues ${fit.eigenvalues[0].toFixed(3)} … ${fit.eigenvalues[fit.dim - 1].toExponential(3)}; clamped ${fit.clamped.count} at ${fit.clamped.floor.toExponential(2)}`);
  const n = fit.dim;
  writeNpy(ctx.out('eigenvalues'), { data: fit.eigenvalues, shape: [n] });
  writeNpy(ctx.out('components'), { data: Float64Array.from(fit.components.to1DArray()), shape: [n, n] });
  writeNpy(ctx.out('mean'), { data: fit.mean, shape: [n] });

  ctx.progress(0.5, 'likelihood over k');
  const rows = likelihoodOverK(fit.eigenvalues, kRef);
  writeFileAtomic(ctx.out('table'), aq.from(rows).toCSV());

  ctx.progress(0.6, 'Figure 1 landscape');
  const panels = chooseLandscapePanels(fit.eigenvalues, base, directions);
  const coefficients = symmetricGrid(1.5 * Math.sqrt(fit.eigenvalues[directions[0] - 1]), gridPoints);
  const landscape = panels.flatMap((p, panel) =>
    landscapeGrid(fit, base, p.sigma2, directions, coefficients).map((g) => ({ panel, sigma2: p.sigma2, a: g.a, b: g.b, loglik: g.loglik, delta_loglik: g.deltaLoglik })),
  );
  writeFileAtomic(ctx.out('fig1'), aq.from(landscape).toCSV());
  writeJsonAtomic(ctx.out('fig1_meta'), {
    directions,
    base_components: base,
    panels,
    eigenvalues_of_directions: directions.map((d) => fit.eigenvalues[d - 1]),
    eigenvalue_of_last_base_component: fit.eigenvalues[base - 1],
    coefficient_extent: coefficients[coefficients.length - 1],
  });

  ctx.progress(0.7, 'theory checks');
  const theory = ppcaTheoryChecks(moments, fit, { lemmaKs: lemmaKs.filter((k) => k > 0 && k < n), base, maxDirection: Math.min(40, n - 1) });
  const blue = rows.map((r) => r.loglik_fixed_sigma2);
  const peak = rows[blue.indexOf(Math.max(...blue))].k;
  const summary = {
    k_ref: kRef,
    sigma2_ref: rows[kRef - 1].sigma2_mle,
    fixed_sigma2_curve_peak_k: peak,
    clamped: fit.clamped,
  };
  writeJsonAtomic(ctx.out('theory'), { ...theory, figure2: summary, provenance: provenance(ctx, subset) });
  writeJsonAtomic(ctx.out('meta'), { ...summary, n, rows: fit.rows, provenance: provenance(ctx, subset) });
  ctx.progress(1, `done; fixed-σ² curve peaks at k = ${peak}`);
}
