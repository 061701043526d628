// Runs jobs as child processes on this machine (execa). Each child leads its own process group so
// that cancelling also stops what it spawned (a `cmd:` stage's shell and its children). Output goes
// straight to the job's log file through one shared fd (stdout and stderr interleaved in order).
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventsReader } from './events-file.ts';
import type { Executor, Job, JobHooks, JobResult } from './executor.ts';
import type { JobEvent } from './job-spec.ts';

const POLL_MS = 150;
const KILL_GRACE_MS = 3000;

interface Running {
  pid?: number;
  cancelled: boolean;
  done: Promise<JobResult>;
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  readonly local = true;
  private readonly running = new Map<string, Running>();

  async submit(job: Job, hooks: JobHooks): Promise<JobResult> {
    const { execa } = await import('execa'); // loaded on first real work only: keeps no-op runs fast
    mkdirSync(dirname(job.logPath), { recursive: true });
    const fd = openSync(job.logPath, 'a');
    const reader = new EventsReader(job.eventsPath);
    let end: Extract<JobEvent, { t: 'end' }> | undefined;
    const drain = () => {
      for (const ev of reader.readNew()) {
        if (ev.t === 'end') end = ev;
        hooks.onEvent(ev);
      }
    };
    const timer = setInterval(drain, POLL_MS);
    const entry: Running = { cancelled: false, done: undefined as unknown as Promise<JobResult> };
    const subprocess = execa(job.argv[0], job.argv.slice(1), {
      cwd: job.cwd,
      env: job.env,
      extendEnv: true,
      // A raw fd goes straight to the child (execa passes numbers through to spawn): output keeps
      // flowing to the log even if this process dies. execa's types omit plain numbers here.
      stdio: ['ignore', fd, fd] as unknown as ['ignore', 'inherit', 'inherit'],
      detached: true,
      cleanup: false,
      reject: false,
    });
    entry.pid = subprocess.pid;
    entry.done = (async (): Promise<JobResult> => {
      try {
        const res = await subprocess;
        drain();
        const exitCode = typeof res.exitCode === 'number' ? res.exitCode : null;
        const state: JobResult['state'] = entry.cancelled ? 'cancelled' : exitCode === 0 ? 'completed' : 'failed';
        return { state, exitCode, signal: res.signal ?? null, handle: `pid ${subprocess.pid}`, end };
      } finally {
        clearInterval(timer);
        closeSync(fd);
        this.running.delete(job.instanceId);
      }
    })();
    this.running.set(job.instanceId, entry);
    return entry.done;
  }

  async cancel(instanceId: string): Promise<void> {
    const r = this.running.get(instanceId);
    if (!r || r.pid === undefined) return;
    r.cancelled = true;
    killGroup(r.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(r.pid!, 'SIGKILL'), KILL_GRACE_MS);
    await r.done.catch(() => undefined);
    clearTimeout(timer);
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.cancel(id)));
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
