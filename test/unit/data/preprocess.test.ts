import { describe, expect, test } from '@jest/globals';
import { preprocessRows, uniformOpen } from '../../../src/data/preprocess.ts';
import { seededSubset } from '../../../src/data/subset.ts';
import { logDetFromLogits, logitTransform } from '../../../src/data/transform.ts';
import { createRng, type Rng } from '../../../src/tensor/rng.ts';

const DIM = 784;
const bytes = Uint8Array.from({ length: 20 * DIM }, (_, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 255 : (i * 7) % 256));
const all = Int32Array.from({ length: 20 }, (_, i) => i);

describe('preprocessRows', () => {
  test('pixel space: 0 < x < 1 in float32, each value within its byte’s bin, logdet 0', () => {
    const out = preprocessRows(bytes, DIM, all, { space: 'pixel', lambda: 1e-6, rng: createRng(1) });
    expect(out.values).toHaveLength(20 * DIM);
    for (let i = 0; i < out.values.length; i++) {
      const x = out.values[i];
      expect(x > 0 && x < 1).toBe(true);
      expect(x * 256).toBeGreaterThanOrEqual(bytes[i]);
      expect(x * 256).toBeLessThanOrEqual(bytes[i] + 1);
    }
    expect(Array.from(out.logdet)).toEqual(new Array(20).fill(0));
  });

  test('logit space uses the same noise: y = logit(λ + (1−2λ)x), logdet from y', () => {
    const px = preprocessRows(bytes, DIM, all, { space: 'pixel', lambda: 1e-6, rng: createRng(5) });
    const lg = preprocessRows(bytes, DIM, all, { space: 'logit', lambda: 1e-6, rng: createRng(5) });
    for (const i of [0, 1, 2, 500, 19 * DIM + 783]) expect(lg.values[i]).toBeCloseTo(logitTransform(px.values[i], 1e-6), 3);
    const y3 = Array.from(lg.values.subarray(3 * DIM, 4 * DIM));
    expect(lg.logdet[3]).toBeCloseTo(logDetFromLogits(y3, 1e-6), 2);
    expect(Math.min(...lg.values)).toBeGreaterThan(-13.82);
    expect(Math.max(...lg.values)).toBeLessThan(13.82);
  });

  test('same seed → identical bytes; another seed → different noise', () => {
    const a = preprocessRows(bytes, DIM, all, { space: 'logit', lambda: 1e-6, rng: createRng('s') });
    const b = preprocessRows(bytes, DIM, all, { space: 'logit', lambda: 1e-6, rng: createRng('s') });
    const c = preprocessRows(bytes, DIM, all, { space: 'logit', lambda: 1e-6, rng: createRng('t') });
    expect(Buffer.from(a.values.buffer).equals(Buffer.from(b.values.buffer))).toBe(true);
    expect(Buffer.from(a.values.buffer).equals(Buffer.from(c.values.buffer))).toBe(false);
  });

  test('rows follow the given indices', () => {
    const out = preprocessRows(bytes, DIM, [7, 2], { space: 'pixel', lambda: 1e-6, rng: createRng(2) });
    expect(Math.floor(out.values[0] * 256)).toBe(bytes[7 * DIM]);
    expect(Math.floor(out.values[DIM + 5] * 256)).toBe(bytes[2 * DIM + 5]);
  });

  test('uniformOpen redraws an exact 0', () => {
    const draws = [0, 0, 0.25];
    const rng = { uniform: () => draws.shift()! } as Rng;
    expect(uniformOpen(rng)).toBe(0.25);
  });
});

describe('seededSubset', () => {
  test('k distinct indices in range, deterministic per seed', () => {
    const a = seededSubset(10_000, 1000, '0:subset');
    expect(a).toHaveLength(1000);
    expect(new Set(a).size).toBe(1000);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(10_000);
    expect(Array.from(seededSubset(10_000, 1000, '0:subset'))).toEqual(Array.from(a));
    expect(Array.from(seededSubset(10_000, 1000, '1:subset'))).not.toEqual(Array.from(a));
  });

  test('k = 0 or k ≥ n gives a permutation of all n', () => {
    expect(Array.from(seededSubset(50, 0, 3)).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seededSubset(50, 80, 3)).toHaveLength(50);
  });
});
