// `repro:check`, the engine half: copy the project twice into temp dirs (empty stores), run one
// profile in each with the real engine, then (1) compare the two runs instance by instance and
// (2) compare the fresh run with the profile's records in the user's pipeline.lock, explaining
// any drift; optional extra checks (the science glue's claims) look at the fresh run before the
// copies go. `update` accepts the fresh run as the new expected records. Knows nothing of VAEs.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../plan-types.ts';
import { loadPlan } from '../plan.ts';
import { runPlan } from '../run/runner.ts';
import { failureLines, PlainReporter, blockedLine } from '../run/plain-reporter.ts';
import { summaryLine, type RunSummary } from '../run/outcome.ts';
import { silentReporter, type Reporter } from '../run/reporter.ts';
import { entryDir, layoutFor } from '../store/layout.ts';
import { readLock, type LockRecord } from '../store/lock-file.ts';
import { acquireWorkspaceLock } from '../workspace-lock.ts';
import { acceptFresh, type AcceptResult } from './accept-fresh.ts';
import { compareToExpected, type LockVerdict } from './compare-expected.ts';
import { compareRuns, outFiles, type InstanceShape, type RunResult } from './compare-runs.ts';
import { compareFilesNumerically } from './numeric-compare.ts';
import { copyProject, type ProjectCopy } from './project-copy.ts';
import { findingLines, renderTable, reproVerdict, type ExtraCheckOutcome, type ReproRow } from './repro-report.ts';

/** What an extra check sees of the fresh run (run A), before its temp copy is removed. */
export interface FreshRun {
  root: string;
  plan: Plan;
  records: Record<string, LockRecord>;
  /** Absolute path of an instance's out, when it ran and produced it. */
  outPath(id: string, out: string): string | undefined;
}

export interface ReproExtraCheck {
  name: string;
  check(fresh: FreshRun): ExtraCheckOutcome | Promise<ExtraCheckOutcome>;
}

export interface ReproCheckOptions {
  root: string;
  profile?: string;
  /** Accept the fresh run: write its records into the user's pipeline.lock and store. */
  update?: boolean;
  /** Cores per run (default: all); the two runs go one after the other. */
  jobs?: number;
  log?: (line: string) => void;
  /** Every engine line of both runs, not only failures. */
  verbose?: boolean;
  /** Root-relative paths symlinked (read-only use) into the copies; default node_modules. */
  link?: string[];
  /** Keep the temp copies (their paths are logged) for a look at differing files. */
  keep?: boolean;
  /** See CompareRunsOptions.nondeterministicBackend. */
  nondeterministicBackend?: (outs: Record<string, string>) => string | undefined;
  extraChecks?: ReproExtraCheck[];
  /** How a person accepts drift on purpose; printed with drift. */
  updateHint?: string;
  /** Aborting cancels the running stages; the check then ends as interrupted (temp copies removed). */
  signal?: AbortSignal;
}

export interface ReproCheckResult {
  ok: boolean;
  interrupted?: boolean;
  profile: string;
  rows: ReproRow[];
  extras: ExtraCheckOutcome[];
  accepted?: AcceptResult;
  summary: string;
}

interface DoneRun extends RunResult {
  copy: ProjectCopy;
  plan: Plan;
  summary: RunSummary;
}

