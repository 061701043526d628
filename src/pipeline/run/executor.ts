// The seam between scheduling and running: the runner decides WHAT runs and publishes results;
// an Executor only starts one prepared job and reports how it ended. `local` spawns child
// processes; `slurm` (slurm-executor.ts) submits the same argv with sbatch on a shared filesystem
// and reads the same events file for progress.
import type { JobEvent } from './job-spec.ts';

export interface Job {
  instanceId: string;
  /** Command to run, argv[0] first (the same for every executor). */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr of the job, together. */
  logPath: string;
  /** JSON-lines events file the child appends to (progress, start, end). */
  eventsPath: string;
  /** Where the job writes its outs; the runner publishes it afterwards. */
  tmpOutDir: string;
  resources: { cpus: number; [key: string]: unknown };
}

export interface JobResult {
  /** completed: exit 0; failed: non-zero exit; cancelled: by us; lost: vanished without a status. */
  state: 'completed' | 'failed' | 'cancelled' | 'lost';
  exitCode: number | null;
  signal?: string | null;
  /** Executor-specific id (pid, Slurm job id) for messages. */
  handle?: string;
  /** How it ended in the executor's own words (e.g. `Slurm job 12 TIMEOUT (TimeLimit)`), for the failure message. */
  detail?: string;
  /** The child's final `end` event, if it wrote one. */
  end?: Extract<JobEvent, { t: 'end' }>;
}

export interface JobHooks {
  onEvent(event: JobEvent): void;
}

export interface Executor {
  readonly name: string;
  /**
   * True when jobs are children of this process on this machine: then a child exits if its
   * parent (this runner) dies. A batch executor (Slurm) sets false: its jobs outlive the submitter.
   */
  readonly local: boolean;
  submit(job: Job, hooks: JobHooks): Promise<JobResult>;
  /** Stop one job; its submit() promise then resolves with state 'cancelled'. */
  cancel(instanceId: string): Promise<void>;
  cancelAll(): Promise<void>;
}
