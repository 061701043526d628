// Check 3 of the reproducibility check: the fresh run against the expected records (the profile's
// section of the committed pipeline.lock). Outs must hash the same; a difference is drift and comes
// with WHY, from the fingerprint details (param old → new, code file changed, package version).
// A fingerprint that changed while every out stayed identical is only information.
import type { LockRecord } from '../store/lock-file.ts';
import { diffDetails } from '../run/planner.ts';
import { reasonLines } from '../run/reason.ts';
import type { InstanceShape } from './compare-runs.ts';
import { REPRO_TOLERANCE, type NumericComparison } from './numeric-compare.ts';
import { describeDifference } from './compare-runs.ts';

export type LockVerdict =
  | { kind: 'match'; volatile: string[] }
  /** Same outs, different fingerprint: e.g. a refactor that changed no result. */
  | { kind: 'info'; why: string[] }
  /** Values differ from the expected ones but within tolerance (non-bit-deterministic backend). */
  | { kind: 'close'; outs: string[]; backend: string }
  | { kind: 'drift'; outs: string[]; why: string[] }
  /** In the fresh run, not in the expected records. */
  | { kind: 'new'; why: string[] }
  /** In the expected records, no longer in the plan. */
  | { kind: 'gone'; why: string[] };

export interface CompareExpectedOptions {
  /** For a non-bit-deterministic instance: compare an out to its expected version by value, when the expected file is at hand. */
  compareByValue?: (id: string, out: string, expected: LockRecord, fresh: LockRecord) => { backend: string; result: NumericComparison } | undefined;
}

/** `expected` undefined: the lock has no section for this profile (every instance is new). */
export function compareToExpected(
  instances: InstanceShape[],
  fresh: Record<string, LockRecord>,
  expected: Record<string, LockRecord> | undefined,
  opts: CompareExpectedOptions = {},
): Map<string, LockVerdict> {
  const verdicts = new Map<string, LockVerdict>();
  const exp = expected ?? {};
  for (const inst of instances) {
    const f = fresh[inst.id];
    if (!f) continue; // failed: reported by the runs comparison
    const e = exp[inst.id];
    verdicts.set(inst.id, e ? compareRecord(inst, e, f, opts) : { kind: 'new', why: [expected ? 'no record in pipeline.lock for this instance' : 'pipeline.lock has no records for this profile'] });
  }
  const planned = new Set(instances.map((i) => i.id));
  for (const id of Object.keys(exp).sort()) if (!planned.has(id)) verdicts.set(id, { kind: 'gone', why: ['in pipeline.lock but no longer in the plan'] });
  return verdicts;
}

function compareRecord(inst: InstanceShape, e: LockRecord, f: LockRecord, opts: CompareExpectedOptions): LockVerdict {
  const why = e.fingerprint === f.fingerprint ? [] : reasonLines(diffDetails(e.details, f.details));
  const unexplained = 'same fingerprint, different outputs: the result depends on something the fingerprint does not cover (another machine, backend or library build?)';
  if (e.status !== f.status) {
    const show = (r: LockRecord) => (r.status === 'skipped' ? `skipped (${r.reason ?? ''})` : 'ran');
    return { kind: 'drift', outs: [], why: [`expected: ${show(e)}, now: ${show(f)}`, ...(why.length ? why : [unexplained])] };
  }
  if (f.status === 'skipped') {
    if (e.reason !== f.reason) return { kind: 'drift', outs: [], why: [`skip reason was "${e.reason}", now "${f.reason}"`, ...why] };
    return why.length ? { kind: 'info', why } : { kind: 'match', volatile: [] };
  }
  const names = [...new Set([...Object.keys(inst.outs), ...Object.keys(e.outs)])];
  const differing = names.filter((n) => e.outs[n]?.sha256 !== f.outs[n]?.sha256);
  const volatile = differing.filter((n) => inst.volatile.includes(n));
  const drifted = differing.filter((n) => !inst.volatile.includes(n));
  if (drifted.length === 0) return why.length ? { kind: 'info', why } : { kind: 'match', volatile };
  const byValue = drifted.map((n) => (e.outs[n] && f.outs[n] ? opts.compareByValue?.(inst.id, n, e, f) : undefined));
  if (byValue.every((v) => v?.result.ok)) return { kind: 'close', outs: drifted, backend: byValue[0]!.backend };
  const notes = byValue.flatMap((v, i) =>
    v && !v.result.ok ? [`${drifted[i]}: beyond rtol ${REPRO_TOLERANCE.rtol} (${v.backend}): ${describeDifference(v.result)}`] : [],
  );
  const missing = drifted.filter((n) => !e.outs[n] || !f.outs[n]).map((n) => `out ${n} ${e.outs[n] ? 'is no longer produced' : 'is new'}`);
  return { kind: 'drift', outs: drifted, why: [...(why.length ? why : [unexplained]), ...missing, ...notes] };
}
