// A fresh, private copy of a project's source tree for a reproducibility run: the files git
// would commit (tracked + untracked-not-ignored), never the user's store, engine state or lock,
// so a run there starts from empty stores. Heavy read-only things (node_modules, downloaded
// data) are symlinked rather than copied.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { StoreError } from '../errors.ts';

export interface ProjectCopyOptions {
  /** Root-relative paths symlinked into the copy when they exist (default: node_modules). */
  link?: string[];
  /** Where the temp dir goes (default: os.tmpdir()). */
  parent?: string;
  /** Name prefix of the temp dir. */
  prefix?: string;
}

export interface ProjectCopy {
  dir: string;
  /** Files copied (root-relative), and how they were listed. */
  files: string[];
  listedBy: 'git' | 'walk';
  remove(): void;
}

/** Never copied, whatever git says: engine state, the store, and the lock (runs start empty). */
const NEVER = ['artifacts', '.pipeline', '.cache', '.git', 'node_modules', 'pipeline.lock'];

const excluded = (rel: string, extra: string[]): boolean =>
  [...NEVER, ...extra].some((p) => rel === p || rel.startsWith(p + '/'));

export function copyProject(root: string, opts: ProjectCopyOptions = {}): ProjectCopy {
  const link = opts.link ?? ['node_modules'];
  const listing = listProjectFiles(root);
  const files = listing.files.filter((f) => !excluded(f, link) && isRegularFile(join(root, f)));
  const dir = mkdtempSync(join(opts.parent ?? tmpdir(), opts.prefix ?? 'repro-'));
  try {
    for (const rel of files) {
      const dest = join(dir, rel);
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(join(root, rel), dest);
    }
    for (const rel of link) {
      if (existsSync(join(root, rel))) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        symlinkSync(join(root, rel), join(dir, rel));
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new StoreError(`cannot copy the project into ${dir}: ${(err as Error).message}`, { file: root, cause: err });
  }
  return { dir, files, listedBy: listing.by, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `git ls-files -co --exclude-standard` when root is in a git work tree; otherwise a plain walk. */
export function listProjectFiles(root: string): { files: string[]; by: 'git' | 'walk' } {
  let out: string | undefined;
  try {
    out = execFileSync('git', ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    out = undefined;
  }
  if (out !== undefined) return { files: out.split('\0').filter(Boolean), by: 'git' };
  return { files: walk(root, root), by: 'walk' };
}

function walk(root: string, dir: string): string[] {
  const files: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    const rel = relative(root, abs).split(sep).join('/');
    if (excluded(rel, [])) continue;
    if (e.isDirectory()) files.push(...walk(root, abs));
    else if (e.isFile()) files.push(rel);
  }
  return files;
}

function isRegularFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false; // listed by git but deleted in the work tree
  }
}
