#!/usr/bin/env node
// Fast launcher. The CLI (and the child runner) are bundled by esbuild, code-split so that rarely
// needed parts (YAML parsing, config validation) load only when used, into a fresh directory
// .cache/engine/<build>/; .cache/engine/current.json names that directory and the stat signature
// (size, mtime, inode) of every source file the build read. A launch whose signatures all match
// imports the bundle directly: the no-op path loads neither esbuild nor tsx.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const cacheDir = join(root, '.cache', 'engine');
const currentFile = join(cacheDir, 'current.json');
const BUNDLE_FORMAT = 2;

function signature(file) {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}:${st.ino}`;
}

function freshBuild() {
  try {
    const current = JSON.parse(readFileSync(currentFile, 'utf8'));
    if (current.format !== BUNDLE_FORMAT) return null;
    for (const [file, sig] of Object.entries(current.inputs)) if (signature(join(root, file)) !== sig) return null;
    return join(cacheDir, current.dir);
  } catch {
    return null;
  }
}

async function rebuild() {
  const { build } = await import('esbuild');
  const name = `b-${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(cacheDir, name);
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { cli: join(root, 'src/pipeline/cli/main.ts'), child: join(root, 'src/pipeline/child.ts') },
    absWorkingDir: root,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Loaded lazily, only when there is real work: keep them out of the bundle.
    external: ['esbuild', 'execa', 'tsx'],
    logLevel: 'error',
    // Bundled CommonJS dependencies may call require(); give the ESM chunks one.
    banner: { js: "import { createRequire as __pipelineCreateRequire } from 'node:module'; const require = __pipelineCreateRequire(import.meta.url);" },
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = signature(join(root, file));
  inputs[relative(root, self)] = signature(self);
  const tmp = `${currentFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ format: BUNDLE_FORMAT, dir: name, inputs }));
  renameSync(tmp, currentFile);
  // Older builds: keep the newest few (a concurrent launcher may still be importing one).
  const builds = readdirSync(cacheDir).filter((d) => d.startsWith('b-') && d !== name);
  for (const old of builds.sort().slice(0, Math.max(0, builds.length - 2))) rmSync(join(cacheDir, old), { recursive: true, force: true });
  return outdir;
}

const dir = freshBuild() ?? (await rebuild());
const { main } = await import(pathToFileURL(join(dir, 'cli.mjs')).href);
process.exitCode = await main(process.argv.slice(2));
