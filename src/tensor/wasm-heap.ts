// The few BackendWasm internals the kernel fixes touch, behind one narrow interface: tensor data
// lives on the wasm heap, addressed through `dataIdMap`; `makeOutput` mallocs a new tensor.
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd.ts';

/** What tfjs passes a kernelFunc (our replacement kernels take it as is). */
export interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
  /** Byte offset of a tensor's data on the heap. */
  getMemoryOffset(dataId: object): number;
  /** The emscripten module: its instance's exports hold the heap's WebAssembly.Memory. */
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

/** The WebAssembly.Memory the backend's heap lives in (for modules that import it: src/tensor/heap-simd.ts). */
export function heapMemory(backend: WasmBackendLike): WebAssembly.Memory {
  const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('tfjs-backend-wasm: its WebAssembly.Memory was not found (module.asm.memory / module.wasmMemory)');
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) {
    throw new Error('tfjs-backend-wasm: the heap is shared memory (threaded build); our SIMD kernels import unshared memory only');
  }
  return memory;
}

/** A float32 view of a tensor's heap memory. Take it AFTER any allocation: malloc may grow (detach) the heap. */
export function heapF32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new TypeError(`expected a float32 tensor, found ${info.dtype}`);
  return view;
}

/** A new tensor holding `x` with its last two axes swapped (rank >= 2, float32). Caller disposes it. */
export function transposedCopy(backend: WasmBackendLike, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  if (rank < 2) throw new RangeError(`transposedCopy: rank ${rank} < 2`);
  const rows = x.shape[rank - 2];
  const cols = x.shape[rank - 1];
  const batch = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], 'float32');
  const simd = heapSimd(heapMemory(backend));
  const src = backend.getMemoryOffset(x.dataId);
  const dst = backend.getMemoryOffset(out.dataId);
  for (let b = 0; b < batch; b++) simd.transpose(src + 4 * b * rows * cols, dst + 4 * b * rows * cols, rows, cols);
  return out;
}

export function disposeInfo(backend: WasmBackendLike, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}
