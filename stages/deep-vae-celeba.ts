// Stage `deep-vae-celeba` (matrix sigma2 × learn × seed): the conv Gaussian VAE on 64×64 CelebA
// (paper §6.2, Table 1 lower half). Skips itself when the celeba stage was skipped (no local copy).
import { createConvVae } from '../src/models/conv-vae.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { trainDeepVaeStage, type DeepVaeTrainParams } from '../src/train/deep-vae-stage.ts';

interface ConvVaeParams extends DeepVaeTrainParams {
  base_channels: number;
  latent: number;
}

export async function run(ctx: StageContext): Promise<void> {
  const celeba = ctx.input('celeba');
  if (celeba.skipped) ctx.skip(`no CelebA data: ${celeba.skipped}`);
  const p = ctx.param('deep_vae_celeba') as unknown as ConvVaeParams;
  let imageSize = 0;
  await trainDeepVaeStage(ctx, {
    dataset: 'celeba',
    train: celeba.outs.train,
    logdet: celeba.outs.logdet,
    meta: celeba.outs.meta,
    params: p,
    createModel: ({ data, sigma2Init, learnSigma2 }, rng) => {
      imageSize = Math.round(Math.sqrt(data.dim / 3));
      return createConvVae({ imageSize, channels: 3, baseChannels: p.base_channels, latent: p.latent, sigma2Init, learnSigma2 }, rng);
    },
    get architecture() {
      return { image_size: imageSize, base_channels: p.base_channels };
    },
  });
}
