// Where the engine's own files are (child.ts, tsx), whether we run from source (tsx) or from the
// bundled CLI in .cache/engine/: walk up from this module to the directory holding the engine.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EnginePaths {
  root: string;
  /** How to start a child: `node ...childArgv <job.json>`. */
  childArgv: string[];
}

let cached: EnginePaths | undefined;

/**
 * From the bundled CLI (.cache/engine/cli.mjs, built by bin/pipeline.mjs together with child.mjs)
 * the child is the plain-JS .cache/engine/child.mjs; from source (tests, `node --import tsx`)
 * it is src/pipeline/child.ts under tsx.
 */
export function enginePaths(): EnginePaths {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  const fromEnv = process.env.PIPELINE_ENGINE_ROOT;
  let root: string | undefined = fromEnv && existsSync(join(fromEnv, 'src/pipeline/child.ts')) ? fromEnv : undefined;
  while (!root) {
    if (existsSync(join(dir, 'src/pipeline/child.ts'))) root = dir;
    else if (dirname(dir) === dir) throw new Error(`cannot find src/pipeline/child.ts above ${fileURLToPath(import.meta.url)}`);
    else dir = dirname(dir);
  }
  const self = fileURLToPath(import.meta.url);
  const bundledChild = join(dirname(self), 'child.mjs');
  const childArgv = self.endsWith('.mjs') && existsSync(bundledChild)
    ? ['--enable-source-maps', bundledChild]
    : ['--enable-source-maps', '--import', import.meta.resolve('tsx'), join(root, 'src/pipeline/child.ts')];
  cached = { root, childArgv };
  return cached;
}
