// The MLP Gaussian VAE of paper §5/§6.2: encoder x → h → h → (μ, log σ²_q) and decoder
// z → h → h → D(z), ReLU, a diagonal Gaussian q(z|x), p(z) = N(0, I), and a Gaussian observation
// model N(D(z), σ² I) whose σ² is fixed or learned through log σ². Pure tfjs math; the training
// loop and the evaluation live in src/train/deep-vae-*.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../tensor/rng.ts';
import { inputStandardiser, type InputStandardisation } from './input-standardisation.ts';

export interface DeepVaeConfig {
  /** Data dimension n (784 for MNIST). */
  inputDim: number;
  /** Width of each of the two hidden layers in encoder and decoder. */
  hidden: number;
  /** Latent dimension (200 in the paper). */
  latent: number;
  /** Initial (or fixed) observation variance σ². */
  sigma2Init: number;
  /** Learn σ² (through log σ²) or hold it fixed. */
  learnSigma2: boolean;
  /** A fixed map (x − center)/scale in front of the encoder (src/models/input-standardisation.ts). */
  inputStandardisation?: InputStandardisation;
}

export interface DenseLayer {
  w: tf.Variable;
  b: tf.Variable;
}

export interface ElboTerms {
  /** Per-example one-sample ELBO estimate (eq. 10), [B]. */
  elbo: tf.Tensor1D;
  /** Per-example ‖x − D(z)‖², [B]. */
  sse: tf.Tensor1D;
  /** Per-example KL(q(z|x) ‖ p(z)) (analytic), [B]. */
  kl: tf.Tensor1D;
}

/** What training and evaluation need from any Gaussian-observation VAE (MLP or conv). */
export interface GaussianVae {
  readonly config: { latent: number; learnSigma2: boolean; sigma2Init: number };
  readonly logSigma2: tf.Variable;
  /** Network weights, the variables the weight optimiser updates. */
  readonly weights: tf.Variable[];
  /** x: [B, n] flattened rows. */
  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D };
  /** D(z): [B, n] flattened means. */
  decode(z: tf.Tensor2D): tf.Tensor2D;
  /** ELBO pieces with the reparameterised sample z = μ + σ_q ⊙ eps (eps ~ N(0, I) supplied by the caller). */
  elboTerms(x: tf.Tensor2D, eps: tf.Tensor2D): ElboTerms;
  /** Current σ² (reads one scalar). */
  sigma2(): number;
  dispose(): void;
}

export interface DeepVae extends GaussianVae {
  readonly config: DeepVaeConfig;
  readonly encoder: DenseLayer[];
  readonly decoder: DenseLayer[];
}

/**
 * Glorot-uniform weights (the Keras default; the paper does not say which init it used) drawn from
 * our seeded Rng, zero biases, so a model is a pure function of (config, seed).
 */
function denseLayer(fanIn: number, fanOut: number, rng: Rng, name: string): DenseLayer {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * limit;
  return {
    w: tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true, `${name}/w`),
    b: tf.variable(tf.zeros([fanOut]), true, `${name}/b`),
  };
}

function dense(x: tf.Tensor2D, layer: DenseLayer, relu: boolean): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: layer.w as tf.Tensor2D, bias: layer.b, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
}

let nextModelId = 0;

export function createDeepVae(config: DeepVaeConfig, rng: Rng): DeepVae {
  const { inputDim: n, hidden: h, latent: k } = config;
  if (!(config.sigma2Init > 0)) throw new RangeError(`σ² init must be > 0, got ${config.sigma2Init}`);
  const id = `deep-vae-${nextModelId++}`;
  const encoder = [denseLayer(n, h, rng, `${id}/enc1`), denseLayer(h, h, rng, `${id}/enc2`), denseLayer(h, 2 * k, rng, `${id}/enc-out`)];
  const decoder = [denseLayer(k, h, rng, `${id}/dec1`), denseLayer(h, h, rng, `${id}/dec2`), denseLayer(h, n, rng, `${id}/dec-out`)];
  const standardiser = config.inputStandardisation ? inputStandardiser(config.inputStandardisation, n) : null;
  const logSigma2 = tf.variable(tf.scalar(Math.log(config.sigma2Init)), config.learnSigma2, `${id}/log-sigma2`);
  const weights = [...encoder, ...decoder].flatMap((l) => [l.w, l.b]);
  const halfLog2Pi = 0.5 * Math.log(2 * Math.PI);

  const encode = (x: tf.Tensor2D) => {
    const input = standardiser ? standardiser.apply(x) : x;
    const h2 = dense(dense(input, encoder[0], true), encoder[1], true);
    const out = dense(h2, encoder[2], false);
    const [mu, logVar] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logVar };
  };
  const decode = (z: tf.Tensor2D): tf.Tensor2D => dense(dense(dense(z, decoder[0], true), decoder[1], true), decoder[2], false);

  return {
    config,
    encoder,
    decoder,
    logSigma2,
    weights,
    encode,
    decode,
    elboTerms(x, eps) {
      const { mu, logVar } = encode(x);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
      const sse = tf.sum(tf.squaredDifference(x, decode(z)), 1) as tf.Tensor1D;
      // KL(N(μ, σ_q²) ‖ N(0, 1)) summed over latents: ½ Σ (μ² + σ_q² − 1 − log σ_q²)
      const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 1), 0.5) as tf.Tensor1D;
      // eq. 10: −KL − ‖x − D(z)‖² / (2σ²) − (n/2) log(2πσ²)
      const recon = tf.add(
        tf.mul(sse, tf.mul(tf.exp(tf.neg(logSigma2)), 0.5)),
        tf.mul(tf.add(tf.mul(logSigma2, 0.5), halfLog2Pi), n),
      );
      const elbo = tf.neg(tf.add(kl, recon)) as tf.Tensor1D;
      return { elbo, sse, kl };
    },
    sigma2: () => Math.exp((logSigma2.dataSync() as Float32Array)[0]),
    dispose() {
      tf.dispose([...weights, logSigma2]);
      standardiser?.dispose();
    },
  };
}
