// CelebA → one float32 .npy [N, size, size, 3] (HWC per image), dequantised and in logit or
// pixel space like MNIST, in bounded memory: images are decoded a small batch at a time and
// appended to a .npy whose header was written first (N is known after listing the files).
import { createHash } from 'node:crypto';
import { createRng } from '../../tensor/rng.ts';
import { DataSourceError } from '../errors.ts';
import { NpyStreamWriter } from '../npy-stream-writer.ts';
import { preprocessRows } from '../preprocess.ts';
import { LOGDET_FORMULA, logDetConstant, type DataSpace } from '../transform.ts';
import { centreCropResize } from './crop-resize.ts';
import { openImageSource } from './image-source.ts';

export interface CelebaPrepareOptions {
  /** Directory or .zip of img_align_celeba images. */
  source: string;
  /** 0 = every image found; otherwise the first `maxImages` in file-name order. */
  maxImages: number;
  size: number;
  space: DataSpace;
  lambda: number;
  seed: number;
  /** Where to write the float32 [N, size, size, 3] array. */
  outPath: string;
  /** Images decoded concurrently; bounds memory together with the batch. */
  batch?: number;
  onProgress?: (fraction: number, note: string) => void;
}

export interface CelebaPrepared {
  count: number;
  /** Per-image log|det dy/dx| (0 in pixel space). */
  logdet: Float64Array;
  description: Record<string, unknown>;
}

export async function prepareCeleba(o: CelebaPrepareOptions): Promise<CelebaPrepared> {
  if (!Number.isInteger(o.maxImages) || o.maxImages < 0) {
    throw new DataSourceError('params celeba.max_images', `expected an integer ≥ 0 (0 = all), found ${o.maxImages}`);
  }
  if (o.space !== 'logit' && o.space !== 'pixel') throw new DataSourceError('params celeba.space', `expected logit|pixel, found ${String(o.space)}`);
  const src = await openImageSource(o.source);
  try {
    if (src.names.length === 0) throw new DataSourceError(src.path, 'expected .jpg/.png images (img_align_celeba), found none');
    const names = o.maxImages > 0 ? src.names.slice(0, o.maxImages) : src.names;
    const n = names.length;
    const dim = o.size * o.size * 3;
    const batch = o.batch ?? 16;
    const rng = createRng(`${o.seed}:celeba:noise`);
    const logdet = new Float64Array(n);
    const writer = new NpyStreamWriter(o.outPath, [n, o.size, o.size, 3]);
    try {
      for (let start = 0; start < n; start += batch) {
        const chunk = names.slice(start, start + batch);
        const images = await Promise.all(chunk.map(async (name) => centreCropResize(await src.read(name), o.size, `${src.path}:${name}`)));
        const bytes = new Uint8Array(chunk.length * dim);
        images.forEach((img, i) => bytes.set(img, i * dim));
        // the noise is drawn in image order, so the result does not depend on the batch size
        const rows = preprocessRows(bytes, dim, Int32Array.from(chunk.keys()), { space: o.space, lambda: o.lambda, rng });
        writer.append(rows.values);
        logdet.set(rows.logdet, start);
        o.onProgress?.((start + chunk.length) / n, `${start + chunk.length}/${n} images`);
      }
      writer.close();
    } catch (err) {
      writer.abort();
      throw err;
    }
    return {
      count: n,
      logdet,
      description: {
        source: { kind: src.kind, path: src.path, images_found: src.names.length, first: names[0], last: names[n - 1], names_md5: createHash('md5').update(names.join('\n')).digest('hex') },
        selection: o.maxImages > 0 ? `first ${n} of ${src.names.length} images in file-name order` : `all ${n} images in file-name order`,
        preprocessing: `centre square crop (178×178 for 178×218 aligned CelebA), sharp resize (lanczos3) to ${o.size}×${o.size}, RGB`,
        layout: `float32 [N, ${o.size}, ${o.size}, 3] (HWC per image)`,
        space: o.space,
        lambda: o.lambda,
        dim,
        dequantisation: 'x = (b + u)/256, u ~ U(0,1) from a seeded alea stream, drawn in image order',
        logdet: {
          formula: o.space === 'logit' ? LOGDET_FORMULA : 'identity: logdet = 0',
          constant: o.space === 'logit' ? logDetConstant(dim, o.lambda) : 0,
          per_image: 'logdet.npy (float64 [N])',
        },
        counts: { images: n },
      },
    };
  } finally {
    src.close();
  }
}
