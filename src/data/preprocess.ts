// Bytes → float32 rows in pixel or logit space, with each row's log-det-Jacobian. The noise is
// drawn row by row in the order given, from the caller's seeded RNG.
import type { Rng } from '../tensor/rng.ts';
import { dequantize, logDetFromLogits, logitTransform, type DataSpace } from './transform.ts';

export interface PreprocessOptions {
  space: DataSpace;
  lambda: number;
  rng: Rng;
}

export interface PreprocessedRows {
  values: Float32Array;
  /** Per-row log|det dy/dx| (0 in pixel space), so log p(x) = log p(y) + logdet. */
  logdet: Float64Array;
  rows: number;
  dim: number;
}

/** u ~ U(0,1) open: an exact 0 from the generator is redrawn so 0 < x holds strictly. */
export function uniformOpen(rng: Rng): number {
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  return u;
}

// Largest float32 below 1: (255 + u)/256 can round up to 1.0 when stored as float32.
const BELOW_ONE_F32 = Math.fround(1 - 2 ** -24);

/**
 * Preprocess the images `indices` (rows of `bytes`, each `dim` bytes). Pure apart from the RNG;
 * `onRow` reports progress now and then.
 */
export function preprocessRows(
  bytes: Uint8Array,
  dim: number,
  indices: ArrayLike<number>,
  opts: PreprocessOptions,
  onRow?: (done: number, total: number) => void,
): PreprocessedRows {
  const rows = indices.length;
  const values = new Float32Array(rows * dim);
  const logdet = new Float64Array(rows);
  const y = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const src = indices[r] * dim;
    const dst = r * dim;
    if (opts.space === 'pixel') {
      for (let i = 0; i < dim; i++) values[dst + i] = Math.min(dequantize(bytes[src + i], uniformOpen(opts.rng)), BELOW_ONE_F32);
    } else {
      for (let i = 0; i < dim; i++) {
        y[i] = logitTransform(dequantize(bytes[src + i], uniformOpen(opts.rng)), opts.lambda);
        values[dst + i] = y[i];
      }
      logdet[r] = logDetFromLogits(y, opts.lambda);
    }
    if (onRow && (r & 1023) === 1023) onRow(r + 1, rows);
  }
  return { values, logdet, rows, dim };
}
