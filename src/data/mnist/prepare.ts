// From a loaded MNIST source to the arrays the `mnist` stage writes: the training rows the deep
// VAEs use and the seeded 1000-image subset of the linear experiments, both dequantised and
// (by default) logit-transformed, with per-image log-det-Jacobians.
//
// Each piece has its own RNG stream, so the subset (and its noise) does not change when
// train_size does: the linear experiments' inputs stay byte-identical and the engine's early
// cutoff spares them.
import { createRng } from '../../tensor/rng.ts';
import { DataSourceError } from '../errors.ts';
import { preprocessRows } from '../preprocess.ts';
import { seededSubset } from '../subset.ts';
import { LOGDET_FORMULA, logDetConstant, type DataSpace } from '../transform.ts';
import { MNIST_PIXELS, type MnistData, type MnistSplitData } from './types.ts';

export interface MnistPrepareParams {
  /** 0 = every available training image. */
  trainSize: number;
  subsetSize: number;
  space: DataSpace;
  lambda: number;
  seed: number;
}

export interface PreparedRows {
  values: Float32Array;
  labels: Uint8Array;
  logdet: Float64Array;
  /** Row → index of the image in the source's training set. */
  index: Int32Array;
  rows: number;
}

export interface PreparedMnist {
  train: PreparedRows;
  subset: PreparedRows;
  /** The preprocessing half of meta.json (the stage adds provenance). */
  description: Record<string, unknown>;
}

export function prepareMnist(data: MnistData, p: MnistPrepareParams, onProgress?: (fraction: number, note: string) => void): PreparedMnist {
  if (p.space !== 'logit' && p.space !== 'pixel') {
    throw new DataSourceError('params mnist.space', `expected logit|pixel, found ${String(p.space)}`);
  }
  if (!(p.lambda > 0 && p.lambda < 0.5)) throw new DataSourceError('params mnist.lambda', `expected 0 < lambda < 0.5, found ${p.lambda}`);
  const available = data.train.count;
  if (!Number.isInteger(p.trainSize) || p.trainSize < 0) {
    throw new DataSourceError('params mnist.train_size', `expected an integer ≥ 0 (0 = all), found ${p.trainSize}`);
  }
  if (p.trainSize > available) {
    throw new DataSourceError('params mnist.train_size', `expected at most the ${available} available training images (${data.provenance.source}), found ${p.trainSize}`);
  }
  if (!Number.isInteger(p.subsetSize) || p.subsetSize < 1 || p.subsetSize > available) {
    throw new DataSourceError('params mnist.subset_size', `expected an integer in 1..${available}, found ${p.subsetSize}`);
  }
  const trainIndex = seededSubset(available, p.trainSize, `${p.seed}:mnist:train-choice`);
  const subsetIndex = seededSubset(available, p.subsetSize, `${p.seed}:mnist:subset-choice`);
  const total = trainIndex.length + subsetIndex.length;
  const subset = prepareRows(data.train, subsetIndex, p, `${p.seed}:mnist:subset-noise`, (done) =>
    onProgress?.(done / total, `subset ${done}/${subsetIndex.length}`),
  );
  const train = prepareRows(data.train, trainIndex, p, `${p.seed}:mnist:train-noise`, (done) =>
    onProgress?.((subsetIndex.length + done) / total, `train ${done}/${trainIndex.length}`),
  );
  onProgress?.(1, 'preprocessed');
  return {
    train,
    subset,
    description: {
      space: p.space,
      lambda: p.lambda,
      dim: MNIST_PIXELS,
      dequantisation: 'x = (b + u)/256, u ~ U(0,1) from seeded alea streams (as MAF datasets/mnist.py)',
      transform: p.space === 'logit' ? 'y = logit(lambda + (1 - 2*lambda)*x)' : 'none (pixel space x)',
      logdet: {
        formula: p.space === 'logit' ? LOGDET_FORMULA : 'identity: logdet = 0',
        constant: p.space === 'logit' ? logDetConstant(MNIST_PIXELS, p.lambda) : 0,
        per_image: 'logdet_train.npy / logdet_subset.npy (float64)',
        bytes_density_note: 'for the density of b + u on [0,256]^D subtract D*log(256) from log p(x)',
      },
      counts: {
        available_train: available,
        available_test: data.test?.count ?? 0,
        train: train.rows,
        subset: subset.rows,
      },
      selection: {
        train: p.trainSize === 0 ? 'all available training images, seeded order' : `seeded random ${p.trainSize} of ${available} training images`,
        subset: `seeded random ${subset.rows} of ${available} training images (independent of train_size)`,
      },
    },
  };
}

function prepareRows(split: MnistSplitData, index: Int32Array, p: MnistPrepareParams, noiseSeed: string, onRow: (done: number) => void): PreparedRows {
  const out = preprocessRows(split.images, MNIST_PIXELS, index, { space: p.space, lambda: p.lambda, rng: createRng(noiseSeed) }, onRow);
  const labels = new Uint8Array(index.length);
  for (let r = 0; r < index.length; r++) labels[r] = split.labels[index[r]];
  return { values: out.values, labels, logdet: out.logdet, index, rows: out.rows };
}
