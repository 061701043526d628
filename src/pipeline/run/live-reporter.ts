// The TTY view: finished instances scroll by as permanent lines; below them a live block shows
// each running instance with a progress bar, its latest note and elapsed time, plus done/total.
import { summaryLine, type RunSummary } from './outcome.ts';
import { failureLines, blockedLine, type ReporterOptions } from './plain-reporter.ts';
import { formatReason, type Reason } from './reason.ts';
import type { FailureInfo, Reporter } from './reporter.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR = 20;

interface Live {
  started: number;
  fraction?: number;
  note?: string;
}

export class LiveReporter implements Reporter {
  private readonly running = new Map<string, Live>();
  private drawnLines = 0;
  private total = 0;
  private settled = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly opts: ReporterOptions,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  begin(total: number): void {
    this.total = total;
    this.timer = setInterval(() => this.redraw(), 120);
    this.timer.unref();
  }
  cached(id: string): void {
    this.settled++;
    if (this.opts.verbose) this.permanent(`  cached  ${id}`);
  }
  started(id: string, reason: Reason): void {
    this.running.set(id, { started: Date.now() });
    this.permanent(`▶ ${id} — ${formatReason(reason)}`);
  }
  progress(id: string, fraction: number, note?: string): void {
    const r = this.running.get(id);
    if (r) Object.assign(r, { fraction, note });
  }
  finished(id: string, status: 'ok' | 'skipped', seconds: number, note?: string): void {
    this.running.delete(id);
    this.settled++;
    this.permanent(status === 'ok' ? `✔ ${id} (${seconds.toFixed(1)} s)` : `↷ ${id} skipped (${seconds.toFixed(1)} s): ${note ?? ''}`);
  }
  failed(id: string, info: FailureInfo): void {
    this.running.delete(id);
    this.settled++;
    this.permanent(`✘ ${failureLines(id, info, this.opts.root).join('\n')}`);
  }
  blocked(failedId: string, dependents: string[]): void {
    this.settled += dependents.length;
    const l = blockedLine(failedId, dependents);
    if (l) this.permanent(`  ${l}`);
  }
  wouldRun(id: string, reason: Reason): void {
    this.settled++;
    this.permanent(`would run ${id} — ${formatReason(reason)}`);
  }
  warn(message: string): void {
    this.permanent(`⚠ ${message}`);
  }
  end(summary: RunSummary): void {
    if (this.timer) clearInterval(this.timer);
    this.running.clear();
    this.clear();
    this.out.write(`${summaryLine(summary, this.opts.dryRun)}\n`);
  }

  private permanent(text: string): void {
    this.clear();
    this.out.write(text + '\n');
    this.draw();
  }

  private clear(): void {
    if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private redraw(): void {
    if (this.running.size === 0 && this.drawnLines === 0) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    this.clear();
    this.draw();
  }

  private draw(): void {
    if (this.running.size === 0) return;
    const width = Math.max(40, this.out.columns ?? 100);
    const lines = [`${this.settled}/${this.total} done, ${this.running.size} running`];
    for (const [id, r] of this.running) {
      const secs = ((Date.now() - r.started) / 1000).toFixed(0);
      const bar = r.fraction === undefined ? ' '.repeat(BAR) : '█'.repeat(Math.round(r.fraction * BAR)).padEnd(BAR, '░');
      const pct = r.fraction === undefined ? '   ' : `${Math.round(r.fraction * 100)}%`.padStart(4);
      lines.push(`${FRAMES[this.frame]} ${id} [${bar}]${pct} ${secs}s ${r.note ?? ''}`.slice(0, width - 1));
    }
    this.out.write(lines.join('\n') + '\n');
    this.drawnLines = lines.length;
  }
}
