import { describe, expect, test } from '@jest/globals';
import { canonicalJson } from '../../../../src/pipeline/fingerprint/canonical-json.ts';
import { ENGINE_FORMAT_VERSION, fingerprintOf, type FingerprintDetails } from '../../../../src/pipeline/fingerprint/fingerprint.ts';

const base: FingerprintDetails = {
  engine: ENGINE_FORMAT_VERSION,
  kind: 'module',
  code: { 'stages/a.ts': 'aa', 'src/x.ts': 'bb' },
  packages: { yaml: '2.9.1' },
  params: { 'mnist.train_size': 2000, k: 3 },
  seed: 12,
  inputs: { up: { outs: { out: 'cc' } } },
  outs: { out: 'a.txt' },
};

describe('canonicalJson', () => {
  test('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('fingerprintOf', () => {
  test('is independent of key order', () => {
    const reordered: FingerprintDetails = { ...base, params: { k: 3, 'mnist.train_size': 2000 }, code: { 'src/x.ts': 'bb', 'stages/a.ts': 'aa' } };
    expect(fingerprintOf(reordered).value).toBe(fingerprintOf(base).value);
    expect(fingerprintOf(base).value).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['engine', { engine: ENGINE_FORMAT_VERSION + 1 }],
    ['code', { code: { ...base.code, 'src/x.ts': 'changed' } }],
    ['packages', { packages: { yaml: '2.9.2' } }],
    ['params', { params: { ...base.params, k: 4 } }],
    ['seed', { seed: 13 }],
    ['inputs', { inputs: { up: { outs: { out: 'dd' } } } }],
    ['skipped input', { inputs: { up: { skipped: 'no data' } } }],
    ['outs', { outs: { out: 'b.txt' } }],
    ['cmd', { kind: 'cmd' as const, cmd: 'echo hi' }],
  ])('changes when %s changes', (_name, change) => {
    expect(fingerprintOf({ ...base, ...change }).value).not.toBe(fingerprintOf(base).value);
  });

  test('returns the details it hashed (to explain a miss later)', () => {
    expect(fingerprintOf(base).details).toBe(base);
  });
});
