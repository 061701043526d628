// `publish: reports/` — copy an instance's outs to a fixed human-facing directory, atomically per
// file, and only where the copy is missing or stale (checked by content hash through the stat
// cache, so a cached run that finds the copies intact writes nothing). Never read back.
import { copyFileSync, chmodSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempSibling } from '../../io/atomic.ts';
import type { FileHasher } from '../fingerprint/file-hasher.ts';
import type { StageInstance } from '../plan-types.ts';
import { instanceKey } from './layout.ts';
import type { OutManifest } from './out-manifest.ts';

/** Returns the files (absolute) it (re)wrote. */
export function mirrorOuts(root: string, inst: StageInstance, entryDir: string, outs: OutManifest, hasher: FileHasher): string[] {
  if (!inst.spec.publish) return [];
  const key = instanceKey(inst);
  const base = key ? join(root, inst.spec.publish, key) : join(root, inst.spec.publish);
  const written: string[] = [];
  for (const rec of Object.values(outs)) {
    const dest = join(base, rec.path);
    if (hasher.hash(dest)?.sha256 === rec.sha256) continue;
    mkdirSync(dirname(dest), { recursive: true });
    const tmp = tempSibling(dest);
    try {
      copyFileSync(join(entryDir, rec.path), tmp);
      chmodSync(tmp, 0o644); // the store copy is read-only; the published copy is the user's
      renameSync(tmp, dest);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    hasher.remember(dest, statSync(dest), rec.sha256);
    written.push(dest);
  }
  return written;
}
