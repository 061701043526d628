// The closed-form theory checks, as numbers for theory.json (the unit tests assert the same).
import { Matrix } from 'ml-matrix';
import type { DataMoments, PpcaFit } from '../models/ppca.ts';
import { decoderMle, logLikelihood, maxLogLikelihood } from '../models/ppca.ts';
import { analyticElboF64, lemma1Optimum } from './linear-elbo.ts';

export interface PpcaTheory {
  lemma1: { k: number; elbo: number; loglik: number; rel_error: number }[];
  lemma1_max_rel_error: number;
  stability: { sigma2: number; directions_checked: number; agree_with_theory: number; capturable: number[] };
  stability_all_agree: boolean;
}

export function ppcaTheoryChecks(moments: DataMoments, fit: PpcaFit, opts: { lemmaKs: number[]; base: number; maxDirection: number }): PpcaTheory {
  const lemma1 = opts.lemmaKs.map((k) => {
    const loglik = maxLogLikelihood(fit.eigenvalues, k);
    const { elbo } = analyticElboF64(moments, lemma1Optimum(fit, k));
    return { k, elbo, loglik, rel_error: Math.abs(elbo - loglik) / Math.abs(loglik) };
  });
  // Stability at W = [base scaled components, one zero column], σ² between λ_base+2 and λ_base+3:
  // the likelihood along a·u_i rises iff λ_i > σ² (dense Woodbury likelihood on real vectors).
  const l = fit.eigenvalues;
  const sigma2 = Math.sqrt(l[opts.base + 1] * l[opts.base + 2]);
  const w0 = decoderMle(fit, opts.base, sigma2);
  const zero = new Matrix(fit.dim, opts.base + 1);
  zero.setSubMatrix(w0, 0, 0);
  const origin = logLikelihood(moments, zero, sigma2);
  let agree = 0;
  const capturable: number[] = [];
  for (let i = opts.base + 1; i <= opts.maxDirection; i++) {
    const w = zero.clone();
    for (let r = 0; r < fit.dim; r++) w.set(r, opts.base, 0.05 * fit.components.get(r, i - 1));
    const rises = logLikelihood(moments, w, sigma2) > origin;
    if (rises) capturable.push(i);
    if (rises === l[i - 1] > sigma2) agree++;
  }
  const checked = opts.maxDirection - opts.base;
  return {
    lemma1,
    lemma1_max_rel_error: Math.max(0, ...lemma1.map((x) => x.rel_error)),
    stability: { sigma2, directions_checked: checked, agree_with_theory: agree, capturable },
    stability_all_agree: agree === checked,
  };
}
