import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { StoreError } from '../../../../src/pipeline/errors.ts';
import { emptyLock, readLock, writeLock, type LockFile } from '../../../../src/pipeline/store/lock-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lockPath = join(dir, 'pipeline.lock');
const state = join(dir, '.pipeline');

const lock: LockFile = {
  schema: 1,
  profiles: {
    smoke: { 'b[k=1]': { fingerprint: 'ff', status: 'skipped', reason: 'no data', outs: {}, duration_s: 0.5, details: { engine: 1, kind: 'module', code: {}, packages: {}, params: { k: 1 }, seed: 3, inputs: {}, outs: {} } } },
    quick: { a: { fingerprint: 'ee', status: 'ok', entry: 'e1', outs: { out: { path: 'a.txt', sha256: 'aa', size: 1 } }, duration_s: 1.25, details: { engine: 1, kind: 'cmd', cmd: 'echo', code: {}, packages: {}, params: {}, seed: 1, inputs: {}, outs: { out: 'a.txt' } } } },
  },
};

describe('pipeline.lock', () => {
  test('round-trips as readable YAML with a schema version, profiles sorted', async () => {
    await writeLock(lockPath, state, lock);
    const text = readFileSync(lockPath, 'utf8');
    expect(text).toMatch(/^# Written by the pipeline engine/);
    expect(text.indexOf('quick:')).toBeLessThan(text.indexOf('smoke:'));
    expect(parse(text)).toEqual(lock);
    rmSync(join(state, 'lock-mirror.json'));
    expect(await readLock(lockPath, state)).toEqual(lock);
  });

  test('uses the JSON mirror while the lock is untouched, and the YAML once it is edited', async () => {
    await writeLock(lockPath, state, lock);
    expect(await readLock(lockPath, state)).toEqual(lock);
    const edited = readFileSync(lockPath, 'utf8').replace('fingerprint: ee', 'fingerprint: e2');
    writeFileSync(lockPath, edited);
    expect((await readLock(lockPath, state)).profiles.quick.a.fingerprint).toBe('e2');
  });

  test('a missing lock or another schema reads as empty; garbage is a StoreError', async () => {
    expect(await readLock(join(dir, 'none.lock'), state)).toEqual(emptyLock());
    writeFileSync(join(dir, 'old.lock'), 'schema: 0\nprofiles: {}\n');
    expect(await readLock(join(dir, 'old.lock'), state)).toEqual(emptyLock());
    writeFileSync(join(dir, 'bad.lock'), 'schema: [1\n');
    await expect(readLock(join(dir, 'bad.lock'), state)).rejects.toThrow(StoreError);
  });
});
