// Our GEMM must give, bit for bit, the float32 result of summing each output in order
// (bias or +0 first, then k = 0, 1, …, each product rounded, then added) — the order XNNPACK uses —
// for every shape it accepts, and write nothing outside its output.
import { describe, expect, it } from '@jest/globals';
import { gemmFits, heapGemm, loadHeapGemm } from '../../../src/tensor/heap-gemm.ts';
import { createRng } from '../../../src/tensor/rng.ts';

const memory = new WebAssembly.Memory({ initial: 8 });
await loadHeapGemm();
const gemm = heapGemm(memory);

function reference(a: Float32Array, b: Float32Array, bias: Float32Array | null, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = bias ? bias[j] : 0;
      for (let q = 0; q < k; q++) acc = Math.fround(acc + Math.fround(a[i * k + q] * b[q * n + j]));
      c[i * n + j] = acc;
    }
  }
  return c;
}

describe('heapGemm', () => {
  it.each([
    [4, 1, 8, false],
    [8, 37, 16, true],
    [12, 50, 40, false],
    [36, 9, 24, true],
  ])('m=%i k=%i n=%i (bias %s) equals the in-order float32 sum bit for bit', (m, k, n, withBias) => {
    const rng = createRng(m * 1000 + k);
    const fill = (len: number) => Float32Array.from({ length: len }, (_, i) => rng.normal() * 10 ** ((i % 5) - 2));
    const a = fill(m * k);
    const b = fill(k * n);
    const bias = withBias ? fill(n) : null;
    // byte offsets: a, b, bias, panels, c, then a guard after c (all 16-byte aligned)
    const f = new Float32Array(memory.buffer);
    let at = 4;
    const place = (data: Float32Array | number) => {
      const start = at;
      if (typeof data === 'number') at += data;
      else (f.set(data, at), (at += data.length));
      at += 4 - (at % 4);
      return start;
    };
    const aAt = place(a);
    const bAt = place(b);
    const biasAt = bias ? place(bias) : 0;
    const panelsAt = place(k * n);
    const cAt = place(m * n);
    f.fill(7, cAt + m * n, cAt + m * n + 8);
    gemm.pack(4 * bAt, 4 * panelsAt, k, n);
    gemm.gemm(4 * aAt, 4 * panelsAt, 4 * cAt, 4 * biasAt, m, k, n);
    const out = new Float32Array(memory.buffer);
    expect(Array.from(out.subarray(cAt, cAt + m * n))).toEqual(Array.from(reference(a, b, bias, m, k, n)));
    expect(Array.from(out.subarray(cAt + m * n, cAt + m * n + 8))).toEqual(Array(8).fill(7));
  });

  it('accepts rows in blocks of 4 and columns in panels of 8 only', () => {
    expect(gemmFits(256, 512)).toBe(true);
    expect(gemmFits(200, 784)).toBe(true);
    expect(gemmFits(33, 512)).toBe(false);
    expect(gemmFits(256, 29)).toBe(false);
  });
});
