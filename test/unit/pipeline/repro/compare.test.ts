// compareRuns and compareToExpected on hand-made lock records and out files: the verdicts the
// repro check prints, including the by-value path for a backend that is not bit-deterministic.
import { afterAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FingerprintDetails } from '../../../../src/pipeline/fingerprint/fingerprint.ts';
import type { LockRecord } from '../../../../src/pipeline/store/lock-file.ts';
import { compareRuns, type InstanceShape, type RunResult } from '../../../../src/pipeline/repro/compare-runs.ts';
import { compareToExpected } from '../../../../src/pipeline/repro/compare-expected.ts';
import { reproVerdict, findingLines, renderTable } from '../../../../src/pipeline/repro/repro-report.ts';

const root = mkdtempSync(join(tmpdir(), 'repro-cmp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const details = (over: Partial<FingerprintDetails> = {}): FingerprintDetails => ({
  engine: 1, kind: 'module', code: { 'stages/x.ts': 'c1' }, packages: { yaml: '2.0.0' }, params: { 'mnist.train_size': 2000 }, seed: 7, inputs: {}, outs: { metrics: 'metrics.json' }, ...over,
});

/** A run whose store lives in root/<run>; `files` maps id → out name → contents. */
function run(name: string, files: Record<string, Record<string, string>>, detailsOf: (id: string) => FingerprintDetails = () => details()): RunResult {
  const records: Record<string, LockRecord> = {};
  for (const [id, outs] of Object.entries(files)) {
    const entry = `${name}-${id}`;
    const dir = join(root, name, entry);
    mkdirSync(dir, { recursive: true });
    const manifest: LockRecord['outs'] = {};
    for (const [out, text] of Object.entries(outs)) {
      const path = out === 'timing' ? 'timing.txt' : `${out}.json`;
      writeFileSync(join(dir, path), text);
      manifest[out] = { path, sha256: createHash('sha256').update(text).digest('hex'), size: text.length };
    }
    const d = detailsOf(id);
    records[id] = { fingerprint: createHash('sha256').update(JSON.stringify(d)).digest('hex'), status: 'ok', entry, outs: manifest, duration_s: 1, details: d };
  }
  return { records, missing: {}, entryPath: (e) => join(root, name, e) };
}

const shape = (id: string, volatile: string[] = []): InstanceShape => ({ id, outs: { metrics: 'metrics.json', timing: 'timing.txt' }, volatile });

describe('compareRuns', () => {
  test('identical bytes are same; a volatile out that differs is listed, not compared', () => {
    const a = run('a1', { x: { metrics: '{"v":1}', timing: '1.5' } });
    const b = run('b1', { x: { metrics: '{"v":1}', timing: '2.5' } });
    expect(compareRuns([shape('x', ['timing'])], a, b).get('x')).toEqual({ kind: 'same', volatile: ['timing'] });
  });

  test('differing bytes name the out, its file and the first differing value', () => {
    const a = run('a2', { x: { metrics: '{"v":1,"w":[1,2]}', timing: '1' } });
    const b = run('b2', { x: { metrics: '{"v":1,"w":[1,3]}', timing: '1' } });
    const v = compareRuns([shape('x')], a, b).get('x')!;
    expect(v).toMatchObject({ kind: 'different', out: 'metrics' });
    expect(v.kind === 'different' && v.detail).toMatch(/metrics\.json: sha256 .* first difference at w\[1\]: 2 vs 3/);
  });

  test('a non-bit-deterministic backend: values within rtol are close, beyond it different — and the output says so', () => {
    const backend = () => 'tensorflow';
    const a = run('a3', { x: { metrics: '{"elbo":-100.00,"provenance":"tf"}', timing: '1' }, y: { metrics: '{"elbo":-5}', timing: '1' } });
    const b = run('b3', { x: { metrics: '{"elbo":-100.02,"provenance":"tf"}', timing: '1' }, y: { metrics: '{"elbo":-6}', timing: '1' } });
    const verdicts = compareRuns([shape('x'), shape('y')], a, b, { nondeterministicBackend: backend });
    expect(verdicts.get('x')).toMatchObject({ kind: 'close', backend: 'tensorflow', outs: ['metrics'] });
    expect(verdicts.get('y')).toMatchObject({ kind: 'different', out: 'metrics' });
    expect((verdicts.get('y') as { detail: string }).detail).toMatch(/beyond rtol 0\.001 \(backend tensorflow is not bit-deterministic\): elbo: -5 vs -6/);
    // Without the backend hint the same bytes difference is a failure.
    expect(compareRuns([shape('x')], a, b).get('x')).toMatchObject({ kind: 'different' });
    const rows = [...verdicts].map(([id, runs]) => ({ id, runs }));
    expect(findingLines(rows, false).join('\n')).toMatch(/≈ x: metrics\.json \(out metrics\)|≈ x: out metrics/);
  });

  test('a dependent of a differing instance is blamed on its upstream; a failed instance says which run', () => {
    const dA = (id: string) => (id === 'down' ? details({ inputs: { up: { outs: { metrics: 'h1' } } } }) : details());
    const dB = (id: string) => (id === 'down' ? details({ inputs: { up: { outs: { metrics: 'h2' } } } }) : details());
    const a = run('a4', { up: { metrics: '1', timing: '' }, down: { metrics: '2', timing: '' } }, dA);
    const b = run('b4', { up: { metrics: '9', timing: '' }, down: { metrics: '2', timing: '' } }, dB);
    delete b.records.gone;
    const v = compareRuns([shape('up'), shape('down'), shape('gone')], a, { ...b, missing: { gone: 'failed: exit code 1' } });
    expect(v.get('up')).toMatchObject({ kind: 'different', out: 'metrics' });
    expect(v.get('down')).toMatchObject({ kind: 'different', causedBy: ['up'] });
    expect(v.get('gone')).toEqual({ kind: 'failed', detail: 'run A: no record; run B: failed: exit code 1' });
  });
});

