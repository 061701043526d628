// Installs (and for benchmarks, removes) our replacements for slow or missing tfjs-backend-wasm
// kernels. initBackend() installs them whenever the wasm backend is chosen.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { heapGemm, loadHeapGemm } from './heap-gemm.ts';
import { heapSimd, loadHeapSimd } from './heap-simd.ts';
import { conv2dBackpropFilterConfig } from './wasm-conv2d-backprop-filter.ts';
import { heapMemory, type WasmBackendLike } from './wasm-heap.ts';
import { withExplicitTranspose } from './wasm-matmul-fix.ts';
import { sharingIdentity } from './wasm-identity-fix.ts';
import { withLeadingAxesSum } from './wasm-sum-fix.ts';

const BACKEND = 'wasm';
const TRANSPOSE_FIXED = ['BatchMatMul', '_FusedMatMul'];

/** Stock configs we replaced (null: there was none), to restore on uninstall. */
let replaced: Map<string, KernelConfig | null> | null = null;

function swap(name: string, config: KernelConfig | null): void {
  if (tf.getKernel(name, BACKEND)) tf.unregisterKernel(name, BACKEND);
  if (config) tf.registerKernel(config);
}

/**
 * Compile our SIMD modules (src/tensor/heap-simd.ts, src/tensor/heap-gemm.ts) once per process.
 * initBackend() awaits this whenever it picks wasm, fixes or not: the fused Adam kernel
 * (src/tensor/adam-update-kernel.ts) runs on heap-simd too.
 */
export async function loadHeapKernels(): Promise<void> {
  await Promise.all([loadHeapSimd(), loadHeapGemm()]);
}

/**
 * Register the wasm kernel fixes: BatchMatMul/_FusedMatMul through explicit SIMD transposes and our
 * GEMM (src/tensor/wasm-matmul-fix.ts), Sum over leading axes without a transpose, Identity without
 * a copy, and a Conv2DBackpropFilter. Idempotent. Returns the kernel names now provided by us.
 */
export async function installWasmKernelFixes(): Promise<string[]> {
  await loadHeapKernels();
  if (replaced) return [...replaced.keys()];
  const stockMatMul = tf.getKernel('BatchMatMul', BACKEND);
  const backend = tf.findBackend(BACKEND) as unknown as WasmBackendLike | null;
  if (!stockMatMul || !backend) throw new Error('installWasmKernelFixes: the wasm backend is not registered (import @tensorflow/tfjs-backend-wasm first)');
  // Our SIMD modules import the backend's memory; fail here (initBackend then falls back to cpu and
  // says why) rather than in the middle of training if that cannot work (e.g. a shared-memory build).
  const memory = heapMemory(backend);
  heapSimd(memory);
  heapGemm(memory);
  const map = new Map<string, KernelConfig | null>();
  for (const name of TRANSPOSE_FIXED) {
    const stock = tf.getKernel(name, BACKEND);
    if (!stock) continue;
    map.set(name, stock);
    swap(name, withExplicitTranspose(stock));
  }
  const stockSum = tf.getKernel('Sum', BACKEND);
  if (stockSum) {
    map.set('Sum', stockSum);
    swap('Sum', withLeadingAxesSum(stockSum));
  }
  const stockIdentity = tf.getKernel('Identity', BACKEND);
  if (stockIdentity) {
    map.set('Identity', stockIdentity);
    swap('Identity', sharingIdentity(stockIdentity));
  }
  const stockFilter = tf.getKernel('Conv2DBackpropFilter', BACKEND) ?? null;
  map.set('Conv2DBackpropFilter', stockFilter);
  swap('Conv2DBackpropFilter', conv2dBackpropFilterConfig(stockMatMul.kernelFunc));
  replaced = map;
  return [...map.keys()];
}

/** Put the stock kernels back (used by the benchmark to measure "stock"). */
export function uninstallWasmKernelFixes(): void {
  if (!replaced) return;
  for (const [name, stock] of replaced) swap(name, stock);
  replaced = null;
}

export function wasmKernelFixesInstalled(): boolean {
  return replaced !== null;
}
