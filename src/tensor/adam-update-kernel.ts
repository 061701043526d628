// A tfjs kernel that applies one Adam step to many variables in one call: on wasm with the SIMD
// loop of src/tensor/heap-simd.ts directly on the heap, on cpu with adamUpdate
// (src/tensor/adam-update.ts) — the same float32 arithmetic as tf.train.adam, bit for bit. Stock
// Adam runs ~10 kernels, each a full pass over memory, per variable; this is one pass. New buffers
// are written for w, m and v — never in place — because the wasm matMul caches an XNNPACK operator
// (with packed weights) per weight tensor id and frees it only when that tensor is disposed.
//   inputs: w0, m0, v0, g0, w1, m1, … (float32, equal sizes per variable)
//   attrs:  count and the AdamCoefficients
//   outputs: [w0', m0', v0', w1', …, maxAbs] — maxAbs [1] is max |g| over all, NaN if any g is NaN.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { adamUpdate, type AdamCoefficients } from './adam-update.ts';
import { heapSimd } from './heap-simd.ts';
import { heapF32, heapMemory, type KernelArgs, type WasmBackendLike } from './wasm-heap.ts';

export const ADAM_UPDATE_KERNEL = 'ElboReproAdamUpdate';

interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

type Attrs = AdamCoefficients & { count: number };

/** The inputs as [w, m, v, g] per variable, checked. */
function variablesOf(args: KernelArgs, count: number): TensorInfo[][] {
  const vars: TensorInfo[][] = [];
  for (let i = 0; i < count; i++) {
    const group = ['w', 'm', 'v', 'g'].map((k) => {
      const t = args.inputs[`${k}${i}`];
      if (!t) throw new Error(`${ADAM_UPDATE_KERNEL}: input ${k}${i} missing (count ${count})`);
      if (t.dtype !== 'float32') throw new TypeError(`${ADAM_UPDATE_KERNEL}: ${k}${i} is ${t.dtype}, expected float32`);
      return t;
    });
    const size = tf.util.sizeFromShape(group[0].shape);
    if (group.some((t) => tf.util.sizeFromShape(t.shape) !== size)) {
      throw new RangeError(`${ADAM_UPDATE_KERNEL}: variable ${i} has shapes ${group.map((t) => `[${t.shape}]`).join(' ')} (w m v g), expected equal sizes`);
    }
    vars.push(group);
  }
  return vars;
}

function wasmKernel(args: KernelArgs): TensorInfo[] {
  const attrs = args.attrs as unknown as Attrs;
  const backend = args.backend as WasmBackendLike;
  const vars = variablesOf(args, attrs.count);
  // allocate everything before taking offsets' views: a malloc may grow the heap
  const outs = vars.flatMap(([w]) => [0, 1, 2].map(() => backend.makeOutput(w.shape, 'float32')));
  const maxOut = backend.makeOutput([1], 'float32');
  const simd = heapSimd(heapMemory(backend));
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  // Math.max is NaN when either argument is: a NaN gradient survives the reduction
  let maxAbs = 0;
  vars.forEach(([w, m, v, g], i) => {
    const n = tf.util.sizeFromShape(w.shape);
    maxAbs = Math.max(maxAbs, simd.adam(at(w), at(m), at(v), at(g), at(outs[3 * i]), at(outs[3 * i + 1]), at(outs[3 * i + 2]), n, attrs));
  });
  heapF32(backend, maxOut)[0] = maxAbs;
  return [...outs, maxOut];
}

function cpuKernel(args: KernelArgs): TensorInfo[] {
  const attrs = args.attrs as unknown as Attrs;
  const backend = args.backend as CpuBackendLike;
  const read = (t: TensorInfo): Float32Array => {
    const values = backend.data.get(t.dataId).values;
    if (!(values instanceof Float32Array)) throw new TypeError(`${ADAM_UPDATE_KERNEL}: expected float32 data`);
    return values;
  };
  const outs: TensorInfo[] = [];
  let maxAbs = 0;
  for (const [w, m, v, g] of variablesOf(args, attrs.count)) {
    const arrays = [0, 1, 2].map(() => new Float32Array(tf.util.sizeFromShape(w.shape)));
    maxAbs = Math.max(maxAbs, adamUpdate(read(w), read(m), read(v), read(g), arrays[0], arrays[1], arrays[2], attrs));
    outs.push(...arrays.map((a) => backend.makeTensorInfo(w.shape, 'float32', a)));
  }
  outs.push(backend.makeTensorInfo([1], 'float32', Float32Array.of(maxAbs)));
  return outs;
}

let registered = false;

/** Register the kernel for wasm and cpu (idempotent). Other backends use the tf-ops path of src/train/fused-adam.ts. */
export function registerAdamUpdateKernel(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, kernelFunc] of [['wasm', wasmKernel], ['cpu', cpuKernel]] as const) {
    if (!tf.getKernel(ADAM_UPDATE_KERNEL, backendName)) {
      tf.registerKernel({ kernelName: ADAM_UPDATE_KERNEL, backendName, kernelFunc: kernelFunc as unknown as KernelFunc });
    }
  }
}
