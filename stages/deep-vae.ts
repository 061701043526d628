// Stage `deep-vae` (matrix sigma2 × learn × seed): train one MLP Gaussian VAE on MNIST (paper
// §6.2) with σ² fixed or learned from `sigma2`, then write its Table 1 / Figure 5–6 metrics.
import { createDeepVae } from '../src/models/deep-vae.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { inputStandardisation } from '../src/train/deep-vae-data.ts';
import { trainDeepVaeStage, type DeepVaeTrainParams } from '../src/train/deep-vae-stage.ts';

export interface DeepVaeParams extends DeepVaeTrainParams {
  width: number;
  latent: number;
}

export async function run(ctx: StageContext): Promise<void> {
  const p = ctx.param('deep_vae') as unknown as DeepVaeParams;
  const mnist = ctx.input('mnist');
  await trainDeepVaeStage(ctx, {
    dataset: 'mnist',
    train: mnist.outs.train,
    logdet: mnist.outs.logdet_train,
    meta: mnist.outs.meta,
    params: p,
    createModel: ({ data, sigma2Init, learnSigma2 }, rng) =>
      createDeepVae({ inputDim: data.dim, hidden: p.width, latent: p.latent, sigma2Init, learnSigma2, inputStandardisation: inputStandardisation(data) }, rng),
    architecture: { width: p.width, encoder_input: 'standardised: (x − per-pixel training mean) / global training std' },
  });
}
