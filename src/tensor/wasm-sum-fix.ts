// tfjs-backend-wasm sums over any axes but the innermost by transposing the input first with its
// slow Transpose kernel; every bias gradient is a sum over the batch axis (the leading one), so
// that transpose cost more than the sum. For float32 sums over leading axes this wrapper sums rows
// in place on the heap (heap-simd colSum); each output is accumulated in the same order as the
// stock kernel's sequential loop over the transposed input, so the result is bit-identical.
import { backend_util, util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.ts';
import { heapMemory, type KernelArgs, type WasmBackendLike } from './wasm-heap.ts';

/**
 * k when `axis` is exactly [0, 1, …, k−1] in that order, else 0. The order matters: the stock kernel
 * sums in the order the axes are given ([1, 0] walks axis 0 fastest), and we must match it.
 */
export function leadingAxesCount(axis: number | number[], shape: number[]): number {
  const axes = util.parseAxisParam(axis, shape);
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/** Wrap the stock `Sum` kernel: leading-axes float32 sums (rank > reduced axes) go to colSum. */
export function withLeadingAxesSum(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { x } = args.inputs;
    const attrs = (args.attrs ?? {}) as NamedAttrMap & { axis: number | number[]; keepDims: boolean };
    const k = x && x.dtype === 'float32' ? leadingAxesCount(attrs.axis, x.shape) : 0;
    if (!x || k === 0 || k === x.shape.length || util.sizeFromShape(x.shape) === 0) return stockFunc(args);
    const backend = args.backend as WasmBackendLike;
    const outShape = x.shape.slice(k);
    const out = backend.makeOutput(outShape, 'float32');
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    heapSimd(heapMemory(backend)).colSum(backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), rows, util.sizeFromShape(outShape));
    if (attrs.keepDims) out.shape = backend_util.expandShapeToKeepDim(outShape, Array.from({ length: k }, (_, i) => i));
    return out;
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as KernelFunc };
}
