// What the deep-VAE stages (MNIST MLP, CelebA conv) share: read the matrix values and data, train
// one Gaussian VAE with σ² fixed or learned, write its outs with provenance. The stages only say
// which data and which model.
import { readFileSync } from 'node:fs';
import type { GaussianVae } from '../models/deep-vae.ts';
import type { StageContext } from '../pipeline/stage.ts';
import { initBackend, type BackendPreference } from '../tensor/backend.ts';
import { createRng, type Rng } from '../tensor/rng.ts';
import { loadTrainRows, meanLogdet } from './deep-vae-data.ts';
import { DeepVaeParamError } from './deep-vae-errors.ts';
import type { TrainData } from './deep-vae-train.ts';
import { runExperiment } from './deep-vae-experiment.ts';
import { writeDeepVaeOutputs } from './deep-vae-outputs.ts';

/** Training params both stages declare (their param group adds the architecture). */
export interface DeepVaeTrainParams {
  batch_size: number;
  epochs: number;
  lr: number;
  /** Weights' rate at the last step (cosine decay from lr). */
  final_lr: number;
  /** β₂ of the weights' Adam. */
  adam_beta2: number;
  lr_log_sigma2: number;
  /** Rows of the data stage's train.npy used (0 = all). */
  train_size: number;
}

export interface DeepVaeStageSpec {
  dataset: 'mnist' | 'celeba';
  /** The data stage's outs: preprocessed rows, per-image log-det, meta.json. */
  train: string;
  logdet: string;
  meta: string;
  params: DeepVaeTrainParams;
  createModel(init: { data: TrainData; sigma2Init: number; learnSigma2: boolean }, rng: Rng): GaussianVae;
  /** Architecture facts for metrics.json (width, base_channels, …). */
  architecture: Record<string, unknown>;
}

function checkTrainParams(instance: string, p: DeepVaeTrainParams): void {
  const problems: string[] = [];
  for (const key of ['batch_size', 'epochs', 'lr', 'final_lr', 'lr_log_sigma2'] as const) {
    if (!(typeof p[key] === 'number' && p[key] > 0)) problems.push(`${key} must be a number > 0, found ${JSON.stringify(p[key])}`);
  }
  if (!(typeof p.adam_beta2 === 'number' && p.adam_beta2 > 0 && p.adam_beta2 < 1)) problems.push(`adam_beta2 must be in (0, 1), found ${JSON.stringify(p.adam_beta2)}`);
  if (problems.length) throw new DeepVaeParamError(instance, problems);
}

export async function trainDeepVaeStage(ctx: StageContext, spec: DeepVaeStageSpec): Promise<void> {
  const p = spec.params;
  checkTrainParams(ctx.id, p);
  const sigma2 = Number(ctx.param('sigma2'));
  const learn = ctx.param<boolean>('learn');
  const backend = await initBackend(ctx.param<BackendPreference>('backend'));
  const data = loadTrainRows(spec.train, p.train_size);
  const meta = JSON.parse(readFileSync(spec.meta, 'utf8')) as { space?: string; provenance?: { data?: unknown } };
  const rng = createRng(ctx.seed);
  const model = spec.createModel({ data, sigma2Init: sigma2, learnSigma2: learn }, rng);
  try {
    ctx.log(`${ctx.id}: ${data.rows} rows × ${data.dim}, ${JSON.stringify(spec.architecture)}, backend ${backend.name} (fixes: ${backend.kernelFixes.join(', ') || 'none'})`);
    const result = runExperiment(model, data, {
      instance: ctx.id,
      batchSize: p.batch_size,
      epochs: p.epochs,
      lr: p.lr,
      finalLr: p.final_lr,
      beta2: p.adam_beta2,
      lrLogSigma2: p.lr_log_sigma2,
      rng,
      meanLogdet: meanLogdet(spec.logdet, data.rows),
      onProgress: (f, note) => ctx.progress(f, note),
    });
    writeDeepVaeOutputs((name) => ctx.out(name), result, {
      dataset: spec.dataset,
      space: meta.space ?? 'logit',
      seed: ctx.param('seed'),
      ...spec.architecture,
      batch_size: p.batch_size,
      epochs: p.epochs,
      lr: p.lr,
      final_lr: p.final_lr,
      adam_beta2: p.adam_beta2,
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
    const m = result.metrics;
    ctx.log(`trained ${result.train.steps} steps in ${result.train.seconds.toFixed(1)} s (${result.train.examplesPerSecond.toFixed(0)} examples/s)`);
    ctx.progress(1, `ELBO ${Number(m.elbo).toFixed(1)}, tuned ${Number(m.tuned_elbo).toFixed(1)} (σ²* ${Number(m.tuned_sigma2).toPrecision(3)}), collapse ${Number(m.collapse_pct).toFixed(1)}%`);
  } finally {
    model.dispose();
  }
}
