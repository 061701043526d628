import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../../../src/io/npy.ts';
import {
  closeEnough,
  compareCsvText,
  compareFilesNumerically,
  compareJsonValues,
  compareNpyBuffers,
  parseCsvRows,
  REPRO_TOLERANCE,
} from '../../../../src/pipeline/repro/numeric-compare.ts';

describe('closeEnough', () => {
  test('relative tolerance scales with magnitude; NaN only equals NaN; infinities must match', () => {
    expect(REPRO_TOLERANCE.rtol).toBe(1e-3);
    expect(closeEnough(1000, 1000.9)).toBe(true);
    expect(closeEnough(1000, 1001.1)).toBe(false);
    expect(closeEnough(1e-3, 1.0009e-3)).toBe(true);
    expect(closeEnough(0, 1e-10)).toBe(true); // atol keeps exact zeros from failing on dust
    expect(closeEnough(0, 1e-6)).toBe(false);
    expect(closeEnough(NaN, NaN)).toBe(true);
    expect(closeEnough(NaN, 1)).toBe(false);
    expect(closeEnough(Infinity, Infinity)).toBe(true);
    expect(closeEnough(Infinity, 1e308)).toBe(false);
  });
});

describe('compareJsonValues', () => {
  test('numbers within tolerance pass and report the largest relative difference', () => {
    const r = compareJsonValues({ elbo: -100.0, curve: [1, 2, 3], backend: 'tensorflow' }, { elbo: -100.05, curve: [1, 2.001, 3], backend: 'tensorflow' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.maxRelDiff).toBeCloseTo(5e-4, 6);
  });
  test('the first difference beyond tolerance is located by its path', () => {
    const r = compareJsonValues({ a: { curve: [1, 2, 3] } }, { a: { curve: [1, 2.5, 3] } });
    expect(r).toMatchObject({ ok: false, where: 'a.curve[1]', a: '2', b: '2.5' });
  });
  test('strings, keys and lengths must match exactly', () => {
    expect(compareJsonValues({ s: 'wasm' }, { s: 'cpu' })).toMatchObject({ ok: false, where: 's', why: 'values differ' });
    expect(compareJsonValues({ a: 1 }, { a: 1, b: 2 })).toMatchObject({ ok: false, why: 'objects have different keys' });
    expect(compareJsonValues([1, 2], [1, 2, 3])).toMatchObject({ ok: false, why: 'arrays differ in length' });
    expect(compareJsonValues({ a: null }, { a: 0 })).toMatchObject({ ok: false, where: 'a' });
  });
});

describe('CSV', () => {
  test('parses quoted fields with commas, doubled quotes and CRLF', () => {
    expect(parseCsvRows('a,"b,c","say ""hi"""\r\n1,2,3\n')).toEqual([['a', 'b,c', 'say "hi"'], ['1', '2', '3']]);
  });
  test('numeric cells within tolerance pass; text cells and row counts must match; columns named by the header', () => {
    expect(compareCsvText('k,elbo\n1,-100.0\n2,-90\n', 'k,elbo\n1,-100.01\n2,-90\n')).toMatchObject({ ok: true });
    expect(compareCsvText('k,elbo\n1,-100\n', 'k,elbo\n1,-101\n')).toMatchObject({ ok: false, where: 'row 1, column elbo', a: '-100', b: '-101' });
    expect(compareCsvText('k,name\n1,a\n', 'k,name\n1,b\n')).toMatchObject({ ok: false, why: 'cells differ' });
    expect(compareCsvText('k\n1\n', 'k\n1\n2\n')).toMatchObject({ ok: false, why: 'different number of rows' });
    expect(compareCsvText('x\n1e-3\n', 'x\n0.0010005\n')).toMatchObject({ ok: true });
  });
});

describe('.npy', () => {
  const npy = (data: Float32Array | Float64Array, shape: number[]) => encodeNpy({ data, shape });
  test('elementwise within tolerance; shape and dtype must match; first bad element named', () => {
    expect(compareNpyBuffers(npy(new Float32Array([1, 2, 3, 4]), [2, 2]), npy(new Float32Array([1, 2.0001, 3, 4]), [2, 2]))).toMatchObject({ ok: true });
    expect(compareNpyBuffers(npy(new Float32Array([1, 2, 3, 4]), [2, 2]), npy(new Float32Array([1, 2, 3.5, 4]), [2, 2]))).toMatchObject({ ok: false, where: 'element 2' });
    expect(compareNpyBuffers(npy(new Float32Array(4), [2, 2]), npy(new Float32Array(4), [4]))).toMatchObject({ ok: false, why: 'dtype or shape differ' });
    expect(compareNpyBuffers(npy(new Float32Array(4), [4]), npy(new Float64Array(4), [4]))).toMatchObject({ ok: false, why: 'dtype or shape differ' });
  });
});

describe('compareFilesNumerically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'numcmp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  test('dispatches on the extension; other kinds cannot be compared by value', () => {
    expect(compareFilesNumerically(write('a.json', '{"x": 1}'), write('b.json', '{"x": 1.0001}'))).toMatchObject({ ok: true });
    expect(compareFilesNumerically(write('a.csv', 'x\n1\n'), write('b.csv', 'x\n2\n'))).toMatchObject({ ok: false });
    expect(compareFilesNumerically(write('a.txt', '1'), write('b.txt', '1.0001'))).toBeUndefined();
    expect(compareFilesNumerically(write('c.json', '{'), write('d.json', '{}'))).toMatchObject({ ok: false, where: '(parse)' });
  });
});
