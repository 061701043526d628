// Check 2 of `repro:check`: the claims checklist of the fresh run. The report stage writes
// results.json with `claims: [{id, status, measured, expected, why}]` evaluated at the profile's
// tolerances (claims.yaml); any `fail` fails the check, skipped and not-measured claims are listed.
import { readFileSync } from 'node:fs';
import type { FreshRun, ReproExtraCheck } from '../pipeline/repro/repro-check.ts';
import type { ExtraCheckOutcome } from '../pipeline/repro/repro-report.ts';

export const REPORT_STAGE = 'report';

interface ClaimLike {
  id: string;
  status: 'pass' | 'fail' | 'skipped' | 'missing';
  measured?: unknown;
  expected?: string;
  why?: string;
}

const show = (v: unknown): string => (typeof v === 'number' ? Number(v.toPrecision(4)).toString() : JSON.stringify(v) ?? 'none');

/** Pure: the claims array of results.json → the check's verdict and lines. */
export function judgeClaims(claims: ClaimLike[]): ExtraCheckOutcome {
  const by = (s: ClaimLike['status']) => claims.filter((c) => c.status === s);
  const [pass, fail, skipped, missing] = [by('pass'), by('fail'), by('skipped'), by('missing')];
  const lines: string[] = [];
  for (const c of fail) lines.push(`✗ claim ${c.id}: measured ${show(c.measured)}, expected ${c.expected ?? '?'}${c.why ? ` (${c.why})` : ''}`);
  for (const c of missing) lines.push(`? claim ${c.id}: not measured${c.why ? ` (${c.why})` : ''}`);
  for (const c of skipped) lines.push(`- claim ${c.id}: skipped${c.why ? ` (${c.why})` : ''}`);
  const judged = claims.length - skipped.length;
  const parts = [`claims ${pass.length}/${judged} ✓`];
  if (fail.length) parts.push(`${fail.length} ✗ (${fail.map((c) => c.id).join(', ')})`);
  if (missing.length) parts.push(`${missing.length} not measured`);
  if (skipped.length) parts.push(`${skipped.length} skipped`);
  return { name: 'claims', ok: fail.length === 0, summary: parts.join(', '), lines };
}

/** Reads the fresh run's report results.json; fails only when a report stage exists and its claims fail or it produced none. */
export function checkClaims(fresh: FreshRun): ExtraCheckOutcome {
  const inst = fresh.plan.instances.find((i) => i.stage === REPORT_STAGE);
  if (!inst) return { name: 'claims', ok: true, summary: 'claims not checked (no report stage)', lines: [`claims: pipeline.yaml has no '${REPORT_STAGE}' stage yet, so there is no claims checklist to check`] };
  const rec = fresh.records[inst.id];
  if (!rec) return { name: 'claims', ok: false, summary: 'claims: report did not run', lines: [`claims: stage ${inst.id} did not finish, so no claim could be checked`] };
  if (rec.status === 'skipped') return { name: 'claims', ok: false, summary: 'claims: report skipped', lines: [`claims: stage ${inst.id} skipped itself (${rec.reason ?? ''})`] };
  const outName = Object.keys(inst.spec.outs).find((n) => inst.spec.outs[n].endsWith('results.json'));
  const file = outName ? fresh.outPath(inst.id, outName) : undefined;
  if (!file) return { name: 'claims', ok: false, summary: 'claims: no results.json', lines: [`claims: stage ${inst.id} declares no results.json out`] };
  let claims: unknown;
  try {
    claims = (JSON.parse(readFileSync(file, 'utf8')) as { claims?: unknown }).claims;
  } catch (err) {
    return { name: 'claims', ok: false, summary: 'claims: unreadable results.json', lines: [`claims: cannot read ${file}: ${(err as Error).message}`] };
  }
  if (!Array.isArray(claims)) return { name: 'claims', ok: false, summary: 'claims: none in results.json', lines: [`claims: ${inst.id}'s results.json has no claims array`] };
  return judgeClaims(claims as ClaimLike[]);
}

export const claimsCheck: ReproExtraCheck = { name: 'claims', check: checkClaims };
