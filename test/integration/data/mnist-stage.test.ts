// stages/mnist.ts called directly with a real StageContext, on a fixture dir and on the package.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../../../src/io/npy.ts';
import { run } from '../../../stages/mnist.ts';
import { makeTestContext } from '../../helpers/stage-context.ts';
import { makeMnistFixture, writeMnistFixture } from '../../fixtures/data/mnist-fixture.ts';

const OUTS = {
  train: 'train.npy',
  train_labels: 'train-labels.npy',
  train_index: 'train-index.npy',
  logdet_train: 'logdet_train.npy',
  subset: 'subset.npy',
  subset_labels: 'subset-labels.npy',
  subset_index: 'subset-index.npy',
  logdet_subset: 'logdet_subset.npy',
  meta: 'meta.json',
};

const fixture = makeMnistFixture(60, 10);
const fixtureDir = mkdtempSync(join(tmpdir(), 'mnist-stage-'));
writeMnistFixture(fixtureDir, fixture);

async function runStage(mnist: Record<string, string | number>, seed = 7) {
  const ctx = makeTestContext({
    stage: 'mnist',
    seed,
    outs: OUTS,
    params: { mnist: { source: 'dir', dir: fixtureDir, train_size: 0, subset_size: 20, space: 'logit', lambda: 1e-6, ...mnist } },
  });
  await run(ctx);
  const npy = (k: keyof typeof OUTS) => readNpy(join(ctx.outDir, OUTS[k]));
  const meta = JSON.parse(readFileSync(join(ctx.outDir, OUTS.meta), 'utf8'));
  const bytes = (k: keyof typeof OUTS) => readFileSync(join(ctx.outDir, OUTS[k]));
  return { ctx, npy, meta, bytes };
}

describe('stage mnist', () => {
  test('writes the contract: shapes, dtypes, labels matching indices, logdet, honest meta', async () => {
    const { npy, meta, ctx } = await runStage({ train_size: 50 });
    const train = npy('train');
    expect(train.shape).toEqual([50, 784]);
    expect(train.data).toBeInstanceOf(Float32Array);
    expect(npy('subset').shape).toEqual([20, 784]);
    const idx = npy('train_index').data as Int32Array;
    const labels = npy('train_labels').data as Uint8Array;
    expect(labels).toBeInstanceOf(Uint8Array);
    for (let r = 0; r < 50; r++) expect(labels[r]).toBe(fixture.trainLabels[idx[r]]);
    expect(new Set(idx).size).toBe(50);
    // rows are the indexed images: the logit of the noisy byte falls in its byte's bin
    const y = train.data[3 * 784 + 100];
    const x = (1 / (1 + Math.exp(-y)) - 1e-6) / (1 - 2e-6);
    expect(Math.floor(x * 256)).toBe(fixture.trainImages[idx[3] * 784 + 100]);
    const logdet = npy('logdet_train');
    expect(logdet.data).toBeInstanceOf(Float64Array);
    expect(logdet.shape).toEqual([50]);
    expect(Math.min(...logdet.data)).toBeGreaterThan(784 * Math.log(4) - 1);
    expect(meta.provenance.data).toMatchObject({ source: 'dir', full_mnist: false, images: 50, subset_images: 20 });
    expect(meta.provenance.seed).toBe(7);
    expect(meta).toMatchObject({ space: 'logit', lambda: 1e-6, counts: { available_train: 60, train: 50, subset: 20 } });
    expect(meta.logdet.constant).toBeCloseTo(784 * Math.log(1 - 2e-6), 12);
    expect(ctx.progressEvents.at(-1)?.fraction).toBe(1);
  });

  test('deterministic per seed; the subset does not change with train_size; pixel space has logdet 0', async () => {
    const a = await runStage({ train_size: 50 });
    const b = await runStage({ train_size: 50 });
    const c = await runStage({ train_size: 30 });
    const d = await runStage({ train_size: 50 }, 8);
    expect(a.bytes('train').equals(b.bytes('train'))).toBe(true);
    expect(a.bytes('subset').equals(c.bytes('subset'))).toBe(true);
    expect(a.bytes('subset').equals(d.bytes('subset'))).toBe(false);
    const px = await runStage({ space: 'pixel' });
    const v = px.npy('train').data;
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(Array.from(px.npy('logdet_subset').data).every((z) => z === 0)).toBe(true);
  });

  test('bad params are clear errors', async () => {
    await expect(runStage({ train_size: 61 })).rejects.toThrow(/mnist\.train_size: expected at most the 60 available/);
    await expect(runStage({ subset_size: 0 })).rejects.toThrow(/mnist\.subset_size: expected an integer in 1\.\.60/);
    await expect(runStage({ space: 'probit' })).rejects.toThrow(/mnist\.space: expected logit\|pixel, found probit/);
    await expect(runStage({ source: 'ftp' })).rejects.toThrow(/mnist\.source: expected one of auto\|download\|package\|dir/);
  });
});
