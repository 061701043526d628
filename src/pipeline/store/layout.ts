// Where things live under the project root. One place, so gc, views and the runner agree.
import { join } from 'node:path';
import type { StageInstance } from '../plan-types.ts';

export interface Layout {
  root: string;
  artifacts: string;
  store: string;
  tmp: string;
  /** Engine state that is not an artifact: stat cache, import-graph cache, logs, job files. */
  state: string;
  logs: string;
  jobs: string;
  lockFile: string;
}

export function layoutFor(root: string): Layout {
  const artifacts = join(root, 'artifacts');
  const state = join(root, '.pipeline');
  return {
    root,
    artifacts,
    store: join(artifacts, '.store'),
    tmp: join(artifacts, '.tmp'),
    state,
    logs: join(state, 'logs'),
    jobs: join(state, 'jobs'),
    lockFile: join(root, 'pipeline.lock'),
  };
}

export function entryDir(layout: Layout, entry: string): string {
  return join(layout.store, entry.slice(0, 2), entry);
}

/**
 * Filesystem-friendly key of a matrix instance: the part of `stage[k=v,…]` inside the brackets,
 * e.g. `sigma2=0.1,learn=true,seed=3`; '' for a stage without a matrix. Characters a path cannot
 * hold (/, NUL) and a leading dot are percent-encoded.
 */
export function instanceKey(inst: Pick<StageInstance, 'id' | 'stage'>): string {
  if (inst.id === inst.stage) return '';
  const inner = inst.id.slice(inst.stage.length + 1, -1);
  return inner.replace(/[/\0%]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).replace(/^\./, '%2e');
}

/** A flat file name for per-instance engine files (logs, job dirs). */
export function instanceFileName(inst: Pick<StageInstance, 'id' | 'stage'>): string {
  const key = instanceKey(inst);
  return key ? `${inst.stage}[${key}]` : inst.stage;
}
