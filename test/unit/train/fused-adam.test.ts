// The fused Adam must be tf.train.adam, bit for bit: on wasm (SIMD kernel on the heap), on cpu (JS
// kernel) and through its tf-ops path; and it must report max |g| (NaN/Infinity included) before
// anything changes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../../src/tensor/backend.ts';
import { createRng } from '../../../src/tensor/rng.ts';
import { createFusedAdam, type FusedAdamOptions } from '../../../src/train/fused-adam.ts';

// odd sizes exercise the SIMD loop's scalar tail; [] is how log σ² is shaped
const SHAPES: number[][] = [[37, 29], [13], [], [8, 4]];

function randomArray(n: number, rng: ReturnType<typeof createRng>, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

let nextId = 0;
function variables(tag: string, seed: number): tf.Variable[] {
  const rng = createRng(seed);
  return SHAPES.map((s) => tf.variable(tf.tensor(randomArray(tf.util.sizeFromShape(s), rng, 1), s), true, `adam-test-${tag}-${nextId++}`));
}

/** Run `steps` Adam steps with stock tf.train.adam and with ours on identical gradients; return both final values. */
function runBoth(lr: number, beta1: number, beta2: number, steps: number, options: FusedAdamOptions = {}): { stock: Float32Array[]; fused: Float32Array[] } {
  const a = variables('stock', 1);
  const b = variables('fused', 1);
  const stock = tf.train.adam(lr, beta1, beta2);
  const fused = createFusedAdam(lr, beta1, beta2, undefined, options);
  const rng = createRng(2);
  for (let t = 0; t < steps; t++) {
    // gradient scales from tiny to large, so the bias correction and ε both matter
    const scale = [1e-6, 1e-2, 1, 30][t % 4];
    const grads = SHAPES.map((s) => tf.tensor(randomArray(tf.util.sizeFromShape(s), rng, scale), s));
    stock.applyGradients(a.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    fused.prepare(b.map((variable, i) => ({ variable, gradient: grads[i] }))).apply();
    tf.dispose(grads);
  }
  const out = { stock: a.map((v) => v.dataSync() as Float32Array), fused: b.map((v) => v.dataSync() as Float32Array) };
  stock.dispose();
  fused.dispose();
  tf.dispose([...a, ...b]);
  return out;
}

function expectBitIdentical(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.map((x) => Array.from(x))).toEqual(expected.map((x) => Array.from(x)));
}

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

describe.each(['wasm', 'cpu'])('fused Adam on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('equals tf.train.adam bit for bit over 25 steps (β₂ = 0.999)', () => {
    const { stock, fused } = runBoth(1e-3, 0.9, 0.999, 25);
    expectBitIdentical(fused, stock);
    // and it did move the variables
    const initial = variables('probe', 1);
    expect(fused[0][0]).not.toBe(initial[0].dataSync()[0]);
    tf.dispose(initial);
  });

  it('equals tf.train.adam with the log σ² optimiser settings (lr 0.05, β₂ = 0.9)', () => {
    const { stock, fused } = runBoth(0.05, 0.9, 0.9, 12);
    expectBitIdentical(fused, stock);
  });

  it('equals tf.train.adam through its tf-ops path too', () => {
    const { stock, fused } = runBoth(1e-2, 0.9, 0.999, 6, { useKernel: false });
    expectBitIdentical(fused, stock);
  });

  it.each([
    ['the max |g|', 0, 6.5],
    ['NaN for a NaN gradient', Number.NaN, Number.NaN],
    ['Infinity for an infinite gradient', Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  ])('reports %s and changes nothing when the step is discarded', (_, bad, expected) => {
    for (const useKernel of [true, false]) {
      const vars = variables('check', 3);
      const before = vars.map((v) => Array.from(v.dataSync()));
      const adam = createFusedAdam(0.1, 0.9, 0.999, undefined, { useKernel });
      const grads = SHAPES.map((s) => tf.fill(s, 0.25));
      const g0 = grads[0].bufferSync();
      g0.values[5] = -6.5;
      if (bad !== 0) g0.values[11] = bad;
      const withBad = [g0.toTensor(), ...grads.slice(1)];
      const count = tf.memory().numTensors;
      const step = adam.prepare(vars.map((variable, i) => ({ variable, gradient: withBad[i] })));
      if (Number.isNaN(expected)) expect(step.gradMaxAbs).toBeNaN();
      else expect(step.gradMaxAbs).toBe(expected);
      step.discard();
      expect(vars.map((v) => Array.from(v.dataSync()))).toEqual(before);
      expect(adam.iterations).toBe(0);
      adam.dispose(); // frees the moment slots prepare() created
      expect(tf.memory().numTensors).toBe(count);
      tf.dispose([...grads, ...withBad, ...vars]);
    }
  });

  it('keeps its tensor count constant across steps and frees everything on dispose', () => {
    const vars = variables('memory', 4);
    const start = tf.memory().numTensors;
    const adam = createFusedAdam(1e-3);
    const grads = SHAPES.map((s) => tf.ones(s));
    const step = () => adam.prepare(vars.map((variable, i) => ({ variable, gradient: grads[i] }))).apply();
    step();
    const after1 = tf.memory().numTensors;
    for (let t = 0; t < 4; t++) step();
    expect(tf.memory().numTensors).toBe(after1);
    expect(adam.iterations).toBe(5);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(start + grads.length);
    tf.dispose([...grads, ...vars]);
  });
});
