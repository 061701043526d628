// The reproducibility check as text: a short table (instance, fingerprint, runs A/B, against
// pipeline.lock, seconds of each run), one line per finding that needs a word, and ONE summary line.
import { REPRO_TOLERANCE } from './numeric-compare.ts';
import type { LockVerdict } from './compare-expected.ts';
import type { RunsVerdict } from './compare-runs.ts';

export interface ReproRow {
  id: string;
  /** Fingerprint of run A's record (absent when it failed there). */
  fingerprint?: string;
  /** Absent for an instance that is only in pipeline.lock (gone from the plan). */
  runs?: RunsVerdict;
  lock?: LockVerdict;
  secondsA?: number;
  secondsB?: number;
  /** Out name → file path inside the instance's out dir, to name files in findings. */
  outPaths?: Record<string, string>;
}

export interface ExtraCheckOutcome {
  name: string;
  ok: boolean;
  /** A fragment of the summary line, e.g. `claims 14/14 ✓`. */
  summary: string;
  lines: string[];
}

const RUNS_CELL: Record<RunsVerdict['kind'], string> = { same: 'same', close: `≈ rtol ${REPRO_TOLERANCE.rtol}`, different: 'DIFFERENT', failed: 'FAILED' };
const LOCK_CELL: Record<LockVerdict['kind'], string> = { match: 'match', info: 'match (fp changed)', close: `≈ rtol ${REPRO_TOLERANCE.rtol}`, drift: 'DRIFT', new: 'DRIFT (new)', gone: 'DRIFT (gone)' };

export function runsCell(v: RunsVerdict): string {
  if ((v.kind === 'same' || v.kind === 'close') && v.volatile.length) return `${RUNS_CELL[v.kind]}, volatile`;
  return RUNS_CELL[v.kind];
}

