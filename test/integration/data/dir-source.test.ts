import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSourceError, IdxFormatError } from '../../../src/data/errors.ts';
import { loadMnist } from '../../../src/data/mnist/load.ts';
import { makeMnistFixture, writeMnistFixture } from '../../fixtures/data/mnist-fixture.ts';

const fixture = makeMnistFixture(30, 10);
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-dir-'));
  writeMnistFixture(dir, fixture);
  return dir;
};

describe('source: dir', () => {
  test('reads .gz files, records MD5s, and does not claim full MNIST', async () => {
    const dir = fresh();
    const data = await loadMnist({ source: 'dir', dir, dataDir: '/nonexistent' });
    expect(data.train.count).toBe(30);
    expect(Array.from(data.train.labels)).toEqual(Array.from(fixture.trainLabels));
    expect(data.provenance.full_mnist).toBe(false);
    expect(data.provenance.reason).toMatch(/30 training \/ 10 test images, not 60,000 \/ 10,000/);
    expect(data.provenance.files?.map((f) => f.md5)).toEqual(Object.values(fixture.md5s));
  });

  test('accepts uncompressed idx files', async () => {
    const dir = fresh();
    const gz = join(dir, 'train-images-idx3-ubyte.gz');
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), gunzipSync(fixture.files['train-images-idx3-ubyte.gz']));
    rmSync(gz);
    const data = await loadMnist({ source: 'dir', dir, dataDir: '/nonexistent' });
    expect(Buffer.from(data.train.images).equals(Buffer.from(fixture.trainImages))).toBe(true);
  });

  test('a missing file, a label/image count mismatch, or a missing dir param are typed errors', async () => {
    const dir = fresh();
    renameSync(join(dir, 't10k-labels-idx1-ubyte.gz'), join(dir, 'elsewhere.gz'));
    await expect(loadMnist({ source: 'dir', dir, dataDir: '' })).rejects.toThrow(/missing t10k-labels-idx1-ubyte\.gz/);
    const dir2 = fresh();
    writeFileSync(join(dir2, 'train-labels-idx1-ubyte.gz'), makeMnistFixture(31, 10).files['train-labels-idx1-ubyte.gz']);
    await expect(loadMnist({ source: 'dir', dir: dir2, dataDir: '' })).rejects.toThrow(IdxFormatError);
    await expect(loadMnist({ source: 'dir', dir: dir2, dataDir: '' })).rejects.toThrow(/label count .*expected 30, found 31/);
    await expect(loadMnist({ source: 'dir', dataDir: '' })).rejects.toThrow(DataSourceError);
  });
});
