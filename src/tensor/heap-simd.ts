// SIMD loops that run directly on tfjs-backend-wasm's heap: a tiny WebAssembly module (built with
// src/tensor/wasm-asm.ts) imports the backend's own WebAssembly.Memory, so tensors are read and
// written where they live, with f32x4 arithmetic — the same IEEE float32 operations the backend's
// kernels use, 4 lanes at a time. Measured here: the fused Adam as a plain JS loop (Math.fround
// after every op) took ~10 ns per element, slower than the ~10 stock kernels it replaces; this
// loop takes ~1.4 ns. The JS transpose took 1.3–2 ns per element, this one ~0.2.
//   adam:   one fused Adam step (the arithmetic of src/tensor/adam-update.ts, bit for bit)
//   colSum: out[j] = Σ_i x[i, j], rows summed in order (the stock Sum kernel's order after its transpose)
//   transpose: dst[j, i] = src[i, j] (4×4 blocks through registers; the matMul fix transposes an operand per gradient)
import { assembleModule, F32, I32, ins as x, V128, type Code } from './wasm-asm.ts';
import type { AdamCoefficients } from './adam-update.ts';

// adam(w, m, v, g, wOut, mOut, vOut, n, β₁, β₂, 1−β₁, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, −lr, ε) → max |g| (NaN if any g is NaN)
const A = { w: 0, m: 1, v: 2, g: 3, wo: 4, mo: 5, vo: 6, n: 7, b1: 8, b2: 9, omb1: 10, omb2: 11, c1: 12, c2: 13, nlr: 14, eps: 15 };
const AL = { i: 16, vecEnd: 17, end: 18, splat: 19 /* 19..26: the 8 coefficients as v128 */, acc: 27, gv: 28, mv: 29, vv: 30, gs: 31, ms: 32, vs: 33, maxs: 34 };
const sp = (coef: number) => AL.splat + (coef - A.b1);
const at = (ptr: number): Code => [...x.get(ptr), ...x.get(AL.i), ...x.i32Add];
const step = (bytes: number): Code => [...x.get(AL.i), ...x.i32(bytes), ...x.i32Add, ...x.set(AL.i)];
const whileBelow = (counter: number, limit: number, body: Code[]): Code[] => [
  x.block, x.loop, x.get(counter), x.get(limit), x.i32GeU, x.brIf(1), ...body, x.br(0), x.end, x.end,
];

const adamBody: Code[] = [
  x.get(A.n), x.i32(-4), x.i32And, x.i32(2), x.i32Shl, x.set(AL.vecEnd),
  x.get(A.n), x.i32(2), x.i32Shl, x.set(AL.end),
  ...[A.b1, A.b2, A.omb1, A.omb2, A.c1, A.c2, A.nlr, A.eps].map((p) => [...x.get(p), ...x.f32x4Splat, ...x.set(sp(p))]),
  x.f32(0), x.f32x4Splat, x.set(AL.acc),
  ...whileBelow(AL.i, AL.vecEnd, [
    at(A.g), x.v128Load(), x.set(AL.gv),
    // m' = m·β₁ + g·(1−β₁)
    at(A.m), x.v128Load(), x.get(sp(A.b1)), x.f32x4Mul, x.get(AL.gv), x.get(sp(A.omb1)), x.f32x4Mul, x.f32x4Add, x.set(AL.mv),
    at(A.mo), x.get(AL.mv), x.v128Store(),
    // v' = v·β₂ + (g·g)·(1−β₂)
    at(A.v), x.v128Load(), x.get(sp(A.b2)), x.f32x4Mul, x.get(AL.gv), x.get(AL.gv), x.f32x4Mul, x.get(sp(A.omb2)), x.f32x4Mul, x.f32x4Add, x.set(AL.vv),
    at(A.vo), x.get(AL.vv), x.v128Store(),
    // w' = ((m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε))·(−lr) + w
    at(A.wo),
    x.get(AL.mv), x.get(sp(A.c1)), x.f32x4Div,
    x.get(AL.vv), x.get(sp(A.c2)), x.f32x4Div, x.f32x4Sqrt, x.get(sp(A.eps)), x.f32x4Add,
    x.f32x4Div, x.get(sp(A.nlr)), x.f32x4Mul,
    at(A.w), x.v128Load(), x.f32x4Add,
    x.v128Store(),
    x.get(AL.acc), x.get(AL.gv), x.f32x4Abs, x.f32x4Max, x.set(AL.acc),
    step(16),
  ]),
  x.get(AL.acc), x.f32x4ExtractLane(0), x.get(AL.acc), x.f32x4ExtractLane(1), x.f32Max,
  x.get(AL.acc), x.f32x4ExtractLane(2), x.get(AL.acc), x.f32x4ExtractLane(3), x.f32Max, x.f32Max, x.set(AL.maxs),
  // the n mod 4 tail, same arithmetic on scalars
  ...whileBelow(AL.i, AL.end, [
    at(A.g), x.f32Load(), x.set(AL.gs),
    at(A.m), x.f32Load(), x.get(A.b1), x.f32Mul, x.get(AL.gs), x.get(A.omb1), x.f32Mul, x.f32Add, x.set(AL.ms),
    at(A.mo), x.get(AL.ms), x.f32Store(),
    at(A.v), x.f32Load(), x.get(A.b2), x.f32Mul, x.get(AL.gs), x.get(AL.gs), x.f32Mul, x.get(A.omb2), x.f32Mul, x.f32Add, x.set(AL.vs),
    at(A.vo), x.get(AL.vs), x.f32Store(),
    at(A.wo),
    x.get(AL.ms), x.get(A.c1), x.f32Div,
    x.get(AL.vs), x.get(A.c2), x.f32Div, x.f32Sqrt, x.get(A.eps), x.f32Add,
    x.f32Div, x.get(A.nlr), x.f32Mul,
    at(A.w), x.f32Load(), x.f32Add,
    x.f32Store(),
    x.get(AL.maxs), x.get(AL.gs), x.f32Abs, x.f32Max, x.set(AL.maxs),
    step(4),
  ]),
  x.get(AL.maxs),
];