export function renderTable(rows: ReproRow[], accepted: boolean): string[] {
  const head = ['instance', 'fingerprint', 'runs A/B', 'pipeline.lock', 'A s', 'B s'];
  const body = rows.map((r) => [
    r.id,
    r.fingerprint?.slice(0, 12) ?? '-',
    r.runs ? runsCell(r.runs) : '-',
    r.lock ? (accepted && r.lock.kind !== 'match' ? 'accepted' : LOCK_CELL[r.lock.kind]) : '-',
    r.secondsA === undefined ? '-' : r.secondsA.toFixed(1),
    r.secondsB === undefined ? '-' : r.secondsB.toFixed(1),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const fmt = (cells: string[]) => cells.map((s, c) => (c >= 4 ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ').trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)];
}

/** One line per finding, most important first: failures, differences, drift, then notes. */
export function findingLines(rows: ReproRow[], accepted: boolean, noExpected = false): string[] {
  const out: string[] = [];
  const named = (r: ReproRow, names: string[]) => names.map((n) => (r.outPaths?.[n] ? `${r.outPaths[n]} (out ${n})` : `out ${n}`)).join(', ');
  for (const r of rows) if (r.runs?.kind === 'failed') out.push(`✗ ${r.id}: did not finish — ${r.runs.detail}`);
  for (const r of rows) {
    const v = r.runs;
    if (v?.kind !== 'different') continue;
    if (v.causedBy?.length) out.push(`✗ ${r.id}: differs between runs because upstream ${v.causedBy.join(', ')} differs`);
    else out.push(`✗ ${r.id}: differs between runs${v.out ? ` (out ${v.out})` : ''} — ${v.detail}`);
  }
  for (const r of rows) {
    const l = r.lock;
    if (!l || l.kind === 'match' || l.kind === 'info' || l.kind === 'close') continue;
    const mark = accepted ? 'accepted' : 'drift';
    if (l.kind === 'new' && noExpected) continue; // said once below
    const what = l.kind === 'drift' ? (l.outs.length ? `${named(r, l.outs)} differ${l.outs.length > 1 ? '' : 's'} from pipeline.lock` : 'differs from pipeline.lock') : l.kind === 'new' ? 'is new' : 'is gone';
    out.push(`${mark} ${r.id}: ${what}`);
    for (const w of l.why) out.push(`    why: ${w}`);
  }
  const fresh = rows.filter((r) => r.lock?.kind === 'new').length;
  if (noExpected && fresh) out.push(`${accepted ? 'accepted' : 'drift'}: pipeline.lock has no records for this profile (${fresh} instances new)`);
  for (const r of rows) {
    const v = r.runs;
    if (v?.kind === 'close') {
      out.push(`≈ ${r.id}: ${v.outs.length ? `${named(r, v.outs)} equal` : 'equal'} within rtol ${REPRO_TOLERANCE.rtol} across runs (max relative difference ${v.maxRelDiff.toExponential(1)}): backend ${v.backend} is not bit-deterministic, so values were compared instead of bytes`);
    }
    if (r.lock?.kind === 'close') out.push(`≈ ${r.id}: ${named(r, r.lock.outs)} equal pipeline.lock's within rtol ${REPRO_TOLERANCE.rtol} (backend ${r.lock.backend} is not bit-deterministic)`);
    const vol = v?.kind === 'same' || v?.kind === 'close' ? v.volatile : [];
    if (vol.length) out.push(`~ ${r.id}: volatile ${named(r, vol)} differ${vol.length > 1 ? '' : 's'} between runs (declared volatile: not compared)`);
    if (r.lock?.kind === 'info') out.push(`i ${r.id}: fingerprint changed, results identical (${r.lock.why.join('; ')})`);
  }
  return out;
}

export interface SummaryFacts {
  profile: string;
  rows: ReproRow[];
  /** The lock had no section for this profile. */
  noExpected: boolean;
  accepted: boolean;
  extras: ExtraCheckOutcome[];
}

export function reproVerdict(f: SummaryFacts): { ok: boolean; line: string } {
  const ids = (pred: (r: ReproRow) => boolean) => f.rows.filter(pred).map((r) => r.id);
  const list = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join(', ')}, …` : xs.join(', '));
  const failed = ids((r) => r.runs?.kind === 'failed');
  const different = ids((r) => r.runs?.kind === 'different');
  const drifted = ids((r) => !!r.lock && ['drift', 'new', 'gone'].includes(r.lock.kind));
  const close = ids((r) => r.runs?.kind === 'close' || r.lock?.kind === 'close');
  const volatile = ids((r) => (r.runs?.kind === 'same' || r.runs?.kind === 'close') && r.runs.volatile.length > 0);
  const runRows = f.rows.filter((r) => r.runs);
  const problems: string[] = [];
  if (failed.length) problems.push(`${failed.length} instance${failed.length > 1 ? 's' : ''} did not finish (${list(failed)})`);
  if (different.length) problems.push(`${different.length} instance${different.length > 1 ? 's' : ''} differ${different.length > 1 ? '' : 's'} between two runs (${list(different)})`);
  if (drifted.length && !f.accepted) problems.push(f.noExpected ? `pipeline.lock has no ${f.profile} records (${drifted.length} instances new)` : `${drifted.length} drifted from pipeline.lock (${list(drifted)})`);
  const extrasFailed = f.extras.filter((e) => !e.ok);
  const extras = f.extras.map((e) => e.summary).join('; ');
  const ok = problems.length === 0 && extrasFailed.length === 0;
  if (ok) {
    const how = close.length ? `reproduced (${close.length} within rtol ${REPRO_TOLERANCE.rtol} on a non-bit-deterministic backend)` : 'identical';
    const lock = f.accepted ? (drifted.length ? `; pipeline.lock updated, ${drifted.length} accepted` : '; pipeline.lock updated') : ' and to pipeline.lock';
    const vol = volatile.length ? ` (${volatile.length} with volatile outs not compared)` : '';
    return { ok, line: `repro:check OK — ${runRows.length} instance${runRows.length === 1 ? '' : 's'} ${how} across two runs${lock} (${f.profile})${vol}${extras ? `; ${extras}` : ''}` };
  }
  return { ok, line: `repro:check FAILED (${f.profile}) — ${[...problems, ...(extras ? [extras] : [])].join('; ')}` };
}
