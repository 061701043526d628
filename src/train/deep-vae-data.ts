// Reads the rows a deep-VAE instance trains on: the first `trainSize` rows of an upstream
// float32 [N, ...] array (the mnist/celeba stages already shuffled with their seed), flattened
// to [rows, dim], and the mean per-image log-det over the same rows.
import { readNpy, readNpyFloat32 } from '../io/npy.ts';
import type { InputStandardisation } from '../models/input-standardisation.ts';
import type { TrainData } from './deep-vae-train.ts';

export class TrainDataError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'TrainDataError';
  }
}

export function loadTrainRows(path: string, trainSize: number): TrainData {
  const a = readNpyFloat32(path);
  if (a.shape.length < 2) throw new TrainDataError(path, `expected [N, ...] rows, found shape [${a.shape}]`);
  const total = a.shape[0];
  const dim = a.shape.slice(1).reduce((p, d) => p * d, 1);
  if (!Number.isInteger(trainSize) || trainSize < 0) throw new TrainDataError(path, `train_size must be an integer ≥ 0, got ${trainSize}`);
  const rows = trainSize === 0 ? total : Math.min(trainSize, total);
  if (rows === 0) throw new TrainDataError(path, 'no rows');
  return { values: a.data.subarray(0, rows * dim), rows, dim };
}

/** Mean of the first `rows` entries of a per-image log-det vector (float64 or float32 .npy). */
export function meanLogdet(path: string, rows: number): number {
  const a = readNpy(path);
  if (a.data.length < rows) throw new TrainDataError(path, `expected ≥ ${rows} log-dets, found ${a.data.length}`);
  let s = 0;
  for (let i = 0; i < rows; i++) s += a.data[i];
  return s / rows;
}

/**
 * The encoder's input standardisation from the training rows: per-coordinate mean and one global
 * std (a global rather than per-pixel std: MNIST's border pixels are constant up to
 * dequantisation noise and would be blown up to the scale of the strokes). Float64 sums.
 */
export function inputStandardisation(data: TrainData): InputStandardisation {
  const { values, rows, dim } = data;
  const sum = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) sum[j] += values[r * dim + j];
  const center = Float32Array.from(sum, (s) => s / rows);
  let squares = 0;
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) squares += (values[r * dim + j] - center[j]) ** 2;
  const std = Math.sqrt(squares / (rows * dim));
  if (!(std > 0)) throw new TrainDataError('training rows', `every coordinate is constant (std ${std}); cannot standardise the encoder input`);
  return { center, scale: std };
}
