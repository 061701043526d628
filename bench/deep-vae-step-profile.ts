// Where the deep-VAE training step's time goes on the backend in use: every registered kernel of
// the backend is wrapped with a timer (wasm kernels run synchronously, so wall time per call is the
// kernel's cost), then one step is run many times. Prints ms/step per kernel name, plus the time
// outside kernels (JS: tape, autograd bookkeeping, allocation). A benchmark, not a test.
//   node --import tsx bench/deep-vae-step-profile.ts [--width 512] [--batch 256] [--reps 20]
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { createDeepVae } from '../src/models/deep-vae.ts';
import { registerAdamUpdateKernel } from '../src/tensor/adam-update-kernel.ts';
import { initBackend } from '../src/tensor/backend.ts';
import { createRng } from '../src/tensor/rng.ts';
import { createTrainStep } from '../src/train/deep-vae-step.ts';

const { values } = parseArgs({ options: { width: { type: 'string' }, batch: { type: 'string' }, reps: { type: 'string' } } });
const width = Number(values.width ?? 512);
const batch = Number(values.batch ?? 256);
const reps = Number(values.reps ?? 20);

const backend = await initBackend('auto');
registerAdamUpdateKernel(); // registered lazily by the optimiser otherwise, after the wrapping below
const stats = new Map<string, { ms: number; calls: number }>();
for (const config of tf.getKernelsForBackend(backend.name)) {
  const inner = config.kernelFunc as unknown as (args: { inputs: Record<string, tf.TensorInfo>; attrs?: unknown }) => unknown;
  const key = config.kernelName;
  const timed = (args: { inputs: Record<string, tf.TensorInfo>; attrs?: unknown }) => {
    const t0 = performance.now();
    try {
      return inner(args);
    } finally {
      const shapes = Object.values(args.inputs).map((t) => (t ? `[${t.shape.join(',')}]` : '-')).join('');
      const a = args.attrs as Record<string, unknown> | undefined;
      const flags = a && (a.transposeA || a.transposeB) ? ` tA=${a.transposeA ? 1 : 0} tB=${a.transposeB ? 1 : 0}` : '';
      const k = `${key} ${shapes}${flags}`;
      const s = stats.get(k) ?? { ms: 0, calls: 0 };
      s.ms += performance.now() - t0;
      s.calls++;
      stats.set(k, s);
    }
  };
  tf.unregisterKernel(key, backend.name);
  tf.registerKernel({ ...config, kernelFunc: timed as unknown as KernelFunc } as KernelConfig);
}

const model = createDeepVae({ inputDim: 784, hidden: width, latent: 200, sigma2Init: 1, learnSigma2: true }, createRng(1));
const step = createTrainStep(model, { lr: 1e-3, lrLogSigma2: 1e-2, instance: 'profile' });
const x = tf.randomNormal([batch, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
for (let i = 0; i < 3; i++) step.run(x, i, i);
stats.clear();
let total = 0;
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  step.run(x, i, i);
  total += performance.now() - t0;
}
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
let inKernels = 0;
let calls = 0;
for (const s of stats.values()) calls += s.calls;
const byName = new Map<string, number>();
for (const [k, s] of rows) {
  inKernels += s.ms;
  const name = k.split(' ')[0];
  byName.set(name, (byName.get(name) ?? 0) + s.ms / reps);
}
console.log(`step mean ${(total / reps).toFixed(1)} ms over ${reps} reps; in kernels ${(inKernels / reps).toFixed(1)} ms (${(calls / reps).toFixed(0)} kernel calls); outside ${((total - inKernels) / reps).toFixed(1)} ms`);
console.log('\nby kernel name (ms/step):');
for (const [n, ms] of [...byName.entries()].sort((a, b) => b[1] - a[1])) if (ms > 0.05) console.log(`  ${ms.toFixed(2).padStart(7)}  ${n}`);
console.log('\nby kernel + shapes (ms/step, calls/step):');
for (const [k, s] of rows.slice(0, 40)) console.log(`  ${(s.ms / reps).toFixed(2).padStart(7)}  ${(s.calls / reps).toFixed(0).padStart(4)}×  ${k}`);
