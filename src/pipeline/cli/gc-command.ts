// `pipeline gc [--dry-run]`: drop store entries that no profile in pipeline.lock references, and
// temp dirs of killed runs. Holds the workspace lock so no run publishes meanwhile.
import { join } from 'node:path';
import { acquireWorkspaceLock } from '../workspace-lock.ts';
import { FileHasher } from '../fingerprint/file-hasher.ts';
import { ArtifactStore } from '../store/artifact-store.ts';
import { collectGarbage } from '../store/gc.ts';
import { layoutFor } from '../store/layout.ts';
import { readLock } from '../store/lock-file.ts';
import type { CliArgs } from './args.ts';
import { projectRoot } from './load.ts';

export async function gcCommand(args: CliArgs, out: (text: string) => void): Promise<number> {
  const root = projectRoot(args);
  const layout = layoutFor(root);
  const workspace = acquireWorkspaceLock(join(root, '.pipeline'));
  try {
    const hasher = new FileHasher(join(layout.state, 'stat-cache.json'));
    const res = collectGarbage(new ArtifactStore(layout, hasher), await readLock(layout.lockFile, layout.state), args.dryRun);
    for (const id of res.removedEntries) hasher.forget(join(layout.store, id.slice(0, 2), id));
    hasher.save();
    const verb = args.dryRun ? 'would remove' : 'removed';
    out(`gc: ${verb} ${res.removedEntries.length} unreferenced store entr${res.removedEntries.length === 1 ? 'y' : 'ies'} and ${res.removedTemp.length} temp dir${res.removedTemp.length === 1 ? '' : 's'}; kept ${res.keptEntries}\n`);
    return 0;
  } finally {
    workspace.release();
  }
}
