// The convolutional Gaussian VAE for CelebA (paper §6.2: 64×64×3, 500 latents; the paper gives
// no architecture, so a DCGAN-style one): encoder four 4×4 stride-2 convs (c, 2c, 4c, 8c) + ReLU
// → dense → (μ, log σ²_q); decoder dense → (S/16)²·8c → three 4×4 stride-2 transposed convs + ReLU
// → a last transposed conv to 3 channels (linear mean). Rows are flattened HWC images, so the
// same training loop and metrics as the MLP apply (GaussianVae).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../tensor/rng.ts';
import type { ElboTerms, GaussianVae } from './deep-vae.ts';

export interface ConvVaeConfig {
  /** Square image side S (64 for CelebA); must be divisible by 16. */
  imageSize: number;
  channels: 3;
  /** Base channel count c (the paper's setting is unknown; 32 here for `paper`). */
  baseChannels: number;
  latent: number;
  sigma2Init: number;
  learnSigma2: boolean;
}

interface ConvLayer {
  w: tf.Variable;
  b: tf.Variable;
}

export interface ConvVae extends GaussianVae {
  readonly config: ConvVaeConfig;
}

function glorot(shape: number[], fanIn: number, fanOut: number, rng: Rng, name: string): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = (2 * rng.uniform() - 1) * limit;
  return tf.variable(tf.tensor(v, shape), true, name);
}

let nextId = 0;

export function createConvVae(config: ConvVaeConfig, rng: Rng): ConvVae {
  const S = config.imageSize;
  if (S % 16 !== 0) throw new RangeError(`conv VAE image size must be divisible by 16, got ${S}`);
  if (!(config.sigma2Init > 0)) throw new RangeError(`σ² init must be > 0, got ${config.sigma2Init}`);
  const id = `conv-vae-${nextId++}`;
  const c = config.baseChannels;
  const k = config.latent;
  const encCh = [3, c, 2 * c, 4 * c, 8 * c];
  const small = S / 16;
  const flat = small * small * 8 * c;
  const n = S * S * 3;

  const conv = (cin: number, cout: number, name: string): ConvLayer => ({
    w: glorot([4, 4, cin, cout], 16 * cin, 16 * cout, rng, `${id}/${name}/w`),
    b: tf.variable(tf.zeros([cout]), true, `${id}/${name}/b`),
  });
  // conv2dTranspose filters are [kh, kw, outChannels, inChannels]
  const deconv = (cin: number, cout: number, name: string): ConvLayer => ({
    w: glorot([4, 4, cout, cin], 16 * cin, 16 * cout, rng, `${id}/${name}/w`),
    b: tf.variable(tf.zeros([cout]), true, `${id}/${name}/b`),
  });
  const dense = (fin: number, fout: number, name: string): ConvLayer => ({
    w: glorot([fin, fout], fin, fout, rng, `${id}/${name}/w`),
    b: tf.variable(tf.zeros([fout]), true, `${id}/${name}/b`),
  });

  const encConvs = [0, 1, 2, 3].map((i) => conv(encCh[i], encCh[i + 1], `enc${i + 1}`));
  const encOut = dense(flat, 2 * k, 'enc-out');
  const decIn = dense(k, flat, 'dec-in');
  const decCh = [8 * c, 4 * c, 2 * c, c, 3];
  const decConvs = [0, 1, 2, 3].map((i) => deconv(decCh[i], decCh[i + 1], `dec${i + 1}`));
  const logSigma2 = tf.variable(tf.scalar(Math.log(config.sigma2Init)), config.learnSigma2, `${id}/log-sigma2`);
  const weights = [...encConvs, encOut, decIn, ...decConvs].flatMap((l) => [l.w, l.b]);

  const encode = (x: tf.Tensor2D) => {
    let h = tf.reshape(x, [x.shape[0], S, S, 3]) as tf.Tensor4D;
    for (const l of encConvs) h = tf.relu(tf.add(tf.conv2d(h, l.w as tf.Tensor4D, 2, 'same'), l.b)) as tf.Tensor4D;
    const out = tf.add(tf.matMul(tf.reshape(h, [x.shape[0], flat]) as tf.Tensor2D, encOut.w as tf.Tensor2D), encOut.b) as tf.Tensor2D;
    const [mu, logVar] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logVar };
  };

  const decode = (z: tf.Tensor2D): tf.Tensor2D => {
    const b = z.shape[0];
    let h = tf.reshape(tf.relu(tf.add(tf.matMul(z, decIn.w as tf.Tensor2D), decIn.b)), [b, small, small, 8 * c]) as tf.Tensor4D;
    let side = small;
    decConvs.forEach((l, i) => {
      side *= 2;
      const y = tf.add(tf.conv2dTranspose(h, l.w as tf.Tensor4D, [b, side, side, decCh[i + 1]], 2, 'same'), l.b) as tf.Tensor4D;
      h = i < decConvs.length - 1 ? (tf.relu(y) as tf.Tensor4D) : y;
    });
    return tf.reshape(h, [b, n]) as tf.Tensor2D;
  };

  const halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
  return {
    config,
    logSigma2,
    weights,
    encode,
    decode,
    elboTerms(x, eps): ElboTerms {
      const { mu, logVar } = encode(x);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
      const sse = tf.sum(tf.squaredDifference(x, decode(z)), 1) as tf.Tensor1D;
      const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 1), 0.5) as tf.Tensor1D;
      const recon = tf.add(tf.mul(sse, tf.mul(tf.exp(tf.neg(logSigma2)), 0.5)), tf.mul(tf.add(tf.mul(logSigma2, 0.5), halfLog2Pi), n));
      return { elbo: tf.neg(tf.add(kl, recon)) as tf.Tensor1D, sse, kl };
    },
    sigma2: () => Math.exp((logSigma2.dataSync() as Float32Array)[0]),
    dispose() {
      tf.dispose([...weights, logSigma2]);
    },
  };
}
