// Replacement for tfjs-backend-wasm's matMul kernels (BatchMatMul, _FusedMatMul) in training:
// - the stock kernel multiplies with a transposed operand at 1–2.5 GFLOP/s (every matMul gradient
//   has one); we transpose the flagged operand explicitly (SIMD on the heap, src/tensor/heap-simd.ts);
// - the stock plain path (XNNPACK) re-packs its right operand for every new tensor at ~3–4 ns per
//   element, and in training every operand is new: ~30 GFLOP/s overall. Our own GEMM
//   (src/tensor/heap-gemm.ts) packs at memory speed and runs at ~50 GFLOP/s here, with the same
//   summation order (bias, then k = 0, 1, … with separate multiply and add), so results are
//   bit-identical to XNNPACK's (tested).
// Shapes our GEMM does not take (batched, m % 4 ≠ 0, n % 8 ≠ 0, a fused activation other than
// linear, a bias that is not an n-vector) go to the stock kernel as before, after the explicit
// transposes; there, A·Bᵀ with n > m is computed as (B·Aᵀ)ᵀ, which packs the smaller operand.
import { util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { gemmFits, heapGemm } from './heap-gemm.ts';
import { disposeInfo, heapMemory, transposedCopy, type KernelArgs, type WasmBackendLike } from './wasm-heap.ts';

type MatMulAttrs = NamedAttrMap & { transposeA?: boolean; transposeB?: boolean; activation?: string };

const batchOf = (t: TensorInfo) => util.sizeFromShape(t.shape.slice(0, -2));

/** Wrap a matMul-like kernel (`BatchMatMul`, `_FusedMatMul`): inputs `a`, `b` (and bias …); attrs transposeA/B. */
export function withExplicitTranspose(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
  const plain = (args: KernelArgs, a: TensorInfo, b: TensorInfo) =>
    stockFunc({ ...args, inputs: { ...args.inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });

  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const attrs = (args.attrs ?? {}) as MatMulAttrs;
    const { a, b, bias } = args.inputs;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return stockFunc(args);
    const tA = Boolean(attrs.transposeA);
    const tB = Boolean(attrs.transposeB);
    const m = a.shape[a.shape.length - (tA ? 1 : 2)];
    const k = a.shape[a.shape.length - (tA ? 2 : 1)];
    const n = b.shape[b.shape.length - (tB ? 2 : 1)];
    const linear = !args.inputs.preluActivationWeights && (attrs.activation ?? 'linear') === 'linear';
    const biasOk = !bias || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === n && bias.shape.length === 1);
    const ours = linear && biasOk && batchOf(a) === 1 && batchOf(b) === 1 && gemmFits(m, n) && k > 0;
    if (!ours && !tA && !tB) return stockFunc(args);

    const backend = args.backend as WasmBackendLike;
    const temps: TensorInfo[] = [];
    const temp = (t: TensorInfo) => (temps.push(t), t);
    try {
      if (ours) {
        const plainA = tA ? temp(transposedCopy(backend, a)) : a;
        const plainB = tB ? temp(transposedCopy(backend, b)) : b;
        const panels = temp(backend.makeOutput([k * n], 'float32'));
        const longer = a.shape.length >= b.shape.length ? a : b;
        const out = backend.makeOutput([...longer.shape.slice(0, -2), m, n], 'float32');
        const gemm = heapGemm(heapMemory(backend));
        const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
        gemm.pack(at(plainB), at(panels), k, n);
        gemm.gemm(at(plainA), at(panels), at(out), bias ? at(bias) : 0, m, k, n);
        return out;
      }
      const noEpilogue = !bias && linear;
      if (tB && !tA && n > m && noEpilogue && batchOf(a) === 1 && batchOf(b) === 1) {
        // A·Bᵀ = (B·Aᵀ)ᵀ
        return transposedCopy(backend, temp(plain(args, b, temp(transposedCopy(backend, a)))));
      }
      return plain(args, tA ? temp(transposedCopy(backend, a)) : a, tB ? temp(transposedCopy(backend, b)) : b);
    } finally {
      for (const t of temps) disposeInfo(backend, t);
    }
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as KernelFunc };
}
