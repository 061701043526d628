// Matrix products whose gradients use only non-transposed matMuls. On the wasm backend (tfjs 4.22)
// a matMul with transposeA/transposeB runs 10–20× slower than a plain one (docs: DESIGN.md), and
// tfjs's own matMul gradient uses exactly those; an explicit tf.transpose (a cheap copy) followed
// by a plain matMul avoids the slow path. Results are the same products, so correctness does not
// depend on this file — only speed does.
import * as tf from '@tensorflow/tfjs-core';

/** a · b, with both gradients computed by plain matMuls. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return plainMatMul(a, b) as tf.Tensor2D;
}

const plainMatMul = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const y = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([x, y]);
  return {
    value: tf.matMul(x, y),
    gradFunc: (dy, saved) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      const d = dy as tf.Tensor2D;
      return [tf.matMul(d, tf.transpose(sb)), tf.matMul(tf.transpose(sa), d)];
    },
  };
});

/** a · bᵀ (b given untransposed). */
export function matMulBT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matMul(a, tf.transpose(b));
}

/**
 * a · c for a CONSTANT symmetric c (e.g. a covariance): only a's gradient, dy · c, is formed —
 * no n × n gradient for c, and no transposed product.
 */
export function matMulSymmetricConst(a: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((x, save) => {
    (save as tf.GradSaveFunc)([]);
    return {
      value: tf.matMul(x as tf.Tensor2D, c),
      gradFunc: (dy) => tf.matMul(dy as tf.Tensor2D, c),
    };
  });
  return f(a) as tf.Tensor2D;
}

/**
 * x · w for a left factor x needing no gradient (e.g. the data batch): w's gradient is xᵀ · dy
 * via an explicit transpose; x gets zeros instead of the N × n product dy · wᵀ.
 */
export function matMulConstLeft(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  // x may be an intermediate of the forward pass (e.g. standardised inputs): save it so the
  // engine keeps it alive until the backward pass.
  const f = tf.customGrad((a, b, save) => {
    (save as tf.GradSaveFunc)([a as tf.Tensor2D]);
    return {
      value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      gradFunc: (dy, saved) => [tf.zerosLike(saved[0]), tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D)],
    };
  });
  return f(x, w) as tf.Tensor2D;
}
