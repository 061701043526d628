// pipeline.yaml → PipelineFile: the shape and every profile-independent rule, all problems
// collected and thrown together as one PipelineConfigErrorList.
import { readFileSync } from 'node:fs';
import { isAbsolute, posix, relative, resolve } from 'node:path';
import { isMap, isScalar } from 'yaml';
import { PipelineConfigError } from '../errors.ts';
import { ConfigErrorCollector, PipelineConfigErrorList } from './config-errors.ts';
import { didYouMean } from './did-you-mean.ts';
import { readExecutor } from './executor-parser.ts';
import { resolveMatrixAxes } from './matrix-resolve.ts';
import { checkKeys, describeNode, readMap, readParamValue, readString, report, type MapEntry, type ReadContext } from './node-readers.ts';
import { isParamTree, mergeParams, paramNames, type ParamTree } from './param-tree.ts';
import { PROFILE_KEYS, SUPPORTED_VERSION, TOP_LEVEL_KEYS, type PipelineFile, type ProfileDecl, type StageDecl } from './pipeline-file-types.ts';
import { findCycles } from './stage-graph.ts';
import { parseStage } from './stage-parser.ts';
import { parseYamlSource, posOf } from './yaml-source.ts';

export interface LoadFileOptions {
  root: string;
  /** Default `<root>/pipeline.yaml`; relative paths are taken from root. */
  file?: string;
}

export function resolvePipelinePath(opts: LoadFileOptions): { root: string; file: string; displayFile: string } {
  const root = resolve(opts.root);
  const file = resolve(root, opts.file ?? 'pipeline.yaml');
  const rel = relative(root, file);
  const displayFile = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return { root, file, displayFile };
}

export function loadPipelineFile(opts: LoadFileOptions): PipelineFile {
  const paths = resolvePipelinePath(opts);
  let text: string;
  try {
    text = readFileSync(paths.file, 'utf8');
  } catch (err) {
    throw new PipelineConfigErrorList([new PipelineConfigError(`cannot read the pipeline file: ${(err as Error).message}`, { file: paths.displayFile, cause: err })]);
  }
  return parsePipelineText(text, paths);
}

export function parsePipelineText(text: string, paths: { root: string; file: string; displayFile: string }): PipelineFile {
  const errors = new ConfigErrorCollector();
  const src = parseYamlSource(text, paths.displayFile, errors);
  // A syntax error makes the tree unreliable; stop with the positions YAML gave.
  errors.throwIfAny();
  const ctx: ReadContext = { src, errors };
  const root = src.doc.contents;
  if (!isMap(root)) {
    report(ctx, root, `expected a mapping with ${TOP_LEVEL_KEYS.join(', ')}; found ${describeNode(root)}`);
    errors.throwIfAny();
  }
  const top = new Map(checkKeys(ctx, readMap(ctx, root, '') ?? [], TOP_LEVEL_KEYS, 'top-level').map((e) => [e.key, e]));

  checkVersion(ctx, top.get('version'), root);
  const params = top.has('params') ? readParamTree(ctx, top.get('params')!.value, 'params', top.get('params')!.keyNode) : {};
  const profiles = readProfiles(ctx, top.get('profiles'), params);
  const defaultProfile = readDefaultProfile(ctx, top.get('default_profile'), profiles);
  const stages = readStages(ctx, top.get('stages'), root, paths.root, params);
  const executor = readExecutor(ctx, top.get('executor'));

  checkStageLinks(ctx, stages);
  checkPublishDirs(ctx, stages);
  checkMatrixParamsPerProfile(ctx, stages, params, profiles);
  const seed = params.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    report(ctx, findParamNode(top.get('params')?.value, 'seed'), `expected an integer seed, found ${JSON.stringify(seed)}`, { key: 'params.seed' });
  }
  errors.throwIfAny();
  return { ...paths, version: SUPPORTED_VERSION, defaultProfile, profiles, params, stages, executor };
}

function checkVersion(ctx: ReadContext, entry: MapEntry | undefined, root: unknown): void {
  if (!entry) {
    report(ctx, root, `missing 'version: ${SUPPORTED_VERSION}'`, { key: 'version' });
    return;
  }
  if (!isScalar(entry.value) || entry.value.value !== SUPPORTED_VERSION) {
    report(ctx, entry.value ?? entry.keyNode, `unsupported version ${describeNode(entry.value)}; this engine reads version ${SUPPORTED_VERSION}`, { key: 'version' });
  }
}

