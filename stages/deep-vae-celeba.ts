// Stage `deep-vae-celeba` (matrix sigma2 × learn × seed): the conv Gaussian VAE on 64×64 CelebA
// (paper §6.2, Table 1 lower half). Skips itself when the celeba stage was skipped (no local copy).
import { readFileSync } from 'node:fs';
import { createConvVae } from '../src/models/conv-vae.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { initBackend, type BackendPreference } from '../src/tensor/backend.ts';
import { createRng } from '../src/tensor/rng.ts';
import { loadTrainRows, meanLogdet } from '../src/train/deep-vae-data.ts';
import { runExperiment } from '../src/train/deep-vae-experiment.ts';
import { writeDeepVaeOutputs } from '../src/train/deep-vae-outputs.ts';

interface ConvVaeParams {
  base_channels: number;
  latent: number;
  batch_size: number;
  epochs: number;
  lr: number;
  lr_log_sigma2: number;
  train_size: number;
}

export async function run(ctx: StageContext): Promise<void> {
  const celeba = ctx.input('celeba');
  if (celeba.skipped) ctx.skip(`no CelebA data: ${celeba.skipped}`);
  const p = ctx.param('deep_vae_celeba') as unknown as ConvVaeParams;
  const sigma2 = Number(ctx.param('sigma2'));
  const learn = ctx.param<boolean>('learn');
  const backend = await initBackend(ctx.param<BackendPreference>('backend'));
  const data = loadTrainRows(celeba.outs.train, p.train_size);
  const imageSize = Math.round(Math.sqrt(data.dim / 3));
  const meta = JSON.parse(readFileSync(celeba.outs.meta, 'utf8')) as { space?: string; provenance?: { data?: unknown } };
  const rng = createRng(ctx.seed);
  const model = createConvVae({ imageSize, channels: 3, baseChannels: p.base_channels, latent: p.latent, sigma2Init: sigma2, learnSigma2: learn }, rng);
  try {
    const result = runExperiment(model, data, {
      instance: ctx.id,
      batchSize: p.batch_size,
      epochs: p.epochs,
      lr: p.lr,
      lrLogSigma2: p.lr_log_sigma2,
      rng,
      meanLogdet: meanLogdet(celeba.outs.logdet, data.rows),
      onProgress: (f, note) => ctx.progress(f, note),
    });
    writeDeepVaeOutputs((name) => ctx.out(name), result, {
      dataset: 'celeba',
      space: meta.space ?? 'logit',
      seed: ctx.param('seed'),
      image_size: imageSize,
      base_channels: p.base_channels,
      batch_size: p.batch_size,
      epochs: p.epochs,
      lr: p.lr,
      lr_log_sigma2: learn ? p.lr_log_sigma2 : null,
      provenance: {
        stage: ctx.id,
        profile: ctx.profile,
        data: meta.provenance?.data ?? null,
        backend: { name: backend.name, package: backend.package, versions: backend.versions, kernel_fixes: backend.kernelFixes },
        node: process.version,
        seed: ctx.seed,
      },
    });
    ctx.progress(1, `ELBO ${Number(result.metrics.elbo).toFixed(1)}, collapse ${Number(result.metrics.collapse_pct).toFixed(1)}%`);
  } finally {
    model.dispose();
  }
}
