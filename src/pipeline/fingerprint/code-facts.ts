// Gathers the code facts of a stage for its fingerprint: the module's transitive local imports
// (or a cmd stage's `code:` files) and the versions of the npm packages they import.
import { join } from 'node:path';
import { PipelineError } from '../errors.ts';
import type { StageSpec } from '../plan-types.ts';
import type { FileHasher } from './file-hasher.ts';
import type { ImportGraphResolver } from './import-graph.ts';
import type { PackageVersions } from './package-versions.ts';

export interface CodeFacts {
  code: Record<string, string>;
  packages: Record<string, string>;
}

export async function gatherCodeFacts(
  root: string,
  specs: StageSpec[],
  graphs: ImportGraphResolver,
  hasher: FileHasher,
  versions: PackageVersions,
): Promise<Map<string, CodeFacts>> {
  const modules = specs.filter((s) => s.run).map((s) => s.run!);
  const resolved = await graphs.resolve(modules);
  const out = new Map<string, CodeFacts>();
  for (const spec of specs) {
    const code: Record<string, string> = {};
    let packages: string[] = [];
    if (spec.run) {
      const graph = resolved.get(spec.run.replace(/^\.\//, ''))!;
      Object.assign(code, graph.files);
      packages = graph.packages;
    }
    for (const file of spec.code) {
      const h = hasher.hash(join(root, file));
      if (!h) throw new PipelineError(`code file '${file}' does not exist`, { stage: spec.name, key: 'code', file: spec.pos.file, line: spec.pos.line, col: spec.pos.col });
      code[file] = h.sha256;
    }
    out.set(spec.name, { code, packages: versions.versions(packages) });
  }
  return out;
}
