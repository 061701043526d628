// One run per workspace. The lock file is created atomically (hard link of a fully written temp
// file: O_EXCL semantics, and a reader never sees it half-written) and names its holder. A holder
// that died without cleaning up (kill -9, power loss) is detected by its pid and taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WorkspaceBusyError } from './errors.ts';

export const WORKSPACE_LOCK_FILE = '.pipeline-run.lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder acquired the lock. */
  started: string;
}

export interface WorkspaceLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** The dead holder whose stale lock was taken over, if any. */
  readonly tookOver?: LockHolder;
  /** Remove the lock if this process still holds it. Idempotent; also runs on process exit. */
  release(): void;
}

export interface AcquireOptions {
  /** Lock file name inside dir (default `.pipeline-run.lock`). */
  file?: string;
  /** Where the takeover of a stale lock is announced (default: stderr). */
  log?: (line: string) => void;
}

export function acquireWorkspaceLock(dir: string, opts: AcquireOptions = {}): WorkspaceLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, opts.file ?? WORKSPACE_LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let tookOver: LockHolder | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createExclusive(path, holder)) return held(path, holder, tookOver, opts.log ?? ((line) => process.stderr.write(`${line}\n`)));
    const current = readLockHolder(path);
    if (current === 'missing') continue; // released between our attempt and the read
    if (current !== 'unreadable' && holderIsAlive(current)) {
      const same = current.pid === process.pid && current.host === holder.host;
      throw new WorkspaceBusyError(
        same ? `this process (pid ${current.pid}) already holds the workspace lock` : `another pipeline run holds this workspace: pid ${current.pid} on ${current.host}, started ${current.started}`,
        { file: path, hint: current.host === holder.host ? `wait for it to finish, or stop it (kill ${current.pid})` : `it runs on another host; remove ${path} only if that run is gone` },
      );
    }
    if (takeOverStale(path, current)) tookOver = current === 'unreadable' ? { pid: 0, host: '?', started: '?' } : current;
  }
  throw new WorkspaceBusyError('could not acquire the workspace lock: it keeps changing hands', { file: path });
}

/** The holder recorded in the lock file, 'missing' when there is none, 'unreadable' when damaged. */
export function readLockHolder(path: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const value = JSON.parse(text) as LockHolder;
    return Number.isInteger(value.pid) && typeof value.host === 'string' ? value : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** On another host we cannot tell, so the lock counts as live. */
function holderIsAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

function createExclusive(path: string, holder: LockHolder): boolean {
  const text = `${JSON.stringify(holder)}\n`;
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    return createWithOpenExcl(path, text); // file systems without hard links
  } finally {
    unlinkSync(tmp);
  }
}

function createWithOpenExcl(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Move the stale lock aside (rename is atomic), then check that what we moved is the stale lock
 * we judged dead and not one a concurrent taker created meanwhile; if it is not, put it back.
 */
function takeOverStale(path: string, stale: LockHolder | 'unreadable'): boolean {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const moved = readLockHolder(aside);
  const same = stale === 'unreadable' ? moved === 'unreadable' : moved !== 'missing' && moved !== 'unreadable' && moved.pid === stale.pid && moved.started === stale.started;
  if (!same) {
    renameSync(aside, path);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function held(path: string, holder: LockHolder, tookOver: LockHolder | undefined, log: (line: string) => void): WorkspaceLock {
  if (tookOver) log(`workspace lock: took over a stale lock from pid ${tookOver.pid} on ${tookOver.host} (started ${tookOver.started}), which is no longer running`);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const current = readLockHolder(path);
    if (current !== 'missing' && current !== 'unreadable' && current.pid === holder.pid && current.started === holder.started) unlinkSync(path);
  };
  process.on('exit', release);
  return { path, holder, tookOver, release };
}
