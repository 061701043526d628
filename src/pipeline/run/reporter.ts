// What the runner tells the person watching. Two renderings: plain timestamped lines (CI, pipes)
// and a live TTY view (live-view.ts). The runner calls these and nothing else prints.
import type { RunSummary } from './outcome.ts';
import type { Reason } from './reason.ts';

export interface FailureInfo {
  exitCode: number | null;
  signal?: string | null;
  message: string;
  logPath: string;
  tail: string[];
}

export interface Reporter {
  begin(total: number): void;
  cached(id: string): void;
  started(id: string, reason: Reason): void;
  progress(id: string, fraction: number, note?: string): void;
  finished(id: string, status: 'ok' | 'skipped', seconds: number, note?: string): void;
  failed(id: string, info: FailureInfo): void;
  blocked(failedId: string, dependents: string[]): void;
  wouldRun(id: string, reason: Reason): void;
  warn(message: string): void;
  end(summary: RunSummary): void;
}

export const silentReporter: Reporter = {
  begin() {},
  cached() {},
  started() {},
  progress() {},
  finished() {},
  failed() {},
  blocked() {},
  wouldRun() {},
  warn() {},
  end() {},
};
