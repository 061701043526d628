// Gaussian encoders for a linear decoder (Figure 4): q(z|x) = N(m(x), diag(exp(logvar(x)))).
// 'linear' is eq. 9's encoder (m = V(x − μ), one global diagonal D); 'mlp-L' has L ReLU hidden
// layers and per-example mean and log-variance heads. Inputs to the MLP are standardised with
// fixed data statistics (x − x̄)/s, so its weights live on a unit scale.
import * as tf from '@tensorflow/tfjs-core';
import type { LinearVae } from './linear-vae.ts';
import { encodeLinear, seededNormal } from './linear-vae.ts';
import { inputStandardiser, type InputStandardisation } from './input-standardisation.ts';
import { matMul, matMulConstLeft } from './plain-matmul.ts';

export interface GaussianEncoder {
  name: string;
  /** Every variable (for disposal and counting). */
  vars: tf.Variable[];
  /** Variables trained at the base rate (log-scale parameters such as a global log D). */
  baseRateVars: tf.Variable[];
  /** Mean (N × k) and log-variance (N × k, or k when global) for a batch x (N × n). */
  encode(x: tf.Tensor2D): { mean: tf.Tensor2D; logVar: tf.Tensor };
  dispose(): void;
}

export function linearEncoder(vae: LinearVae): GaussianEncoder {
  return {
    name: 'linear',
    vars: [vae.v, vae.logD],
    baseRateVars: [vae.logD],
    encode: (x) => ({ mean: encodeLinear(vae, x), logVar: vae.logD }),
    dispose: () => undefined, // owned by the VAE
  };
}

/** `center` and `scale`: the fixed input standardisation (x − center)/scale. */
export interface MlpEncoderInit extends InputStandardisation {
  dim: number;
  latent: number;
  hidden: number[];
  seed: number;
}

interface Dense {
  w: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
}

function dense(inDim: number, outDim: number, gain: number, seed: string): Dense {
  // He-style init (std = gain/√fan_in) from the project's seeded RNG.
  return tf.tidy(() => ({
    w: tf.variable(tf.tensor2d(seededNormal(inDim * outDim, gain / Math.sqrt(inDim), seed), [inDim, outDim])),
    b: tf.variable(tf.zeros([outDim])) as tf.Variable<tf.Rank.R1>,
  }));
}

export function mlpEncoder(init: MlpEncoderInit): GaussianEncoder {
  const { dim, latent, hidden, seed } = init;
  const standardiser = inputStandardiser(init, dim);
  const sizes = [dim, ...hidden];
  const layers = hidden.map((h, i) => dense(sizes[i], h, Math.SQRT2, `${seed}:mlp:${i}`));
  const last = sizes[sizes.length - 1];
  // Small heads: the encoder starts near the prior (m ≈ 0, log-variance ≈ 0).
  const meanHead = dense(last, latent, 0.01, `${seed}:mlp:mean`);
  const logVarHead = dense(last, latent, 0.01, `${seed}:mlp:logvar`);
  const all = [...layers, meanHead, logVarHead];
  return {
    name: `mlp-${hidden.length}`,
    vars: all.flatMap((l) => [l.w, l.b]),
    baseRateVars: [],
    encode(x) {
      const input = standardiser.apply(x);
      let h = layers.length ? tf.relu(tf.add(matMulConstLeft(input, layers[0].w), layers[0].b)) as tf.Tensor2D : input;
      for (const l of layers.slice(1)) h = tf.relu(tf.add(matMul(h, l.w), l.b)) as tf.Tensor2D;
      const first = layers.length === 0;
      const head = (d: Dense) => tf.add(first ? matMulConstLeft(h, d.w) : matMul(h, d.w), d.b) as tf.Tensor2D;
      return { mean: head(meanHead), logVar: head(logVarHead) };
    },
    dispose() {
      standardiser.dispose();
      for (const l of all) {
        l.w.dispose();
        l.b.dispose();
      }
    },
  };
}
