// Adam with tf.train.adam's exact arithmetic (same update, bias correction, β/ε defaults, float32
// accumulators), but one fused pass per step on the wasm and cpu backends
// (src/tensor/adam-update-kernel.ts) instead of ~10 kernels per variable. A step is computed first
// and applied second, so the caller can look at max |g| (which the pass returns for free) and refuse
// a non-finite gradient before any variable changes. Other backends get the same math as tf ops.
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE_KERNEL, registerAdamUpdateKernel } from '../tensor/adam-update-kernel.ts';
import { adamCoefficients, advanceAccBeta, type AdamCoefficients } from '../tensor/adam-update.ts';

export interface AdamGradient {
  variable: tf.Variable;
  gradient: tf.Tensor;
}

/** A computed, not yet applied, Adam step. Exactly one of apply() / discard() frees it. */
export interface PendingAdamStep {
  /** max |g| over the step's gradients; NaN when any is NaN, Infinity when any is ±Infinity. */
  readonly gradMaxAbs: number;
  /** Assign the new values and moments and advance the bias-correction accumulators. */
  apply(): void;
  /** Drop the step (nothing changes). Safe to call after apply(). */
  discard(): void;
}

export interface FusedAdam {
  prepare(gradients: AdamGradient[]): PendingAdamStep;
  /** The learning rate of the steps prepared from now on (for a decay schedule). */
  setLearningRate(rate: number): void;
  /** Number of applied steps. */
  readonly iterations: number;
  dispose(): void;
}

interface Moments {
  m: tf.Tensor;
  v: tf.Tensor;
}

/** tf-ops fallback: the same expression tfjs-core's AdamOptimizer evaluates, returning [w', m', v'] per variable and max |g|. */
function adamWithOps(gradients: AdamGradient[], moments: Moments[], c: AdamCoefficients): { outs: tf.Tensor[]; maxAbs: tf.Tensor } {
  return tf.tidy(() => {
    const outs: tf.Tensor[] = [];
    gradients.forEach(({ variable, gradient }, i) => {
      const { m, v } = moments[i];
      const m2 = tf.add(tf.mul(m, c.beta1), tf.mul(gradient, c.oneMinusBeta1));
      const v2 = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(gradient), c.oneMinusBeta2));
      const mHat = tf.div(m2, c.oneMinusAccBeta1);
      const vHat = tf.div(v2, c.oneMinusAccBeta2);
      outs.push(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), c.epsilon)), c.negLr), variable), m2, v2);
    });
    // a NaN anywhere makes the sum NaN; the max of |g| alone may skip NaN on some backends
    const maxes = gradients.map(({ gradient }) => tf.max(tf.abs(gradient)));
    const anyNaN = tf.any(tf.stack(gradients.map(({ gradient }) => tf.any(tf.isNaN(gradient)))));
    const maxAbs = tf.where(anyNaN, tf.scalar(Number.NaN), tf.max(tf.stack(maxes)));
    return { outs, maxAbs };
  });
}

export interface FusedAdamOptions {
  /** Use the fused kernel where the backend has it (default true); false forces the tf-ops path. */
  useKernel?: boolean;
}

/**
 * Adam(lr, β₁, β₂, ε) like tf.train.adam(lr, beta1, beta2, epsilon): ε defaults to the backend's
 * epsilon() (1e-7 on wasm and cpu), read at construction as tfjs does.
 */
export function createFusedAdam(initialLearningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number, options: FusedAdamOptions = {}): FusedAdam {
  registerAdamUpdateKernel();
  let learningRate = initialLearningRate;
  const eps = epsilon ?? tf.backend().epsilon();
  const moments = new Map<string, Moments>();
  let accBeta1 = Math.fround(beta1);
  let accBeta2 = Math.fround(beta2);
  let iterations = 0;

  const momentsOf = (variable: tf.Variable): Moments => {
    let slot = moments.get(variable.name);
    if (!slot) {
      slot = { m: tf.keep(tf.zerosLike(variable)), v: tf.keep(tf.zerosLike(variable)) };
      moments.set(variable.name, slot);
    }
    return slot;
  };

  return {
    get iterations() {
      return iterations;
    },
    setLearningRate(rate) {
      learningRate = rate;
    },
    prepare(gradients) {
      const slots = gradients.map(({ variable, gradient }) => {
        if (variable.dtype !== 'float32' || gradient.dtype !== 'float32' || !tf.util.arraysEqual(variable.shape, gradient.shape)) {
          throw new TypeError(`fused Adam: gradient of ${variable.name} is ${gradient.dtype} [${gradient.shape}], variable is ${variable.dtype} [${variable.shape}]`);
        }
        return momentsOf(variable);
      });
      const c = adamCoefficients(learningRate, beta1, beta2, eps, accBeta1, accBeta2);
      let outs: tf.Tensor[];
      let maxAbsTensor: tf.Tensor;
      if (options.useKernel !== false && tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend())) {
        const inputs: Record<string, tf.Tensor> = {};
        gradients.forEach(({ variable, gradient }, i) => {
          inputs[`w${i}`] = variable;
          inputs[`m${i}`] = slots[i].m;
          inputs[`v${i}`] = slots[i].v;
          inputs[`g${i}`] = gradient;
        });
        const attrs = { ...c, count: gradients.length };
        const result = tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
        maxAbsTensor = result.pop() as tf.Tensor;
        outs = result;
      } else {
        ({ outs, maxAbs: maxAbsTensor } = adamWithOps(gradients, slots, c));
      }
      tf.keep(maxAbsTensor);
      outs.forEach((t) => tf.keep(t));
      const gradMaxAbs = (maxAbsTensor.dataSync() as Float32Array)[0];
      maxAbsTensor.dispose();
      let open = true;
      return {
        gradMaxAbs,
        apply() {
          if (!open) throw new Error('fused Adam: this step was already applied or discarded');
          open = false;
          gradients.forEach(({ variable }, i) => {
            const [w, m, v] = outs.slice(3 * i, 3 * i + 3);
            variable.assign(w);
            w.dispose();
            slots[i].m.dispose();
            slots[i].v.dispose();
            slots[i].m = m;
            slots[i].v = v;
          });
          accBeta1 = advanceAccBeta(accBeta1, beta1);
          accBeta2 = advanceAccBeta(accBeta2, beta2);
          iterations++;
        },
        discard() {
          if (!open) return;
          open = false;
          tf.dispose(outs);
        },
      };
    },
    dispose() {
      for (const { m, v } of moments.values()) tf.dispose([m, v]);
      moments.clear();
    },
  };
}
