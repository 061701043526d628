// The local modules a stage module imports, transitively, and the npm packages they import,
// resolved by esbuild's metafile (the same resolver semantics as a bundler: `.ts` extensions,
// index files, package.json "exports"). esbuild is loaded only when the cached graph of an entry
// is stale: a cached graph is valid as long as every file in it still has the same content hash,
// because the edges of a graph are a function of its files' contents.
import { isBuiltin } from 'node:module';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { PipelineError } from '../errors.ts';
import type { FileHasher } from './file-hasher.ts';

export interface ImportGraph {
  /** Local files (paths relative to root, '/'-separated) → sha256, the entry included. */
  files: Record<string, string>;
  /** npm package names imported by any of those files (bare specifiers, sorted). */
  packages: string[];
}

interface CacheFile {
  format: number;
  graphs: Record<string, ImportGraph>;
}

const CACHE_FORMAT = 1;

export class ImportGraphError extends PipelineError {}

export class ImportGraphResolver {
  private cache: CacheFile = { format: CACHE_FORMAT, graphs: {} };
  private dirty = false;
  /** Number of esbuild builds run (0 on a fully cached no-op). */
  buildCount = 0;

  constructor(
    private readonly root: string,
    private readonly hasher: FileHasher,
    private readonly cachePath: string | null,
  ) {
    if (cachePath) {
      try {
        const parsed = JSON.parse(readFileSync(cachePath, 'utf8')) as CacheFile;
        if (parsed.format === CACHE_FORMAT) this.cache = parsed;
      } catch {
        // no cache yet
      }
    }
  }

  /** Graphs for several entry modules (paths relative to root); one esbuild run for all stale ones. */
  async resolve(entries: string[]): Promise<Map<string, ImportGraph>> {
    const result = new Map<string, ImportGraph>();
    const stale: string[] = [];
    for (const entry of new Set(entries.map(normalise))) {
      const cached = this.cache.graphs[entry];
      if (cached && this.stillValid(cached)) result.set(entry, cached);
      else stale.push(entry);
    }
    if (stale.length > 0) {
      const built = await this.build(stale);
      for (const [entry, graph] of built) {
        result.set(entry, graph);
        this.cache.graphs[entry] = graph;
        this.dirty = true;
      }
    }
    return result;
  }

  save(): void {
    if (!this.cachePath || !this.dirty) return;
    writeFileAtomic(this.cachePath, JSON.stringify(this.cache));
    this.dirty = false;
  }

  private stillValid(graph: ImportGraph): boolean {
    for (const [file, sha] of Object.entries(graph.files)) {
      if (this.hasher.hash(join(this.root, file))?.sha256 !== sha) return false;
    }
    return true;
  }

  private async build(entries: string[]): Promise<Map<string, ImportGraph>> {
    const { build } = await import('esbuild');
    this.buildCount++;
    let metafile;
    try {
      const res = await build({
        entryPoints: entries.map((e) => join(this.root, e)),
        absWorkingDir: this.root,
        bundle: true,
        write: false,
        metafile: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        outdir: join(this.root, '.cache', 'import-graph-out'),
        logLevel: 'silent',
      });
      metafile = res.metafile;
    } catch (err) {
      const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0];
      throw new ImportGraphError(`cannot resolve the imports of ${entries.join(', ')}: ${first?.text ?? String(err)}`, {
        file: first?.location?.file,
        line: first?.location?.line,
        col: first?.location ? first.location.column + 1 : undefined,
        cause: err,
      });
    }
    const inputs = metafile.inputs;
    const out = new Map<string, ImportGraph>();
    for (const entry of entries) {
      const files: Record<string, string> = {};
      const packages = new Set<string>();
      const queue = [entry];
      const seen = new Set(queue);
      while (queue.length > 0) {
        const file = queue.pop()!;
        const abs = join(this.root, file);
        const h = this.hasher.hash(abs);
        if (!h) throw new ImportGraphError(`esbuild listed ${file} but it cannot be read`);
        files[file] = h.sha256;
        for (const imp of inputs[file]?.imports ?? []) {
          if (imp.external) {
            const pkg = packageName(imp.path);
            if (pkg) packages.add(pkg);
          } else {
            const rel = normalise(isAbsolute(imp.path) ? relative(this.root, imp.path) : imp.path);
            if (!seen.has(rel)) {
              seen.add(rel);
              queue.push(rel);
            }
          }
        }
      }
      out.set(entry, { files: sortRecord(files), packages: [...packages].sort() });
    }
    return out;
  }
}

/** `@scope/name/sub` → `@scope/name`, `yaml/x` → `yaml`; builtins, relative and absolute paths → null. */
export function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function normalise(path: string): string {
  return path.split('\\').join('/').replace(/^\.\//, '');
}

function sortRecord<T>(rec: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
