// Content hashes of files behind a stat cache keyed by (path, size, mtimeMs, ino), as git's index
// and DVC do: an unchanged stat signature means the stored sha256 is trusted (the cheap check);
// `verify` mode rehashes everything. The cache persists as JSON under .pipeline/.
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, readFileSync, statSync, type Stats } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic.ts';

export interface FileHash {
  sha256: string;
  size: number;
}

type Entry = [size: number, mtimeMs: number, ino: number, sha256: string];

const CACHE_FORMAT = 1;

export class FileHasher {
  private entries: Record<string, Entry> = {};
  private dirty = false;
  /** Files hashed for real (not served from the cache) since construction: for tests and --verbose. */
  hashedCount = 0;

  constructor(
    private readonly cachePath: string | null,
    /** When true, ignore the cache and rehash every file (`--verify`). */
    private readonly verify = false,
  ) {
    if (cachePath) {
      try {
        const parsed = JSON.parse(readFileSync(cachePath, 'utf8')) as { format: number; entries: Record<string, Entry> };
        if (parsed.format === CACHE_FORMAT) this.entries = parsed.entries;
      } catch {
        // No cache yet, or a damaged one: start empty; it only costs rehashing.
      }
    }
  }

  /** sha256 + size of a file, or null when it does not exist (or is not a regular file). */
  hash(path: string): FileHash | null {
    let st: Stats;
    try {
      st = statSync(path);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const cached = this.entries[path];
    if (!this.verify && cached && cached[0] === st.size && cached[1] === st.mtimeMs && cached[2] === st.ino) {
      return { sha256: cached[3], size: st.size };
    }
    const sha = hashFileContents(path);
    this.hashedCount++;
    this.remember(path, st, sha);
    return { sha256: sha, size: st.size };
  }

  /** Record a hash computed elsewhere (e.g. while publishing) for the file's current stat. */
  remember(path: string, st: Stats, sha: string): void {
    const prev = this.entries[path];
    if (prev && prev[0] === st.size && prev[1] === st.mtimeMs && prev[2] === st.ino && prev[3] === sha) return;
    this.entries[path] = [st.size, st.mtimeMs, st.ino, sha];
    this.dirty = true;
  }

  forget(pathPrefix: string): void {
    for (const key of Object.keys(this.entries)) {
      if (key === pathPrefix || key.startsWith(pathPrefix + '/')) {
        delete this.entries[key];
        this.dirty = true;
      }
    }
  }

  save(): void {
    if (!this.cachePath || !this.dirty) return;
    writeFileAtomic(this.cachePath, JSON.stringify({ format: CACHE_FORMAT, entries: this.entries }));
    this.dirty = false;
  }
}

export function hashFileContents(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
