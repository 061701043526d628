// The sbatch command line from resources, and the batch script it submits (run here with sh).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobScript, shellQuote } from '../../../../../src/pipeline/run/slurm/job-script.ts';
import { mergeResources, sbatchArgv } from '../../../../../src/pipeline/run/slurm/sbatch-args.ts';

describe('sbatchArgv', () => {
  const req = { jobName: 'deep-vae[seed=1]', logPath: '/p/.pipeline/logs/x.log', cwd: '/p', scriptPath: '/p/.pipeline/jobs/x/job.sbatch' };

  it('always sets the flags tracking depends on, and one task of `cpus` cores', () => {
    expect(sbatchArgv({ ...req, resources: { cpus: 1 } })).toEqual([
      '--parsable', '--no-requeue', '--job-name=deep-vae[seed=1]', '--output=/p/.pipeline/logs/x.log', '--open-mode=append',
      '--chdir=/p', '--ntasks=1', '--cpus-per-task=1', '/p/.pipeline/jobs/x/job.sbatch',
    ]);
  });

  it('maps mem, gpus, time, partition and sbatch_args; gpus 0 asks for none', () => {
    const argv = sbatchArgv({ ...req, resources: { cpus: 4, mem: '8G', gpus: 'a100:1', time: '2:00:00', partition: 'gpu', sbatch_args: ['--account=lab', '--qos=short'] } });
    expect(argv.slice(7)).toEqual(['--cpus-per-task=4', '--mem=8G', '--gpus=a100:1', '--time=2:00:00', '--partition=gpu', '--account=lab', '--qos=short', req.scriptPath]);
    expect(sbatchArgv({ ...req, resources: { cpus: 1, gpus: 0, mem: 500, time: 30 } }).slice(7, -1)).toEqual(['--cpus-per-task=1', '--mem=500', '--time=30']);
  });

  it('lets stage resources override executor defaults key by key, and appends sbatch_args after the defaults', () => {
    const merged = mergeResources({ partition: 'cpu', time: '1:00:00', sbatch_args: ['--account=lab'] }, { cpus: 2, time: '4:00:00', sbatch_args: ['--qos=long'] });
    expect(merged).toEqual({ partition: 'cpu', time: '4:00:00', cpus: 2, sbatch_args: ['--account=lab', '--qos=long'] });
  });
});

describe('jobScript', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'job-script-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const runScript = (argv: string[], env: Record<string, string> = {}) => {
    const statusPath = join(dir, "it's [x=1]", 'exit-status');
    execFileSync('mkdir', ['-p', join(dir, "it's [x=1]")]);
    const script = join(dir, 'job.sh');
    writeFileSync(script, jobScript({ instanceId: 'a[x=1]', argv, env, cwd: dir, statusPath }));
    const res = spawnSync('sh', [script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SLURM_JOB_ID: '7', SLURMD_NODENAME: 'n1' } });
    return { res, statusPath };
  };

  it('runs the argv verbatim (quotes, spaces, $, newlines) in cwd with the env, and writes the exit status atomically', () => {
    const weird = `it's "a" $HOME \`x\` \n end`;
    const { res, statusPath } = runScript(['node', '-e', 'process.stdout.write(JSON.stringify([process.argv[1], process.env.K, process.cwd()])); process.exit(3)', weird], { K: "v'1 $x" });
    expect(res.status).toBe(3);
    const [header, body] = res.stdout.split('\n');
    expect(header).toBe('# slurm job 7 on n1');
    expect(JSON.parse(body)).toEqual([weird, "v'1 $x", dir]);
    expect(readFileSync(statusPath, 'utf8')).toBe('3\n');
    expect(existsSync(`${statusPath}.tmp`)).toBe(false);
  });

  it('records 0 for a command that succeeds', () => {
    const { res, statusPath } = runScript(['true']);
    expect(res.status).toBe(0);
    expect(readFileSync(statusPath, 'utf8')).toBe('0\n');
  });

  it('shellQuote leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote('a[x=1]')).toBe("'a[x=1]'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});
