// Pure decisions: given an instance's lock record, its current fingerprint, the state of its
// stored outputs and whether it is forced → a Reason (empty = up to date). DVC-style: a few
// cheap comparisons in order, each saying exactly what differs.
import type { Fingerprint, FingerprintDetails, InputFacts } from '../fingerprint/fingerprint.ts';
import { canonicalJson } from '../fingerprint/canonical-json.ts';
import type { EntryCheck } from '../store/artifact-store.ts';
import type { LockRecord } from '../store/lock-file.ts';
import type { InputChange, Reason } from './reason.ts';

export interface Decision {
  record?: LockRecord;
  fingerprint: Fingerprint;
  /** The stored outputs' check; undefined when there is no usable record. */
  outputs?: EntryCheck;
  forced: boolean;
  upstreamPending?: string[];
}

export function decide(d: Decision): Reason {
  const reason: Reason = {};
  if (d.forced) reason.forced = true;
  if (d.upstreamPending?.length) reason.upstreamPending = d.upstreamPending;
  if (!d.record) {
    reason.noRecord = true;
    return reason;
  }
  if (d.record.fingerprint !== d.fingerprint.value) {
    Object.assign(reason, diffDetails(d.record.details, d.fingerprint.details));
    if (!hasChange(reason)) reason.fingerprintChanged = true;
  }
  if (d.outputs) {
    if (d.outputs.missing.length) reason.outputsMissing = d.outputs.missing;
    if (d.outputs.corrupt.length) reason.outputsCorrupt = d.outputs.corrupt;
  }
  return reason;
}

function hasChange(r: Reason): boolean {
  return Boolean(r.engineChanged || r.cmdChanged || r.codeChanged || r.paramsChanged || r.seedChanged || r.inputsChanged || r.packagesChanged || r.outsDeclChanged);
}

/** Field-by-field difference of two fingerprint details (old from the lock, new from now). */
export function diffDetails(old: FingerprintDetails | undefined, cur: FingerprintDetails): Reason {
  const r: Reason = {};
  if (!old) return { fingerprintChanged: true };
  if (old.engine !== cur.engine) r.engineChanged = { old: old.engine, new: cur.engine };
  if (old.kind !== cur.kind || old.cmd !== cur.cmd) r.cmdChanged = { old: old.cmd ?? (old.kind === 'module' ? '(module)' : undefined), new: cur.cmd ?? (cur.kind === 'module' ? '(module)' : undefined) };
  const code = diffRecord(old.code ?? {}, cur.code);
  if (code.modified.length || code.added.length || code.removed.length) r.codeChanged = code;
  const params = diffRecord(old.params ?? {}, cur.params, true);
  const paramsChanged = [...params.modified, ...params.added, ...params.removed].sort().map((key) => ({ key, old: old.params?.[key], new: cur.params[key] }));
  if (paramsChanged.length) r.paramsChanged = paramsChanged;
  if (old.seed !== cur.seed) r.seedChanged = { old: old.seed, new: cur.seed };
  const inputs = diffInputs(old.inputs ?? {}, cur.inputs);
  if (inputs.length) r.inputsChanged = inputs;
  const pk = diffRecord(old.packages ?? {}, cur.packages);
  const packagesChanged = [...pk.modified, ...pk.added, ...pk.removed].sort().map((name) => ({ name, old: old.packages?.[name], new: cur.packages[name] }));
  if (packagesChanged.length) r.packagesChanged = packagesChanged;
  const outs = diffRecord(old.outs ?? {}, cur.outs);
  const outsDeclChanged = [...outs.modified, ...outs.added, ...outs.removed].sort().map((name) => ({ name, old: old.outs?.[name], new: cur.outs[name] }));
  if (outsDeclChanged.length) r.outsDeclChanged = outsDeclChanged;
  return r;
}

function diffRecord(old: Record<string, unknown>, cur: Record<string, unknown>, deep = false) {
  const same = (a: unknown, b: unknown) => (deep ? canonicalJson(a) === canonicalJson(b) : a === b);
  const modified = Object.keys(cur).filter((k) => k in old && !same(old[k], cur[k])).sort();
  const added = Object.keys(cur).filter((k) => !(k in old)).sort();
  const removed = Object.keys(old).filter((k) => !(k in cur)).sort();
  return { modified, added, removed };
}

function diffInputs(old: Record<string, InputFacts>, cur: Record<string, InputFacts>): InputChange[] {
  const changes: InputChange[] = [];
  for (const id of Object.keys(cur)) {
    const o = old[id];
    const c = cur[id];
    if (!o) changes.push({ upstream: id, change: 'added' });
    else if ('skipped' in c && !('skipped' in o)) changes.push({ upstream: id, change: 'skipped' });
    else if (!('skipped' in c) && 'skipped' in o) changes.push({ upstream: id, change: 'unskipped' });
    else if ('outs' in c && 'outs' in o) {
      const d = diffRecord(o.outs, c.outs);
      const outs = [...d.modified, ...d.added, ...d.removed].sort();
      if (outs.length) changes.push({ upstream: id, change: 'outs', outs });
    }
  }
  for (const id of Object.keys(old)) if (!(id in cur)) changes.push({ upstream: id, change: 'removed' });
  return changes;
}
