// One entry of `stages:` → a StageDecl, recording every problem found along the way.
import { statSync } from 'node:fs';
import { isAbsolute, posix, resolve } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import type { Resources } from '../plan-types.ts';
import type { ParamValue } from '../stage.ts';
import { parseDepRef } from './dep-ref.ts';
import { didYouMean } from './did-you-mean.ts';
import { matrixValueProblem, renderMatrixValue } from './matrix.ts';
import { checkKeys, describeNode, readMap, readParamValue, readString, readStringList, report, type MapEntry, type ReadContext } from './node-readers.ts';
import { hasParam, paramNames, type ParamTree } from './param-tree.ts';
import { STAGE_KEYS, type DepDecl, type MatrixAxisDecl, type StageDecl } from './pipeline-file-types.ts';
import { misspeltSlurmKey, SLURM_RESOURCE_KEYS, slurmResourceProblem } from './slurm-resources.ts';
import { posOf } from './yaml-source.ts';

export const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const MATRIX_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OUT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface StageParseEnv {
  root: string;
  params: ParamTree;
}

export function parseStage(base: ReadContext, env: StageParseEnv, entry: MapEntry): StageDecl | undefined {
  const name = entry.key;
  const ctx: ReadContext = { ...base, stage: name };
  if (!STAGE_NAME.test(name)) {
    report(ctx, entry.keyNode, `a stage name must be letters, digits, '-' or '_' (it names directories and instance ids)`);
  }
  const entries = readMap(ctx, entry.value, '', entry.keyNode);
  if (!entries) return undefined;
  const fields = new Map<string, MapEntry>(checkKeys(ctx, entries, STAGE_KEYS, 'stage').map((e) => [e.key, e]));
  const decl: StageDecl = {
    name,
    code: [],
    deps: [],
    params: [],
    matrix: [],
    outs: {},
    volatile: [],
    resources: { cpus: 1 },
    pos: posOf(ctx.src, entry.keyNode),
  };

  readCommand(ctx, env, entry, fields, decl);
  const description = fields.get('description');
  if (description) decl.description = readString(ctx, description.value, 'description', description.keyNode);
  if (fields.has('deps')) decl.deps = readDeps(ctx, fields.get('deps')!);
  if (fields.has('params')) decl.params = readParams(ctx, env, fields.get('params')!);
  if (fields.has('matrix')) decl.matrix = readMatrix(ctx, env, fields.get('matrix')!, decl.params);
  readOuts(ctx, entry, fields.get('outs'), decl);
  if (fields.has('code')) decl.code = readFiles(ctx, env, fields.get('code')!);
  if (fields.has('resources')) decl.resources = readResources(ctx, fields.get('resources')!);
  if (fields.has('volatile')) decl.volatile = readVolatile(ctx, fields.get('volatile')!, decl);
  const publish = fields.get('publish');
  if (publish) {
    const dir = readString(ctx, publish.value, 'publish', publish.keyNode);
    if (dir !== undefined) {
      const problem = relativePathProblem(dir);
      if (problem) report(ctx, publish.value, problem, { key: 'publish' });
      else {
        decl.publish = normalizeRelative(dir);
        decl.publishPos = posOf(ctx.src, publish.value);
      }
    }
  }
  return decl;
}

function readVolatile(ctx: ReadContext, field: MapEntry, decl: StageDecl): string[] {
  const items = readStringList(ctx, field.value, 'volatile', field.keyNode) ?? [];
  const outNames = Object.keys(decl.outs);
  for (const item of items) {
    if (!outNames.includes(item.value)) {
      report(ctx, item.node, `'${item.value}' is not one of this stage's outs`, { key: 'volatile', hint: didYouMean(item.value, outNames) });
    }
  }
  return items.map((i) => i.value);
}

function readCommand(ctx: ReadContext, env: StageParseEnv, entry: MapEntry, fields: Map<string, MapEntry>, decl: StageDecl): void {
  const run = fields.get('run');
  const cmd = fields.get('cmd');
  if (run && cmd) {
    const second = posOf(ctx.src, run.keyNode).line > posOf(ctx.src, cmd.keyNode).line ? run : cmd;
    report(ctx, second.keyNode, `a stage has either 'run:' (a stage module) or 'cmd:' (a shell command), not both`, { key: second.key, hint: `keep one of 'run' and 'cmd'` });
  } else if (!run && !cmd) {
    report(ctx, entry.keyNode, `missing 'run:' (a stage module such as stages/${decl.name}.ts) or 'cmd:' (a shell command)`, { key: 'run' });
  }
  if (run) {
    const file = readString(ctx, run.value, 'run', run.keyNode);
    if (file !== undefined) {
      const problem = relativePathProblem(file) ?? missingFileProblem(env.root, file);
      if (problem) report(ctx, run.value, problem, { key: 'run' });
      decl.run = normalizeRelative(file);
    }
  }
  if (cmd) {
    const command = readString(ctx, cmd.value, 'cmd', cmd.keyNode);
    if (command !== undefined && command.trim() === '') report(ctx, cmd.value, 'expected a non-empty shell command', { key: 'cmd' });
    else if (command !== undefined) decl.cmd = command;
  }
}