// colSum(x, out, rows, cols): out[j] = ((0 + x[0, j]) + x[1, j]) + … row by row
const C = { x: 0, out: 1, rows: 2, cols: 3, r: 4, j: 5, rowBytes: 6, vecEnd: 7, row: 8 };
const atJ = (ptr: number): Code => [...x.get(ptr), ...x.get(C.j), ...x.i32Add];
const colSumBody: Code[] = [
  x.get(C.cols), x.i32(2), x.i32Shl, x.set(C.rowBytes),
  x.get(C.cols), x.i32(-4), x.i32And, x.i32(2), x.i32Shl, x.set(C.vecEnd),
  ...whileBelow(C.j, C.rowBytes, [atJ(C.out), x.f32(0), x.f32Store(), x.get(C.j), x.i32(4), x.i32Add, x.set(C.j)]),
  x.get(C.x), x.set(C.row),
  ...whileBelow(C.r, C.rows, [
    x.i32(0), x.set(C.j),
    ...whileBelow(C.j, C.vecEnd, [
      atJ(C.out), atJ(C.out), x.v128Load(), atJ(C.row), x.v128Load(), x.f32x4Add, x.v128Store(),
      x.get(C.j), x.i32(16), x.i32Add, x.set(C.j),
    ]),
    ...whileBelow(C.j, C.rowBytes, [
      atJ(C.out), atJ(C.out), x.f32Load(), atJ(C.row), x.f32Load(), x.f32Add, x.f32Store(),
      x.get(C.j), x.i32(4), x.i32Add, x.set(C.j),
    ]),
    x.get(C.row), x.get(C.rowBytes), x.i32Add, x.set(C.row),
    x.get(C.r), x.i32(1), x.i32Add, x.set(C.r),
  ]),
];

