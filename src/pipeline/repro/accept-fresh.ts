// `--update`: accept a fresh run as the new expected results. Its records replace the profile's
// section of the user's pipeline.lock (written atomically; other profiles untouched), and its
// store entries are copied into the user's artifacts/.store, so the next `pipeline run` of that
// profile in the user's tree finds every instance cached instead of recomputing it.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { entryDir, layoutFor } from '../store/layout.ts';
import { readLock, writeLock, type LockRecord } from '../store/lock-file.ts';

export interface AcceptResult {
  lockFile: string;
  records: number;
  /** Store entries copied (entries already present are kept as they are). */
  entriesCopied: number;
}

export async function acceptFresh(userRoot: string, profile: string, records: Record<string, LockRecord>, freshRoot: string): Promise<AcceptResult> {
  const user = layoutFor(userRoot);
  const fresh = layoutFor(freshRoot);
  let entriesCopied = 0;
  // Entries first: a lock that names entries the store lacks would only cost a rebuild, but
  // entries without a lock are harmless (gc removes them).
  for (const rec of Object.values(records)) {
    if (rec.status !== 'ok' || !rec.entry) continue;
    const dest = entryDir(user, rec.entry);
    if (existsSync(dest)) continue;
    mkdirSync(dirname(dest), { recursive: true });
    const staging = `${dest}.incoming-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      cpSync(entryDir(fresh, rec.entry), staging, { recursive: true, preserveTimestamps: true });
      renameSync(staging, dest);
      entriesCopied++;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const lock = await readLock(user.lockFile, user.state);
  lock.profiles[profile] = structuredClone(records);
  await writeLock(user.lockFile, user.state, lock);
  return { lockFile: user.lockFile, records: Object.keys(records).length, entriesCopied };
}
