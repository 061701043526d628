// Stage modules run as esbuild bundles (local files inlined, npm packages left external) under
// .pipeline/bundles/<hash>.mjs, so the child is plain `node` instead of node + tsx: a stage
// process starts in ~0.1 s of CPU instead of ~0.5 s. The bundle is keyed by the content hashes
// of the files it was built from (the stage's code facts), so it is rebuilt exactly when the
// fingerprint's code part changes. Inline source maps keep stack traces pointing at the .ts files.
// Each inlined module keeps its own `import.meta.url` / `dirname` / `filename` (a bundle would
// otherwise give every module the bundle's location, breaking files read next to their module).
// Every file inlined must still have the hash the fingerprint was computed from: a source edited
// while a run is in progress fails the instance instead of being recorded under the old fingerprint.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { StageFailedError } from '../errors.ts';
import { hashCanonical } from '../fingerprint/canonical-json.ts';

const BUNDLE_FORMAT = 2;

/** Loads local modules as fingerprinted (`code`: root-relative path → sha256), keeping import.meta. */
function fingerprintedSources(root: string, entry: string, code: Record<string, string>): Plugin {
  return {
    name: 'fingerprinted-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        const bytes = readFileSync(args.path);
        const rel = relative(root, args.path).split(sep).join('/');
        const expected = code[rel];
        if (expected !== undefined && createHash('sha256').update(bytes).digest('hex') !== expected) {
          throw new StageFailedError(`${rel} changed after this run computed the stage's fingerprint; nothing was run with it. Run again.`, { file: rel, stage: entry });
        }
        const contents = bytes
          .toString('utf8')
          .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
        const ext = extname(args.path);
        return { contents, loader: ext.endsWith('ts') ? 'ts' : 'js' };
      });
    },
  };
}

export class StageBundler {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly dir: string,
  ) {}

  /** Path of a bundle of `entry` (root-relative) built from exactly `code` (file → sha256). */
  bundleFor(entry: string, code: Record<string, string>): Promise<string> {
    // The root is part of the key: bundles embed absolute module paths (see fingerprintedSources).
    const key = hashCanonical({ format: BUNDLE_FORMAT, root: this.root, entry, code });
    const out = join(this.dir, `${key.slice(0, 24)}.mjs`);
    if (existsSync(out)) return Promise.resolve(out);
    let p = this.inFlight.get(out);
    if (!p) {
      p = this.build(entry, out, code);
      this.inFlight.set(out, p);
    }
    return p;
  }

  private async build(entry: string, out: string, code: Record<string, string>): Promise<string> {
    const { build } = await import('esbuild');
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp.mjs`;
    try {
      await build({
      entryPoints: [join(this.root, entry)],
      absWorkingDir: this.root,
      outfile: tmp,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [fingerprintedSources(this.root, entry, code)],
      });
    } catch (err) {
      rmSync(tmp, { force: true });
      // esbuild wraps plugin errors; surface ours as it was thrown.
      const inner = (err as { errors?: { detail?: unknown }[] }).errors?.[0]?.detail;
      throw inner instanceof StageFailedError ? inner : err;
    }
    renameSync(tmp, out);
    return out;
  }
}