// transpose4(src, dst, rows, cols, dstRows): dst[j·dstRows + i] = src[i·cols + j] for the 4×4 blocks
// of rows − rows mod 4 by cols − cols mod 4, column blocks outermost. The caller passes bands of 16
// rows, so each destination cache line is filled completely before the next is touched (with 512
// rows a column-outer sweep over all rows thrashes L1: the destination stride is 2 KiB), and copies
// the thin right and bottom strips itself.
const T = { src: 0, dst: 1, rows: 2, cols: 3, dstRows: 4, i: 5, j: 6, rowsV: 7, colsV: 8, sp: 9, dp: 10, rowBytes: 11, colBytes: 12, r: 13 /* 13..16 */, t: 17 /* 17..20 */ };
const times = (local: number, k: number): Code => [...x.get(local), ...(k === 1 ? [] : [...x.i32(k), ...x.i32Mul])];
const transposeBody: Code[] = [
  x.get(T.rows), x.i32(-4), x.i32And, x.set(T.rowsV),
  x.get(T.cols), x.i32(-4), x.i32And, x.set(T.colsV),
  x.get(T.cols), x.i32(2), x.i32Shl, x.set(T.rowBytes),
  x.get(T.dstRows), x.i32(2), x.i32Shl, x.set(T.colBytes),
  ...whileBelow(T.j, T.colsV, [
    x.i32(0), x.set(T.i),
    ...whileBelow(T.i, T.rowsV, [
      // sp = src + i·rowBytes + 4j, dp = dst + j·colBytes + 4i
      x.get(T.src), times(T.i, 1), x.get(T.rowBytes), x.i32Mul, x.i32Add, times(T.j, 4), x.i32Add, x.set(T.sp),
      x.get(T.dst), times(T.j, 1), x.get(T.colBytes), x.i32Mul, x.i32Add, times(T.i, 4), x.i32Add, x.set(T.dp),
      ...[0, 1, 2, 3].map((q) => [...x.get(T.sp), ...(q === 0 ? [] : [...times(T.rowBytes, q), ...x.i32Add]), ...x.v128Load(), ...x.set(T.r + q)]),
      // rows a, b, c, d → [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3]
      x.get(T.r), x.get(T.r + 1), x.f32x4Shuffle([0, 4, 1, 5]), x.set(T.t),
      x.get(T.r), x.get(T.r + 1), x.f32x4Shuffle([2, 6, 3, 7]), x.set(T.t + 1),
      x.get(T.r + 2), x.get(T.r + 3), x.f32x4Shuffle([0, 4, 1, 5]), x.set(T.t + 2),
      x.get(T.r + 2), x.get(T.r + 3), x.f32x4Shuffle([2, 6, 3, 7]), x.set(T.t + 3),
      // → columns [a0 b0 c0 d0] … [a3 b3 c3 d3]
      x.get(T.dp), x.get(T.t), x.get(T.t + 2), x.f32x4Shuffle([0, 1, 4, 5]), x.v128Store(),
      x.get(T.dp), x.get(T.colBytes), x.i32Add, x.get(T.t), x.get(T.t + 2), x.f32x4Shuffle([2, 3, 6, 7]), x.v128Store(),
      x.get(T.dp), times(T.colBytes, 2), x.i32Add, x.get(T.t + 1), x.get(T.t + 3), x.f32x4Shuffle([0, 1, 4, 5]), x.v128Store(),
      x.get(T.dp), times(T.colBytes, 3), x.i32Add, x.get(T.t + 1), x.get(T.t + 3), x.f32x4Shuffle([2, 3, 6, 7]), x.v128Store(),
      x.get(T.i), x.i32(4), x.i32Add, x.set(T.i),
    ]),
    x.get(T.j), x.i32(4), x.i32Add, x.set(T.j),
  ]),
];
const BAND = 16;

const MODULE_BYTES = assembleModule([
  {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
    results: [F32],
    locals: [I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, F32, F32, F32, F32],
    body: adamBody,
  },
  { name: 'colSum', params: [I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32], body: colSumBody },
  {
    name: 'transpose4',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128],
    body: transposeBody,
  },
]);

export interface HeapSimd {
  /** Byte offsets into the memory; returns max |g| (NaN if any g is NaN). */
  adam(w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, n: number, c: AdamCoefficients): number;
  /** Byte offsets; out[j] = Σ_i x[i·cols + j] for i < rows, j < cols. */
  colSum(x: number, out: number, rows: number, cols: number): void;
  /** Byte offsets; dst[j·rows + i] = src[i·cols + j] (the regions must not overlap). */
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, HeapSimd>();

/** The kernels bound to `memory` (instantiated once per memory). */
export function heapSimd(memory: WebAssembly.Memory): HeapSimd {
  let kernels = instances.get(memory);
  if (!kernels) {
    compiled ??= new WebAssembly.Module(MODULE_BYTES);
    const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as {
      adam: (...args: number[]) => number;
      colSum: (xp: number, out: number, rows: number, cols: number) => void;
      transpose4: (src: number, dst: number, rows: number, cols: number, dstRows: number) => void;
    };
    kernels = {
      adam: (w, m, v, g, wOut, mOut, vOut, n, c) =>
        exports.adam(w, m, v, g, wOut, mOut, vOut, n, c.beta1, c.beta2, c.oneMinusBeta1, c.oneMinusBeta2, c.oneMinusAccBeta1, c.oneMinusAccBeta2, c.negLr, c.epsilon),
      colSum: (xp, out, rows, cols) => exports.colSum(xp, out, rows, cols),
      transpose(src, dst, rows, cols) {
        const rowsV = rows & ~3;
        for (let b = 0; b < rowsV; b += BAND) exports.transpose4(src + 4 * b * cols, dst + 4 * b, Math.min(BAND, rowsV - b), cols, rows);
        const colsV = cols & ~3;
        if (rowsV === rows && colsV === cols) return;
        const heap = new Float32Array(memory.buffer);
        const s0 = src >>> 2;
        const d0 = dst >>> 2;
        for (let i = 0; i < rows; i++) {
          // the right strip of every row, and whole rows of the bottom strip
          for (let j = i < rowsV ? colsV : 0; j < cols; j++) heap[d0 + j * rows + i] = heap[s0 + i * cols + j];
        }
      },
    };
    instances.set(memory, kernels);
  }
  return kernels;
}
