import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, readNpy, writeNpy, NpyFormatError } from '../../../src/io/npy.ts';

describe('npy', () => {
  it('round-trips every supported dtype with its shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    for (const data of [new Float32Array([1.5, -2, 3, 4, 5, 6]), new Float64Array([Math.PI, 2, 3, 4, 5, 6]), new Int32Array([1, -2, 3, 4, 5, 6]), new Uint8Array([0, 255, 3, 4, 5, 6])]) {
      const p = join(dir, `${data.constructor.name}.npy`);
      writeNpy(p, { data, shape: [2, 3] });
      const back = readNpy(p);
      expect(back.shape).toEqual([2, 3]);
      expect(back.data.constructor).toBe(data.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('writes the header numpy expects, padded to 64 bytes', () => {
    const buf = encodeNpy({ data: new Float32Array(784 * 2), shape: [2, 784] });
    const headerLen = buf.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(buf.subarray(10, 10 + headerLen).toString('latin1')).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 784\), \}\s*\n$/);
    expect(decodeNpy(encodeNpy({ data: new Float64Array(3), shape: [3] })).shape).toEqual([3]);
  });

  it('names the file and the byte counts when a file is truncated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const p = join(dir, 'cut.npy');
    writeNpy(p, { data: new Float32Array(10), shape: [10] });
    writeFileSync(p, readFileSync(p).subarray(0, 100));
    expect(() => readNpy(p)).toThrow(NpyFormatError);
    expect(() => readNpy(p)).toThrow(/cut\.npy.*expected 40 data bytes.*found/);
  });
});
