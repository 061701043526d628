// Plain, timestamped lines for CI logs and pipes: one line per start/finish, progress at most
// every few seconds per instance, the failing log's tail indented under the failure.
import { relative } from 'node:path';
import { summaryLine, type RunSummary } from './outcome.ts';
import { formatReason, type Reason } from './reason.ts';
import type { FailureInfo, Reporter } from './reporter.ts';

const PROGRESS_EVERY_MS = 5000;

export interface ReporterOptions {
  root: string;
  write?: (text: string) => void;
  /** Also list cached instances. */
  verbose?: boolean;
  dryRun?: boolean;
}

export function failureLines(id: string, info: FailureInfo, root: string): string[] {
  const lines = [`${id} FAILED (${info.signal ? `signal ${info.signal}` : `exit code ${info.exitCode ?? '?'}`}): ${info.message.split('\n')[0]}`];
  lines.push(`  log: ${relative(root, info.logPath)}${info.tail.length ? ` — last ${info.tail.length} lines:` : ' (empty)'}`);
  for (const l of info.tail) lines.push(`  | ${l}`);
  return lines;
}

export function blockedLine(failedId: string, dependents: string[]): string | null {
  return dependents.length ? `not running ${dependents.length} dependent${dependents.length > 1 ? 's' : ''} of ${failedId}: ${dependents.join(', ')}` : null;
}

export class PlainReporter implements Reporter {
  private readonly write: (text: string) => void;
  private readonly lastProgress = new Map<string, number>();

  constructor(private readonly opts: ReporterOptions) {
    this.write = opts.write ?? ((t) => void process.stdout.write(t));
  }

  private line(text: string): void {
    const now = new Date();
    const ts = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}:${String(now.getSeconds()).padStart(2, '0')}`;
    this.write(text.split('\n').map((l) => `[${ts}] ${l}`).join('\n') + '\n');
  }

  begin(total: number): void {
    if (this.opts.verbose) this.line(`${total} instance${total === 1 ? '' : 's'} selected`);
  }
  cached(id: string): void {
    if (this.opts.verbose) this.line(`cached  ${id}`);
  }
  started(id: string, reason: Reason): void {
    this.line(`run     ${id} — ${formatReason(reason)}`);
  }
  progress(id: string, fraction: number, note?: string): void {
    const last = this.lastProgress.get(id) ?? 0;
    if (Date.now() - last < PROGRESS_EVERY_MS && fraction < 1) return;
    this.lastProgress.set(id, Date.now());
    this.line(`        ${id} ${Math.round(fraction * 100)}%${note ? ` ${note}` : ''}`);
  }
  finished(id: string, status: 'ok' | 'skipped', seconds: number, note?: string): void {
    this.line(status === 'ok' ? `done    ${id} (${seconds.toFixed(1)} s)` : `skipped ${id} (${seconds.toFixed(1)} s): ${note ?? ''}`);
  }
  failed(id: string, info: FailureInfo): void {
    this.line(failureLines(id, info, this.opts.root).join('\n'));
  }
  blocked(failedId: string, dependents: string[]): void {
    const l = blockedLine(failedId, dependents);
    if (l) this.line(l);
  }
  wouldRun(id: string, reason: Reason): void {
    this.line(`would run ${id} — ${formatReason(reason)}`);
  }
  warn(message: string): void {
    this.line(`warning: ${message}`);
  }
  end(summary: RunSummary): void {
    this.line(summaryLine(summary, this.opts.dryRun));
  }
}
