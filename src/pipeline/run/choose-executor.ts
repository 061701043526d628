// `--executor` (or pipeline.yaml's `executor.name`, default local) → the Executor and the default
// -j that goes with it: cores for local jobs, jobs in flight for Slurm (executor.slurm.jobs).
import { DEFAULT_EXECUTOR_CONFIG, type Plan } from '../plan-types.ts';
import type { Executor } from './executor.ts';
import { LocalExecutor } from './local-executor.ts';
import { SlurmExecutor } from './slurm-executor.ts';

/** Jobs in flight under Slurm when neither -j nor executor.slurm.jobs says. */
export const DEFAULT_SLURM_JOBS = 32;

export interface ExecutorChoice {
  executor: Executor;
  /** Default for -j; undefined: the runner's own default (all cores). */
  jobs?: number;
}

export function chooseExecutor(plan: Plan, name: 'local' | 'slurm' | undefined, warn: (message: string) => void = () => undefined): ExecutorChoice {
  const config = plan.executor ?? DEFAULT_EXECUTOR_CONFIG;
  if ((name ?? config.name) === 'local') return { executor: new LocalExecutor() };
  const executor = new SlurmExecutor({
    defaults: config.slurm.resources,
    ...(config.slurm.pollInterval !== undefined ? { pollIntervalMs: config.slurm.pollInterval * 1000 } : {}),
    warn,
  });
  return { executor, jobs: config.slurm.jobs ?? DEFAULT_SLURM_JOBS };
}
