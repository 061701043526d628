// The content-addressed store: artifacts/.store/<ab>/<manifest-hash>/<declared out paths>.
// A stage writes into a fresh temp dir; publish() moves exactly the declared outs into a staging
// dir and renames it into place, so an entry is either absent or complete. Published files are
// made read-only so that editing them through a view fails loudly instead of corrupting the store.
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { StageFailedError, StoreError } from '../errors.ts';
import { hashFileContents, type FileHasher } from '../fingerprint/file-hasher.ts';
import { entryDir, type Layout } from './layout.ts';
import { manifestHash, type OutManifest } from './out-manifest.ts';

export interface PublishResult {
  entry: string;
  outs: OutManifest;
  /** Files the stage wrote that are not declared outs (dropped, worth a warning). */
  undeclared: string[];
}

export interface EntryCheck {
  ok: boolean;
  missing: string[];
  corrupt: string[];
}

export class ArtifactStore {
  constructor(
    readonly layout: Layout,
    private readonly hasher: FileHasher,
  ) {}

  /** A fresh, empty temp dir for one job's outs: artifacts/.tmp/<random>/out. */
  createTempOutDir(): string {
    const dir = join(this.layout.tmp, `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`, 'out');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Remove the temp dir made by createTempOutDir (given its `out` dir). */
  removeTemp(outDir: string): void {
    rmSync(dirname(outDir), { recursive: true, force: true });
  }

  entryPath(entry: string): string {
    return entryDir(this.layout, entry);
  }

  /** Publish a finished job's declared outs; throws StageFailedError naming any missing out. */
  publish(stage: string, tmpOutDir: string, outs: Record<string, string>): PublishResult {
    const missing = Object.entries(outs).filter(([, rel]) => !isRegularFile(join(tmpOutDir, rel)));
    if (missing.length > 0) {
      throw new StageFailedError(
        `exited 0 but did not write ${missing.map(([n, rel]) => `out '${n}' (${rel})`).join(', ')}`,
        { stage, hint: `write each declared out with ctx.out(name); looked in ${tmpOutDir}` },
      );
    }
    const manifest: OutManifest = {};
    for (const [name, rel] of Object.entries(outs)) {
      const p = join(tmpOutDir, rel);
      manifest[name] = { path: rel, sha256: hashFileContents(p), size: statSync(p).size };
    }
    const entry = manifestHash(manifest);
    const staging = join(dirname(tmpOutDir), 'entry');
    for (const { path: rel } of Object.values(manifest)) {
      mkdirSync(dirname(join(staging, rel)), { recursive: true });
      renameSync(join(tmpOutDir, rel), join(staging, rel));
      chmodSync(join(staging, rel), 0o444);
    }
    const undeclared = listFiles(tmpOutDir).map((f) => relative(tmpOutDir, f));
    const target = this.entryPath(entry);
    mkdirSync(dirname(target), { recursive: true });
    if (exists(target)) {
      // Same content published before (e.g. an early-cutoff rerun). Keep it only if it is intact.
      if (this.check(entry, manifest, true).ok) {
        this.removeTemp(tmpOutDir);
        this.rememberEntry(entry, manifest);
        return { entry, outs: manifest, undeclared };
      }
      this.discardEntry(entry);
    }
    renameSync(staging, target);
    this.removeTemp(tmpOutDir);
    this.rememberEntry(entry, manifest);
    return { entry, outs: manifest, undeclared };
  }

  /**
   * Is the entry intact? Cheap mode trusts the stat cache (size, mtime, inode unchanged ⇒ hash
   * unchanged); full mode rehashes (`--verify`, and before re-adopting an existing entry).
   */
  check(entry: string, outs: OutManifest, full = false): EntryCheck {
    const missing: string[] = [];
    const corrupt: string[] = [];
    const dir = this.entryPath(entry);
    for (const [name, rec] of Object.entries(outs)) {
      const p = join(dir, rec.path);
      if (full) {
        if (!isRegularFile(p)) missing.push(name);
        else if (statSync(p).size !== rec.size || hashFileContents(p) !== rec.sha256) corrupt.push(name);
        continue;
      }
      const h = this.hasher.hash(p);
      if (!h) missing.push(name);
      else if (h.sha256 !== rec.sha256 || h.size !== rec.size) corrupt.push(name);
    }
    return { ok: missing.length === 0 && corrupt.length === 0, missing, corrupt };
  }

  /** Move a damaged entry out of the way (into .tmp, removed right after). */
  discardEntry(entry: string): void {
    const target = this.entryPath(entry);
    if (!exists(target)) return;
    const trash = join(this.layout.tmp, `trash-${entry}-${randomBytes(4).toString('hex')}`);
    mkdirSync(this.layout.tmp, { recursive: true });
    try {
      renameSync(target, trash);
    } catch (err) {
      throw new StoreError(`cannot move damaged store entry ${target} aside`, { cause: err });
    }
    this.hasher.forget(target);
    rmSync(trash, { recursive: true, force: true });
  }

  /** Store entry ids present on disk. */
  listEntries(): string[] {
    const ids: string[] = [];
    for (const prefix of safeReaddir(this.layout.store)) {
      for (const id of safeReaddir(join(this.layout.store, prefix))) ids.push(id);
    }
    return ids;
  }

  private rememberEntry(entry: string, manifest: OutManifest): void {
    const dir = this.entryPath(entry);
    for (const rec of Object.values(manifest)) {
      const p = join(dir, rec.path);
      this.hasher.remember(p, statSync(p), rec.sha256);
    }
  }
}

function isRegularFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const ent of safeReaddirEntries(dir)) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function safeReaddirEntries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
