// Where the engine's own files are (child.ts, tsx), whether we run from source (tsx) or from the
// bundled CLI in .cache/engine/: walk up from this module to the directory holding the engine.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; child: string; tsxImport: string } | undefined;

export function enginePaths(): { root: string; child: string; tsxImport: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  const fromEnv = process.env.PIPELINE_ENGINE_ROOT;
  let root: string | undefined = fromEnv && existsSync(join(fromEnv, 'src/pipeline/child.ts')) ? fromEnv : undefined;
  while (!root) {
    if (existsSync(join(dir, 'src/pipeline/child.ts'))) root = dir;
    else if (dirname(dir) === dir) throw new Error(`cannot find src/pipeline/child.ts above ${fileURLToPath(import.meta.url)}`);
    else dir = dirname(dir);
  }
  const tsxImport = import.meta.resolve('tsx');
  cached = { root, child: join(root, 'src/pipeline/child.ts'), tsxImport };
  return cached;
}
