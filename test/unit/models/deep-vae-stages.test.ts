// The deep-vae and table1 stages, run through their run() with a real StageContext on tiny data.
import { describe, expect, it } from '@jest/globals';
import * as aq from 'arquero';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../../../src/io/npy.ts';
import { createRng } from '../../../src/tensor/rng.ts';
import { DEEP_VAE_OUTS } from '../../../src/train/deep-vae-outputs.ts';
import { run as runDeepVae } from '../../../stages/deep-vae.ts';
import { run as runDeepVaeCeleba } from '../../../stages/deep-vae-celeba.ts';
import { run as runTable1 } from '../../../stages/table1.ts';
import { makeTestContext } from '../../helpers/stage-context.ts';
import type { StageInput } from '../../../src/pipeline/stage.ts';

function fakeMnist(rows: number): StageInput {
  const dir = mkdtempSync(join(tmpdir(), 'fake-mnist-'));
  const rng = createRng(5);
  const values = Float32Array.from({ length: rows * 784 }, (_, i) => (i % 784 < 392 ? 2 : -2) * rng.uniform() + rng.normal());
  writeNpy(join(dir, 'train.npy'), { data: values, shape: [rows, 784] });
  writeNpy(join(dir, 'logdet_train.npy'), { data: new Float64Array(rows).fill(-100), shape: [rows] });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ space: 'logit', provenance: { data: { source: 'test' } } }));
  return { id: 'mnist', stage: 'mnist', matrix: {}, outs: { train: join(dir, 'train.npy'), logdet_train: join(dir, 'logdet_train.npy'), meta: join(dir, 'meta.json') } };
}

const params = { backend: 'wasm', deep_vae: { width: 16, latent: 8, batch_size: 50, epochs: 1, lr: 1e-3, final_lr: 1e-4, adam_beta2: 0.99, lr_log_sigma2: 0.01, train_size: 150 } };

describe('stages deep-vae → table1', () => {
  it('writes every declared artifact with finite metrics, then Table 1 aggregates them', async () => {
    const mnist = fakeMnist(200);
    const instances: StageInput[] = [];
    for (const [sigma2, learn, seed] of [[1, false, 0], [1, false, 1], [0.1, true, 0]] as const) {
      const ctx = makeTestContext({ stage: 'deep-vae', params, matrix: { sigma2, learn, seed }, outs: { ...DEEP_VAE_OUTS }, inputs: { mnist: [mnist] }, seed: 77 + seed });
      await runDeepVae(ctx);
      const m = JSON.parse(readFileSync(ctx.out('metrics'), 'utf8'));
      expect(m.rows).toBe(150);
      expect(m.steps).toBe(3);
      expect(m.sigma2_init).toBe(sigma2);
      expect(m.elbo_pixel).toBeCloseTo(m.elbo - 100, 6);
      expect(m.tuned_elbo).toBeGreaterThanOrEqual(m.elbo);
      expect(m.provenance.backend.name).toBe('wasm');
      for (const v of Object.values(m)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      const curve = aq.fromCSV(readFileSync(ctx.out('collapse_curve'), 'utf8'));
      expect(curve.columnNames()).toEqual(['epsilon', 'collapsed_pct']);
      expect(aq.fromCSV(readFileSync(ctx.out('curve'), 'utf8')).columnNames()).toEqual(['step', 'elbo', 'sigma2']);
      instances.push({ id: `deep-vae[sigma2=${sigma2},learn=${learn},seed=${seed}]`, stage: 'deep-vae', matrix: { sigma2, learn, seed }, outs: Object.fromEntries(Object.keys(DEEP_VAE_OUTS).map((k) => [k, ctx.out(k)])) });
    }
    instances.push({ id: 'deep-vae-celeba[x]', stage: 'deep-vae-celeba', matrix: {}, outs: {}, skipped: 'no CelebA' });
    const t1 = makeTestContext({
      stage: 'table1',
      outs: { table1: 'table1.csv', table1_md: 'table1.md', paper: 'paper-table1.csv', collapse_curves: 'collapse-curves.csv', meta: 'meta.json' },
      inputs: { 'deep-vae': instances.slice(0, 3), 'deep-vae-celeba': instances.slice(3) },
    });
    await runTable1(t1);
    const table = aq.fromCSV(readFileSync(t1.out('table1'), 'utf8')).objects() as Record<string, unknown>[];
    expect(table).toHaveLength(2);
    expect(table[0]).toMatchObject({ dataset: 'mnist', sigma2_init: 1, learn_sigma2: false, seeds: 2, paper_elbo_mean: -1022.1 });
    expect(readFileSync(t1.out('table1_md'), 'utf8')).toContain('Skipped: deep-vae-celeba[x] (no CelebA)');
    const curves = aq.fromCSV(readFileSync(t1.out('collapse_curves'), 'utf8'));
    expect(curves.numRows()).toBe(2 * 41);
  });
});

describe('stage deep-vae params', () => {
  it('refuses missing or out-of-range training params, naming each one', async () => {
    const { final_lr: _dropped, ...withoutFinalLr } = params.deep_vae;
    const bad = { ...params, deep_vae: { ...withoutFinalLr, adam_beta2: 1 } };
    const ctx = makeTestContext({ stage: 'deep-vae', params: bad, matrix: { sigma2: 1, learn: false, seed: 0 }, outs: { ...DEEP_VAE_OUTS }, inputs: { mnist: [fakeMnist(20)] } });
    await expect(runDeepVae(ctx)).rejects.toThrow(/pipeline\.yaml params: final_lr must be a number > 0, found undefined; adam_beta2 must be in \(0, 1\), found 1/);
  });
});

describe('stage deep-vae-celeba', () => {
  it('trains the conv VAE on synthetic 64×64×3 images and records its architecture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-celeba-'));
    const rng = createRng(9);
    const rows = 8;
    writeNpy(join(dir, 'train.npy'), { data: Float32Array.from({ length: rows * 64 * 64 * 3 }, () => rng.normal()), shape: [rows, 64, 64, 3] });
    writeNpy(join(dir, 'logdet.npy'), { data: new Float64Array(rows).fill(-10), shape: [rows] });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ space: 'logit', provenance: { data: { source: 'test' } } }));
    const celeba: StageInput = { id: 'celeba', stage: 'celeba', matrix: {}, outs: { train: join(dir, 'train.npy'), logdet: join(dir, 'logdet.npy'), meta: join(dir, 'meta.json') } };
    const ctx = makeTestContext({
      stage: 'deep-vae-celeba',
      params: { backend: 'wasm', deep_vae_celeba: { base_channels: 2, latent: 4, batch_size: 4, epochs: 1, lr: 1e-3, final_lr: 1e-4, adam_beta2: 0.99, lr_log_sigma2: 0.01, train_size: 0 } },
      matrix: { sigma2: 1, learn: true, seed: 0 },
      outs: { ...DEEP_VAE_OUTS },
      inputs: { celeba: [celeba] },
    });
    await runDeepVaeCeleba(ctx);
    const m = JSON.parse(readFileSync(ctx.out('metrics'), 'utf8'));
    expect(m).toMatchObject({ dataset: 'celeba', image_size: 64, base_channels: 2, rows, steps: 2, sigma2_init: 1 });
    expect(m.elbo_pixel).toBeCloseTo(m.elbo - 10, 6);
    for (const v of Object.values(m)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });
});
