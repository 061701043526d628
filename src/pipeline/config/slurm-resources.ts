// The resource keys the Slurm executor turns into sbatch flags, checked when pipeline.yaml is read:
// a time limit Slurm would reject should fail before anything is submitted, not as N failed jobs.
// Other `resources:` keys stay free-form (another executor may read them).
import type { ParamValue } from '../stage.ts';
import { closestName } from './did-you-mean.ts';

/** Stage `resources:` keys with a meaning under Slurm (cpus also weighs jobs in the local -j budget). */
export const SLURM_RESOURCE_KEYS = ['cpus', 'mem', 'gpus', 'time', 'partition', 'sbatch_args'] as const;

/** Names people reach for from other schedulers; taken for typos of the keys above, not free-form keys. */
const ALIASES: Record<string, string> = { memory: 'mem', gpu: 'gpus', cpu: 'cpus', walltime: 'time', time_limit: 'time', queue: 'partition', sbatch: 'sbatch_args' };

/** The known key a resource name seems to misspell, or undefined when it is known or plainly something else. */
export function misspeltSlurmKey(key: string): string | undefined {
  if ((SLURM_RESOURCE_KEYS as readonly string[]).includes(key)) return undefined;
  return ALIASES[key.toLowerCase()] ?? closestName(key, SLURM_RESOURCE_KEYS);
}

/**
 * Flags the executor sets itself (log, working dir, name, requeue, how sbatch answers): one passed
 * again through sbatch_args would break how jobs are tracked.
 */
export const RESERVED_SBATCH_FLAGS = [
  '--output', '-o', '--error', '-e', '--chdir', '-D', '--job-name', '-J', '--parsable', '--wrap',
  '--requeue', '--no-requeue', '--open-mode', '--array', '-a', '--wait', '-W', '--export',
] as const;

// Slurm's --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (sbatch(1)).
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;
const MEM = /^\d+[KMGT]?$/i;
const GPUS = /^([A-Za-z0-9_.-]+:)?\d+$/;
const PARTITION = /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/;

/** What is wrong with one Slurm resource value, or undefined when sbatch will take it. */
export function slurmResourceProblem(key: string, value: ParamValue): string | undefined {
  const found = describe(value);
  switch (key) {
    case 'cpus':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? undefined : `expected a positive integer, found ${found}`;
    case 'mem':
      if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? undefined : `expected megabytes as a whole number or a size such as 4G, found ${found}`;
      return typeof value === 'string' && MEM.test(value) ? undefined : `expected a size such as 4G, 500M or 8000 (megabytes), found ${found}`;
    case 'gpus':
      if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? undefined : `expected a whole number of GPUs, found ${found}`;
      return typeof value === 'string' && GPUS.test(value) ? undefined : `expected a number of GPUs or type:count such as a100:2, found ${found}`;
    case 'time':
      if (typeof value === 'number') return Number.isInteger(value) && value >= 1 ? undefined : `expected whole minutes (>= 1) or a Slurm time such as "2:00:00", found ${found}`;
      return typeof value === 'string' && TIME.test(value) ? undefined : `expected a Slurm time limit: minutes, "M:S", "H:M:S", "D-H", "D-H:M" or "D-H:M:S" (quote it), found ${found}`;
    case 'partition':
      return typeof value === 'string' && PARTITION.test(value) ? undefined : `expected a partition name (or a comma-separated list), found ${found}`;
    case 'sbatch_args':
      return sbatchArgsProblem(value);
    default:
      return undefined;
  }
}

function sbatchArgsProblem(value: ParamValue): string | undefined {
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string')) {
    return `expected a list of sbatch flags such as [--account=lab, --qos=short], found ${describe(value)}`;
  }
  for (const arg of value as string[]) {
    if (!arg.startsWith('-')) return `each sbatch_args item is one flag starting with '-' (write --account=lab, not two items), found '${arg}'`;
    const flag = arg.split('=')[0];
    if ((RESERVED_SBATCH_FLAGS as readonly string[]).includes(flag) || (/^-[oeDJaW]./.test(arg) && (RESERVED_SBATCH_FLAGS as readonly string[]).includes(arg.slice(0, 2)))) {
      return `'${flag}' is set by the Slurm executor itself (log, working directory, job name, no requeue); remove it from sbatch_args`;
    }
  }
  return undefined;
}

function describe(value: ParamValue): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `'${value}'` : `${typeof value} ${String(value)}`;
}
