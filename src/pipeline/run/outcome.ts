// How each instance of a run ended, and the summary the CLI prints.
import type { LockRecord } from '../store/lock-file.ts';
import type { Reason } from './reason.ts';

export type Outcome =
  | { kind: 'cached'; record: LockRecord }
  | { kind: 'ran'; record: LockRecord; reason: Reason }
  | { kind: 'failed'; reason: Reason; message: string; exitCode: number | null; logPath: string; tail: string[] }
  | { kind: 'blocked'; by: string }
  | { kind: 'cancelled' }
  | { kind: 'would-run'; reason: Reason; record?: LockRecord };

export interface RunSummary {
  outcomes: Map<string, Outcome>;
  /** Selected instances that were never started (a failure without --keep-going, or Ctrl-C). */
  notStarted: string[];
  ran: number;
  cached: number;
  /** Instances whose stage skipped itself (ctx.skip), this run or cached. */
  skipped: number;
  failed: number;
  blocked: number;
  wouldRun: number;
  interrupted: boolean;
  seconds: number;
}

export function summarise(outcomes: Map<string, Outcome>, notStarted: string[], interrupted: boolean, seconds: number): RunSummary {
  let ran = 0, cached = 0, skipped = 0, failed = 0, blocked = 0, wouldRun = 0;
  for (const o of outcomes.values()) {
    if (o.kind === 'ran') ran++;
    if (o.kind === 'cached') cached++;
    if ((o.kind === 'ran' || o.kind === 'cached') && o.record.status === 'skipped') skipped++;
    if (o.kind === 'failed') failed++;
    if (o.kind === 'blocked') blocked++;
    if (o.kind === 'would-run') wouldRun++;
  }
  return { outcomes, notStarted, ran, cached, skipped, failed, blocked, wouldRun, interrupted, seconds };
}

export function summaryLine(s: RunSummary, dryRun = false): string {
  if (dryRun) return `${s.wouldRun} would run, ${s.cached} cached, ${s.blocked} blocked (dry run)`;
  let line = `${s.ran} ran, ${s.cached} cached, ${s.skipped} skipped, ${s.failed} failed in ${s.seconds.toFixed(1)} s`;
  const extra = [s.blocked ? `${s.blocked} not run (upstream failed)` : '', s.notStarted.length ? `${s.notStarted.length} not started` : ''].filter(Boolean);
  if (extra.length) line += ` (${extra.join(', ')})`;
  if (s.interrupted) line += ' — interrupted';
  return line;
}
