// Runs jobs as Slurm batch jobs: one `sbatch` per ready instance, running the same argv the local
// executor spawns, on a filesystem the compute nodes share with this process (project, artifact
// store, engine). One poll loop serves every job in flight: it forwards the events files' progress,
// reads the exit status each job writes for itself, and asks squeue (one call for all jobs) about
// those that have none — cancelled, timed out, lost with their node, never launched, vanished.
// The runner publishes exactly as for local jobs: it only sees a JobResult.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ParamValue } from '../stage.ts';
import { EventsReader } from './events-file.ts';
import type { Executor, Job, JobHooks, JobResult } from './executor.ts';
import type { JobEvent } from './job-spec.ts';
import { jobScript } from './slurm/job-script.ts';
import { judgeJob, TERMINAL_STATES, type ControllerView } from './slurm/job-verdict.ts';
import { mergeResources, sbatchArgv } from './slurm/sbatch-args.ts';
import { sbatch, scancel, squeue } from './slurm/slurm-cli.ts';

export interface SlurmExecutorOptions {
  /** executor.slurm defaults from pipeline.yaml (mem, gpus, time, partition, sbatch_args). */
  defaults?: Record<string, ParamValue>;
  /** Between polls of squeue and the jobs' files (default 1000). */
  pollIntervalMs?: number;
  /** How long a job the controller says has ended may take to show its status file (default 15 s). */
  statusGraceMs?: number;
  /** After this long without an answer from squeue, jobs with no status file count as lost (default 10 min). */
  controllerTimeoutMs?: number;
  /** After scancel, how long to wait for the controller to confirm before giving up on a job (default 60 s). */
  cancelWaitMs?: number;
  warn?: (message: string) => void;
}

interface Tracked {
  job: Job;
  hooks: JobHooks;
  reader: EventsReader;
  statusPath: string;
  jobId?: string;
  end?: Extract<JobEvent, { t: 'end' }>;
  cancelledByUs: boolean;
  cancelRequestedAt?: number;
  endedWithoutStatusSince?: number;
  resolve(result: JobResult): void;
  done: Promise<JobResult>;
}

