// One Adam step over flat float32 arrays in a single pass, with tf.train.adam's arithmetic
// (tfjs-core 4.x AdamOptimizer.applyGradients) rounded to float32 after every operation, so the
// result is bit-identical to the ~10 separate tfjs kernels it replaces:
//   m' = m·β₁ + g·(1−β₁)            v' = v·β₂ + g²·(1−β₂)
//   w' = (m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε) · (−lr) + w
// Every op on two float32 values done in float64 and rounded once is the correctly rounded
// float32 op (53 ≥ 2·24 + 2), so Math.fround after each op reproduces float32 kernels exactly.

const f32 = Math.fround;

/** The per-step scalars, each already a float32 value (as tfjs holds them in scalar tensors). */
export interface AdamCoefficients {
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  /** 1 − β₁ᵗ, t = the step being taken (1 for the first). */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
  negLr: number;
  epsilon: number;
}

/**
 * The coefficients tf.train.adam uses for its next step, given its accumulators accBeta1 = β₁ᵗ and
 * accBeta2 = β₂ᵗ as it holds them (float32 scalars that start at β and are multiplied by β after
 * every step: see advanceAccBeta). `1 − β` is taken in float64 before the float32 cast, as there.
 */
export function adamCoefficients(lr: number, beta1: number, beta2: number, epsilon: number, accBeta1: number, accBeta2: number): AdamCoefficients {
  return {
    beta1: f32(beta1),
    beta2: f32(beta2),
    oneMinusBeta1: f32(1 - beta1),
    oneMinusBeta2: f32(1 - beta2),
    oneMinusAccBeta1: f32(1 - accBeta1),
    oneMinusAccBeta2: f32(1 - accBeta2),
    negLr: f32(-lr),
    epsilon: f32(epsilon),
  };
}

/** The accumulator after one more step: accBeta · β in float32. */
export function advanceAccBeta(accBeta: number, beta: number): number {
  return f32(accBeta * f32(beta));
}

/**
 * Write the Adam step for one variable into wOut, mOut, vOut (may alias nothing of the inputs' memory
 * that is still to be read; distinct buffers are the normal case). Returns max |g|, or NaN when any
 * g is NaN (a plain max would skip NaN), so a caller can refuse a non-finite gradient.
 */
export function adamUpdate(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  wOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  c: AdamCoefficients,
): number {
  const n = g.length;
  if (w.length !== n || m.length !== n || v.length !== n || wOut.length !== n || mOut.length !== n || vOut.length !== n) {
    throw new RangeError(`adamUpdate: lengths differ (w ${w.length}, m ${m.length}, v ${v.length}, g ${n}, out ${wOut.length}/${mOut.length}/${vOut.length})`);
  }
  const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, oneMinusAccBeta1, oneMinusAccBeta2, negLr, epsilon } = c;
  let maxAbs = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f32(f32(m[i] * beta1) + f32(gi * oneMinusBeta1));
    const vi = f32(f32(v[i] * beta2) + f32(f32(gi * gi) * oneMinusBeta2));
    const mHat = f32(mi / oneMinusAccBeta1);
    const vHat = f32(vi / oneMinusAccBeta2);
    const denom = f32(f32(Math.sqrt(vHat)) + epsilon);
    wOut[i] = f32(f32(f32(mHat / denom) * negLr) + w[i]);
    mOut[i] = mi;
    vOut[i] = vi;
    const a = Math.abs(gi);
    if (a > maxAbs) maxAbs = a;
    else if (a !== a) nan = true;
  }
  return nan ? Number.NaN : maxAbs;
}
