// A .npy file written row block by row block, for arrays too big to hold (CelebA: 202,599 ×
// 64×64×3 float32 ≈ 10 GB). The header (with the final shape) goes first, the data is appended,
// and the file appears under its name only after close() found exactly the promised count.
// Lives in src/data because it is only used here; src/io/npy.ts holds the codec and the header.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempSibling } from '../io/atomic.ts';
import { npyHeader } from '../io/npy.ts';
import { DataError } from './errors.ts';

export class NpyStreamWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private written = 0;
  private done = false;
  readonly expected: number;

  constructor(
    readonly path: string,
    readonly shape: number[],
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.expected = shape.reduce((a, b) => a * b, 1);
    this.tmp = tempSibling(path);
    this.fd = openSync(this.tmp, 'w');
    writeSync(this.fd, npyHeader('<f4', shape));
  }

  append(values: Float32Array): void {
    if (this.written + values.length > this.expected) {
      this.abort();
      throw new DataError(this.path, `more values than the header's shape [${this.shape}] holds: ${this.written + values.length} > ${this.expected}`);
    }
    writeSync(this.fd, values, 0, values.byteLength);
    this.written += values.length;
  }

  close(): void {
    if (this.done) return;
    if (this.written !== this.expected) {
      this.abort();
      throw new DataError(this.path, `expected ${this.expected} values for shape [${this.shape}], wrote ${this.written}`);
    }
    closeSync(this.fd);
    this.done = true;
    renameSync(this.tmp, this.path);
  }

  /** Drop the partial file (after an error). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}