function readDeps(ctx: ReadContext, field: MapEntry): DepDecl[] {
  const items = readStringList(ctx, field.value, 'deps', field.keyNode) ?? [];
  const deps: DepDecl[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const quoted = isScalar(item.node) && (item.node.type === 'QUOTE_DOUBLE' || item.node.type === 'QUOTE_SINGLE') ? 1 : 0;
    const parsed = parseDepRef(item.value);
    if ('error' in parsed) {
      report(ctx, item.node, parsed.error, { key: 'deps', offset: quoted + parsed.offset });
      continue;
    }
    if (seen.has(item.value)) {
      report(ctx, item.node, `'${item.value}' is listed twice`, { key: 'deps' });
      continue;
    }
    seen.add(item.value);
    const filterPos: DepDecl['filterPos'] = {};
    for (const [key, offset] of Object.entries(parsed.keyOffsets)) filterPos[key] = posOf(ctx.src, item.node, quoted + offset);
    deps.push({ stage: parsed.stage, filter: parsed.filter, pos: posOf(ctx.src, item.node), filterPos });
  }
  return deps;
}

function readParams(ctx: ReadContext, env: StageParseEnv, field: MapEntry): string[] {
  const items = readStringList(ctx, field.value, 'params', field.keyNode) ?? [];
  const names: string[] = [];
  for (const item of items) {
    if (names.includes(item.value)) {
      report(ctx, item.node, `param '${item.value}' is listed twice`, { key: 'params' });
    } else if (!hasParam(env.params, item.value)) {
      report(ctx, item.node, `unknown param '${item.value}'; a stage may read only params declared under the top-level 'params:'`, {
        key: 'params',
        hint: didYouMean(item.value, paramNames(env.params)),
      });
    } else {
      names.push(item.value);
    }
  }
  return names;
}

function readMatrix(ctx: ReadContext, env: StageParseEnv, field: MapEntry, declaredParams: string[]): MatrixAxisDecl[] {
  const entries = readMap(ctx, field.value, 'matrix', field.keyNode);
  if (!entries) return [];
  if (entries.length === 0) report(ctx, field.value ?? field.keyNode, 'a matrix needs at least one key', { key: 'matrix' });
  const axes: MatrixAxisDecl[] = [];
  for (const entry of entries) {
    const key = `matrix.${entry.key}`;
    if (!MATRIX_KEY.test(entry.key)) {
      report(ctx, entry.keyNode, `a matrix key must be an identifier (letters, digits, '_'), found '${entry.key}'`, { key });
      continue;
    }
    if (declaredParams.includes(entry.key)) {
      report(ctx, entry.keyNode, `matrix key '${entry.key}' collides with the declared param '${entry.key}' (both would be params['${entry.key}'])`, { key, hint: 'rename the matrix key' });
      continue;
    }
    const pos = posOf(ctx.src, entry.value ?? entry.keyNode);
    const value = entry.value;
    if (isScalar(value) && typeof value.value === 'string') {
      const param = value.value;
      if (!hasParam(env.params, param)) {
        report(ctx, value, `matrix '${entry.key}' refers to unknown param '${param}' (expected a list, or the name of a param holding a list)`, {
          key,
          hint: didYouMean(param, paramNames(env.params)),
        });
        continue;
      }
      axes.push({ key: entry.key, param, pos });
    } else if (isSeq(value)) {
      const values = readParamValue(ctx, value, key) as ParamValue[] | undefined;
      if (values === undefined) continue;
      const problem = matrixValuesProblem(values);
      if (problem) {
        report(ctx, value, problem, { key });
        continue;
      }
      axes.push({ key: entry.key, values, pos });
    } else {
      report(ctx, value ?? entry.keyNode, `expected a list of values or the name of a param holding a list, found ${describeNode(value)}`, { key });
    }
  }
  return axes;
}

