// SIMD loops that run directly on tfjs-backend-wasm's heap: a tiny WebAssembly module (built with
// src/tensor/wasm-asm.ts) imports the backend's own WebAssembly.Memory, so tensors are read and
// written where they live, with f32x4 arithmetic — the same IEEE float32 operations the backend's
// kernels use, 4 lanes at a time. Plain JS loops over the heap run ~3× slower than XNNPACK's
// elementwise kernels here; these run at memory speed.
//   adam:   one fused Adam step (the arithmetic of src/tensor/adam-update.ts, bit for bit)
//   colSum: out[j] = Σ_i x[i, j], rows summed in order (the stock Sum kernel's order after its transpose)
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

const MODULE_BYTES = assembleModule([
  {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
    results: [F32],
    locals: [I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, F32, F32, F32, F32],
    body: adamBody,
  },
  { name: 'colSum', params: [I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32], body: colSumBody },
]);

export interface HeapSimd {
  /** Byte offsets into the memory; returns max |g| (NaN if any g is NaN). */
  adam(w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, n: number, c: AdamCoefficients): number;
  /** Byte offsets; out[j] = Σ_i x[i·cols + j] for i < rows, j < cols. */
  colSum(x: number, out: number, rows: number, cols: number): void;
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
    };
    kernels = {
      adam: (w, m, v, g, wOut, mOut, vOut, n, c) =>
        exports.adam(w, m, v, g, wOut, mOut, vOut, n, c.beta1, c.beta2, c.oneMinusBeta1, c.oneMinusBeta2, c.oneMinusAccBeta1, c.oneMinusAccBeta2, c.negLr, c.epsilon),
      colSum: (xp, out, rows, cols) => exports.colSum(xp, out, rows, cols),
    };
    instances.set(memory, kernels);
  }
  return kernels;
}
