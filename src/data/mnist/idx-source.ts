// MNIST from the four idx files in a directory: a user's own copy (`source: dir`) or the verified
// downloads in data/mnist (`source: download`). `.gz` or uncompressed names are both accepted.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSourceError, IdxFormatError } from '../errors.ts';
import { md5OfBuffer } from '../md5.ts';
import { MNIST_FILES, type MnistFile, type MnistSplit } from './files.ts';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, maybeGunzip, parseIdx } from './idx.ts';
import { MNIST_PIXELS, type MnistData, type MnistFileRecord, type MnistSplitData } from './types.ts';

export const FULL_MNIST_TRAIN = 60_000;
export const FULL_MNIST_TEST = 10_000;

/** Finds `<name>` or `<name without .gz>` in dir. */
export function locateMnistFile(dir: string, file: MnistFile): string {
  const candidates = [file.name, file.name.replace(/\.gz$/, '')].map((n) => join(resolve(dir), n));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new DataSourceError(resolve(dir), `missing ${file.name} (looked for ${candidates.join(' or ')})`);
  return found;
}

export function loadMnistIdxDir(dir: string, source: 'dir' | 'download', urls: Record<string, string> = {}): MnistData {
  const records: MnistFileRecord[] = [];
  const read = (split: MnistSplit): MnistSplitData => {
    const parts = MNIST_FILES.filter((f) => f.split === split).map((f) => {
      const path = locateMnistFile(dir, f);
      const raw = readFileSync(path);
      const md5 = md5OfBuffer(raw);
      records.push({ name: f.name, path, md5, md5_matches_known: md5 === f.md5, ...(urls[f.name] ? { url: urls[f.name] } : {}) });
      return { f, path, idx: parseIdx(maybeGunzip(raw, path), path, f.kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC) };
    });
    const img = parts.find((p) => p.f.kind === 'images')!;
    const lab = parts.find((p) => p.f.kind === 'labels')!;
    if (img.idx.dims[0] !== lab.idx.dims[0]) {
      throw new IdxFormatError(lab.path, `label count (must match ${img.path})`, img.idx.dims[0], lab.idx.dims[0]);
    }
    const bad = lab.idx.data.findIndex((v) => v > 9);
    if (bad >= 0) throw new IdxFormatError(lab.path, `label #${bad}`, '0..9', lab.idx.data[bad]);
    return { images: img.idx.data, labels: lab.idx.data, count: img.idx.data.length / MNIST_PIXELS };
  };
  const train = read('train');
  const test = read('test');
  const full = train.count === FULL_MNIST_TRAIN && test.count === FULL_MNIST_TEST;
  const unverified = records.filter((r) => !r.md5_matches_known).map((r) => r.name);
  const notes: string[] = [];
  if (!full) notes.push(`the files hold ${train.count} training / ${test.count} test images, not 60,000 / 10,000`);
  if (unverified.length) notes.push(`MD5 differs from the published one for ${unverified.join(', ')}`);
  return {
    train,
    test,
    provenance: {
      source,
      // Full MNIST only when the counts are right AND every file is the published one.
      full_mnist: full && unverified.length === 0,
      ...(notes.length ? { reason: notes.join('; ') } : {}),
      files: records,
      train_images: train.count,
      test_images: test.count,
    },
  };
}
