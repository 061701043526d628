// tfjs-backend-wasm 4.x multiplies with a transposed operand at 1–2.5 GFLOP/s but runs a plain
// matMul through XNNPACK at ~30 GFLOP/s; every matMul gradient has a transposed operand. These
// wrappers transpose the flagged operand explicitly (SIMD on the heap, src/tensor/heap-simd.ts) and
// call the stock kernel with transposeA = transposeB = false.
// XNNPACK packs its right operand (K×N) afresh for every new tensor — and in training every
// operand is new — so for A·Bᵀ with N > M (the input gradient dY·Wᵀ of a layer wider than the
// batch) it is cheaper to compute (B·Aᵀ)ᵀ: no transpose of B, a K×M pack, one small transpose of
// the result (measured ~10% faster at 256×512×784). Numerics: XNNPACK sums each output over K in
// order either way; the results are bit-identical (tested).
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeInfo, transposedCopy, type WasmBackendLike } from './wasm-heap.ts';

interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

type MatMulAttrs = NamedAttrMap & { transposeA?: boolean; transposeB?: boolean; activation?: string };

const batchOf = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);

/** Wrap a matMul-like kernel (`BatchMatMul`, `_FusedMatMul`): inputs `a`, `b`; attrs transposeA/B. */
export function withExplicitTranspose(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
  const plain = (args: KernelArgs, a: TensorInfo, b: TensorInfo) =>
    stockFunc({ ...args, inputs: { ...args.inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });

  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const attrs = (args.attrs ?? {}) as MatMulAttrs;
    const { a, b } = args.inputs;
    if ((!attrs.transposeA && !attrs.transposeB) || !a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stockFunc(args);
    }
    const backend = args.backend as WasmBackendLike;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      const m = a.shape[a.shape.length - 2];
      const n = b.shape[b.shape.length - 2];
      const noEpilogue = !args.inputs.bias && !args.inputs.preluActivationWeights && (attrs.activation ?? 'linear') === 'linear';
      if (attrs.transposeB && !attrs.transposeA && n > m && noEpilogue && batchOf(a) === 1 && batchOf(b) === 1) {
        // A·Bᵀ = (B·Aᵀ)ᵀ
        return transposedCopy(backend, keep(plain(args, b, keep(transposedCopy(backend, a)))));
      }
      const plainA = attrs.transposeA ? keep(transposedCopy(backend, a)) : a;
      const plainB = attrs.transposeB ? keep(transposedCopy(backend, b)) : b;
      return plain(args, plainA, plainB);
    } finally {
      for (const t of temps) disposeInfo(backend, t);
    }
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as KernelFunc };
}
