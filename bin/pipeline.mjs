#!/usr/bin/env node
// Fast launcher: the CLI is bundled by esbuild into .cache/engine/cli.mjs and rebuilt only when
// the stat signature (size, mtime, inode) of a file the last bundle was made from changed. The
// no-op path therefore loads neither esbuild nor tsx: plain node importing one bundled file.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache', 'engine');
const bundle = join(cacheDir, 'cli.mjs');
const inputsFile = join(cacheDir, 'cli.inputs.json');
const BUNDLE_FORMAT = 1;

function signature(file) {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}:${st.ino}`;
}

function bundleIsFresh() {
  try {
    const recorded = JSON.parse(readFileSync(inputsFile, 'utf8'));
    if (recorded.format !== BUNDLE_FORMAT || recorded.bundle !== signature(bundle) || recorded.child !== signature(join(cacheDir, 'child.mjs'))) return false;
    for (const [file, sig] of Object.entries(recorded.inputs)) if (signature(join(root, file)) !== sig) return false;
    return true;
  } catch {
    return false;
  }
}

async function rebuild() {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const tmpDir = join(cacheDir, `.build-${process.pid}`);
  const result = await build({
    entryPoints: { cli: join(root, 'src/pipeline/cli/main.ts'), child: join(root, 'src/pipeline/child.ts') },
    absWorkingDir: root,
    outdir: tmpDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Loaded lazily, only when there is real work: keep them out of the bundle.
    external: ['esbuild', 'execa', 'tsx'],
    logLevel: 'error',
    // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __pipelineCreateRequire } from 'node:module'; const require = __pipelineCreateRequire(import.meta.url);" },
  });
  // child.mjs first: whoever sees a fresh cli.mjs must find the matching child.mjs.
  renameSync(join(tmpDir, 'child.mjs'), join(cacheDir, 'child.mjs'));
  renameSync(join(tmpDir, 'cli.mjs'), bundle);
  rmSync(tmpDir, { recursive: true, force: true });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = signature(join(root, file));
  inputs[relative(root, fileURLToPath(import.meta.url))] = signature(fileURLToPath(import.meta.url));
  const tmpInputs = `${inputsFile}.${process.pid}.tmp`;
  writeFileSync(tmpInputs, JSON.stringify({ format: BUNDLE_FORMAT, bundle: signature(bundle), child: signature(join(cacheDir, 'child.mjs')), inputs }));
  renameSync(tmpInputs, inputsFile);
}

if (!bundleIsFresh()) await rebuild();
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