/** Shared by literal lists and lists read from params: non-empty, scalar, distinct as rendered. */
export function matrixValuesProblem(values: ParamValue): string | undefined {
  if (!Array.isArray(values)) return `expected a list, found ${values === null ? 'null' : typeof values === 'object' ? 'a mapping' : `${typeof values} ${String(values)}`}`;
  if (values.length === 0) return 'a matrix list must not be empty (it would expand into no instances)';
  const seen = new Set<string>();
  for (const value of values) {
    const problem = matrixValueProblem(value);
    if (problem) return problem;
    const rendered = renderMatrixValue(value);
    if (seen.has(rendered)) return `the value ${rendered} appears twice (instance ids would collide)`;
    seen.add(rendered);
  }
  return undefined;
}

function readOuts(ctx: ReadContext, entry: MapEntry, field: MapEntry | undefined, decl: StageDecl): void {
  if (!field) {
    report(ctx, entry.keyNode, `missing 'outs:' (a mapping of out name to file path); every stage must declare what it writes`, { key: 'outs' });
    return;
  }
  const entries = readMap(ctx, field.value, 'outs', field.keyNode);
  if (!entries) return;
  if (entries.length === 0) report(ctx, field.value ?? field.keyNode, 'expected at least one out', { key: 'outs' });
  const byPath = new Map<string, string>();
  for (const out of entries) {
    const key = `outs.${out.key}`;
    if (!OUT_NAME.test(out.key)) report(ctx, out.keyNode, `an out name must be letters, digits, '.', '-' or '_', found '${out.key}'`, { key });
    const path = readString(ctx, out.value, key, out.keyNode);
    if (path === undefined) continue;
    const problem = relativePathProblem(path);
    if (problem) {
      report(ctx, out.value, problem, { key });
      continue;
    }
    const normal = normalizeRelative(path);
    const clash = byPath.get(normal) ?? [...byPath.entries()].find(([p]) => p.startsWith(`${normal}/`) || normal.startsWith(`${p}/`))?.[1];
    if (clash !== undefined) {
      report(ctx, out.value, `duplicate out path '${path}': out '${clash}' already writes ${byPath.has(normal) ? 'it' : 'inside it or contains it'}`, { key, hint: 'give each out its own path' });
      continue;
    }
    byPath.set(normal, out.key);
    decl.outs[out.key] = normal;
  }
}

function readFiles(ctx: ReadContext, env: StageParseEnv, field: MapEntry): string[] {
  const items = readStringList(ctx, field.value, 'code', field.keyNode) ?? [];
  const files: string[] = [];
  for (const item of items) {
    const problem = relativePathProblem(item.value) ?? missingFileProblem(env.root, item.value);
    if (problem) report(ctx, item.node, problem, { key: 'code' });
    else files.push(normalizeRelative(item.value));
  }
  return files;
}

function readResources(ctx: ReadContext, field: MapEntry): Resources {
  const resources: Resources = { cpus: 1 };
  const entries = readMap(ctx, field.value, 'resources', field.keyNode);
  for (const entry of entries ?? []) {
    const key = `resources.${entry.key}`;
    const value = readParamValue(ctx, entry.value, key);
    if (value === undefined) continue;
    const known = (SLURM_RESOURCE_KEYS as readonly string[]).includes(entry.key);
    const problem = known ? slurmResourceProblem(entry.key, value) : undefined;
    if (problem) report(ctx, entry.value ?? entry.keyNode, entry.key === 'cpus' ? `expected a positive integer, found ${describeNode(entry.value)}` : problem, { key });
    else if (!known && misspeltSlurmKey(entry.key) !== undefined) {
      // Free-form keys are allowed, but a near miss of a known one (`memory`, `partiton`) would be ignored silently.
      report(ctx, entry.keyNode, `unknown resource '${entry.key}' looks like a misspelt Slurm key; known: ${SLURM_RESOURCE_KEYS.join(', ')}`, { key, hint: `did you mean '${misspeltSlurmKey(entry.key)}'?` });
    } else if (entry.key === 'cpus') resources.cpus = value as number;
    else resources[entry.key] = value;
  }
  return resources;
}

export function relativePathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'expected a non-empty path';
  if (path.includes('\\')) return `use '/' in paths, found '${path}'`;
  if (isAbsolute(path) || path.startsWith('/')) return `expected a path relative to the project root, found the absolute path '${path}'`;
  if (path.split('/').includes('..')) return `a path must not contain '..', found '${path}'`;
  return undefined;
}

/** `./a//b/` → `a/b`. */
export function normalizeRelative(path: string): string {
  return posix.normalize(path).replace(/\/+$/, '').replace(/^\.\//, '');
}

function missingFileProblem(root: string, path: string): string | undefined {
  try {
    if (statSync(resolve(root, path)).isFile()) return undefined;
    return `'${path}' is not a file`;
  } catch {
    return `file '${path}' does not exist (looked for ${resolve(root, path)})`;
  }
}

