// The wasm kernel fixes must give the cpu backend's numbers: matMuls with every transpose
// combination, fused matMul, the gradients of a small MLP, and conv / conv-transpose gradients.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../../src/tensor/backend.ts';
import { createRng } from '../../../src/tensor/rng.ts';
import { conv2dBackpropFilterConfig } from '../../../src/tensor/wasm-conv2d-backprop-filter.ts';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from '../../../src/tensor/wasm-kernel-fixes.ts';
import { leadingAxesCount } from '../../../src/tensor/wasm-sum-fix.ts';

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Run `f` on a backend with fresh inputs built from `make`; return the outputs as plain arrays. */
async function on(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

function expectClose(actual: Float32Array[], expected: Float32Array[], relTol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    expect(actual[k].length).toBe(expected[k].length);
    let scale = 1e-6;
    for (const v of expected[k]) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < expected[k].length; i++) worst = Math.max(worst, Math.abs(actual[k][i] - expected[k][i]));
    expect(worst / scale).toBeLessThan(relTol);
  }
}

let fixes: string[] = [];
beforeAll(async () => {
  fixes = (await initBackend('wasm')).kernelFixes;
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('wasm kernel fixes', () => {
  it('are installed by initBackend on wasm', () => {
    expect(fixes).toEqual(expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'Sum', 'Identity', 'Conv2DBackpropFilter']));
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul(transposeA=%s, transposeB=%s) matches cpu, batched and broadcast', async (tA, tB) => {
    const [m, k, n] = [33, 47, 29];
    const aData = randomArray(3 * m * k, 1);
    const bData = randomArray(k * n, 2);
    const f = () => {
      const a = tf.tensor3d(aData, tA ? [3, k, m] : [3, m, k]);
      const b = tf.tensor3d(bData, tB ? [1, n, k] : [1, k, n]);
      return [tf.matMul(a, b, tA, tB), tf.matMul(tf.squeeze(tf.slice(a, [0, 0, 0], [1]), [0]) as tf.Tensor2D, tf.squeeze(b, [0]) as tf.Tensor2D, tA, tB)];
    };
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it('fused matMul with bias and relu and transposed operands matches cpu', async () => {
    const aData = randomArray(40 * 30, 3);
    const bData = randomArray(30 * 20, 4);
    const biasData = randomArray(20, 5);
    const f = () => tf.fused.matMul({
      a: tf.tensor2d(aData, [30, 40]), b: tf.tensor2d(bData, [20, 30]), transposeA: true, transposeB: true,
      bias: tf.tensor1d(biasData), activation: 'relu',
    });
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it('gives the cpu gradients of a two-layer MLP loss', async () => {
    const x = randomArray(64 * 50, 6);
    const w1 = randomArray(50 * 40, 7);
    const w2 = randomArray(40 * 10, 8);
    const f = () => {
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.matMul(tf.relu(tf.matMul(tf.tensor2d(x, [64, 50]), a)), b)));
      return tf.grads(loss)([tf.tensor2d(w1, [50, 40]), tf.tensor2d(w2, [40, 10])]);
    };
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it.each([
    ['same', 2, 4],
    ['valid', 1, 3],
    [1, 2, 5],
  ] as const)('conv2d gradients (pad=%s, stride=%s, k=%s) match cpu on synthetic images', async (pad, stride, k) => {
    const x = randomArray(3 * 12 * 12 * 3, 9);
    const w = randomArray(k * k * 3 * 4, 10);
    const f = () => {
      const loss = (img: tf.Tensor, filt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(img as tf.Tensor4D, filt as tf.Tensor4D, stride, pad)));
      return tf.grads(loss)([tf.tensor4d(x, [3, 12, 12, 3]), tf.tensor4d(w, [k, k, 3, 4])]);
    };
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it('conv2dTranspose gradients match cpu', async () => {
    const z = randomArray(2 * 4 * 4 * 6, 11);
    const w = randomArray(4 * 4 * 3 * 6, 12); // [kh, kw, outChannels, inChannels]
    const f = () => {
      const loss = (inp: tf.Tensor, filt: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2dTranspose(inp as tf.Tensor4D, filt as tf.Tensor4D, [2, 8, 8, 3], 2, 'same')));
      return tf.grads(loss)([tf.tensor4d(z, [2, 4, 4, 6]), tf.tensor4d(w, [4, 4, 3, 6])]);
    };
    expectClose(await on('wasm', f), await on('cpu', f));
  });

  it('Conv2DBackpropFilter splits the batch into chunks without changing the sum', async () => {
    const x = randomArray(5 * 9 * 9 * 3, 13);
    const dy = randomArray(5 * 5 * 5 * 2, 14);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 2] };
    const inputs = () => ({ x: tf.tensor4d(x, [5, 9, 9, 3]), dy: tf.tensor4d(dy, [5, 5, 5, 2]) });
    const expected = await on('cpu', () => tf.engine().runKernel('Conv2DBackpropFilter', inputs(), attrs) as tf.Tensor);
    // 27 columns × 25 rows per image: a 1000-float buffer holds one image, so five chunks run.
    const small = conv2dBackpropFilterConfig(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, 1000);
    const actual = await on('wasm', () => {
      const { x: xt, dy: dyt } = inputs();
      const info = (small.kernelFunc as unknown as (a: object) => tf.TensorInfo)({ inputs: { x: xt, dy: dyt }, backend: tf.backend(), attrs });
      return tf.engine().makeTensorFromTensorInfo(info);
    });
    expectClose(actual, expected);
  });

  it('leaks no tensors or heap allocations', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomNormal([20, 30], 0, 1, 'float32', 1);
    const b = tf.randomNormal([40, 30], 0, 1, 'float32', 2);
    tf.tidy(() => tf.matMul(a, b, false, true)).dispose();
    const before = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) tf.tidy(() => tf.sum(tf.matMul(a, b, false, true))).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose([a, b]);
  });

  it.each([
    [[256, 24], 0, false],
    [[1, 37, 13], [0, 1], false],
    [[5, 6, 7], [1, 0], true], // leading, but summed in another order: the stock path
    [[5, 6, 7], -3, true],
    [[5, 6, 7], 1, false], // not leading: the stock path
    [[5, 6, 7], [0, 1, 2], false], // everything: the stock path
  ] as const)('Sum of %j over %j (keepDims %s) equals the stock wasm kernel bit for bit', async (shape, axis, keepDims) => {
    await tf.setBackend('wasm');
    const size = (shape as readonly number[]).reduce((p, d) => p * d, 1);
    const rng = createRng(size);
    const x = tf.tensor(Float32Array.from({ length: size }, (_, i) => rng.normal() * 10 ** ((i % 9) - 4)), [...shape]);
    const sum = () => tf.sum(x, axis as number | number[], keepDims);
    const ours = sum();
    uninstallWasmKernelFixes();
    let stock: tf.Tensor;
    try {
      stock = sum();
    } finally {
      await installWasmKernelFixes();
    }
    expect(ours.shape).toEqual(stock.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
    tf.dispose([x, ours, stock]);
  });

  it('recognises sums over leading axes, given in order, only', () => {
    expect(leadingAxesCount([0, 1], [2, 3, 4])).toBe(2);
    expect(leadingAxesCount([1, 0], [2, 3, 4])).toBe(0);
    expect(leadingAxesCount(0, [2, 3])).toBe(1);
    expect(leadingAxesCount([0, 2], [2, 3, 4])).toBe(0);
    expect(leadingAxesCount(1, [2, 3])).toBe(0);
  });

  it.each([
    [[24, 40], [56, 40]],
    [[1, 24, 40], [1, 56, 40]],
  ])('A·Bᵀ with more columns than rows (computed as (B·Aᵀ)ᵀ) equals A·(Bᵀ materialised) bit for bit, and cpu', async (aShape, bShape) => {
    const aData = randomArray(24 * 40, 15);
    const bData = randomArray(56 * 40, 16);
    const f = () => {
      const a = tf.tensor(aData, aShape);
      const b = tf.tensor(bData, bShape);
      const bT = tf.tensor(Array.from(tf.transpose(b, bShape.length === 3 ? [0, 2, 1] : [1, 0]).dataSync()), [...bShape.slice(0, -2), 40, 56]);
      return [tf.matMul(a, b, false, true), tf.matMul(a, bT)];
    };
    const [swapped, plain] = await on('wasm', f);
    expect(Array.from(swapped)).toEqual(Array.from(plain));
    expectClose([swapped], [(await on('cpu', f))[0]]);
  });

  it('Identity shares the data instead of copying, and the copy outlives its source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const dataIds = tf.engine().backend.numDataIds();
    const y = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(dataIds - 1);
  });

  // shapes our GEMM takes (m % 4 = 0, n % 8 = 0, unbatched): bit-identical to stock XNNPACK on
  // explicitly transposed operands, with and without a bias
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul through our GEMM (transposeA=%s, transposeB=%s) equals stock XNNPACK bit for bit', async (tA, tB) => {
    await tf.setBackend('wasm');
    const [m, k, n] = [36, 47, 24];
    const a = tf.tensor2d(randomArray(m * k, 17), tA ? [k, m] : [m, k]);
    const b = tf.tensor2d(randomArray(k * n, 18), tB ? [n, k] : [k, n]);
    const bias = tf.tensor1d(randomArray(n, 19));
    const a3 = a.reshape([1, ...a.shape]) as tf.Tensor3D;
    const ours = [tf.matMul(a, b, tA, tB), tf.fused.matMul({ a, b, transposeA: tA, transposeB: tB, bias }), tf.matMul(a3, b, tA, tB)];
    uninstallWasmKernelFixes();
    let stock: tf.Tensor[];
    try {
      const pa = tA ? tf.transpose(a) : a;
      const pb = tB ? tf.transpose(b) : b;
      stock = [tf.matMul(pa, pb), tf.fused.matMul({ a: pa, b: pb, bias }), tf.matMul(pa.reshape([1, m, k]) as tf.Tensor3D, pb)];
    } finally {
      await installWasmKernelFixes();
    }
    for (let i = 0; i < ours.length; i++) {
      expect(ours[i].shape).toEqual(stock[i].shape);
      expect(Array.from(ours[i].dataSync())).toEqual(Array.from(stock[i].dataSync()));
    }
    tf.dispose([a, b, bias, a3, ...ours, ...stock]);
  });
});