/** A params mapping: nested mappings are groups, anything else a value; keys may not contain '.'. */
function readParamTree(ctx: ReadContext, node: unknown, key: string, where: unknown): ParamTree {
  const tree: ParamTree = {};
  for (const entry of readMap(ctx, node, key, where) ?? []) {
    const name = `${key}.${entry.key}`;
    if (entry.key.includes('.')) {
      report(ctx, entry.keyNode, `a param name must not contain '.' (dots separate groups in param references)`, { key: name, hint: `nest it: ${entry.key.split('.')[0]}: { ${entry.key.split('.').slice(1).join('.')}: ... }` });
      continue;
    }
    if (isMap(entry.value)) tree[entry.key] = readParamTree(ctx, entry.value, name, entry.keyNode);
    else {
      const value = readParamValue(ctx, entry.value, name);
      if (value !== undefined) tree[entry.key] = value;
    }
  }
  return tree;
}

function readProfiles(ctx: ReadContext, field: MapEntry | undefined, base: ParamTree): ProfileDecl[] {
  if (!field) return [{ name: 'default', params: {}, pos: posOf(ctx.src, null) }];
  const profiles: ProfileDecl[] = [];
  const entries = readMap(ctx, field.value, 'profiles', field.keyNode);
  if (!entries) return [{ name: 'default', params: {}, pos: posOf(ctx.src, field.keyNode) }];
  if (entries.length === 0) report(ctx, field.value ?? field.keyNode, 'expected at least one profile (or leave out profiles: entirely)', { key: 'profiles' });
  for (const entry of entries) {
    const profile: ProfileDecl = { name: entry.key, params: {}, pos: posOf(ctx.src, entry.keyNode) };
    profiles.push(profile);
    if (entry.value === null || entry.value === undefined || (isScalar(entry.value) && entry.value.value === null)) continue; // `quick:` with nothing: no overrides
    const keys = new Map(checkKeys(ctx, readMap(ctx, entry.value, `profiles.${entry.key}`, entry.keyNode) ?? [], PROFILE_KEYS, 'profile', `profiles.${entry.key}`).map((e) => [e.key, e]));
    const description = keys.get('description');
    if (description) profile.description = readString(ctx, description.value, `profiles.${entry.key}.description`, description.keyNode);
    const params = keys.get('params');
    if (params) profile.params = readOverrides(ctx, params.value, params.keyNode, base, '', entry.key);
  }
  return profiles;
}

/** Profile overrides: the same shape as a part of the base, checked name by name at their positions. */
function readOverrides(ctx: ReadContext, node: unknown, where: unknown, base: ParamTree, prefix: string, profile: string): ParamTree {
  const tree: ParamTree = {};
  for (const entry of readMap(ctx, node, `profiles.${profile}.params${prefix ? `.${prefix}` : ''}`, where) ?? []) {
    const name = prefix ? `${prefix}.${entry.key}` : entry.key;
    const key = `profiles.${profile}.params.${name}`;
    if (!Object.hasOwn(base, entry.key)) {
      const all = paramNames(base).map((n) => (prefix ? `${prefix}.${n}` : n));
      report(ctx, entry.keyNode, `profile '${profile}' overrides param '${name}', which the base params do not declare (a profile may only change existing params)`, {
        key,
        hint: didYouMean(name, all),
      });
      continue;
    }
    const baseValue = base[entry.key];
    if (isParamTree(baseValue)) {
      if (!isMap(entry.value)) {
        report(ctx, entry.value ?? entry.keyNode, `param '${name}' is a group; expected a mapping of some of its params, found ${describeNode(entry.value)}`, { key });
        continue;
      }
      tree[entry.key] = readOverrides(ctx, entry.value, entry.keyNode, baseValue, name, profile);
    } else {
      const value = readParamValue(ctx, entry.value, key);
      if (value !== undefined) tree[entry.key] = value;
    }
  }
  return tree;
}

function readDefaultProfile(ctx: ReadContext, field: MapEntry | undefined, profiles: ProfileDecl[]): string {
  const names = profiles.map((p) => p.name);
  if (!field) return names[0] ?? 'default';
  const name = readString(ctx, field.value, 'default_profile', field.keyNode);
  if (name !== undefined && !names.includes(name)) {
    report(ctx, field.value, `default_profile '${name}' is not a declared profile; profiles: ${names.join(', ')}`, { key: 'default_profile', hint: didYouMean(name, names) });
  }
  return name ?? names[0] ?? 'default';
}

