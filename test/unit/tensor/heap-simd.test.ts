// The SIMD loops on a WebAssembly memory must give exactly the float32 results of the scalar
// reference: adamUpdate (itself checked against tf.train.adam in test/unit/train/fused-adam.test.ts)
// and a sequential column sum; lengths that are not multiples of 4 run the scalar tails.
import { describe, expect, it } from '@jest/globals';
import { adamCoefficients, adamUpdate } from '../../../src/tensor/adam-update.ts';
import { heapSimd, loadHeapSimd } from '../../../src/tensor/heap-simd.ts';
import { createRng } from '../../../src/tensor/rng.ts';

const memory = new WebAssembly.Memory({ initial: 4 });
await loadHeapSimd();
const simd = heapSimd(memory);
const heap = () => new Float32Array(memory.buffer);

/** Seven regions of n floats at odd element offsets (so loads are not 16-byte aligned). */
function regions(n: number): { view: (i: number) => Float32Array; byte: (i: number) => number } {
  const at = (i: number) => 3 + i * (n + 5);
  return { view: (i) => heap().subarray(at(i), at(i) + n), byte: (i) => 4 * at(i) };
}

describe('heapSimd.adam', () => {
  const c = adamCoefficients(1e-3, 0.9, 0.999, 1e-7, Math.fround(0.9 ** 3), Math.fround(0.999 ** 3));

  it.each([1, 4, 1027])('matches adamUpdate bit for bit (n = %i) and returns max |g|', (n) => {
    const rng = createRng(n);
    const r = regions(n);
    for (let i = 0; i < n; i++) {
      r.view(0)[i] = rng.normal();
      r.view(1)[i] = rng.normal() * 1e-2;
      r.view(2)[i] = Math.abs(rng.normal()) * 1e-4;
      r.view(3)[i] = rng.normal() * (i % 97 === 0 ? 1e3 : 1e-3);
    }
    const expected = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    const expectedMax = adamUpdate(r.view(0), r.view(1), r.view(2), r.view(3), expected[0], expected[1], expected[2], c);
    const got = simd.adam(r.byte(0), r.byte(1), r.byte(2), r.byte(3), r.byte(4), r.byte(5), r.byte(6), n, c);
    expect(got).toBe(expectedMax);
    expect([4, 5, 6].map((i) => Array.from(r.view(i)))).toEqual(expected.map((a) => Array.from(a)));
  });

  it.each([
    [0, Number.NaN],
    [1025, Number.NaN],
    [3, Number.NEGATIVE_INFINITY],
  ])('propagates a non-finite gradient at %i into the returned max', (where, bad) => {
    const n = 1027;
    const r = regions(n);
    r.view(3).fill(0.5);
    r.view(3)[where] = bad;
    const got = simd.adam(r.byte(0), r.byte(1), r.byte(2), r.byte(3), r.byte(4), r.byte(5), r.byte(6), n, c);
    expect(got).toBe(Math.abs(bad));
  });
});

describe('heapSimd.colSum', () => {
  it.each([
    [7, 13],
    [256, 8],
    [1, 3],
  ])('sums %i rows of %i columns in row order, writing only the output', (rows, cols) => {
    const rng = createRng(rows * cols);
    const x = heap().subarray(5, 5 + rows * cols);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 10 ** ((i % 7) - 3);
    const outAt = 5 + rows * cols + 3;
    heap().fill(42, outAt, outAt + cols + 4);
    const expected = new Float32Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expected[j] += x[i * cols + j];
    simd.colSum(4 * 5, 4 * outAt, rows, cols);
    expect(Array.from(heap().subarray(outAt, outAt + cols))).toEqual(Array.from(expected));
    expect(Array.from(heap().subarray(outAt + cols, outAt + cols + 4))).toEqual([42, 42, 42, 42]);
  });
});

describe('heapSimd.transpose', () => {
  it.each([
    [4, 4],
    [37, 70],
    [3, 2],
    [8, 13],
    [1, 9],
  ])('transposes %i×%i exactly, leaving the memory around the output alone', (rows, cols) => {
    const src = 7;
    const dst = src + rows * cols + 5;
    const h = heap();
    for (let i = 0; i < rows * cols; i++) h[src + i] = i + 0.5;
    h.fill(-1, dst - 2, dst + rows * cols + 2);
    simd.transpose(4 * src, 4 * dst, rows, cols);
    const out = heap();
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(out[dst + j * rows + i]).toBe(i * cols + j + 0.5);
    expect([out[dst - 2], out[dst - 1], out[dst + rows * cols], out[dst + rows * cols + 1]]).toEqual([-1, -1, -1, -1]);
  });
});
