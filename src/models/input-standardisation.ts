// A fixed (untrained) affine map in front of an MLP encoder: (x − center)/scale. Logit-space
// pixels span about ±14, so unscaled inputs give a Glorot/He-initialised first layer
// pre-activations with a standard deviation ~7 and make every optimiser step move the encoder's
// outputs by far more than the scales that matter (the KL = 0.01 collapse threshold). The decoder
// still models x itself, so the ELBO keeps its meaning. Used by the Figure 4 MLP encoders and the
// deep VAE's encoder.
import * as tf from '@tensorflow/tfjs-core';

export interface InputStandardisation {
  /** Per-coordinate shift, length n. */
  center: ArrayLike<number>;
  /** One divisor for every coordinate (a data standard deviation). */
  scale: number;
}

export interface InputStandardiser {
  apply(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

export function inputStandardiser(s: InputStandardisation, dim: number): InputStandardiser {
  if (s.center.length !== dim) throw new RangeError(`input standardisation has ${s.center.length} centers for ${dim} inputs`);
  if (!(s.scale > 0)) throw new RangeError(`input standardisation scale must be > 0, got ${s.scale}`);
  const center = tf.keep(tf.tensor1d(Float32Array.from(s.center)));
  const inverse = 1 / s.scale;
  return {
    // multiply by the reciprocal: one fewer division per element on the hot path
    apply: (x) => tf.mul(tf.sub(x, center), inverse) as tf.Tensor2D,
    dispose: () => center.dispose(),
  };
}