export async function reproCheck(opts: ReproCheckOptions): Promise<ReproCheckResult> {
  const log = opts.log ?? ((l: string) => void process.stdout.write(l + '\n'));
  const jobs = opts.jobs ?? availableParallelism();
  const updateHint = opts.updateHint ?? 'npm run repro:check -- --update';
  const runs: DoneRun[] = [];
  try {
    for (const label of ['A', 'B'] as const) {
      runs.push(await freshRun(label, opts, jobs, log));
      if (opts.signal?.aborted || runs.at(-1)!.summary.interrupted) {
        const line = `repro:check INTERRUPTED during run ${label}`;
        log(line);
        return { ok: false, interrupted: true, profile: runs[0].plan.profile, rows: [], extras: [], summary: line };
      }
    }
    const [a, b] = runs;
    const profile = a.plan.profile;
    const instances: InstanceShape[] = a.plan.instances.map((i) => ({ id: i.id, outs: i.spec.outs, volatile: i.spec.volatile ?? [] }));
    const runVerdicts = compareRuns(instances, a, b, { nondeterministicBackend: opts.nondeterministicBackend });

    const userLayout = layoutFor(opts.root);
    const expected = (await readLock(userLayout.lockFile, userLayout.state)).profiles[profile];
    const lockVerdicts = compareToExpected(instances, a.records, expected, {
      compareByValue: (id, out, exp, fresh) => {
        const backend = opts.nondeterministicBackend?.(outFiles(fresh, a));
        const expFile = exp.entry ? join(entryDir(userLayout, exp.entry), exp.outs[out].path) : undefined;
        const freshFile = outFiles(fresh, a)[out];
        if (!backend || !expFile || !freshFile) return undefined;
        try {
          const result = compareFilesNumerically(expFile, freshFile);
          return result && { backend, result };
        } catch {
          return undefined; // the expected entry is not in the user's store: bytes rule
        }
      },
    });

    const rows: ReproRow[] = instances.map((i) => ({
      id: i.id,
      fingerprint: a.records[i.id]?.fingerprint,
      runs: runVerdicts.get(i.id)!,
      lock: lockVerdicts.get(i.id),
      secondsA: a.records[i.id]?.duration_s,
      secondsB: b.records[i.id]?.duration_s,
      outPaths: i.outs,
    }));
    for (const [id, v] of lockVerdicts) if (v.kind === 'gone') rows.push({ id, fingerprint: expected?.[id]?.fingerprint, lock: v });

    const extras: ExtraCheckOutcome[] = [];
    for (const x of opts.extraChecks ?? []) {
      try {
        extras.push(await x.check({ root: a.copy.dir, plan: a.plan, records: a.records, outPath: (id, out) => (a.records[id] ? outFiles(a.records[id], a)[out] : undefined) }));
      } catch (err) {
        extras.push({ name: x.name, ok: false, summary: `${x.name}: error`, lines: [`${x.name}: ${(err as Error).message}`] });
      }
    }

    const runsAgree = rows.every((r) => !r.runs || r.runs.kind === 'same' || r.runs.kind === 'close');
    const drift = rows.some((r) => isDrift(r.lock));
    let accepted: AcceptResult | undefined;
    const notes: string[] = [];
    if (opts.update && !runsAgree) notes.push('not updating pipeline.lock: the two runs disagree, so there is no single result to accept');
    else if (opts.update) {
      const ws = acquireWorkspaceLock(userLayout.state);
      try {
        accepted = await acceptFresh(opts.root, profile, a.records, a.copy.dir);
      } finally {
        ws.release();
      }
      notes.push(`pipeline.lock: ${accepted.records} ${profile} records written; ${accepted.entriesCopied} store entries copied into artifacts/.store (the next \`pipeline run --profile ${profile}\` finds them cached) — commit pipeline.lock`);
    } else if (drift && runsAgree) {
      notes.push(`to accept these results on purpose: ${updateHint}${profile !== 'smoke' ? ` --profile ${profile}` : ''} (then commit pipeline.lock)`);
    }

    const verdict = reproVerdict({ profile, rows, noExpected: !expected, accepted: !!accepted, extras });
    log('');
    for (const l of renderTable(rows, !!accepted)) log(l);
    const findings = findingLines(rows, !!accepted, !expected);
    if (findings.length) log('');
    for (const l of findings) log(l);
    for (const e of extras) for (const l of e.lines) log(l);
    for (const n of notes) log(n);
    log(verdict.line);
    return { ok: verdict.ok, profile, rows, extras, accepted, summary: verdict.line };
  } finally {
    for (const r of runs) {
      if (opts.keep) log(`kept run ${r === runs[0] ? 'A' : 'B'} in ${r.copy.dir}`);
      else r.copy.remove();
    }
  }
}

function isDrift(v: LockVerdict | undefined): boolean {
  return !!v && (v.kind === 'drift' || v.kind === 'new' || v.kind === 'gone');
}

async function freshRun(label: 'A' | 'B', opts: ReproCheckOptions, jobs: number, log: (l: string) => void): Promise<DoneRun> {
  const copy = copyProject(opts.root, { link: opts.link, prefix: `repro-${label.toLowerCase()}-` });
  try {
    const plan = loadPlan({ root: copy.dir, profile: opts.profile });
    log(`run ${label}: profile ${plan.profile}, ${plan.instances.length} instances, -j ${jobs}, from empty stores in ${copy.dir}`);
    const write = (t: string) => {
      for (const l of t.replace(/\n$/, '').split('\n')) log(`  ${label} ${l}`);
    };
    const reporter: Reporter = opts.verbose ? new PlainReporter({ root: copy.dir, write }) : quietReporter(copy.dir, write);
    const summary = await runPlan({ plan, jobs, reporter, signal: opts.signal });
    log(`run ${label}: ${summaryLine(summary)}`);
    const records: Record<string, LockRecord> = {};
    const missing: Record<string, string> = {};
    for (const inst of plan.instances) {
      const o = summary.outcomes.get(inst.id);
      if (o && (o.kind === 'ran' || o.kind === 'cached')) records[inst.id] = o.record;
      else if (o?.kind === 'failed') missing[inst.id] = `failed: ${o.message.split('\n')[0]}`;
      else if (o?.kind === 'blocked') missing[inst.id] = `not run (upstream ${o.by} failed)`;
      else missing[inst.id] = o ? o.kind : 'not started';
    }
    const layout = layoutFor(copy.dir);
    return { copy, plan, summary, records, missing, entryPath: (e) => entryDir(layout, e) };
  } catch (err) {
    if (!opts.keep) copy.remove();
    throw err;
  }
}

/** Only what needs attention: failures (with the log tail), blocked dependents, warnings. */
function quietReporter(root: string, write: (t: string) => void): Reporter {
  return {
    ...silentReporter,
    failed: (id, info) => write(failureLines(id, info, root).join('\n')),
    blocked: (id, deps) => {
      const l = blockedLine(id, deps);
      if (l) write(l);
    },
    warn: (m) => write(`warning: ${m}`),
  };
}
