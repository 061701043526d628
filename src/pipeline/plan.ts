// pipeline.yaml + profile + --set overrides → Plan: every stage instance with its resolved params
// and instance-level deps, in a deterministic topological order. Pure planning; nothing runs here.
import type { DepSpec, Plan, StageInstance, StageSpec } from './plan-types.ts';
import type { ParamValue } from './stage.ts';
import { ConfigErrorCollector } from './config/config-errors.ts';
import { didYouMean } from './config/did-you-mean.ts';
import { expandMatrix, instanceId, renderMatrixValue, sameMatrixValue } from './config/matrix.ts';
import { resolveMatrixAxes } from './config/matrix-resolve.ts';
import { isParamTree, lookupParam, mergeParams, paramNames, withParam, type ParamTree } from './config/param-tree.ts';
import { loadPipelineFile, type LoadFileOptions } from './config/pipeline-file.ts';
import type { DepDecl, PipelineFile, StageDecl } from './config/pipeline-file-types.ts';
import { topologicalStageOrder } from './config/stage-graph.ts';

export { loadPipelineFile } from './config/pipeline-file.ts';
export { parseSetArgs } from './config/param-tree.ts';
export { PipelineConfigErrorList } from './config/config-errors.ts';
export type { PipelineFile } from './config/pipeline-file-types.ts';

export interface LoadPlanOptions extends LoadFileOptions {
  /** Default: the file's default_profile. */
  profile?: string;
  /** `--set a.b=value` overrides by dotted name, applied after the profile. */
  overrides?: Record<string, ParamValue>;
}

export function loadPlan(opts: LoadPlanOptions): Plan {
  return buildPlan(loadPipelineFile(opts), opts);
}

/** Resolve params for the profile (+ overrides): the tree every instance reads from. */
export function resolveParams(file: PipelineFile, profileName: string | undefined, overrides: Record<string, ParamValue> = {}, errors = new ConfigErrorCollector()): { profile: string; params: ParamTree } {
  const profile = profileName ?? file.defaultProfile;
  const decl = file.profiles.find((p) => p.name === profile);
  if (!decl) {
    const names = file.profiles.map((p) => p.name);
    errors.add(`unknown profile '${profile}' (profiles in ${file.displayFile}: ${names.join(', ')})`, { key: '--profile', hint: didYouMean(profile, names) });
    return { profile, params: file.params };
  }
  let params = mergeParams(file.params, decl.params).tree; // checked when the file was read
  for (const [name, value] of Object.entries(overrides)) {
    const current = lookupParam(params, name);
    if (current === undefined) {
      errors.add(`no such param '${name}' in ${file.displayFile} (an override may only change declared params)`, { key: `--set ${name}`, hint: didYouMean(name, paramNames(params)) });
    } else if (isParamTree(current) && !isParamTree(value)) {
      errors.add(`'${name}' is a group of params; set one of them (${Object.keys(current).map((k) => `${name}.${k}`).join(', ')})`, { key: `--set ${name}` });
    } else if (isParamTree(current) && isParamTree(value)) {
      const merged = mergeParams(current, value, name);
      for (const p of merged.problems) errors.add(p.message, { key: `--set ${name}`, hint: p.hint });
      params = withParam(params, name, merged.tree);
    } else {
      params = withParam(params, name, value);
    }
  }
  return { profile, params };
}

