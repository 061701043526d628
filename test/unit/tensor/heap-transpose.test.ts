import { describe, expect, it } from '@jest/globals';
import { transposeLastTwo } from '../../../src/tensor/heap-transpose.ts';

describe('transposeLastTwo', () => {
  it('swaps the last two axes of every batch element, across tile boundaries', () => {
    const [batch, rows, cols] = [2, 37, 70]; // not multiples of the 32 tile
    const src = Float32Array.from({ length: batch * rows * cols }, (_, i) => i);
    const dst = new Float32Array(src.length);
    transposeLastTwo(src, dst, batch, rows, cols);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          expect(dst[b * rows * cols + j * rows + i]).toBe(src[b * rows * cols + i * cols + j]);
        }
      }
    }
  });

  it('honours element offsets into larger arrays', () => {
    const src = new Float32Array([9, 9, 1, 2, 3, 4, 5, 6]);
    const dst = new Float32Array(10);
    transposeLastTwo(src, dst, 1, 2, 3, 2, 4);
    expect(Array.from(dst)).toEqual([0, 0, 0, 0, 1, 4, 2, 5, 3, 6]);
  });

  it('refuses shapes that do not fit', () => {
    expect(() => transposeLastTwo(new Float32Array(5), new Float32Array(6), 1, 2, 3)).toThrow(RangeError);
  });
});
