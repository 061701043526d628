import { afterAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileHasher } from '../../../../src/pipeline/fingerprint/file-hasher.ts';

const dir = mkdtempSync(join(tmpdir(), 'hasher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('FileHasher', () => {
  test('hashes content, serves unchanged files from the persisted stat cache, rehashes changed ones', () => {
    const file = join(dir, 'a.txt');
    const cache = join(dir, 'cache.json');
    writeFileSync(file, 'hello');
    const h1 = new FileHasher(cache);
    expect(h1.hash(file)).toEqual({ sha256: sha('hello'), size: 5 });
    expect(h1.hashedCount).toBe(1);
    h1.save();

    const h2 = new FileHasher(cache);
    expect(h2.hash(file)?.sha256).toBe(sha('hello'));
    expect(h2.hashedCount).toBe(0);

    writeFileSync(file, 'hello, world');
    expect(h2.hash(file)?.sha256).toBe(sha('hello, world'));
    expect(h2.hashedCount).toBe(1);
  });

  test('verify mode ignores the cache', () => {
    const file = join(dir, 'b.txt');
    const cache = join(dir, 'cache-b.json');
    writeFileSync(file, 'x');
    const h = new FileHasher(cache);
    h.hash(file);
    h.save();
    const v = new FileHasher(cache, true);
    v.hash(file);
    expect(v.hashedCount).toBe(1);
  });

  test('missing files and directories hash to null', () => {
    const h = new FileHasher(null);
    expect(h.hash(join(dir, 'nope'))).toBeNull();
    expect(h.hash(dir)).toBeNull();
  });
});
