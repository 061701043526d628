import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IdxFormatError } from '../../../src/data/errors.ts';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, encodeIdx, parseIdx, readIdxFile } from '../../../src/data/mnist/idx.ts';

const pixels = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 256);
const images = encodeIdx(IDX_IMAGES_MAGIC, [3, 28, 28], pixels);

describe('idx parser', () => {
  test('reads dims and bytes of an images file and a labels file', () => {
    const a = parseIdx(images, 'x', IDX_IMAGES_MAGIC);
    expect(a.dims).toEqual([3, 28, 28]);
    expect(Array.from(a.data.subarray(780, 790))).toEqual(Array.from(pixels.subarray(780, 790)));
    const l = parseIdx(encodeIdx(IDX_LABELS_MAGIC, [4], Uint8Array.of(7, 0, 9, 1)), 'y', IDX_LABELS_MAGIC);
    expect(l.dims).toEqual([4]);
    expect(Array.from(l.data)).toEqual([7, 0, 9, 1]);
  });

  test('wrong magic (labels file read as images) names the file, expected and found', () => {
    const labels = encodeIdx(IDX_LABELS_MAGIC, [2], Uint8Array.of(1, 2));
    expect(() => parseIdx(labels, 'train-labels', IDX_IMAGES_MAGIC)).toThrow(
      new IdxFormatError('train-labels', 'magic number', 2051, 2049),
    );
  });

  test('a truncated file reports expected vs found data bytes', () => {
    const cut = images.subarray(0, images.length - 100);
    expect(() => parseIdx(cut, 'imgs.gz', IDX_IMAGES_MAGIC)).toThrow(/imgs\.gz: data bytes for dims \[3, 28, 28\]: expected 2352, found 2252/);
    expect(() => parseIdx(images.subarray(0, 6), 'imgs.gz', IDX_IMAGES_MAGIC)).toThrow(/header length: expected 16 bytes, found 6 bytes/);
  });

  test('trailing garbage and non-28×28 images are rejected', () => {
    expect(() => parseIdx(Buffer.concat([images, Buffer.from([1])]), 'f', IDX_IMAGES_MAGIC)).toThrow(/expected 2352, found 2353/);
    const odd = encodeIdx(IDX_IMAGES_MAGIC, [1, 27, 29], new Uint8Array(27 * 29));
    expect(() => parseIdx(odd, 'f', IDX_IMAGES_MAGIC)).toThrow(/image dimensions: expected 28×28, found 27×29/);
  });

  test('readIdxFile handles .gz and uncompressed files; a cut gzip stream is an IdxFormatError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    const gz = gzipSync(images);
    writeFileSync(join(dir, 'a.gz'), gz);
    writeFileSync(join(dir, 'a'), images);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 20));
    expect(readIdxFile(join(dir, 'a.gz'), IDX_IMAGES_MAGIC).data).toEqual(readIdxFile(join(dir, 'a'), IDX_IMAGES_MAGIC).data);
    expect(() => readIdxFile(join(dir, 'cut.gz'), IDX_IMAGES_MAGIC)).toThrow(IdxFormatError);
    expect(() => readIdxFile(join(dir, 'cut.gz'), IDX_IMAGES_MAGIC)).toThrow(/cut\.gz: gzip stream/);
  });
});
