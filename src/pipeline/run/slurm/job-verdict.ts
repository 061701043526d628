// How a Slurm job ended, from what can be observed without sacct: the exit status the job wrote
// (authoritative: written after the stage process exited, so its outs are complete) and what the
// controller says (squeue), which explains jobs that never wrote one — cancelled, timed out, lost
// with their node, never launched, or vanished from the controller.
import { constants } from 'node:os';
import type { JobResult } from '../executor.ts';

/** States after which a job never runs again (with --no-requeue). Anything else is still in play. */
export const TERMINAL_STATES = new Set([
  'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED',
]);

/** Terminal states that are Slurm's own word that the job did not end by itself: no need to wait for a status file. */
const KILLED_STATES = new Set(['CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

export interface ControllerView {
  state: string;
  reason: string;
  /** squeue's exit_code: a raw wait status (exit << 8 | signal), when known. */
  waitStatus?: number;
}

export interface JobObservation {
  jobId: string;
  /** The exit status the job wrote, or null while (or if never) there is none. */
  exitStatus: number | null;
  /** The controller's view; 'unknown' when it does not know the job (purged or never there); undefined when it could not be asked. */
  controller: ControllerView | 'unknown' | undefined;
  cancelledByUs: boolean;
  /** How long the controller has shown the job ended (or unknown) while no status file was visible. */
  endedWithoutStatusMs: number;
  /** How long to wait for a status file after the controller says the job ended (shared filesystems lag). */
  statusGraceMs: number;
}

export type Verdict = { done: false } | { done: true; result: JobResult; slurmState: string };

export function judgeJob(o: JobObservation): Verdict {
  const label = `Slurm job ${o.jobId}`;
  const known = typeof o.controller === 'object' ? o.controller : undefined;
  if (o.exitStatus !== null) {
    if (o.cancelledByUs) return done({ state: 'cancelled', exitCode: o.exitStatus, handle: label }, 'CANCELLED');
    if (o.exitStatus === 0) return done({ state: 'completed', exitCode: 0, handle: label, detail: `${label} COMPLETED` }, 'COMPLETED');
    const state = known && TERMINAL_STATES.has(known.state) && known.state !== 'COMPLETED' ? known.state : 'FAILED';
    return done({ state: 'failed', exitCode: o.exitStatus, handle: label, detail: `${label} ${state}${reasonOf(known)}, exit code ${o.exitStatus}` }, state);
  }
  if (o.controller === undefined) return { done: false };
  if (known && !TERMINAL_STATES.has(known.state)) return { done: false };
  if (o.cancelledByUs) return done({ state: 'cancelled', exitCode: null, handle: label }, known?.state ?? 'CANCELLED');
  if (!(known && KILLED_STATES.has(known.state)) && o.endedWithoutStatusMs < o.statusGraceMs) return { done: false };
  if (!known) {
    return done({ state: 'lost', exitCode: null, handle: label, detail: `${label} vanished from the controller without writing its exit status` }, 'UNKNOWN');
  }
  const { exitCode, signal } = decodeWaitStatus(known.waitStatus);
  const why = known.state === 'NODE_FAIL'
    ? ': its node stopped answering (processes there may run on until slurmd returns)'
    : known.state === 'CANCELLED' ? ' from outside this run (scancel, an administrator, or a preemption)'
    : known.state === 'COMPLETED' || known.state === 'FAILED' ? ' without writing its exit status' : '';
  return done(
    {
      state: known.state === 'NODE_FAIL' ? 'lost' : 'failed',
      exitCode,
      signal,
      handle: label,
      detail: `${label} ${known.state}${reasonOf(known)}${why}`,
    },
    known.state,
  );
}

function done(result: JobResult, slurmState: string): Verdict {
  return { done: true, result, slurmState };
}

function reasonOf(view: ControllerView | undefined): string {
  return view && view.reason && view.reason !== 'None' ? ` (${view.reason})` : '';
}

/** Slurm reports waitpid()'s status; a TIMEOUT's is whatever the shell made of SIGTERM, so states, not codes, decide. */
export function decodeWaitStatus(raw: number | undefined): { exitCode: number | null; signal: string | null } {
  if (raw === undefined || !Number.isInteger(raw) || raw < 0) return { exitCode: null, signal: null };
  const sig = raw & 0x7f;
  if (sig !== 0) return { exitCode: null, signal: signalName(sig) };
  return { exitCode: (raw >> 8) & 0xff, signal: null };
}

function signalName(n: number): string {
  const found = Object.entries(constants.signals).find(([, v]) => v === n);
  return found ? found[0] : String(n);
}
