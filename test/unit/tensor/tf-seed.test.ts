// tfjs's random ops take seed 0 as "unseeded" (Math.random): tfSeed keeps a 0 reproducible.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/tensor/backend.ts';
import { tfSeed } from '../../../src/tensor/rng.ts';

const draw = (seed: number) => tf.tidy(() => Array.from(tf.randomNormal([8], 0, 1, 'float32', seed).dataSync()));

beforeAll(async () => {
  await initBackend('wasm');
});

describe('tfSeed', () => {
  it('makes seed 0 reproducible, where tfjs itself would draw from Math.random', () => {
    expect(draw(0)).not.toEqual(draw(0));
    expect(draw(tfSeed(0))).toEqual(draw(tfSeed(0)));
  });

  it('passes every other seed through unchanged', () => {
    expect(tfSeed(1)).toBe(1);
    expect(tfSeed(4294967295)).toBe(4294967295);
    expect(draw(tfSeed(17))).toEqual(draw(17));
  });
});
