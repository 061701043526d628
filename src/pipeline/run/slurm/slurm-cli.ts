// The four Slurm commands the executor uses, run through execa. Only the client programs on PATH:
// no REST API or library binding, so whatever Slurm a login node offers works (a PATH shim works too,
// which is how the tests count submissions).
import type { ControllerView } from './job-verdict.ts';

const COMMAND_TIMEOUT_MS = 60_000;

export class SlurmCommandError extends Error {}

async function run(file: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string; why: string }> {
  const { execa } = await import('execa');
  const res = await execa(file, args, { reject: false, timeout: COMMAND_TIMEOUT_MS, stdin: 'ignore' });
  const stderr = String(res.stderr ?? '').trim();
  const why = (res as { code?: string }).code === 'ENOENT'
    ? `\`${file}\` is not on PATH (is this a Slurm login node?)`
    : res.timedOut ? `\`${file}\` did not answer in ${COMMAND_TIMEOUT_MS / 1000} s` : stderr || (res.shortMessage ?? `exit code ${res.exitCode}`);
  return { ok: res.exitCode === 0, stdout: String(res.stdout ?? ''), stderr, why };
}

/** Submits; returns the job id (`--parsable` prints `id` or `id;cluster`). */
export async function sbatch(args: string[]): Promise<string> {
  const res = await run('sbatch', args);
  const id = res.stdout.trim().split(';')[0];
  if (!res.ok || !/^\d+$/.test(id)) throw new SlurmCommandError(res.ok ? `sbatch printed '${res.stdout.trim()}', not a job id` : res.why);
  return id;
}

/**
 * The controller's view of the given jobs (finished ones too: `-t all`). A job it does not know
 * is absent from the map. Returns undefined when the controller could not be asked.
 */
export async function squeue(ids: string[]): Promise<Map<string, ControllerView> | undefined> {
  const views = new Map<string, ControllerView>();
  if (ids.length === 0) return views;
  // `:0|`: no width limit (a reason holds spaces), '|' after each field. exit_code is a raw wait status.
  const res = await run('squeue', ['-h', '-t', 'all', '-j', ids.join(','), '-O', 'JobID:0|,State:0|,Reason:0|,exit_code:0|']);
  if (!res.ok) {
    // Every id unknown (purged after MinJobAge, or never accepted) is an answer, not a failure.
    return /Invalid job id/i.test(res.stderr) ? views : undefined;
  }
  for (const line of res.stdout.split('\n')) {
    const [id, state, reason, exit] = line.split('|');
    if (!id?.trim() || !state) continue;
    const waitStatus = Number(exit);
    views.set(id.trim(), { state: state.trim().split(/\s+/)[0], reason: (reason ?? '').trim(), ...(exit && Number.isInteger(waitStatus) ? { waitStatus } : {}) });
  }
  return views;
}

export async function scancel(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const res = await run('scancel', ids);
  // scancel on a job that already ended complains; that is fine.
  if (!res.ok && !/already completing or completed|Invalid job id/i.test(res.stderr)) throw new SlurmCommandError(res.why);
}
