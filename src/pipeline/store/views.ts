// artifacts/<stage> (or artifacts/<stage>/<instance-key> for matrix instances) is a relative
// symlink to the store entry holding the instance's latest outs, swapped atomically by renaming a
// fresh link over the old one. Symlinks rather than copies: free, atomic, and a view can never
// disagree with the store; `numpy.load('artifacts/mnist/train.npy')` follows them transparently.
// The latest log of each instance is linked next to its view (`<stage>.log`, `<stage>/<key>.log`).
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { StageInstance } from '../plan-types.ts';
import { instanceKey, type Layout } from './layout.ts';

type ViewInstance = Pick<StageInstance, 'id' | 'stage' | 'matrix'>;

export function viewPath(layout: Layout, inst: ViewInstance): string {
  const key = instanceKey(inst);
  return key ? join(layout.artifacts, inst.stage, key) : join(layout.artifacts, inst.stage);
}

export function logViewPath(layout: Layout, inst: ViewInstance): string {
  return viewPath(layout, inst) + '.log';
}

/** Point the view at `target` (absolute); null removes the view (e.g. a skipped instance). */
export function pointView(layout: Layout, inst: ViewInstance, target: string | null): void {
  const link = viewPath(layout, inst);
  const isMatrix = instanceKey(inst) !== '';
  if (isMatrix) ensureRealDir(join(layout.artifacts, inst.stage));
  swapLink(link, target);
}

export function pointLogView(layout: Layout, inst: ViewInstance, logFile: string): void {
  swapLink(logViewPath(layout, inst), logFile);
}

/** Drop matrix views whose instance no longer exists in the plan. */
export function pruneMatrixViews(layout: Layout, stage: string, keepIds: ViewInstance[]): void {
  const dir = join(layout.artifacts, stage);
  const keep = new Set(keepIds.flatMap((i) => [instanceKey(i), instanceKey(i) + '.log']));
  let names: string[];
  try {
    if (!lstatSync(dir).isDirectory()) return;
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (!keep.has(name) && lstatSync(p).isSymbolicLink()) rmSync(p, { force: true });
  }
}

function swapLink(link: string, target: string | null): void {
  const want = target === null ? null : relative(dirname(link), target);
  let current: string | null | undefined;
  try {
    const st = lstatSync(link);
    current = st.isSymbolicLink() ? readlinkSync(link) : undefined; // undefined: something else is there
  } catch {
    current = null;
  }
  if (current === want) return;
  if (current === undefined) rmSync(link, { recursive: true, force: true });
  if (want === null) {
    rmSync(link, { force: true });
    return;
  }
  mkdirSync(dirname(link), { recursive: true });
  const tmp = join(dirname(link), `.${randomBytes(6).toString('hex')}.link-tmp`);
  symlinkSync(want, tmp);
  renameSync(tmp, link);
}

function ensureRealDir(dir: string): void {
  try {
    const st = lstatSync(dir);
    if (st.isDirectory()) return;
    rmSync(dir, { force: true }); // a symlink view from when the stage had no matrix
  } catch {
    // absent
  }
  mkdirSync(dir, { recursive: true });
}
