// pipeline.yaml's `executor:` section and the Slurm keys of a stage's `resources:`.
import { PipelineConfigErrorList } from '../../../../src/pipeline/config/config-errors.ts';
import { parsePipelineText } from '../../../../src/pipeline/config/pipeline-file.ts';
import { slurmResourceProblem } from '../../../../src/pipeline/config/slurm-resources.ts';
import { buildPlan } from '../../../../src/pipeline/plan.ts';

const paths = { root: '/nowhere', file: '/nowhere/pipeline.yaml', displayFile: 'pipeline.yaml' };
const file = (executor: string, resources = '{ cpus: 1 }') => `version: 1
${executor}
stages:
  train:
    cmd: "true"
    resources: ${resources}
    outs: { out: x.txt }
`;

function problems(text: string): string[] {
  try {
    parsePipelineText(text, paths);
  } catch (err) {
    expect(err).toBeInstanceOf(PipelineConfigErrorList);
    return (err as PipelineConfigErrorList).errors.map((e) => e.message);
  }
  throw new Error('expected the file to be rejected');
}

describe('executor section', () => {
  it('defaults to local with no Slurm defaults', () => {
    expect(parsePipelineText(file(''), paths).executor).toEqual({ name: 'local', slurm: { resources: {} } });
  });

  it('reads the executor name, Slurm resource defaults, jobs and poll interval, and hands them to the plan', () => {
    const text = file(`executor:
  name: slurm
  slurm:
    partition: debug
    time: "1:00:00"
    mem: 4G
    gpus: 0
    sbatch_args: [--account=lab]
    jobs: 50
    poll_interval: 0.5`);
    const expected = { name: 'slurm', slurm: { resources: { partition: 'debug', time: '1:00:00', mem: '4G', gpus: 0, sbatch_args: ['--account=lab'] }, jobs: 50, pollInterval: 0.5 } };
    expect(parsePipelineText(text, paths).executor).toEqual(expected);
    expect(buildPlan(parsePipelineText(text, paths)).executor).toEqual(expected);
  });

  it('reports a bad name, an unknown or misplaced key, and bad values, with positions', () => {
    const msgs = problems(file(`executor:
  name: slurn
  slurm:
    partiton: debug
    cpus: 2
    time: 1.5
    jobs: 0
    sbatch_args: [--output=x.log]`));
    expect(msgs).toEqual([
      "pipeline.yaml:3:9: key 'executor.name': unknown executor 'slurn'; executors: local, slurm\n  hint: did you mean 'slurm'?",
      expect.stringMatching(/^pipeline\.yaml:5:5: key 'executor\.slurm\.partiton': unknown Slurm setting 'partiton'.*\n  hint: did you mean 'partition'\?$/s),
      "pipeline.yaml:6:5: key 'executor.slurm.cpus': cpus is set per stage (resources: { cpus: N }, default 1), not as an executor default",
      expect.stringContaining("pipeline.yaml:7:11: key 'executor.slurm.time': expected whole minutes"),
      expect.stringContaining("pipeline.yaml:8:11: key 'executor.slurm.jobs': expected a positive integer"),
      expect.stringContaining("pipeline.yaml:9:18: key 'executor.slurm.sbatch_args': '--output' is set by the Slurm executor itself"),
    ]);
  });
});

describe("a stage's Slurm resources", () => {
  it('keeps valid values and free-form keys', () => {
    const decl = parsePipelineText(file('', `{ cpus: 2, mem: 500, gpus: "a100:2", time: "2-00:00:00", partition: "gpu,cpu", sbatch_args: ["--qos=long"], scratch: big }`), paths).stages[0];
    expect(decl.resources).toEqual({ cpus: 2, mem: 500, gpus: 'a100:2', time: '2-00:00:00', partition: 'gpu,cpu', sbatch_args: ['--qos=long'], scratch: 'big' });
  });

  it('rejects values sbatch would reject, and a misspelt key that would otherwise be ignored', () => {
    const msgs = problems(file('', `{ cpus: 0, mem: 4GB, time: "90 min", sbatch_args: "--qos=long", memory: 4G }`));
    expect(msgs).toEqual([
      expect.stringContaining("stage 'train', key 'resources.cpus': expected a positive integer, found number 0"),
      expect.stringContaining("key 'resources.mem': expected a size such as 4G"),
      expect.stringContaining("key 'resources.time': expected a Slurm time limit"),
      expect.stringContaining("key 'resources.sbatch_args': expected a list of sbatch flags"),
      expect.stringMatching(/key 'resources\.memory': unknown resource 'memory' looks like a misspelt Slurm key.*did you mean 'mem'\?/s),
    ]);
  });
});

describe('slurmResourceProblem', () => {
  it.each([
    ['time', 30], ['time', '30'], ['time', '30:00'], ['time', '1:30:00'], ['time', '2-12'], ['time', '2-12:30'], ['time', '2-12:30:00'], ['time', 'UNLIMITED'],
    ['mem', 0], ['mem', '4G'], ['mem', '512m'], ['gpus', 2], ['gpus', 'v100:2'], ['partition', 'debug'], ['sbatch_args', []], ['sbatch_args', ['--exclusive']],
  ])('accepts %s = %j', (key, value) => expect(slurmResourceProblem(key, value)).toBeUndefined());

  it.each([
    ['time', 0], ['time', '1h'], ['time', '1:2:3:4'], ['mem', -1], ['mem', '4 G'], ['gpus', 1.5], ['gpus', 'two'], ['partition', 'a b'],
    ['sbatch_args', ['--account', 'lab']], ['sbatch_args', ['-J', 'x']], ['sbatch_args', ['-Jname']], ['sbatch_args', ['--requeue']], ['cpus', 1.5],
  ])('rejects %s = %j', (key, value) => expect(slurmResourceProblem(key, value)).toEqual(expect.any(String)));
});
