// C = A·B (+ bias) for row-major float32 matrices on a WebAssembly memory, as a SIMD module built
// with src/tensor/wasm-asm.ts. XNNPACK (tfjs-backend-wasm's matMul) re-packs its right operand for
// every new tensor at ~3–4 ns per element — in training every operand is new, ~3 M elements a step
// of the MLP VAE — while this packs B into 8-column panels at memory speed and then runs a 4×8
// register-blocked kernel. Each output is summed over k in order, starting from the bias (or +0),
// with separate multiply and add: XNNPACK's wasm SIMD kernels do the same, so results are
// bit-identical (tested against the stock kernel).
import { assembleModule, I32, ins as x, V128, type Code } from './wasm-asm.ts';

const whileBelow = (counter: number, limit: number, body: Code[]): Code[] => [
  x.block, x.loop, x.get(counter), x.get(limit), x.i32GeU, x.brIf(1), ...body, x.br(0), x.end, x.end,
];
const addTo = (local: number, bytes: number | Code): Code => [
  ...x.get(local), ...(typeof bytes === 'number' ? x.i32(bytes) : bytes), ...x.i32Add, ...x.set(local),
];

// pack(b, p, k, n): p[((j/8)·k + kk)·8 + c] = b[kk·n + j + c], n a multiple of 8
const P = { b: 0, p: 1, k: 2, n: 3, j: 4, kk: 5, src: 6, dst: 7, rowBytes: 8, nBytes: 9 };
const packBody: Code[] = [
  x.get(P.n), x.i32(2), x.i32Shl, x.set(P.rowBytes),
  x.get(P.p), x.set(P.dst),
  ...whileBelow(P.j, P.rowBytes, [
    x.get(P.b), x.get(P.j), x.i32Add, x.set(P.src),
    x.i32(0), x.set(P.kk),
    ...whileBelow(P.kk, P.k, [
      x.get(P.dst), x.get(P.src), x.v128Load(), x.v128Store(),
      x.get(P.dst), x.get(P.src), x.v128Load(16), x.v128Store(16),
      addTo(P.dst, 32),
      addTo(P.src, x.get(P.rowBytes)),
      addTo(P.kk, 1),
    ]),
    addTo(P.j, 32),
  ]),
];

// gemm(a, p, c, bias, m, k, n): c[m×n] = a[m×k]·B + bias, B packed by pack(); m % 4 = 0, n % 8 = 0.
// Panels outermost (one 8-column panel, k×32 bytes, stays in L1) and 4-row blocks of A inside.
const G = { a: 0, p: 1, c: 2, bias: 3, m: 4, k: 5, n: 6, j: 7, i: 8, kk: 9, panel: 10, bp: 11, a0: 12, a1: 13, a2: 14, a3: 15, cp: 16, kBytes: 17, nBytes: 18, acc: 19 /* 19..26 */, b0: 27, b1: 28, av: 29 };
const gemmBody: Code[] = [
  x.get(G.k), x.i32(2), x.i32Shl, x.set(G.kBytes),
  x.get(G.n), x.i32(2), x.i32Shl, x.set(G.nBytes),
  x.get(G.p), x.set(G.panel),
  ...whileBelow(G.j, G.nBytes, [
    x.i32(0), x.set(G.i),
    ...whileBelow(G.i, G.m, [
      // accumulators start at the bias (or +0)
      x.get(G.bias), x.i32Eqz, x.if,
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((q) => [...x.f32(0), ...x.f32x4Splat, ...x.set(G.acc + q)]),
      x.else,
      x.get(G.bias), x.get(G.j), x.i32Add, x.v128Load(), x.set(G.b0),
      x.get(G.bias), x.get(G.j), x.i32Add, x.v128Load(16), x.set(G.b1),
      ...[0, 1, 2, 3].map((r) => [...x.get(G.b0), ...x.set(G.acc + 2 * r), ...x.get(G.b1), ...x.set(G.acc + 2 * r + 1)]),
      x.end,
      // row pointers into A: a + (i + r)·k·4
      x.get(G.a), x.get(G.i), x.get(G.kBytes), x.i32Mul, x.i32Add, x.set(G.a0),
      x.get(G.a0), x.get(G.kBytes), x.i32Add, x.set(G.a1),
      x.get(G.a1), x.get(G.kBytes), x.i32Add, x.set(G.a2),
      x.get(G.a2), x.get(G.kBytes), x.i32Add, x.set(G.a3),
      x.get(G.panel), x.set(G.bp),
      x.i32(0), x.set(G.kk),
      ...whileBelow(G.kk, G.k, [
        x.get(G.bp), x.v128Load(), x.set(G.b0),
        x.get(G.bp), x.v128Load(16), x.set(G.b1),
        ...[G.a0, G.a1, G.a2, G.a3].map((row, r) => [
          ...x.get(row), ...x.v128Load32Splat(), ...x.set(G.av),
          ...x.get(G.acc + 2 * r), ...x.get(G.av), ...x.get(G.b0), ...x.f32x4Mul, ...x.f32x4Add, ...x.set(G.acc + 2 * r),
          ...x.get(G.acc + 2 * r + 1), ...x.get(G.av), ...x.get(G.b1), ...x.f32x4Mul, ...x.f32x4Add, ...x.set(G.acc + 2 * r + 1),
          ...addTo(row, 4),
        ]),
        addTo(G.bp, 32),
        addTo(G.kk, 1),
      ]),
      // store rows i..i+3, columns j/4..j/4+8
      x.get(G.c), x.get(G.i), x.get(G.nBytes), x.i32Mul, x.i32Add, x.get(G.j), x.i32Add, x.set(G.cp),
      ...[0, 1, 2, 3].map((r) => [
        ...x.get(G.cp), ...x.get(G.acc + 2 * r), ...x.v128Store(),
        ...x.get(G.cp), ...x.get(G.acc + 2 * r + 1), ...x.v128Store(16),
        ...addTo(G.cp, x.get(G.nBytes)),
      ]),
      addTo(G.i, 4),
    ]),
    addTo(G.panel, [...x.get(G.kBytes), ...x.i32(3), ...x.i32Shl]), // the next panel: k·8 floats on
    addTo(G.j, 32),
  ]),
];

const MODULE_BYTES = assembleModule([
  { name: 'pack', params: [I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, I32], body: packBody },
  {
    name: 'gemm',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [...Array<typeof I32>(12).fill(I32), ...Array<typeof V128>(11).fill(V128)],
    body: gemmBody,
  },
]);

export interface HeapGemm {
  /** Byte offsets; panels must hold k·n floats. n % 8 = 0. */
  pack(b: number, panels: number, k: number, n: number): void;
  /** Byte offsets (bias 0: none); m % 4 = 0, n % 8 = 0. */
  gemm(a: number, panels: number, c: number, bias: number, m: number, k: number, n: number): void;
}

let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, HeapGemm>();

export function heapGemm(memory: WebAssembly.Memory): HeapGemm {
  let g = instances.get(memory);
  if (!g) {
    compiled ??= new WebAssembly.Module(MODULE_BYTES);
    g = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as HeapGemm;
    instances.set(memory, g);
  }
  return g;
}

/** Shapes the kernel takes: m rows in blocks of 4, n columns in panels of 8. */
export function gemmFits(m: number, n: number): boolean {
  return m > 0 && n > 0 && m % 4 === 0 && n % 8 === 0;
}