function readStages(ctx: ReadContext, field: MapEntry | undefined, root: unknown, projectRoot: string, params: ParamTree): StageDecl[] {
  if (!field) {
    report(ctx, root, "missing 'stages:' (a mapping of stage name to its definition)", { key: 'stages' });
    return [];
  }
  const entries = readMap(ctx, field.value, 'stages', field.keyNode);
  if (!entries) return [];
  if (entries.length === 0) report(ctx, field.value ?? field.keyNode, 'expected at least one stage', { key: 'stages' });
  const stages: StageDecl[] = [];
  for (const entry of entries) {
    const stage = parseStage(ctx, { root: projectRoot, params }, entry);
    if (stage) stages.push(stage);
  }
  return stages;
}

/** Deps name existing stages, filters name their matrix keys, and the graph has no cycle. */
function checkStageLinks(ctx: ReadContext, stages: StageDecl[]): void {
  const byName = new Map(stages.map((s) => [s.name, s]));
  for (const stage of stages) {
    for (const dep of stage.deps) {
      const where = { file: dep.pos.file, line: dep.pos.line, col: dep.pos.col, stage: stage.name, key: 'deps' };
      const upstream = byName.get(dep.stage);
      if (!upstream) {
        ctx.errors.add(`depends on unknown stage '${dep.stage}'; stages: ${[...byName.keys()].join(', ')}`, { ...where, hint: didYouMean(dep.stage, byName.keys()) });
        continue;
      }
      const keys = upstream.matrix.map((a) => a.key);
      for (const key of Object.keys(dep.filter)) {
        if (keys.includes(key)) continue;
        const pos = dep.filterPos[key] ?? dep.pos;
        const message = keys.length === 0 ? `filter '${key}' on stage '${dep.stage}', which has no matrix` : `filter on unknown matrix key '${key}' of stage '${dep.stage}'; its keys: ${keys.join(', ')}`;
        ctx.errors.add(message, { ...where, line: pos.line, col: pos.col, hint: didYouMean(key, keys) });
      }
    }
  }
  for (const cycle of findCycles(stages)) {
    ctx.errors.add(`dependency cycle: ${cycle.path.join(' -> ')}`, {
      file: cycle.pos.file,
      line: cycle.pos.line,
      col: cycle.pos.col,
      stage: cycle.stage,
      key: 'deps',
      hint: `'a -> b' reads 'a depends on b'; remove one of these deps (this one closes the cycle)`,
    });
  }
}

function checkPublishDirs(ctx: ReadContext, stages: StageDecl[]): void {
  // Publishing mirrors file by file, so stages may share a directory (figures and report both
  // publish to reports/) as long as no two of them would write the same file there.
  const owner = new Map<string, StageDecl>();
  for (const stage of stages) {
    if (stage.publish === undefined) continue;
    const prefix = stage.matrix.length ? `${stage.publish}/<instance>` : stage.publish;
    for (const out of Object.values(stage.outs)) {
      const path = posix.join(prefix, out);
      const first = owner.get(path);
      if (!first) {
        owner.set(path, stage);
        continue;
      }
      const pos = stage.publishPos ?? stage.pos;
      ctx.errors.add(`publishes '${path}', which stage '${first.name}' also publishes`, {
        file: pos.file,
        line: pos.line,
        col: pos.col,
        stage: stage.name,
        key: 'publish',
        hint: 'give the two stages different publish directories or different out paths',
      });
      break;
    }
  }
}

/** A matrix over a param must find a usable list in every profile, not only the one run today. */
function checkMatrixParamsPerProfile(ctx: ReadContext, stages: StageDecl[], base: ParamTree, profiles: ProfileDecl[]): void {
  const reported = new Set<string>();
  for (const profile of profiles) {
    const { tree } = mergeParams(base, profile.params);
    for (const stage of stages) {
      resolveMatrixAxes(stage, tree, (axis, message) => {
        const id = `${stage.name}.${axis.key}`;
        if (reported.has(id)) return;
        reported.add(id);
        ctx.errors.add(`${message} (profile '${profile.name}')`, { file: axis.pos.file, line: axis.pos.line, col: axis.pos.col, stage: stage.name, key: `matrix.${axis.key}` });
      });
    }
  }
}

function findParamNode(paramsNode: unknown, key: string): unknown {
  if (!isMap(paramsNode)) return paramsNode;
  const pair = paramsNode.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair?.value ?? paramsNode;
}

