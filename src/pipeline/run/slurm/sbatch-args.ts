// A stage's resources (over the executor.slurm defaults) → the sbatch command line. The executor
// owns the flags that tracking depends on: parsable output, no requeue (a lost job must not
// silently run twice), the log opened in append mode (the runner already wrote its header line).
import type { ParamValue } from '../../stage.ts';

export interface SbatchRequest {
  jobName: string;
  logPath: string;
  cwd: string;
  scriptPath: string;
  /** Merged resources (see mergeResources). */
  resources: Record<string, unknown>;
}

/** Stage keys win over defaults; sbatch_args accumulate, defaults first, so a stage may override a flag. */
export function mergeResources(defaults: Record<string, ParamValue>, stage: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults, ...stage };
  const args = [...asArgs(defaults.sbatch_args), ...asArgs(stage.sbatch_args)];
  if (args.length) merged.sbatch_args = args;
  return merged;
}

export function sbatchArgv(req: SbatchRequest): string[] {
  const r = req.resources;
  const argv = [
    '--parsable',
    '--no-requeue',
    `--job-name=${req.jobName}`,
    `--output=${req.logPath}`,
    '--open-mode=append',
    `--chdir=${req.cwd}`,
    '--ntasks=1',
    `--cpus-per-task=${Math.max(1, Number(r.cpus ?? 1))}`,
  ];
  if (r.mem !== undefined && r.mem !== null) argv.push(`--mem=${String(r.mem)}`);
  if (r.gpus !== undefined && r.gpus !== null && r.gpus !== 0 && r.gpus !== '0') argv.push(`--gpus=${String(r.gpus)}`);
  if (r.time !== undefined && r.time !== null) argv.push(`--time=${String(r.time)}`);
  if (typeof r.partition === 'string' && r.partition) argv.push(`--partition=${r.partition}`);
  argv.push(...asArgs(r.sbatch_args));
  argv.push(req.scriptPath);
  return argv;
}

function asArgs(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
