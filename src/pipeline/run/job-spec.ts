// What the runner hands the child process (as a JSON file) and what the child reports back (as
// JSON lines appended to an events file next to the job). Files, not pipes, so that an executor
// that runs the child elsewhere (a Slurm node on a shared filesystem) gets the same protocol,
// including the final status when no scheduler accounting is available.
import type { ParamValue, StageInput } from '../stage.ts';

export const JOB_FORMAT = 1;

export interface JobSpec {
  format: number;
  stage: string;
  id: string;
  profile: string;
  root: string;
  /** Absolute path of the stage module (`run:`), or the command template (`cmd:`). */
  module?: string;
  /** The stage module as declared (root-relative), for messages; `module` may be its bundle. */
  source?: string;
  cmd?: string;
  params: Record<string, ParamValue>;
  matrix: Record<string, ParamValue>;
  seed: number;
  outDir: string;
  /** Out name → path relative to outDir. */
  outs: Record<string, string>;
  /** Upstream stage name → its instances this one depends on, in plan order. */
  inputs: Record<string, StageInput[]>;
  eventsPath: string;
  /** Exit when this pid is no longer our parent (a local runner killed with -9). */
  parentPid?: number;
}

export type JobEvent =
  | { t: 'start'; at: number; pid: number; host?: string }
  | { t: 'progress'; at: number; fraction: number; note?: string }
  | { t: 'end'; at: number; status: 'ok' | 'skipped' | 'failed'; reason?: string; error?: string };
