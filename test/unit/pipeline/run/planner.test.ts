import { describe, expect, test } from '@jest/globals';
import { fingerprintOf, type FingerprintDetails } from '../../../../src/pipeline/fingerprint/fingerprint.ts';
import { decide, diffDetails } from '../../../../src/pipeline/run/planner.ts';
import { formatReason, isStale, reasonLines } from '../../../../src/pipeline/run/reason.ts';
import type { LockRecord } from '../../../../src/pipeline/store/lock-file.ts';

const details: FingerprintDetails = {
  engine: 1,
  kind: 'module',
  code: { 'stages/s.ts': 'a1', 'src/x.ts': 'b1', 'src/gone.ts': 'c1' },
  packages: { yaml: '2.9.1' },
  params: { 'mnist.train_size': 2000, k: 1 },
  seed: 7,
  inputs: { up: { outs: { train: 't1', meta: 'm1' } }, other: { outs: { out: 'o1' } } },
  outs: { out: 'o.txt' },
};
const record = (d: FingerprintDetails): LockRecord => ({ fingerprint: fingerprintOf(d).value, status: 'ok', entry: 'e', outs: {}, duration_s: 1, details: d });
const ok = { ok: true, missing: [], corrupt: [] };

describe('decide', () => {
  test('same fingerprint and intact outputs: up to date', () => {
    const r = decide({ record: record(details), fingerprint: fingerprintOf(details), outputs: ok, forced: false });
    expect(isStale(r)).toBe(false);
    expect(formatReason(r)).toBe('up to date');
  });

  test('no record', () => {
    const r = decide({ fingerprint: fingerprintOf(details), forced: false });
    expect(r).toEqual({ noRecord: true });
    expect(formatReason(r)).toMatch(/never ran/);
  });

  test('forced, and damaged outputs', () => {
    expect(decide({ record: record(details), fingerprint: fingerprintOf(details), outputs: ok, forced: true }).forced).toBe(true);
    const r = decide({ record: record(details), fingerprint: fingerprintOf(details), outputs: { ok: false, missing: ['a'], corrupt: ['b'] }, forced: false });
    expect(r).toEqual({ outputsMissing: ['a'], outputsCorrupt: ['b'] });
  });

  test('explains exactly which file, param, input and package changed', () => {
    const now: FingerprintDetails = {
      ...details,
      code: { 'stages/s.ts': 'a1', 'src/x.ts': 'b2', 'src/new.ts': 'd1' },
      params: { 'mnist.train_size': 0, k: 1 },
      inputs: { up: { outs: { train: 't2', meta: 'm1' } }, other: { skipped: 'no data' } },
      packages: { yaml: '2.9.2' },
    };
    const r = decide({ record: record(details), fingerprint: fingerprintOf(now), forced: false });
    expect(r.codeChanged).toEqual({ modified: ['src/x.ts'], added: ['src/new.ts'], removed: ['src/gone.ts'] });
    expect(r.paramsChanged).toEqual([{ key: 'mnist.train_size', old: 2000, new: 0 }]);
    expect(r.inputsChanged).toEqual([
      { upstream: 'up', change: 'outs', outs: ['train'] },
      { upstream: 'other', change: 'skipped' },
    ]);
    expect(r.packagesChanged).toEqual([{ name: 'yaml', old: '2.9.1', new: '2.9.2' }]);
    const lines = reasonLines(r);
    expect(lines).toContain('code changed: modified src/x.ts; now imports src/new.ts; no longer imports src/gone.ts');
    expect(lines).toContain('param mnist.train_size changed: 2000 → 0');
    expect(lines).toContain('input up: out train changed');
    expect(lines).toContain('input other: skipped itself');
    expect(lines).toContain('npm package yaml: 2.9.1 → 2.9.2');
  });

  test('engine, seed and declared outs changes are named', () => {
    const r = diffDetails(details, { ...details, engine: 2, seed: 8, outs: { out: 'p.txt' } });
    expect(r).toEqual({ engineChanged: { old: 1, new: 2 }, seedChanged: { old: 7, new: 8 }, outsDeclChanged: [{ name: 'out', old: 'o.txt', new: 'p.txt' }] });
  });

  test('a record without details still reruns, saying the fingerprint changed', () => {
    const r = decide({ record: { ...record(details), fingerprint: 'old', details: undefined as never }, fingerprint: fingerprintOf(details), forced: false });
    expect(r.fingerprintChanged).toBe(true);
  });

  test('upstream pending is reported (dry runs)', () => {
    const r = decide({ record: record(details), fingerprint: fingerprintOf(details), outputs: ok, forced: false, upstreamPending: ['up'] });
    expect(formatReason(r)).toBe('upstream must run first: up');
  });
});
