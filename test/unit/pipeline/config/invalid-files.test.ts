import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineConfigError } from '../../../../src/pipeline/errors.ts';
import { loadPlan, PipelineConfigErrorList } from '../../../../src/pipeline/plan.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/pipeline');

function failure(file: string, opts: { profile?: string; overrides?: Record<string, unknown> } = {}): PipelineConfigErrorList {
  try {
    loadPlan({ root, file, profile: opts.profile, overrides: opts.overrides as never });
  } catch (err) {
    expect(err).toBeInstanceOf(PipelineConfigError);
    expect(err).toBeInstanceOf(PipelineConfigErrorList);
    return err as PipelineConfigErrorList;
  }
  throw new Error(`expected ${file} to be rejected`);
}

// [fixture, every fragment the message must contain]
const cases: [string, string[]][] = [
  ['bad-syntax.yaml', ['invalid/bad-syntax.yaml:6:5:', 'YAML syntax error', 'Flow sequence', 'closing bracket']],
  ['unquoted-filter.yaml', ['invalid/unquoted-filter.yaml:9:15:', 'YAML syntax error', 'quote a filtered dep inside a [flow, list]: ["deep-vae[learn=true]"]']],
  ['misspelt-stage-key.yaml', ["invalid/misspelt-stage-key.yaml:8:5: stage 'train', key 'dpes'", "unknown stage key 'dpes'", "did you mean 'deps'?"]],
  ['misspelt-dep.yaml', ["invalid/misspelt-dep.yaml:8:12: stage 'train', key 'deps'", "unknown stage 'dta'", "did you mean 'data'?"]],
  ['unknown-param.yaml', ["invalid/unknown-param.yaml:7:24: stage 'train', key 'params'", "unknown param 'train.stpes'", "did you mean 'train.steps'?"]],
  ['profile-invents-param.yaml', ["invalid/profile-invents-param.yaml:6:16: key 'profiles.quick.params.train.setps'", "profile 'quick' overrides param 'train.setps'", "did you mean 'train.steps'?"]],
  ['cycle.yaml', ["invalid/cycle.yaml:9:12: stage 'b', key 'deps'", 'dependency cycle: a -> c -> b -> a']],
  ['duplicate-out.yaml', ["invalid/duplicate-out.yaml:7:13: stage 'data', key 'outs.test'", "duplicate out path './data/x.npy'", "out 'train' already writes it"]],
  ['matrix-unknown-param.yaml', ["invalid/matrix-unknown-param.yaml:8:15: stage 'vae', key 'matrix.sigma2'", "unknown param 'sweep.sigm2'", "did you mean 'sweep.sigma2'?"]],
  ['run-and-cmd.yaml', ["invalid/run-and-cmd.yaml:5:5: stage 'data', key 'cmd'", "either 'run:' (a stage module) or 'cmd:'"]],
  ['missing-run-file.yaml', ["invalid/missing-run-file.yaml:4:10: stage 'data', key 'run'", "file 'stages/nope.ts' does not exist"]],
  ['bad-filter-key.yaml', ["invalid/bad-filter-key.yaml:9:17: stage 'plot', key 'deps'", "unknown matrix key 'lean' of stage 'vae'", "did you mean 'learn'?"]],
  ['bad-filters.yaml', ["invalid/bad-filters.yaml:9:36: stage 'plot', key 'deps'", "filter seed=7 matches no instance of 'vae'; its seed values: 0, 1"]],
  ['shared-key-mismatch.yaml', ["invalid/shared-key-mismatch.yaml:9:12: stage 'eval', key 'deps'", "instance 'eval[seed=2]' matches no instance of 'vae' on the shared matrix keys seed"]],
  ['duplicate-publish.yaml', ["invalid/duplicate-publish.yaml:10:14: stage 'fig2', key 'publish'", "publishes 'reports/fig1.svg', which stage 'fig1' also publishes"]],
];

describe('loadPlan rejects a malformed pipeline file', () => {
  it.each(cases)('%s', (file, fragments) => {
    const err = failure(`invalid/${file}`);
    for (const fragment of fragments) expect(err.message).toContain(fragment);
    expect(err.errors).toHaveLength(1);
  });

  it('reports an unknown top-level key with a suggestion, together with what is then missing', () => {
    const err = failure('invalid/unknown-top-key.yaml');
    expect(err.errors.map((e) => e.key)).toEqual(['stages', 'stagse']);
    expect(err.message).toContain("invalid/unknown-top-key.yaml:3:1: key 'stagse': unknown top-level key 'stagse'");
    expect(err.message).toContain("did you mean 'stages'?");
  });

  it('collects every error of a file, one per line, in file order, and keeps them on the error', () => {
    const err = failure('invalid/shape-errors.yaml');
    expect(err.message.split('\n')[0]).toBe('7 problems in the pipeline configuration:');
    expect(err.errors.map((e) => [e.line, e.key])).toEqual([
      [1, 'version'],
      [2, 'default_profile'],
      [7, 'run'],
      [8, 'deps'],
      [9, 'outs'],
      [10, 'resources.cpus'],
      [11, 'outs'],
    ]);
    expect(err.errors[1].hint).toBe("did you mean 'quick'?");
    expect(err.errors.every((e) => e.file === 'invalid/shape-errors.yaml')).toBe(true);
  });

  it('checks matrices: empty list, non-list param (in any profile), key colliding with a param', () => {
    const err = failure('invalid/matrix-problems.yaml');
    const lines = err.message.split('\n').slice(1);
    expect(lines[0]).toBe("invalid/matrix-problems.yaml:14:18: stage 'empty', key 'matrix.k': a matrix list must not be empty (it would expand into no instances)");
    expect(lines[1]).toContain("stage 'scalar', key 'matrix.w': matrix 'w' over param 'width': expected a list, found number 10");
    expect(lines[2]).toContain("22:21: stage 'per-profile', key 'matrix.seed'");
    expect(lines[2]).toContain("(profile 'paper')");
    expect(lines[3]).toContain("key 'matrix.width': matrix key 'width' collides with the declared param 'width'");
  });

  it('rejects an unknown profile with a suggestion', () => {
    const err = failure('valid.yaml', { profile: 'smok' });
    expect(err.message).toContain("key '--profile': unknown profile 'smok'");
    expect(err.message).toContain("did you mean 'smoke'?");
  });

  it('rejects --set overrides of params that do not exist, and a scalar over a group', () => {
    const err = failure('valid.yaml', { overrides: { 'train.stesp': 1, train: 3 } });
    expect(err.errors).toHaveLength(2);
    expect(err.message).toContain("key '--set train.stesp': no such param 'train.stesp'");
    expect(err.message).toContain("did you mean 'train.steps'?");
    expect(err.message).toContain("'train' is a group of params");
  });

  it('rejects a --set that leaves a matrix param empty', () => {
    const err = failure('valid.yaml', { overrides: { seeds: [] } });
    expect(err.message).toContain("stage 'deep-vae', key 'matrix.seed': matrix 'seed' over param 'seeds': a matrix list must not be empty");
  });

  it('reports a missing file as a config error', () => {
    const err = failure('invalid/does-not-exist.yaml');
    expect(err.message).toContain('invalid/does-not-exist.yaml: cannot read the pipeline file');
  });
});
