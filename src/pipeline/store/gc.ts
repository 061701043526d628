// Remove store entries no profile in pipeline.lock references, and temp dirs left by killed runs.
// Only called while holding the workspace lock, so no run can be writing into .tmp meanwhile.
import { readdirSync, rmSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactStore } from './artifact-store.ts';
import type { LockFile } from './lock-file.ts';

export interface GcResult {
  removedEntries: string[];
  removedTemp: string[];
  keptEntries: number;
}

export function referencedEntries(lock: LockFile): Set<string> {
  const refs = new Set<string>();
  for (const records of Object.values(lock.profiles)) {
    for (const rec of Object.values(records)) if (rec.entry) refs.add(rec.entry);
  }
  return refs;
}

export function collectGarbage(store: ArtifactStore, lock: LockFile, dryRun = false): GcResult {
  const refs = referencedEntries(lock);
  const removedEntries: string[] = [];
  let keptEntries = 0;
  for (const id of store.listEntries()) {
    if (refs.has(id)) {
      keptEntries++;
      continue;
    }
    removedEntries.push(id);
    if (!dryRun) removeTree(store.entryPath(id));
  }
  const removedTemp: string[] = [];
  let temps: string[] = [];
  try {
    temps = readdirSync(store.layout.tmp);
  } catch {
    // none
  }
  for (const name of temps) {
    removedTemp.push(name);
    if (!dryRun) removeTree(join(store.layout.tmp, name));
  }
  // Empty prefix dirs are harmless; leave them.
  return { removedEntries, removedTemp, keptEntries };
}

function removeTree(path: string): void {
  try {
    chmodSync(path, 0o755);
  } catch {
    // best effort: files are read-only, dirs are not, so rm works anyway
  }
  rmSync(path, { recursive: true, force: true });
}
