import { afterAll, describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageFailedError } from '../../../../src/pipeline/errors.ts';
import { FileHasher } from '../../../../src/pipeline/fingerprint/file-hasher.ts';
import { ArtifactStore } from '../../../../src/pipeline/store/artifact-store.ts';
import { collectGarbage } from '../../../../src/pipeline/store/gc.ts';
import { instanceKey, layoutFor } from '../../../../src/pipeline/store/layout.ts';
import { emptyLock } from '../../../../src/pipeline/store/lock-file.ts';
import { pointView, pruneMatrixViews, viewPath } from '../../../../src/pipeline/store/views.ts';

const root = mkdtempSync(join(tmpdir(), 'store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const layout = layoutFor(root);
const store = new ArtifactStore(layout, new FileHasher(null));

function stageWrites(files: Record<string, string>): string {
  const dir = store.createTempOutDir();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

describe('ArtifactStore', () => {
  test('publishes exactly the declared outs, read-only, addressed by the manifest hash', () => {
    const tmp = stageWrites({ 'a.txt': 'A', 'sub/b.bin': 'BB', 'stray.log': 'x' });
    const res = store.publish('s', tmp, { a: 'a.txt', b: 'sub/b.bin' });
    expect(res.outs.a).toEqual({ path: 'a.txt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 1 });
    expect(res.undeclared).toEqual(['stray.log']);
    const dir = store.entryPath(res.entry);
    expect(dir).toBe(join(root, 'artifacts/.store', res.entry.slice(0, 2), res.entry));
    expect(readFileSync(join(dir, 'sub/b.bin'), 'utf8')).toBe('BB');
    expect(existsSync(join(dir, 'stray.log'))).toBe(false);
    expect(lstatSync(join(dir, 'a.txt')).mode & 0o222).toBe(0);
    expect(readdirSync(layout.tmp)).toEqual([]); // temp dir gone
    expect(store.check(res.entry, res.outs).ok).toBe(true);
  });

  test('a missing declared out fails the stage and publishes nothing', () => {
    const tmp = stageWrites({ 'a.txt': 'A' });
    const before = store.listEntries().length;
    expect(() => store.publish('s', tmp, { a: 'a.txt', b: 'b.txt' })).toThrow(StageFailedError);
    expect(() => store.publish('s', tmp, { a: 'a.txt', b: 'b.txt' })).toThrow(/did not write out 'b' \(b\.txt\)/);
    expect(store.listEntries().length).toBe(before);
    store.removeTemp(tmp); // what the runner does with a failed job's temp dir
    expect(readdirSync(layout.tmp)).toEqual([]);
  });

  test('identical outputs share one entry; a corrupt existing entry is replaced on republish', () => {
    const first = store.publish('s', stageWrites({ 'x.txt': 'same' }), { x: 'x.txt' });
    const second = store.publish('s', stageWrites({ 'x.txt': 'same' }), { x: 'x.txt' });
    expect(second.entry).toBe(first.entry);
    const file = join(store.entryPath(first.entry), 'x.txt');
    chmodSync(file, 0o644);
    writeFileSync(file, 'SAME');
    expect(store.check(first.entry, first.outs, true)).toEqual({ ok: false, missing: [], corrupt: ['x'] });
    store.publish('s', stageWrites({ 'x.txt': 'same' }), { x: 'x.txt' });
    expect(readFileSync(file, 'utf8')).toBe('same');
  });

  test('check reports missing files', () => {
    const res = store.publish('s', stageWrites({ 'm.txt': 'm' }), { m: 'm.txt' });
    rmSync(join(store.entryPath(res.entry), 'm.txt'), { force: true });
    expect(store.check(res.entry, res.outs)).toEqual({ ok: false, missing: ['m'], corrupt: [] });
  });

  test('gc keeps referenced entries and removes the rest and temp leftovers', () => {
    const keep = store.publish('s', stageWrites({ 'k.txt': 'keep' }), { k: 'k.txt' });
    store.createTempOutDir(); // a killed run's leftover
    const lock = emptyLock();
    lock.profiles.quick = { s: { fingerprint: 'f', status: 'ok', entry: keep.entry, outs: keep.outs, duration_s: 0, details: {} as never } };
    const res = collectGarbage(store, lock);
    expect(res.keptEntries).toBe(1);
    expect(res.removedEntries.length).toBeGreaterThan(0);
    expect(res.removedTemp.length).toBe(1);
    expect(store.listEntries()).toEqual([keep.entry]);
  });
});

describe('views', () => {
  test('a stage view is a relative symlink to its entry, swapped in place; matrix views live in a directory', () => {
    const a = store.publish('v', stageWrites({ 'o.txt': '1' }), { o: 'o.txt' });
    const b = store.publish('v', stageWrites({ 'o.txt': '2' }), { o: 'o.txt' });
    const inst = { id: 'v', stage: 'v', matrix: {} };
    pointView(layout, inst, store.entryPath(a.entry));
    expect(readFileSync(join(viewPath(layout, inst), 'o.txt'), 'utf8')).toBe('1');
    expect(readlinkSync(viewPath(layout, inst))).toMatch(/^\.store\//);
    pointView(layout, inst, store.entryPath(b.entry));
    expect(readFileSync(join(root, 'artifacts/v/o.txt'), 'utf8')).toBe('2');

    const m1 = { id: 'w[k=1,s=x]', stage: 'w', matrix: { k: 1, s: 'x' } };
    const m2 = { id: 'w[k=2,s=x]', stage: 'w', matrix: { k: 2, s: 'x' } };
    expect(instanceKey(m1)).toBe('k=1,s=x');
    pointView(layout, m1, store.entryPath(a.entry));
    pointView(layout, m2, store.entryPath(b.entry));
    expect(readFileSync(join(root, 'artifacts/w/k=2,s=x/o.txt'), 'utf8')).toBe('2');
    pruneMatrixViews(layout, 'w', [m2]);
    expect(readdirSync(join(root, 'artifacts/w'))).toEqual(['k=2,s=x']);
    pointView(layout, m2, null);
    expect(readdirSync(join(root, 'artifacts/w'))).toEqual([]);
  });

  test('instance keys are filesystem-safe', () => {
    expect(instanceKey({ id: 's[path=a/b]', stage: 's' })).toBe('path=a%2fb');
    expect(instanceKey({ id: 's', stage: 's' })).toBe('');
  });
});
