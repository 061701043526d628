// The conv VAE trains on the wasm backend (which needed our Conv2DBackpropFilter) on synthetic
// 16×16 images, and the CelebA stage skips cleanly without data.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../../../src/io/npy.ts';
import { createConvVae } from '../../../src/models/conv-vae.ts';
import { initBackend } from '../../../src/tensor/backend.ts';
import { createRng } from '../../../src/tensor/rng.ts';
import { DEEP_VAE_OUTS } from '../../../src/train/deep-vae-outputs.ts';
import { createTrainStep } from '../../../src/train/deep-vae-step.ts';
import { run as runCeleba } from '../../../stages/deep-vae-celeba.ts';
import { makeTestContext, TestStageSkipped } from '../../helpers/stage-context.ts';

const S = 16;

/** Smooth synthetic "faces": a random brightness and a random horizontal gradient per image. */
function images(rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const v = new Float32Array(rows * S * S * 3);
  for (let r = 0; r < rows; r++) {
    const a = rng.normal();
    const g = rng.normal();
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let c = 0; c < 3; c++) {
      v[((r * S + y) * S + x) * 3 + c] = a + g * (x / S - 0.5) + 0.1 * c + 0.05 * rng.normal();
    }
  }
  return v;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('conv VAE', () => {
  it('maps [B, S·S·3] rows to μ, log σ² [B, latent] and back, and trains with a constant tensor count', () => {
    const model = createConvVae({ imageSize: S, channels: 3, baseChannels: 4, latent: 6, sigma2Init: 0.1, learnSigma2: true }, createRng(1));
    const x = tf.tensor2d(images(8, 2), [8, S * S * 3]);
    const { mu, logVar } = model.encode(x);
    expect(mu.shape).toEqual([8, 6]);
    expect(logVar.shape).toEqual([8, 6]);
    const xhat = model.decode(mu);
    expect(xhat.shape).toEqual([8, S * S * 3]);
    tf.dispose([mu, logVar, xhat]);
    const step = createTrainStep(model, { lr: 3e-3, lrLogSigma2: 0.05, instance: 'conv' });
    const first = step.run(x, 1, 1).elbo;
    const count = tf.memory().numTensors;
    let last = first;
    for (let s = 2; s <= 25; s++) last = step.run(x, s, s).elbo;
    expect(tf.memory().numTensors).toBe(count);
    expect(last).toBeGreaterThan(first);
    step.dispose();
    model.dispose();
    x.dispose();
  });

  it('stage deep-vae-celeba skips when the celeba stage skipped, and runs on a tiny synthetic set', async () => {
    const params = { backend: 'wasm', deep_vae_celeba: { base_channels: 4, latent: 6, batch_size: 10, epochs: 1, lr: 1e-3, final_lr: 1e-4, adam_beta2: 0.99, lr_log_sigma2: 0.01, train_size: 0 } };
    const matrix = { sigma2: 1, learn: false, seed: 0 };
    const skipped = makeTestContext({
      stage: 'deep-vae-celeba', params, matrix, outs: { ...DEEP_VAE_OUTS },
      inputs: { celeba: [{ id: 'celeba', stage: 'celeba', matrix: {}, outs: {}, skipped: 'no local copy' }] },
    });
    await expect(runCeleba(skipped)).rejects.toBeInstanceOf(TestStageSkipped);

    const dir = mkdtempSync(join(tmpdir(), 'fake-celeba-'));
    writeNpy(join(dir, 'train.npy'), { data: images(20, 3), shape: [20, S, S, 3] });
    writeNpy(join(dir, 'logdet.npy'), { data: new Float64Array(20), shape: [20] });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ space: 'pixel' }));
    const ctx = makeTestContext({
      stage: 'deep-vae-celeba', params, matrix, outs: { ...DEEP_VAE_OUTS },
      inputs: { celeba: [{ id: 'celeba', stage: 'celeba', matrix: {}, outs: { train: join(dir, 'train.npy'), logdet: join(dir, 'logdet.npy'), meta: join(dir, 'meta.json') } }] },
    });
    await runCeleba(ctx);
    const m = JSON.parse(readFileSync(ctx.out('metrics'), 'utf8'));
    expect(m).toMatchObject({ dataset: 'celeba', image_size: S, rows: 20, steps: 2, latent: 6 });
    expect(m.tuned_elbo).toBeGreaterThanOrEqual(m.elbo);
  });
});
