// The seam between reading pipeline.yaml (config/ → Plan) and running it (runner/ ← Plan).
import type { ParamValue } from './stage.ts';

export interface SourcePos {
  file: string; // path as given to the loader (relative to root when inside it)
  line: number; // 1-based
  col: number; // 1-based
}

export interface DepSpec {
  stage: string;
  /** Optional selection of upstream matrix instances, from `deps: [deep-vae[learn=true]]`. */
  filter: Record<string, ParamValue>;
  pos: SourcePos;
}

export interface Resources {
  /** Cores the stage occupies in the local scheduler's -j budget (default 1). */
  cpus: number;
  /** Executor-specific settings (e.g. slurm: mem, gpus, time, partition, sbatch_args). */
  [key: string]: ParamValue;
}

/** The `executor:` section of pipeline.yaml: which executor runs jobs, and Slurm's defaults. */
export interface ExecutorConfig {
  /** Used when `--executor` is not given (default `local`). */
  name: 'local' | 'slurm';
  slurm: SlurmSettings;
}

export interface SlurmSettings {
  /** Defaults for every stage (mem, gpus, time, partition, sbatch_args); a stage's own resources win. */
  resources: Record<string, ParamValue>;
  /** Jobs in flight when -j is not given. */
  jobs?: number;
  /** Seconds between polls of squeue and of the jobs' status and events files. */
  pollInterval?: number;
}

export const DEFAULT_EXECUTOR_CONFIG: ExecutorConfig = { name: 'local', slurm: { resources: {} } };

export interface StageSpec {
  name: string;
  /** Free text from `description:`, shown by `dag` and `status`. */
  description?: string;
  /** `run:` a TypeScript stage module (path relative to root), or `cmd:` a shell command. */
  run?: string;
  cmd?: string;
  /** Extra files whose content is part of the fingerprint (useful for `cmd:` stages). */
  code: string[];
  deps: DepSpec[];
  /** Dotted param names the stage reads, e.g. `deep_vae.width` (a subtree name gives the subtree). */
  params: string[];
  /** Matrix axes in declaration order; values already resolved for the active profile. */
  matrix: { key: string; values: ParamValue[] }[];
  /** Out name → path relative to the stage's out dir. */
  outs: Record<string, string>;
  resources: Resources;
  /**
   * Optional directory (relative to root, e.g. `reports/`) that the engine mirrors the stage's
   * outs into after a successful publish, so people find them at a fixed path. Not an input to
   * anything; never read back.
   */
  publish?: string;
  /**
   * Out names whose bytes embed facts of the run rather than of the result (e.g. a report that
   * shows how long each stage took). Still hashed and verified; reproducibility checks report them
   * as volatile instead of comparing their bytes.
   */
  volatile: string[];
  pos: SourcePos;
}

export interface StageInstance {
  /** `stage` or `stage[k1=v1,k2=v2]` with keys in matrix declaration order. */
  id: string;
  stage: string;
  matrix: Record<string, ParamValue>;
  /** Resolved values of the declared params (dotted names) plus the matrix values. */
  params: Record<string, ParamValue>;
  /** Instance ids this one depends on, in plan order. */
  deps: string[];
  spec: StageSpec;
}

export interface Plan {
  root: string; // absolute project root
  file: string; // absolute path of pipeline.yaml
  profile: string;
  /** Profile seed (params.seed) from which stage seeds are derived. */
  seed: number;
  /** Every instance, in a topological order (deps before dependents, then declaration order). */
  instances: StageInstance[];
  byId: Map<string, StageInstance>;
  /** From pipeline.yaml's `executor:` (absent in plans built by hand: local). */
  executor?: ExecutorConfig;
}