export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  readonly local = false;
  private readonly tracked = new Map<string, Tracked>();
  private readonly defaults: Record<string, ParamValue>;
  private readonly pollMs: number;
  private readonly graceMs: number;
  private readonly controllerTimeoutMs: number;
  private readonly cancelWaitMs: number;
  private readonly warn: (message: string) => void;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private stopping = false;
  private lastAnswerAt = Date.now();

  constructor(opts: SlurmExecutorOptions = {}) {
    this.defaults = opts.defaults ?? {};
    this.pollMs = opts.pollIntervalMs ?? 1000;
    this.graceMs = opts.statusGraceMs ?? 15_000;
    this.controllerTimeoutMs = opts.controllerTimeoutMs ?? 600_000;
    this.cancelWaitMs = opts.cancelWaitMs ?? 60_000;
    this.warn = opts.warn ?? (() => undefined);
  }

  async submit(job: Job, hooks: JobHooks): Promise<JobResult> {
    if (this.stopping) return { state: 'cancelled', exitCode: null };
    const jobDir = dirname(job.eventsPath);
    const statusPath = join(jobDir, 'exit-status');
    const scriptPath = join(jobDir, 'job.sbatch');
    // Slurm fails a job whose log directory is missing without running it (JobLaunchFailure).
    mkdirSync(dirname(job.logPath), { recursive: true });
    mkdirSync(jobDir, { recursive: true });
    rmSync(statusPath, { force: true });
    writeFileSync(scriptPath, jobScript({ instanceId: job.instanceId, argv: job.argv, env: job.env, cwd: job.cwd, statusPath }), { mode: 0o755 });

    let resolve!: (r: JobResult) => void;
    const done = new Promise<JobResult>((r) => (resolve = r));
    const t: Tracked = { job, hooks, reader: new EventsReader(job.eventsPath), statusPath, cancelledByUs: false, resolve, done };
    this.tracked.set(job.instanceId, t);
    const args = sbatchArgv({ jobName: job.instanceId, logPath: job.logPath, cwd: job.cwd, scriptPath, resources: mergeResources(this.defaults, job.resources) });
    try {
      t.jobId = await sbatch(args);
    } catch (err) {
      this.tracked.delete(job.instanceId);
      const message = (err as Error).message;
      writeFileSync(job.logPath, `sbatch ${args.join(' ')}\nsbatch refused the job: ${message}\n`, { flag: 'a' });
      t.resolve({ state: t.cancelledByUs ? 'cancelled' : 'failed', exitCode: null, detail: `sbatch refused the job: ${message.split('\n')[0]}` });
      return done;
    }
    // A queued job may wait long before it starts: say which job it is right away (the first progress line).
    hooks.onEvent({ t: 'progress', at: Date.now(), fraction: 0, note: `submitted as Slurm job ${t.jobId}` });
    // Cancelled while sbatch was talking to the controller: the job exists now, stop it.
    if (t.cancelledByUs) void this.scancelQuietly([t.jobId]);
    this.schedulePoll();
    return done;
  }

  async cancel(instanceId: string): Promise<void> {
    const t = this.tracked.get(instanceId);
    if (!t) return;
    this.markCancelled(t);
    if (t.jobId) await this.scancelQuietly([t.jobId]);
    await t.done;
  }

  async cancelAll(): Promise<void> {
    this.stopping = true;
    const all = [...this.tracked.values()];
    for (const t of all) this.markCancelled(t);
    await this.scancelQuietly(all.flatMap((t) => (t.jobId ? [t.jobId] : [])));
    await Promise.all(all.map((t) => t.done));
  }

  private markCancelled(t: Tracked): void {
    t.cancelledByUs = true;
    t.cancelRequestedAt ??= Date.now();
  }

  private async scancelQuietly(ids: string[]): Promise<void> {
    try {
      await scancel(ids);
    } catch (err) {
      this.warn(`scancel ${ids.join(' ')} failed: ${(err as Error).message}`);
    }
  }

  private schedulePoll(): void {
    if (this.timer || this.tracked.size === 0) return;
    // Not unref'd: between polls this timer is what keeps the runner alive while jobs run elsewhere.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll().finally(() => this.schedulePoll());
    }, this.pollMs);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const active = [...this.tracked.values()].filter((t) => t.jobId !== undefined);
      for (const t of active) this.drainEvents(t);
      const views = await squeue(active.map((t) => t.jobId!));
      const now = Date.now();
      if (views) this.lastAnswerAt = now;
      const controllerGone = !views && now - this.lastAnswerAt > this.controllerTimeoutMs;
      for (const t of active) this.settle(t, views, controllerGone, now);
    } catch (err) {
      this.warn(`polling Slurm failed: ${(err as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private settle(t: Tracked, views: Map<string, ControllerView> | undefined, controllerGone: boolean, now: number): void {
    const exitStatus = readExitStatus(t.statusPath);
    const controller = views ? (views.get(t.jobId!) ?? 'unknown') : controllerGone ? 'unknown' : undefined;
    const endedWithoutStatus = exitStatus === null && controller !== undefined && (controller === 'unknown' || isEnded(controller));
    if (endedWithoutStatus) t.endedWithoutStatusSince ??= now;
    else t.endedWithoutStatusSince = undefined;
    let verdict = judgeJob({
      jobId: t.jobId!,
      exitStatus,
      controller,
      cancelledByUs: t.cancelledByUs,
      endedWithoutStatusMs: t.endedWithoutStatusSince === undefined ? 0 : now - t.endedWithoutStatusSince,
      statusGraceMs: this.graceMs,
    });
    if (!verdict.done && t.cancelledByUs && now - (t.cancelRequestedAt ?? now) > this.cancelWaitMs) {
      this.warn(`Slurm job ${t.jobId} (${t.job.instanceId}) was cancelled ${Math.round(this.cancelWaitMs / 1000)} s ago and the controller still does not report it ended; giving up on it`);
      verdict = { done: true, result: { state: 'cancelled', exitCode: null, handle: `Slurm job ${t.jobId}` }, slurmState: 'CANCELLED' };
    }
    if (!verdict.done) return;
    this.drainEvents(t);
    this.tracked.delete(t.job.instanceId);
    // A job reported lost may still run on a node that stopped answering: make sure it dies there when the node returns.
    if (verdict.result.state === 'lost') void this.scancelQuietly([t.jobId!]);
    t.resolve({ ...verdict.result, ...(t.end ? { end: t.end } : {}) });
  }

  private drainEvents(t: Tracked): void {
    for (const ev of t.reader.readNew()) {
      if (ev.t === 'end') t.end = ev;
      t.hooks.onEvent(ev);
    }
  }
}

function isEnded(view: ControllerView): boolean {
  return TERMINAL_STATES.has(view.state);
}

/** The status the job script wrote (it renames the file into place, so a partial file is never seen). */
function readExitStatus(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const n = Number(text.trim());
  return Number.isInteger(n) ? n : null;
}
