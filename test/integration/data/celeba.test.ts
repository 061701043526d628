// CelebA on a handful of generated JPEGs: crop/resize/dequantise/logit, dir and zip inputs,
// bounded streaming output, skip without a directory, typed errors.
import { describe, expect, test } from '@jest/globals';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { prepareCeleba } from '../../../src/data/celeba/prepare.ts';
import { DataSourceError } from '../../../src/data/errors.ts';
import { inverseLogitTransform } from '../../../src/data/transform.ts';
import { readNpy } from '../../../src/io/npy.ts';
import { run } from '../../../stages/celeba.ts';
import { makeTestContext, TestStageSkipped } from '../../helpers/stage-context.ts';
import { writeCelebaFixture } from '../../fixtures/data/celeba-fixture.ts';

const OUTS = { train: 'train.npy', logdet: 'logdet.npy', meta: 'meta.json' };
const imagesDir = mkdtempSync(join(tmpdir(), 'celeba-imgs-'));
const namesPromise = writeCelebaFixture(imagesDir, 5);

function stageCtx(celeba: Record<string, string | number>) {
  return makeTestContext({
    stage: 'celeba',
    seed: 3,
    outs: OUTS,
    params: { celeba: { dir: imagesDir, max_images: 0, image_size: 64, space: 'logit', lambda: 1e-6, ...celeba } },
  });
}

async function zipOf(dir: string, names: string[]): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'celeba-zip-')), 'img_align_celeba.zip');
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.alloc(0), 'img_align_celeba/notes.txt');
  for (const n of [...names].reverse()) zip.addFile(join(dir, n), `img_align_celeba/${n}`); // order in the zip ≠ name order
  zip.end();
  await new Promise<void>((ok, fail) => zip.outputStream.pipe(createWriteStream(file)).on('close', () => ok()).on('error', fail));
  return file;
}

describe('stage celeba', () => {
  test('writes float32 [N,64,64,3]: the crop drops the top/bottom bands, left dark, right green', async () => {
    await namesPromise;
    const ctx = stageCtx({});
    await run(ctx);
    const train = readNpy(join(ctx.outDir, OUTS.train));
    expect(train.shape).toEqual([5, 64, 64, 3]);
    expect(train.data).toBeInstanceOf(Float32Array);
    const pixel = (img: number, y: number, x: number, c: number) => inverseLogitTransform(train.data[((img * 64 + y) * 64 + x) * 3 + c], 1e-6) * 256;
    // top row: no red band (it was cropped away); left region ≈ black, right ≈ the image's green shade
    expect(pixel(0, 0, 5, 0)).toBeLessThan(40); // ≈255 if the red band were kept (lanczos + JPEG leave a little)
    expect(pixel(0, 63, 5, 2)).toBeLessThan(40);
    expect(pixel(0, 32, 5, 1)).toBeLessThan(12);
    expect(pixel(0, 32, 58, 1)).toBeGreaterThan(150);
    expect(pixel(0, 32, 58, 1)).toBeLessThan(190);
    expect(pixel(4, 32, 58, 1)).toBeGreaterThan(210); // image 5 is brighter: file-name order kept
    const logdet = readNpy(join(ctx.outDir, OUTS.logdet));
    expect(logdet.shape).toEqual([5]);
    expect(logdet.data[0]).toBeGreaterThan(64 * 64 * 3 * Math.log(4));
    const meta = JSON.parse(readFileSync(join(ctx.outDir, OUTS.meta), 'utf8'));
    expect(meta).toMatchObject({ space: 'logit', counts: { images: 5 }, source: { kind: 'dir', images_found: 5, first: '000001.jpg' } });
    expect(ctx.progressEvents.at(-1)?.fraction).toBe(1);
  });

  test('without celeba.dir the stage skips itself with a message saying how to enable it', async () => {
    await expect(run(stageCtx({ dir: '' }))).rejects.toThrow(TestStageSkipped);
    await expect(run(stageCtx({ dir: '' }))).rejects.toThrow(/set params\.celeba\.dir/);
  });

  test('a configured but missing directory fails (it is not a skip)', async () => {
    await expect(run(stageCtx({ dir: join(imagesDir, 'nope') }))).rejects.toThrow(DataSourceError);
  });
});

describe('prepareCeleba', () => {
  const base = { maxImages: 0, size: 16, space: 'pixel' as const, lambda: 1e-6, seed: 9 };

  test('zip and directory inputs give identical bytes; the batch size does not change them; max_images takes the first', async () => {
    const names = await namesPromise;
    const out = mkdtempSync(join(tmpdir(), 'celeba-out-'));
    const fromDir = await prepareCeleba({ ...base, source: imagesDir, outPath: join(out, 'dir.npy'), batch: 16 });
    const fromZip = await prepareCeleba({ ...base, source: await zipOf(imagesDir, names), outPath: join(out, 'zip.npy'), batch: 2 });
    expect(fromDir.count).toBe(5);
    expect(readFileSync(join(out, 'dir.npy')).equals(readFileSync(join(out, 'zip.npy')))).toBe(true);
    expect(fromZip.description).toMatchObject({ source: { kind: 'zip', images_found: 5, first: 'img_align_celeba/000001.jpg' } });
    const three = await prepareCeleba({ ...base, maxImages: 3, source: imagesDir, outPath: join(out, 'three.npy') });
    expect(three.count).toBe(3);
    const all = readNpy(join(out, 'dir.npy')).data;
    expect(Array.from(readNpy(join(out, 'three.npy')).data)).toEqual(Array.from(all.subarray(0, 3 * 16 * 16 * 3)));
    expect(Math.min(...all)).toBeGreaterThan(0);
    expect(Math.max(...all)).toBeLessThan(1);
  });

  test('a corrupt JPEG is a DataSourceError naming it, and no partial .npy is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeba-bad-'));
    await writeCelebaFixture(dir, 2);
    writeFileSync(join(dir, '000003.jpg'), Buffer.from('not a jpeg'));
    const out = mkdtempSync(join(tmpdir(), 'celeba-out-'));
    const p = prepareCeleba({ ...base, source: dir, outPath: join(out, 'x.npy') });
    await expect(p).rejects.toThrow(DataSourceError);
    await expect(prepareCeleba({ ...base, source: dir, outPath: join(out, 'x.npy') })).rejects.toThrow(/000003\.jpg: expected a decodable image/);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'x.npy'))).toBe(false);
  });
});
