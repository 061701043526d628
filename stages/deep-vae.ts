// Stage `deep-vae` (matrix sigma2 × learn × seed): train one MLP Gaussian VAE on MNIST (paper
// §6.2) with σ² fixed or learned from `sigma2`, then write its Table 1 / Figure 5–6 metrics.
import { createDeepVae } from '../src/models/deep-vae.ts';
import type { StageContext } from '../src/pipeline/stage.ts';
import { initBackend, type BackendPreference } from '../src/tensor/backend.ts';
import { createRng } from '../src/tensor/rng.ts';
import { loadTrainRows, meanLogdet } from '../src/train/deep-vae-data.ts';
import { runExperiment } from '../src/train/deep-vae-experiment.ts';
import { writeDeepVaeOutputs } from '../src/train/deep-vae-outputs.ts';
import { readFileSync } from 'node:fs';

export interface DeepVaeParams {
  width: number;
  latent: number;
  batch_size: number;
  epochs: number;
  lr: number;
  lr_log_sigma2: number;
  /** Rows of the mnist stage's train.npy used (0 = all). */
  train_size: number;
}

export async function run(ctx: StageContext): Promise<void> {
  const p = ctx.param('deep_vae') as unknown as DeepVaeParams;
  const sigma2 = Number(ctx.param('sigma2'));
  const learn = ctx.param<boolean>('learn');
  const backend = await initBackend(ctx.param<BackendPreference>('backend'));
  const mnist = ctx.input('mnist');
  const data = loadTrainRows(mnist.outs.train, p.train_size);
  const mnistMeta = JSON.parse(readFileSync(mnist.outs.meta, 'utf8')) as { space?: string; provenance?: { data?: unknown } };
  const rng = createRng(ctx.seed);
  const model = createDeepVae({ inputDim: data.dim, hidden: p.width, latent: p.latent, sigma2Init: sigma2, learnSigma2: learn }, rng);
  try {
    ctx.log(`${ctx.id}: ${data.rows} rows × ${data.dim}, width ${p.width}, backend ${backend.name} (fixes: ${backend.kernelFixes.join(', ') || 'none'})`);
    const result = runExperiment(model, data, {
      instance: ctx.id,
      batchSize: p.batch_size,
      epochs: p.epochs,
      lr: p.lr,
      lrLogSigma2: p.lr_log_sigma2,
      rng,
      meanLogdet: meanLogdet(mnist.outs.logdet_train, data.rows),
      onProgress: (f, note) => ctx.progress(f, note),
    });
    writeDeepVaeOutputs((name) => ctx.out(name), result, {
      dataset: 'mnist',
      space: mnistMeta.space ?? 'logit',
      seed: ctx.param('seed'),
      width: p.width,
      batch_size: p.batch_size,
      epochs: p.epochs,
      lr: p.lr,
      lr_log_sigma2: learn ? p.lr_log_sigma2 : null,
      provenance: {
        stage: ctx.id,
        profile: ctx.profile,
        data: mnistMeta.provenance?.data ?? null,
        backend: { name: backend.name, package: backend.package, versions: backend.versions, kernel_fixes: backend.kernelFixes },
        node: process.version,
        seed: ctx.seed,
      },
    });
    const m = result.metrics;
    ctx.log(`trained ${result.train.steps} steps in ${result.train.seconds.toFixed(1)} s (${result.train.examplesPerSecond.toFixed(0)} examples/s)`);
    ctx.progress(1, `ELBO ${Number(m.elbo).toFixed(1)}, tuned ${Number(m.tuned_elbo).toFixed(1)} (σ²* ${Number(m.tuned_sigma2).toPrecision(3)}), collapse ${Number(m.collapse_pct).toFixed(1)}%`);
  } finally {
    model.dispose();
  }
}
