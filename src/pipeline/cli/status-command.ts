// `pipeline status` (what is stale, one reason line each) and `pipeline why S` (every reason, in
// detail, for a stage's instances or one instance). Both plan without running or writing.
import { PipelineConfigError } from '../errors.ts';
import { runPlan } from '../run/runner.ts';
import { reasonLines, formatReason } from '../run/reason.ts';
import { resolveTargets } from '../run/select.ts';
import type { RunSummary } from '../run/outcome.ts';
import type { CliArgs } from './args.ts';
import { planFor } from './load.ts';

export async function statusCommand(args: CliArgs, out: (text: string) => void): Promise<number> {
  const plan = await planFor(args);
  const summary = await runPlan({ plan, targets: args.positionals, dryRun: true, verify: args.verify, force: args.force });
  const stale = [...summary.outcomes].filter(([, o]) => o.kind === 'would-run');
  out(`profile ${plan.profile}: ${stale.length} of ${summary.outcomes.size} instances stale\n`);
  for (const [id, o] of stale) if (o.kind === 'would-run') out(`  ${id}: ${formatReason(o.reason)}\n`);
  return 0;
}

export async function whyCommand(args: CliArgs, out: (text: string) => void): Promise<number> {
  if (args.positionals.length === 0) throw new PipelineConfigError('why needs a stage name or an instance id', { key: 'why', hint: 'pipeline why mnist' });
  const plan = await planFor(args);
  const wanted = resolveTargets(plan, args.positionals);
  const summary: RunSummary = await runPlan({ plan, targets: args.positionals, dryRun: true, verify: args.verify, force: args.force });
  for (const inst of wanted) {
    const o = summary.outcomes.get(inst.id);
    if (!o) continue;
    if (o.kind === 'cached') {
      out(`${inst.id}: up to date (fingerprint ${o.record.fingerprint.slice(0, 12)}, ${o.record.status})\n`);
    } else if (o.kind === 'would-run') {
      out(`${inst.id}: must run\n`);
      for (const line of reasonLines(o.reason)) out(`  - ${line}\n`);
    } else if (o.kind === 'blocked') {
      out(`${inst.id}: blocked by ${o.by}\n`);
    }
  }
  return 0;
}