export function buildPlan(file: PipelineFile, opts: { profile?: string; overrides?: Record<string, ParamValue> } = {}): Plan {
  const errors = new ConfigErrorCollector();
  const { profile, params } = resolveParams(file, opts.profile, opts.overrides, errors);
  errors.throwIfAny();
  const seed = params.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) errors.add(`expected an integer seed, found ${JSON.stringify(seed)}`, { file: file.displayFile, key: 'seed' });

  const declByName = new Map(file.stages.map((s) => [s.name, s]));
  const instances: StageInstance[] = [];
  const byStage = new Map<string, StageInstance[]>();
  for (const name of topologicalStageOrder(file.stages)) {
    const decl = declByName.get(name)!;
    const axes = resolveMatrixAxes(decl, params, (axis, message) =>
      errors.add(message, { file: axis.pos.file, line: axis.pos.line, col: axis.pos.col, stage: name, key: `matrix.${axis.key}` }),
    );
    if (axes.length !== decl.matrix.length) continue;
    const { publishPos: _publishPos, ...rest } = decl;
    const spec: StageSpec = { ...rest, deps: decl.deps.map(stripDecl), matrix: axes };
    const declared: Record<string, ParamValue> = {};
    for (const p of decl.params) declared[p] = lookupParam(params, p)!;
    const own = expandMatrix(axes).map((matrix): StageInstance => ({
      id: instanceId(name, matrix),
      stage: name,
      matrix,
      params: { ...declared, ...matrix },
      deps: [],
      spec,
    }));
    const deps = depsWithValidFilters(decl, byStage, errors);
    for (const instance of own) linkDeps(instance, name, deps, byStage, errors);
    byStage.set(name, own);
    instances.push(...own);
  }
  errors.throwIfAny();
  const order = new Map(instances.map((inst, i) => [inst.id, i]));
  for (const instance of instances) instance.deps.sort((a, b) => order.get(a)! - order.get(b)!);
  return { root: file.root, file: file.file, profile, seed: seed as number, instances, byId: new Map(instances.map((i) => [i.id, i])), executor: file.executor };
}

function stripDecl(dep: DepDecl): DepSpec {
  return { stage: dep.stage, filter: dep.filter, pos: dep.pos };
}

/**
 * An instance depends on the upstream instances that pass the dep's filter and agree on every
 * matrix key both stages share (Snakemake-wildcard style); with no shared key, on all of them.
 */
function linkDeps(instance: StageInstance, stage: string, deps: DepDecl[], byStage: Map<string, StageInstance[]>, errors: ConfigErrorCollector): void {
  const ids = new Set<string>();
  for (const dep of deps) {
    const upstream = byStage.get(dep.stage)!;
    const shared = Object.keys(instance.matrix).filter((k) => upstream[0] && Object.hasOwn(upstream[0].matrix, k) && !Object.hasOwn(dep.filter, k));
    const chosen = upstream.filter(
      (up) =>
        Object.entries(dep.filter).every(([k, v]) => sameMatrixValue(up.matrix[k], v)) &&
        shared.every((k) => sameMatrixValue(up.matrix[k], instance.matrix[k])),
    );
    if (chosen.length === 0) {
      errors.add(`instance '${instance.id}' matches no instance of '${dep.stage}' on the shared matrix keys ${shared.join(', ')} (upstream instances: ${upstream.map((u) => u.id).join(', ')})`, {
        file: dep.pos.file,
        line: dep.pos.line,
        col: dep.pos.col,
        stage,
        key: 'deps',
        hint: 'give both matrices the same values for the shared keys, or filter the dep explicitly',
      });
    }
    for (const up of chosen) ids.add(up.id);
  }
  instance.deps = [...ids];
}

/** A filter value no upstream instance has is a typo, not an empty selection. Returns the deps that pass. */
function depsWithValidFilters(decl: StageDecl, byStage: Map<string, StageInstance[]>, errors: ConfigErrorCollector): DepDecl[] {
  return decl.deps.filter((dep) => {
    const upstream = byStage.get(dep.stage);
    if (!upstream) return false; // its own errors (unknown stage, bad matrix) are already reported
    let ok = true;
    for (const [key, value] of Object.entries(dep.filter)) {
      if (upstream.some((u) => Object.hasOwn(u.matrix, key) && sameMatrixValue(u.matrix[key], value))) continue;
      ok = false;
      const pos = dep.filterPos[key] ?? dep.pos;
      const values = [...new Set(upstream.map((u) => renderMatrixValue(u.matrix[key] ?? null)))];
      errors.add(`filter ${key}=${renderMatrixValue(value)} matches no instance of '${dep.stage}'; its ${key} values: ${values.join(', ')}`, {
        file: pos.file,
        line: pos.line,
        col: pos.col,
        stage: decl.name,
        key: 'deps',
        hint: typeof value === 'string' ? didYouMean(value, values) : undefined,
      });
    }
    return ok;
  });
}
