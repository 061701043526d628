// tfjs-backend-wasm 4.x multiplies with a transposed operand at 1–2.5 GFLOP/s but runs a plain
// matMul through XNNPACK at ~30 GFLOP/s; every matMul gradient has a transposed operand. These
// wrappers transpose the flagged operand explicitly (JS on the heap) and call the stock kernel
// with transposeA = transposeB = false. Numerics: identical products, summed in XNNPACK's order.
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeInfo, transposedCopy, type WasmBackendLike } from './wasm-heap.ts';

interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

/** Wrap a matMul-like kernel (`BatchMatMul`, `_FusedMatMul`): inputs `a`, `b`; attrs transposeA/B. */
export function withExplicitTranspose(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    const { a, b } = args.inputs;
    if ((!attrs.transposeA && !attrs.transposeB) || !a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stockFunc(args);
    }
    const backend = args.backend as WasmBackendLike;
    const temps: TensorInfo[] = [];
    const plainA = attrs.transposeA ? transposedCopy(backend, a) : a;
    if (plainA !== a) temps.push(plainA);
    const plainB = attrs.transposeB ? transposedCopy(backend, b) : b;
    if (plainB !== b) temps.push(plainB);
    try {
      return stockFunc({
        ...args,
        inputs: { ...args.inputs, a: plainA, b: plainB },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) disposeInfo(backend, t);
    }
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as KernelFunc };
}
