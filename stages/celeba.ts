// Stage `celeba`: 64×64 CelebA from a local copy of img_align_celeba (directory or zip); skipped,
// not failed, when none is configured, because it cannot be downloaded here.
import { prepareCeleba } from '../src/data/celeba/prepare.ts';
import type { DataSpace } from '../src/data/transform.ts';
import { writeJsonAtomic } from '../src/io/atomic.ts';
import { writeNpy } from '../src/io/npy.ts';
import type { StageContext } from '../src/pipeline/stage.ts';

interface CelebaParams {
  dir: string;
  max_images: number;
  image_size: number;
  space: DataSpace;
  lambda: number;
}

export async function run(ctx: StageContext): Promise<void> {
  const p = ctx.param('celeba') as unknown as CelebaParams;
  if (!p.dir) {
    ctx.skip(
      'CelebA needs a local copy of img_align_celeba: set params.celeba.dir to its folder or .zip of JPEGs ' +
        '(e.g. `celeba: { dir: /data/img_align_celeba }` in a profile of pipeline.yaml); it cannot be downloaded here',
    );
  }
  const prepared = await prepareCeleba({
    source: p.dir,
    maxImages: p.max_images,
    size: p.image_size,
    space: p.space,
    lambda: p.lambda,
    seed: ctx.seed,
    outPath: ctx.out('train'),
    onProgress: (f, note) => ctx.progress(0.99 * f, note),
  });
  writeNpy(ctx.out('logdet'), { data: prepared.logdet, shape: [prepared.count] });
  writeJsonAtomic(ctx.out('meta'), {
    provenance: {
      stage: ctx.id,
      profile: ctx.profile,
      data: { source: 'dir', dataset: 'celeba', images: prepared.count },
      backend: { name: 'none', package: 'none', versions: {} },
      node: process.version,
      seed: ctx.seed,
    },
    ...prepared.description,
  });
  ctx.progress(1, `${prepared.count} CelebA images`);
}
