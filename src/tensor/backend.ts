// Choose the best tfjs backend that loads here: tfjs-node-gpu (CUDA) → tfjs-node → wasm → cpu.
// The name and versions go into every artifact's provenance.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The union package's Node bundle registers every op's gradient (and the chained ops) on the
// shared tfjs-core; tfjs-core's own Node bundle registers none, so tf.grad / optimizers would
// fail with "gradient function not found for Sum".
import '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { installWasmKernelFixes, loadHeapKernels } from './wasm-kernel-fixes.ts';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs backend name actually in use: `tensorflow` (tfjs-node[-gpu]), `wasm` or `cpu`. */
  name: string;
  /** The npm package that provided it, e.g. `@tensorflow/tfjs-node-gpu`. */
  package: string;
  /** Versions of the tfjs packages involved. */
  versions: Record<string, string>;
  /** Why the better backends were not used (one line each), for the log. */
  fallbacks: string[];
  /** Kernels we replaced or added (src/tensor/wasm-kernel-fixes.ts); [] when none. */
  kernelFixes: string[];
}

export interface BackendOptions {
  /**
   * Install the wasm kernel fixes (fast transposed matMul, Conv2DBackpropFilter). Default true;
   * false only to measure the stock backend.
   */
  kernelFixes?: boolean;
}

const require = createRequire(import.meta.url);
let active: BackendInfo | null = null;

function versionOf(pkg: string): string | undefined {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function tryNative(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

/** Initialise tfjs once per process and return what is in use. */
export async function initBackend(preference: BackendPreference = 'auto', options: BackendOptions = {}): Promise<BackendInfo> {
  if (active) return active;
  const fallbacks: string[] = [];
  const versions: Record<string, string> = { '@tensorflow/tfjs-core': tf.version_core };
  const done = (name: string, pkg: string, kernelFixes: string[] = []): BackendInfo => {
    const v = versionOf(pkg);
    if (v) versions[pkg] = v;
    active = { name, package: pkg, versions, fallbacks, kernelFixes };
    return active;
  };

  if (preference === 'auto' || preference === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      if (await tryNative(pkg)) return done('tensorflow', pkg);
      fallbacks.push(`${pkg}: not installed or libtensorflow failed to load`);
    }
    if (preference === 'tensorflow') throw new Error(`backend 'tensorflow' requested but unavailable: ${fallbacks.join('; ')}`);
  }
  if (preference === 'auto' || preference === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        await loadHeapKernels();
        const fixes = options.kernelFixes === false ? [] : await installWasmKernelFixes();
        return done('wasm', '@tensorflow/tfjs-backend-wasm', fixes);
      }
      fallbacks.push('@tensorflow/tfjs-backend-wasm: setBackend failed');
    } catch (err) {
      fallbacks.push(`@tensorflow/tfjs-backend-wasm: ${(err as Error).message}`);
    }
    if (preference === 'wasm') throw new Error(`backend 'wasm' requested but unavailable: ${fallbacks.join('; ')}`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return done('cpu', '@tensorflow/tfjs-backend-cpu');
}

export function activeBackend(): BackendInfo | null {
  return active;
}
