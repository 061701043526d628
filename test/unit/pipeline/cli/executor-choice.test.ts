// --executor on the command line, executor.name in pipeline.yaml, and the default -j each implies.
import { parseCli } from '../../../../src/pipeline/cli/args.ts';
import { PipelineConfigError } from '../../../../src/pipeline/errors.ts';
import type { Plan } from '../../../../src/pipeline/plan-types.ts';
import { chooseExecutor, DEFAULT_SLURM_JOBS } from '../../../../src/pipeline/run/choose-executor.ts';

const plan = (executor?: Plan['executor']): Plan => ({ root: '/p', file: '/p/pipeline.yaml', profile: 'quick', seed: 0, instances: [], byId: new Map(), ...(executor ? { executor } : {}) });

describe('--executor', () => {
  it('accepts local and slurm (also as -x) and leaves it unset otherwise', () => {
    expect(parseCli(['run', '--executor', 'slurm']).executor).toBe('slurm');
    expect(parseCli(['run', '-x', 'local']).executor).toBe('local');
    expect(parseCli(['run']).executor).toBeUndefined();
  });

  it('rejects anything else with a suggestion', () => {
    expect(() => parseCli(['run', '--executor', 'slurn'])).toThrow(PipelineConfigError);
    expect(() => parseCli(['run', '--executor', 'slurn'])).toThrow(/--executor expects local or slurm, found 'slurn'\n  hint: did you mean 'slurm'\?/);
  });
});

describe('chooseExecutor', () => {
  it('is local by default, with the runner choosing -j (cores)', () => {
    const c = chooseExecutor(plan(), undefined);
    expect([c.executor.name, c.executor.local, c.jobs]).toEqual(['local', true, undefined]);
  });

  it('follows executor.name, and the command line over it', () => {
    const slurmPlan = plan({ name: 'slurm', slurm: { resources: {}, jobs: 7 } });
    expect(chooseExecutor(slurmPlan, undefined)).toMatchObject({ executor: { name: 'slurm', local: false }, jobs: 7 });
    expect(chooseExecutor(slurmPlan, 'local').executor.name).toBe('local');
    expect(chooseExecutor(plan(), 'slurm')).toMatchObject({ executor: { name: 'slurm' }, jobs: DEFAULT_SLURM_JOBS });
  });
});
