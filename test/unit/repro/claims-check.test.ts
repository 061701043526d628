import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkClaims, judgeClaims } from '../../../src/repro/claims-check.ts';
import { backendOfOuts, nondeterministicBackend } from '../../../src/repro/backend-determinism.ts';
import type { FreshRun } from '../../../src/pipeline/repro/repro-check.ts';
import type { Plan, StageInstance } from '../../../src/pipeline/plan-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'claims-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('judgeClaims', () => {
  test('a failing claim fails the check and is named with measured and expected; skipped and not measured are listed', () => {
    const r = judgeClaims([
      { id: 'lemma1', status: 'pass' },
      { id: 'theorem1', status: 'fail', measured: 0.0312345, expected: '≤ 0.02', why: 'too far' },
      { id: 'celeba', status: 'skipped', why: 'no CelebA' },
      { id: 'fig2', status: 'missing', why: 'fig1.x is not in results.json' },
    ]);
    expect(r.ok).toBe(false);
    expect(r.summary).toBe('claims 1/3 ✓, 1 ✗ (theorem1), 1 not measured, 1 skipped');
    expect(r.lines).toEqual([
      '✗ claim theorem1: measured 0.03123, expected ≤ 0.02 (too far)',
      '? claim fig2: not measured (fig1.x is not in results.json)',
      '- claim celeba: skipped (no CelebA)',
    ]);
  });
  test('all pass (skips allowed) is ok', () => {
    expect(judgeClaims([{ id: 'a', status: 'pass' }, { id: 'b', status: 'skipped' }])).toMatchObject({ ok: true, summary: 'claims 1/1 ✓, 1 skipped' });
  });
});

describe('checkClaims on a fresh run', () => {
  const inst = (stage: string, outs: Record<string, string>): StageInstance => ({
    id: stage, stage, matrix: {}, params: {}, deps: [],
    spec: { name: stage, code: [], deps: [], params: [], matrix: [], outs, resources: { cpus: 1 }, volatile: [], pos: { file: 'pipeline.yaml', line: 1, col: 1 } },
  });
  const fresh = (instances: StageInstance[], records: FreshRun['records'], files: Record<string, string>): FreshRun => ({
    root: dir,
    plan: { root: dir, file: join(dir, 'pipeline.yaml'), profile: 'smoke', seed: 0, instances, byId: new Map(instances.map((i) => [i.id, i])) } as Plan,
    records,
    outPath: (id, out) => files[`${id}.${out}`],
  });
  const rec = { fingerprint: 'f', status: 'ok' as const, entry: 'e', outs: {}, duration_s: 1, details: { engine: 1, kind: 'module' as const, code: {}, packages: {}, params: {}, seed: 0, inputs: {}, outs: {} } };

  test('no report stage: says so and does not fail', () => {
    expect(checkClaims(fresh([inst('mnist', { meta: 'meta.json' })], {}, {}))).toMatchObject({ ok: true, summary: 'claims not checked (no report stage)' });
  });
  test('report stage present: its results.json claims decide; a missing run fails', () => {
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify({ claims: [{ id: 'a', status: 'pass' }, { id: 'b', status: 'fail', measured: 2, expected: '< 1' }] }));
    const report = inst('report', { results: 'results.json', html: 'index.html' });
    expect(checkClaims(fresh([report], { report: rec }, { 'report.results': file }))).toMatchObject({ ok: false, summary: 'claims 1/2 ✓, 1 ✗ (b)' });
    expect(checkClaims(fresh([report], {}, {}))).toMatchObject({ ok: false, summary: 'claims: report did not run' });
  });
});

describe('backend determinism', () => {
  test('reads provenance.backend.name from JSON outs; only tensorflow is treated as not bit-deterministic', () => {
    const tf = join(dir, 'meta-tf.json');
    const wasm = join(dir, 'meta-wasm.json');
    writeFileSync(tf, JSON.stringify({ provenance: { backend: { name: 'tensorflow' } } }));
    writeFileSync(wasm, JSON.stringify({ provenance: { backend: { name: 'wasm' } } }));
    expect(backendOfOuts({ x: join(dir, 'none.npy'), meta: tf })).toBe('tensorflow');
    expect(nondeterministicBackend({ meta: tf })).toBe('tensorflow');
    expect(nondeterministicBackend({ meta: wasm })).toBeUndefined();
    expect(nondeterministicBackend({})).toBeUndefined();
  });
});
