// How a Slurm job's end is judged from its own status file and the controller's view (no sacct).
import { decodeWaitStatus, judgeJob, type JobObservation } from '../../../../../src/pipeline/run/slurm/job-verdict.ts';

const base: JobObservation = { jobId: '42', exitStatus: null, controller: undefined, cancelledByUs: false, endedWithoutStatusMs: 0, statusGraceMs: 15_000 };
const judge = (o: Partial<JobObservation>) => judgeJob({ ...base, ...o });
const view = (state: string, reason = 'None', waitStatus?: number) => ({ state, reason, ...(waitStatus !== undefined ? { waitStatus } : {}) });

describe('judgeJob', () => {
  it('takes the status file as the answer: 0 completes, even while the controller still says RUNNING', () => {
    const v = judge({ exitStatus: 0, controller: view('RUNNING') });
    expect(v).toMatchObject({ done: true, slurmState: 'COMPLETED', result: { state: 'completed', exitCode: 0, handle: 'Slurm job 42' } });
  });

  it('reports a non-zero status as FAILED with the job id, the reason and the code', () => {
    const v = judge({ exitStatus: 3, controller: view('FAILED', 'NonZeroExitCode', 768) });
    expect(v).toMatchObject({ done: true, slurmState: 'FAILED', result: { state: 'failed', exitCode: 3, detail: 'Slurm job 42 FAILED (NonZeroExitCode), exit code 3' } });
  });

  it('decides from the status file when the controller cannot be asked or has forgotten the job', () => {
    expect(judge({ exitStatus: 0, controller: undefined })).toMatchObject({ done: true, result: { state: 'completed' } });
    expect(judge({ exitStatus: 1, controller: 'unknown' })).toMatchObject({ done: true, result: { state: 'failed', exitCode: 1 } });
  });

  it('waits while the job is pending, running or completing, and while the controller does not answer', () => {
    for (const s of ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED']) expect(judge({ controller: view(s) })).toEqual({ done: false });
    expect(judge({ controller: undefined, endedWithoutStatusMs: 1e9 })).toEqual({ done: false });
  });

  it('reports a time limit and an outside scancel at once, by Slurm state (not by the shell-made exit code)', () => {
    expect(judge({ controller: view('TIMEOUT', 'TimeLimit', 143 << 8) })).toMatchObject({
      done: true, slurmState: 'TIMEOUT', result: { state: 'failed', exitCode: 143, detail: 'Slurm job 42 TIMEOUT (TimeLimit)' },
    });
    const cancelled = judge({ controller: view('CANCELLED', 'None', 15) });
    expect(cancelled).toMatchObject({ done: true, slurmState: 'CANCELLED', result: { state: 'failed', exitCode: null, signal: 'SIGTERM' } });
    expect((cancelled as { result: { detail: string } }).result.detail).toMatch(/^Slurm job 42 CANCELLED from outside this run/);
  });

  it('reports NODE_FAIL as lost (its processes may still run)', () => {
    const v = judge({ controller: view('NODE_FAIL', 'NodeDown', 0) });
    expect(v).toMatchObject({ done: true, slurmState: 'NODE_FAIL', result: { state: 'lost' } });
    expect((v as { result: { detail: string } }).result.detail).toContain('Slurm job 42 NODE_FAIL (NodeDown): its node stopped answering');
  });

  it('gives a shared filesystem time to show the status file of a job the controller says ended normally', () => {
    expect(judge({ controller: view('COMPLETED', 'None', 0), endedWithoutStatusMs: 14_999 })).toEqual({ done: false });
    expect(judge({ controller: view('COMPLETED', 'None', 0), endedWithoutStatusMs: 15_000 })).toMatchObject({
      done: true, result: { state: 'failed', detail: 'Slurm job 42 COMPLETED without writing its exit status' },
    });
    // Never launched (e.g. its log directory was missing): FAILED/JobLaunchFailure, no status file ever.
    expect(judge({ controller: view('FAILED', 'JobLaunchFailure', 53), endedWithoutStatusMs: 20_000 })).toMatchObject({
      done: true, result: { state: 'failed', signal: '53', detail: 'Slurm job 42 FAILED (JobLaunchFailure) without writing its exit status' },
    });
  });

  it('reports a job the controller forgot without a status file as lost, after the grace period', () => {
    expect(judge({ controller: 'unknown', endedWithoutStatusMs: 1000 })).toEqual({ done: false });
    expect(judge({ controller: 'unknown', endedWithoutStatusMs: 15_000 })).toMatchObject({
      done: true, slurmState: 'UNKNOWN', result: { state: 'lost', detail: 'Slurm job 42 vanished from the controller without writing its exit status' },
    });
  });

  it('calls a job we cancelled cancelled, once the controller says it ended (or forgot it)', () => {
    expect(judge({ cancelledByUs: true, controller: view('RUNNING') })).toEqual({ done: false });
    expect(judge({ cancelledByUs: true, controller: view('CANCELLED', 'None', 15) })).toMatchObject({ done: true, result: { state: 'cancelled' } });
    expect(judge({ cancelledByUs: true, controller: 'unknown' })).toMatchObject({ done: true, result: { state: 'cancelled' } });
    expect(judge({ cancelledByUs: true, exitStatus: 0 })).toMatchObject({ done: true, result: { state: 'cancelled' } });
  });
});

describe('decodeWaitStatus', () => {
  it('splits a raw wait status into exit code or signal', () => {
    expect(decodeWaitStatus(768)).toEqual({ exitCode: 3, signal: null });
    expect(decodeWaitStatus(0)).toEqual({ exitCode: 0, signal: null });
    expect(decodeWaitStatus(9)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(decodeWaitStatus(undefined)).toEqual({ exitCode: null, signal: null });
  });
});
