// Why an instance must run, as data (Snakemake's `Reason`): named flags, each carrying exactly
// what changed — which file, which param old → new, which upstream out — plus a readable string.
// An empty Reason means up to date.
import type { ParamValue } from '../stage.ts';

export interface InputChange {
  upstream: string;
  /** Which outs of that upstream changed (or how the upstream changed as a whole). */
  change: 'outs' | 'added' | 'removed' | 'skipped' | 'unskipped';
  outs?: string[];
}

export interface Reason {
  noRecord?: boolean;
  forced?: boolean;
  engineChanged?: { old: number; new: number };
  cmdChanged?: { old?: string; new?: string };
  codeChanged?: { modified: string[]; added: string[]; removed: string[] };
  paramsChanged?: { key: string; old?: ParamValue; new?: ParamValue }[];
  seedChanged?: { old: number; new: number };
  inputsChanged?: InputChange[];
  packagesChanged?: { name: string; old?: string; new?: string }[];
  outsDeclChanged?: { name: string; old?: string; new?: string }[];
  outputsMissing?: string[];
  outputsCorrupt?: string[];
  /** An upstream instance must run first, so this one's inputs are not known yet (status, dry run). */
  upstreamPending?: string[];
  /** The fingerprint differs in a way none of the above explains (e.g. an older record format). */
  fingerprintChanged?: boolean;
}

export function isStale(reason: Reason): boolean {
  return Object.values(reason).some((v) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0));
}

const show = (v: ParamValue | undefined): string => (v === undefined ? '(none)' : JSON.stringify(v));

/** One line per flag, each precise enough to act on. */
export function reasonLines(r: Reason): string[] {
  const lines: string[] = [];
  if (r.noRecord) lines.push('never ran (no record in pipeline.lock for this profile)');
  if (r.forced) lines.push('forced (--force)');
  if (r.engineChanged) lines.push(`engine format changed ${r.engineChanged.old} → ${r.engineChanged.new}`);
  if (r.cmdChanged) lines.push(`command changed: ${show(r.cmdChanged.old)} → ${show(r.cmdChanged.new)}`);
  if (r.codeChanged) {
    const { modified, added, removed } = r.codeChanged;
    const parts = [
      modified.length ? `modified ${modified.join(', ')}` : '',
      added.length ? `now imports ${added.join(', ')}` : '',
      removed.length ? `no longer imports ${removed.join(', ')}` : '',
    ].filter(Boolean);
    lines.push(`code changed: ${parts.join('; ')}`);
  }
  for (const p of r.paramsChanged ?? []) lines.push(`param ${p.key} changed: ${show(p.old)} → ${show(p.new)}`);
  if (r.seedChanged) lines.push(`seed changed: ${r.seedChanged.old} → ${r.seedChanged.new}`);
  for (const i of r.inputsChanged ?? []) {
    const what = {
      outs: `out${(i.outs?.length ?? 0) > 1 ? 's' : ''} ${i.outs?.join(', ')} changed`,
      added: 'is a new input',
      removed: 'is no longer an input',
      skipped: 'skipped itself',
      unskipped: 'no longer skips itself',
    }[i.change];
    lines.push(`input ${i.upstream}: ${what}`);
  }
  for (const p of r.packagesChanged ?? []) lines.push(`npm package ${p.name}: ${p.old ?? '(unused)'} → ${p.new ?? '(unused)'}`);
  for (const o of r.outsDeclChanged ?? []) lines.push(`declared out ${o.name}: ${o.old ?? '(none)'} → ${o.new ?? '(none)'}`);
  if (r.outputsMissing?.length) lines.push(`stored outputs missing: ${r.outputsMissing.join(', ')}`);
  if (r.outputsCorrupt?.length) lines.push(`stored outputs corrupt (content hash mismatch): ${r.outputsCorrupt.join(', ')}`);
  if (r.upstreamPending?.length) lines.push(`upstream must run first: ${r.upstreamPending.join(', ')}`);
  if (r.fingerprintChanged) lines.push('fingerprint changed');
  return lines;
}

export function formatReason(r: Reason): string {
  const lines = reasonLines(r);
  return lines.length ? lines.join('; ') : 'up to date';
}
