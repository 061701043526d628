// The params tree: dotted names (`mnist.train_size`), lookups, and overrides that may only change
// params the base declares (a profile or --set cannot invent one).
import { parse as parseYaml } from 'yaml';
import { PipelineConfigError } from '../errors.ts';
import type { ParamValue } from '../stage.ts';
import { didYouMean } from './did-you-mean.ts';

export type ParamTree = { [key: string]: ParamValue };

export function isParamTree(value: ParamValue | undefined): value is ParamTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every dotted name in the tree, subtrees included (`mnist`, `mnist.train_size`, ...). */
export function paramNames(tree: ParamTree, prefix = ''): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    names.push(name);
    if (isParamTree(value)) names.push(...paramNames(value, name));
  }
  return names;
}

export function hasParam(tree: ParamTree, dotted: string): boolean {
  return lookupParam(tree, dotted) !== undefined;
}

/** The value at a dotted name, or undefined when the name does not exist. */
export function lookupParam(tree: ParamTree, dotted: string): ParamValue | undefined {
  let current: ParamValue = tree;
  for (const part of dotted.split('.')) {
    if (!isParamTree(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** A copy of `tree` with `dotted` replaced by `value`; the name must exist. */
export function withParam(tree: ParamTree, dotted: string, value: ParamValue): ParamTree {
  const [head, ...rest] = dotted.split('.');
  const copy: ParamTree = { ...tree };
  if (rest.length === 0) copy[head] = value;
  else copy[head] = withParam(tree[head] as ParamTree, rest.join('.'), value);
  return copy;
}

/**
 * Deep-merge `overrides` over `base`. Returns the merged tree and the problems found: a name the
 * base lacks, or a scalar where the base has a subtree. `at` gives each problem's dotted name.
 */
export function mergeParams(base: ParamTree, overrides: ParamTree, prefix = ''): { tree: ParamTree; problems: { name: string; message: string; hint?: string }[] } {
  const tree: ParamTree = { ...base };
  const problems: { name: string; message: string; hint?: string }[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (!Object.hasOwn(base, key)) {
      problems.push({ name, message: `param '${name}' does not exist in the base params`, hint: didYouMean(name, paramNames(base).map((n) => (prefix ? `${prefix}.${n}` : n))) });
      continue;
    }
    const baseValue = base[key];
    if (isParamTree(baseValue)) {
      if (!isParamTree(value)) {
        problems.push({ name, message: `param '${name}' is a group of params; an override must be a mapping of some of them` });
        continue;
      }
      const inner = mergeParams(baseValue, value, name);
      tree[key] = inner.tree;
      problems.push(...inner.problems);
    } else {
      tree[key] = value;
    }
  }
  return { tree, problems };
}

/** Parse `--set a.b=value` arguments; the value is read as a YAML scalar/flow value (`0.1`, `true`, `[1, 2]`). */
export function parseSetArgs(args: readonly string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new PipelineConfigError(`expected name=value, found '${arg}'`, { key: '--set', hint: 'e.g. --set mnist.train_size=2000' });
    const name = arg.slice(0, eq).trim();
    const text = arg.slice(eq + 1);
    let value: ParamValue;
    try {
      value = text === '' ? '' : (parseYaml(text) as ParamValue);
    } catch (err) {
      throw new PipelineConfigError(`cannot read the value of '${name}': ${(err as Error).message.split('\n')[0]}`, { key: '--set', cause: err });
    }
    out[name] = value;
  }
  return out;
}
