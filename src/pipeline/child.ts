// The process that runs ONE stage instance: `node --import tsx src/pipeline/child.ts <job.json>`.
// It imports the stage module (or runs the `cmd:`), hands it a StageContext, and reports through
// the job's events file: start, throttled progress, and a final `end` with ok | skipped | failed.
// Exit 0 for ok and skipped, 1 for a failure (the stack goes to stderr, i.e. the log).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { appendEvent } from './run/events-file.ts';
import type { JobSpec } from './run/job-spec.ts';
import { StageSkip, createStageContext } from './run/stage-context.ts';
import { cmdEnv, expandCmd } from './run/cmd-template.ts';
import type { StageRun } from './stage.ts';

const PROGRESS_INTERVAL_MS = 200;

async function main(jobPath: string): Promise<number> {
  const job = JSON.parse(readFileSync(jobPath, 'utf8')) as JobSpec;
  appendEvent(job.eventsPath, { t: 'start', at: Date.now(), pid: process.pid, host: hostname() });
  if (job.parentPid) watchParent(job.parentPid);

  let lastWrite = 0;
  let pending: { fraction: number; note?: string } | null = null;
  const flushProgress = () => {
    if (!pending) return;
    appendEvent(job.eventsPath, { t: 'progress', at: Date.now(), ...pending });
    pending = null;
    lastWrite = Date.now();
  };
  const ctx = createStageContext(job, {
    progress(fraction, note) {
      pending = { fraction, note };
      if (Date.now() - lastWrite >= PROGRESS_INTERVAL_MS || fraction >= 1) flushProgress();
    },
    log(message) {
      process.stdout.write(message.endsWith('\n') ? message : message + '\n');
    },
  });

  try {
    if (job.cmd !== undefined) await runCmd(job);
    else {
      const mod = (await import(pathToFileURL(job.module!).href)) as { run?: StageRun; default?: { run?: StageRun } };
      const run = mod.run ?? mod.default?.run;
      if (typeof run !== 'function') throw new Error(`${job.source ?? job.module} does not export a run(ctx) function`);
      await run(ctx);
    }
    flushProgress();
    appendEvent(job.eventsPath, { t: 'end', at: Date.now(), status: 'ok' });
    return 0;
  } catch (err) {
    flushProgress();
    if (err instanceof StageSkip) {
      process.stdout.write(`skipped: ${err.reason}\n`);
      appendEvent(job.eventsPath, { t: 'end', at: Date.now(), status: 'skipped', reason: err.reason });
      return 0;
    }
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    appendEvent(job.eventsPath, { t: 'end', at: Date.now(), status: 'failed', error: (err as Error)?.message ?? String(err) });
    return 1;
  }
}

async function runCmd(job: JobSpec): Promise<void> {
  const { execa } = await import('execa');
  const command = expandCmd(job.cmd!, job);
  process.stdout.write(`$ ${command}\n`);
  const res = await execa(command, { shell: '/bin/sh', cwd: job.root, env: cmdEnv(job), stdio: 'inherit', reject: false });
  if (res.exitCode !== 0) {
    throw new Error(`command exited with ${res.exitCode ?? res.signal}: ${command}`);
  }
}

/** A runner killed with -9 cannot stop us; notice the reparenting and stop ourselves. */
function watchParent(parentPid: number): void {
  setInterval(() => {
    if (process.ppid !== parentPid) process.exit(137);
  }, 500).unref();
}

const jobPath = process.argv[2];
if (!jobPath) {
  process.stderr.write('usage: node --import tsx src/pipeline/child.ts <job.json>\n');
  process.exit(2);
}
main(jobPath).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
