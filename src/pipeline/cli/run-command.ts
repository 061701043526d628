// `pipeline run`: one run per workspace; Ctrl-C / SIGTERM / SIGHUP cancel running stages (scancel under
// Slurm), keep what finished (the lock is written after each instance) and exit 130.
import { join } from 'node:path';
import { acquireWorkspaceLock } from '../workspace-lock.ts';
import { runPlan } from '../run/runner.ts';
import { chooseExecutor } from '../run/choose-executor.ts';
import { PlainReporter } from '../run/plain-reporter.ts';
import { LiveReporter } from '../run/live-reporter.ts';
import type { CliArgs } from './args.ts';
import { planFor } from './load.ts';

export async function runCommand(args: CliArgs, out: (text: string) => void): Promise<number> {
  const plan = await planFor(args);
  const tty = Boolean(process.stdout.isTTY) && !process.env.CI;
  const reporterOpts = { root: plan.root, verbose: args.verbose, dryRun: args.dryRun, write: out };
  const reporter = tty ? new LiveReporter(reporterOpts) : new PlainReporter(reporterOpts);
  const { executor, jobs } = chooseExecutor(plan, args.executor, (m) => reporter.warn(m));
  const workspace = args.dryRun ? null : acquireWorkspaceLock(join(plan.root, '.pipeline'));
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\n${sig}: stopping running stages…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // the terminal closed
  try {
    const summary = await runPlan({
      plan,
      targets: args.positionals,
      jobs: args.jobs ?? jobs,
      executor,
      force: args.force,
      keepGoing: args.keepGoing,
      dryRun: args.dryRun,
      verify: args.verify,
      reporter,
      signal: controller.signal,
    });
    if (summary.interrupted) return 130;
    return summary.failed > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    workspace?.release();
  }
}
