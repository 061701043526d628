import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ClaimsFileError, compare, evaluateClaim, evaluateClaims, forProfile, parseClaims, type Claim } from '../../../src/report/claims.ts';

const claim = (over: Partial<Claim>): Claim => ({ id: 'c', section: 's', paper: 'p', metric: 'a.b', comparator: '<=', value: 1, ...over });

describe('compare', () => {
  test('thresholds with tolerance in the claim\'s favour', () => {
    expect(compare('<=', 1.05, 1, 0).ok).toBe(false);
    expect(compare('<=', 1.05, 1, 0.1).ok).toBe(true);
    expect(compare('>', 0, 0, 0).ok).toBe(false);
    expect(compare('>=', -0.4, 0, 0.5).ok).toBe(true);
    expect(compare('==', 2.01, 2, 0.02).ok).toBe(true);
    expect(compare('within', 101, 100, 0.02).ok).toBe(true);
    expect(compare('within', 103, 100, 0.02).ok).toBe(false);
  });
  test('monotone comparators name the step that breaks', () => {
    expect(compare('monotone_nonincreasing', [89.9, 27.4, 3.3, 0, 0], null, 0).ok).toBe(true);
    expect(compare('monotone_decreasing', [3, 0, 0], null, 0).ok).toBe(false);
    const r = compare('monotone_nonincreasing', [10, 5, 7], null, 1);
    expect(r).toEqual({ ok: false, why: 'step 2: 5 → 7' });
    expect(compare('monotone_nonincreasing', [10, 5, 5.5], null, 1).ok).toBe(true);
    expect(compare('monotone_increasing', [1], null, 0).ok).toBe(false);
  });
});

describe('evaluateClaim', () => {
  const results = { a: { b: 0.5, list: [3, 2, 1] }, skipped: { 'deep_vae.celeba': 'no CelebA data' } };
  test('pass and fail carry the measured number', () => {
    expect(evaluateClaim(claim({}), results, 'quick')).toMatchObject({ status: 'pass', measured: 0.5, reference: 1 });
    expect(evaluateClaim(claim({ value: 0.1 }), results, 'quick')).toMatchObject({ status: 'fail', measured: 0.5 });
  });
  test('per-profile tolerance and value, with default', () => {
    const c = claim({ value: 0.4, tolerance: { smoke: 0.2, default: 0 } });
    expect(evaluateClaim(c, results, 'smoke').status).toBe('pass');
    expect(evaluateClaim(c, results, 'paper').status).toBe('fail');
    expect(forProfile({ quick: 3, default: 1 }, 'paper')).toBe(1);
  });
  test('skipped: by profile, or by a recorded reason on a prefix of the metric', () => {
    expect(evaluateClaim(claim({ skip: { smoke: 'too short' } }), results, 'smoke')).toMatchObject({ status: 'skipped', why: 'smoke profile: too short' });
    expect(evaluateClaim(claim({ metric: 'deep_vae.celeba.fixed.x' }), results, 'quick')).toMatchObject({ status: 'skipped', why: 'no CelebA data' });
  });
  test('a metric nobody produced is "missing", never a pass', () => {
    expect(evaluateClaim(claim({ metric: 'a.nope' }), results, 'quick').status).toBe('missing');
  });
  test('ref compares against another results path', () => {
    expect(evaluateClaim(claim({ comparator: 'within', ref: 'a.b', value: undefined, metric: 'a.b', tolerance: 0 }), results, 'q').status).toBe('pass');
  });
  test('lists work with monotone comparators', () => {
    expect(evaluateClaim(claim({ metric: 'a.list', comparator: 'monotone_decreasing', value: undefined }), results, 'q').status).toBe('pass');
  });
});

describe('parseClaims', () => {
  test('unknown comparator: error names the claim and suggests the closest', () => {
    const text = 'claims:\n  - { id: x, section: s, paper: p, metric: m, comparator: "monotone_decreasng" }\n';
    expect(() => parseClaims(text, 'c.yaml')).toThrow(ClaimsFileError);
    expect(() => parseClaims(text, 'c.yaml')).toThrow(/c\.yaml: claims\[0\] \(x\): unknown comparator 'monotone_decreasng'[\s\S]*did you mean 'monotone_decreasing'/);
  });
  test('unknown key and missing value are errors', () => {
    expect(() => parseClaims('claims:\n  - { id: x, section: s, paper: p, metric: m, comparator: "<", valeu: 1 }\n')).toThrow(/unknown key 'valeu'[\s\S]*did you mean 'value'/);
    expect(() => parseClaims('claims:\n  - { id: x, section: s, paper: p, metric: m, comparator: "<" }\n')).toThrow(/needs 'value' or 'ref'/);
  });
  test('the repository claims.yaml parses and covers the brief\'s claims', () => {
    const claims = parseClaims(readFileSync('claims.yaml', 'utf8'));
    const ids = claims.map((c) => c.id);
    for (const id of ['lemma1-equality', 'theorem1-no-gap-training', 'corollary1-alignment', 'fig2-blue-rises-after-k-ref', 'fig2-blue-falls-later', 'fig3-stochastic-worse', 'fig4-linear-encoder-not-outperformed', 'table1-collapse-falls-with-sigma2', 'table1-learned-sigma2-narrow-band', 'table1-tuned-elbo-at-least-elbo']) {
      expect(ids).toContain(id);
    }
    // Every claim evaluates to something on an empty results object: nothing passes by accident.
    expect(evaluateClaims(claims, {}, 'quick').every((r) => r.status !== 'pass')).toBe(true);
  });
});
