// Check 1 of the reproducibility check: two runs of the same tree from empty stores must agree,
// instance by instance — same fingerprint, byte-identical outs. Volatile outs (run facts such as
// durations) are listed, not compared. Where a stage ran on a backend that is not bit-deterministic,
// outs are compared by value within REPRO_TOLERANCE instead, and the verdict says so. Pure apart
// from reading the two runs' out files.
import { join } from 'node:path';
import type { LockRecord } from '../store/lock-file.ts';
import { diffDetails } from '../run/planner.ts';
import { reasonLines } from '../run/reason.ts';
import { compareFilesNumerically, numericKind, REPRO_TOLERANCE, type NumericComparison } from './numeric-compare.ts';

/** What the comparison needs of one plan instance. */
export interface InstanceShape {
  id: string;
  /** Out name → path inside the instance's out dir, in declaration order. */
  outs: Record<string, string>;
  volatile: string[];
}

/** One finished run: its fresh records, why the others have none, and where entries live. */
export interface RunResult {
  records: Record<string, LockRecord>;
  /** Instance id → why it has no record (failed, blocked by an upstream, not started). */
  missing: Record<string, string>;
  entryPath(entry: string): string;
}

export type RunsVerdict =
  /** `volatile`: volatile outs whose bytes differed (listed, not compared). */
  | { kind: 'same'; volatile: string[] }
  /** Bytes differ but every value is within tolerance; only allowed for a non-bit-deterministic backend. */
  | { kind: 'close'; volatile: string[]; backend: string; outs: string[]; maxRelDiff: number }
  /** `out`: the first differing out; `causedBy`: upstream instances whose differences explain this one. */
  | { kind: 'different'; out?: string; detail: string; causedBy?: string[] }
  | { kind: 'failed'; detail: string };

export interface CompareRunsOptions {
  /**
   * Given an instance's out files (name → absolute path), the name of the backend that produced
   * them when that backend is not bit-deterministic; undefined when bytes must match.
   */
  nondeterministicBackend?: (outs: Record<string, string>) => string | undefined;
}

export function outFiles(rec: LockRecord, run: Pick<RunResult, 'entryPath'>): Record<string, string> {
  if (rec.status !== 'ok' || !rec.entry) return {};
  const dir = run.entryPath(rec.entry);
  return Object.fromEntries(Object.entries(rec.outs).map(([n, o]) => [n, join(dir, o.path)]));
}

/** Verdicts in the order of `instances` (a topological order, so upstream causes come first). */
export function compareRuns(instances: InstanceShape[], a: RunResult, b: RunResult, opts: CompareRunsOptions = {}): Map<string, RunsVerdict> {
  const verdicts = new Map<string, RunsVerdict>();
  for (const inst of instances) verdicts.set(inst.id, compareInstance(inst, a, b, verdicts, opts));
  return verdicts;
}

function compareInstance(inst: InstanceShape, a: RunResult, b: RunResult, earlier: Map<string, RunsVerdict>, opts: CompareRunsOptions): RunsVerdict {
  const ra = a.records[inst.id];
  const rb = b.records[inst.id];
  if (!ra || !rb) {
    const why = [!ra ? `run A: ${a.missing[inst.id] ?? 'no record'}` : '', !rb ? `run B: ${b.missing[inst.id] ?? 'no record'}` : ''].filter(Boolean);
    return { kind: 'failed', detail: why.join('; ') };
  }
  if (ra.status !== rb.status) {
    const show = (r: LockRecord) => (r.status === 'skipped' ? `skipped (${r.reason ?? ''})` : 'ran');
    return { kind: 'different', detail: `run A ${show(ra)}, run B ${show(rb)}` };
  }
  let tolerantUpstream: string | undefined;
  if (ra.fingerprint !== rb.fingerprint) {
    const diff = diffDetails(ra.details, rb.details);
    const upstreams = (diff.inputsChanged ?? []).map((c) => c.upstream);
    const onlyInputs = Object.keys(diff).every((k) => k === 'inputsChanged');
    const upstreamVerdicts = upstreams.map((u) => earlier.get(u));
    if (onlyInputs && upstreams.length && upstreamVerdicts.every((v) => v?.kind === 'close')) {
      // Upstream values differ within tolerance: this instance may only be compared by value too.
      tolerantUpstream = (upstreamVerdicts[0] as Extract<RunsVerdict, { kind: 'close' }>).backend;
    } else if (onlyInputs && upstreams.length) {
      const causes = upstreams.filter((u) => earlier.get(u)?.kind !== 'same');
      return { kind: 'different', detail: `fingerprints differ because its inputs differ (${causes.join(', ') || upstreams.join(', ')})`, causedBy: causes.length ? causes : upstreams };
    } else {
      return { kind: 'different', detail: `fingerprints differ: ${reasonLines(diff).join('; ')}` };
    }
  }
  if (ra.status === 'skipped') {
    return ra.reason === rb.reason ? { kind: 'same', volatile: [] } : { kind: 'different', detail: `skip reasons differ: "${ra.reason}" vs "${rb.reason}"` };
  }
  const filesA = outFiles(ra, a);
  const filesB = outFiles(rb, b);
  const volatile: string[] = [];
  const close: string[] = [];
  let maxRelDiff = 0;
  let backend = tolerantUpstream;
  for (const name of Object.keys(inst.outs)) {
    const oa = ra.outs[name];
    const ob = rb.outs[name];
    if (!oa || !ob) return { kind: 'different', out: name, detail: `out ${name} is missing from run ${oa ? 'B' : 'A'}` };
    if (oa.sha256 === ob.sha256) continue;
    if (inst.volatile.includes(name)) {
      volatile.push(name);
      continue;
    }
    backend ??= opts.nondeterministicBackend?.(filesA) ?? opts.nondeterministicBackend?.(filesB);
    if (backend) {
      const cmp = compareFilesNumerically(filesA[name], filesB[name]);
      if (cmp?.ok) {
        close.push(name);
        maxRelDiff = Math.max(maxRelDiff, cmp.maxRelDiff);
        continue;
      }
      const how = cmp ? describeDifference(cmp) : 'bytes differ and it is not JSON, CSV or .npy (cannot compare by value)';
      return { kind: 'different', out: name, detail: `${oa.path} differs beyond rtol ${REPRO_TOLERANCE.rtol} (backend ${backend} is not bit-deterministic): ${how}` };
    }
    return { kind: 'different', out: name, detail: `${oa.path}: sha256 ${oa.sha256.slice(0, 12)}… in run A, ${ob.sha256.slice(0, 12)}… in run B${locate(filesA[name], filesB[name])}` };
  }
  if (close.length || tolerantUpstream) return { kind: 'close', volatile, backend: backend!, outs: close, maxRelDiff };
  return { kind: 'same', volatile };
}

/** Where two byte-different files first differ, when their kind can be read by value. */
export function locate(aPath: string, bPath: string): string {
  if (!numericKind(aPath)) return '';
  try {
    const cmp = compareFilesNumerically(aPath, bPath, { rtol: 0, atol: 0 });
    return cmp && !cmp.ok ? `; first difference at ${cmp.where}: ${cmp.a} vs ${cmp.b}` : '';
  } catch {
    return '';
  }
}

export function describeDifference(cmp: Extract<NumericComparison, { ok: false }>): string {
  return `${cmp.where}: ${cmp.a} vs ${cmp.b} (${cmp.why})`;
}
