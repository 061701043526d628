import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centreSquare } from '../../../src/data/celeba/crop-resize.ts';
import { NpyStreamWriter } from '../../../src/data/npy-stream-writer.ts';
import { encodeNpy, readNpy } from '../../../src/io/npy.ts';

describe('NpyStreamWriter', () => {
  test('blocks appended after the header give the same bytes as the in-memory encoder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npys-'));
    const data = Float32Array.from({ length: 4 * 2 * 2 * 3 }, (_, i) => i / 7);
    const w = new NpyStreamWriter(join(dir, 'a.npy'), [4, 2, 2, 3]);
    w.append(data.subarray(0, 12));
    w.append(data.subarray(12, 36));
    expect(existsSync(join(dir, 'a.npy'))).toBe(false); // not before close
    w.append(data.subarray(36));
    w.close();
    expect(readFileSync(join(dir, 'a.npy')).equals(encodeNpy({ data, shape: [4, 2, 2, 3] }))).toBe(true);
    expect(readNpy(join(dir, 'a.npy')).shape).toEqual([4, 2, 2, 3]);
  });

  test('too few or too many values: an error, and no file (or temp) is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npys-'));
    const few = new NpyStreamWriter(join(dir, 'b.npy'), [2, 3]);
    few.append(new Float32Array(5));
    expect(() => few.close()).toThrow(/b\.npy: expected 6 values for shape \[2,3\], wrote 5/);
    const many = new NpyStreamWriter(join(dir, 'c.npy'), [2]);
    expect(() => many.append(new Float32Array(3))).toThrow(/more values than the header's shape/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('centreSquare', () => {
  test('aligned CelebA 178×218 → the 178×178 square starting at row 20; landscape crops columns', () => {
    expect(centreSquare(178, 218)).toEqual({ left: 0, top: 20, side: 178 });
    expect(centreSquare(300, 200)).toEqual({ left: 50, top: 0, side: 200 });
    expect(centreSquare(64, 64)).toEqual({ left: 0, top: 0, side: 64 });
  });
});