describe('compareToExpected', () => {
  test('an edited param is drift naming the param old → new; a code change with identical outs is info; new and gone instances are drift', () => {
    const exp = run('e1', { x: { metrics: '{"v":1}', timing: '1' }, y: { metrics: '{"v":2}', timing: '1' }, old: { metrics: '{}', timing: '1' } });
    const fresh = run('f1', { x: { metrics: '{"v":9}', timing: '3' }, y: { metrics: '{"v":2}', timing: '2' }, nu: { metrics: '{}', timing: '1' } }, (id) =>
      id === 'x' ? details({ params: { 'mnist.train_size': 3000 } }) : id === 'y' ? details({ code: { 'stages/x.ts': 'c2' } }) : details(),
    );
    const v = compareToExpected([shape('x', ['timing']), shape('y', ['timing']), shape('nu')], fresh.records, exp.records);
    expect(v.get('x')).toEqual({ kind: 'drift', outs: ['metrics'], why: ['param mnist.train_size changed: 2000 → 3000'] });
    expect(v.get('y')).toEqual({ kind: 'info', why: ['code changed: modified stages/x.ts'] });
    expect(v.get('nu')).toMatchObject({ kind: 'new' });
    expect(v.get('old')).toMatchObject({ kind: 'gone' });
  });

  test('same fingerprint but different outs is drift that says the fingerprint does not explain it; a volatile out never drifts', () => {
    const exp = run('e2', { x: { metrics: '1', timing: '1' } });
    const fresh = run('f2', { x: { metrics: '2', timing: '2' } });
    const v = compareToExpected([shape('x', ['timing'])], fresh.records, exp.records).get('x')!;
    expect(v).toMatchObject({ kind: 'drift', outs: ['metrics'] });
    expect((v as { why: string[] }).why[0]).toMatch(/same fingerprint, different outputs/);
    expect(compareToExpected([shape('x', ['timing', 'metrics'])], fresh.records, exp.records).get('x')).toEqual({ kind: 'match', volatile: ['metrics', 'timing'] });
  });

  test('no records for the profile: every instance is new', () => {
    const fresh = run('f3', { x: { metrics: '1', timing: '1' } });
    expect(compareToExpected([shape('x')], fresh.records, undefined).get('x')).toEqual({ kind: 'new', why: ['pipeline.lock has no records for this profile'] });
  });
});

describe('summary line and table', () => {
  test('OK names the count, the profile and the extra checks; FAILED lists what failed', () => {
    const ok = reproVerdict({ profile: 'smoke', rows: [{ id: 'a', runs: { kind: 'same', volatile: [] }, lock: { kind: 'match', volatile: [] } }], noExpected: false, accepted: false, extras: [{ name: 'claims', ok: true, summary: 'claims 14/14 ✓', lines: [] }] });
    expect(ok).toEqual({ ok: true, line: 'repro:check OK — 1 instance identical across two runs and to pipeline.lock (smoke); claims 14/14 ✓' });
    const bad = reproVerdict({
      profile: 'smoke',
      rows: [
        { id: 'a', runs: { kind: 'different', detail: 'x' }, lock: { kind: 'drift', outs: ['o'], why: [] } },
        { id: 'b', runs: { kind: 'same', volatile: [] }, lock: { kind: 'match', volatile: [] } },
      ],
      noExpected: false,
      accepted: false,
      extras: [{ name: 'claims', ok: false, summary: 'claims 13/14 ✓, 1 ✗ (lemma1)', lines: [] }],
    });
    expect(bad.ok).toBe(false);
    expect(bad.line).toBe('repro:check FAILED (smoke) — 1 instance differs between two runs (a); 1 drifted from pipeline.lock (a); claims 13/14 ✓, 1 ✗ (lemma1)');
    const table = renderTable([{ id: 'deep-vae[seed=1]', fingerprint: 'abcdef0123456789', runs: { kind: 'same', volatile: ['t'] }, lock: { kind: 'match', volatile: [] }, secondsA: 1.24, secondsB: 10 }], false);
    expect(table[0]).toMatch(/^instance\s+fingerprint\s+runs A\/B\s+pipeline\.lock\s+A s\s+B s$/);
    expect(table[2]).toMatch(/^deep-vae\[seed=1\]\s+abcdef012345\s+same, volatile\s+match\s+1\.2\s+10\.0$/);
  });
});
