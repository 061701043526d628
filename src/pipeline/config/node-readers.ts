// Typed reads of YAML nodes that record an error (with position, stage, key) instead of throwing,
// so that one pass over the file reports every problem.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParamValue } from '../stage.ts';
import type { ConfigErrorCollector } from './config-errors.ts';
import { didYouMean } from './did-you-mean.ts';
import { posOf, resolveAlias, type YamlSource } from './yaml-source.ts';

export interface ReadContext {
  src: YamlSource;
  errors: ConfigErrorCollector;
  /** Stage being read, for messages. */
  stage?: string;
}

export interface MapEntry {
  key: string;
  keyNode: Node;
  value: unknown; // the value node, aliases resolved; null/undefined for `key:` with nothing after
}

export function report(ctx: ReadContext, node: unknown, message: string, extra: { key?: string; hint?: string; offset?: number } = {}): void {
  const pos = posOf(ctx.src, node, extra.offset ?? 0);
  ctx.errors.add(message, { file: pos.file, line: pos.line, col: pos.col, stage: ctx.stage, key: extra.key, hint: extra.hint });
}

export function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `the string '${v}'`;
    return `${typeof v} ${String(v)}`;
  }
  return 'something else';
}

/** Entries of a mapping node; records "expected a mapping" otherwise. */
export function readMap(ctx: ReadContext, node: unknown, key: string, where: unknown = node): MapEntry[] | undefined {
  const resolved = resolveAlias(ctx.src, node);
  if (!isMap(resolved)) {
    report(ctx, resolved ?? where, `expected a mapping, found ${describeNode(resolved)}`, { key });
    return undefined;
  }
  const entries: MapEntry[] = [];
  for (const pair of resolved.items) {
    const keyNode = resolveAlias(ctx.src, pair.key);
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      report(ctx, keyNode ?? resolved, `expected a plain name as key, found ${describeNode(keyNode)}`, { key });
      continue;
    }
    entries.push({ key: String(keyNode.value), keyNode: keyNode as Node, value: resolveAlias(ctx.src, pair.value) });
  }
  return entries;
}

/** Record unknown keys with a did-you-mean; returns the entries whose keys are known. */
export function checkKeys(ctx: ReadContext, entries: MapEntry[], known: readonly string[], what: string, parentKey?: string): MapEntry[] {
  const ok: MapEntry[] = [];
  for (const entry of entries) {
    if (known.includes(entry.key)) {
      ok.push(entry);
      continue;
    }
    const key = parentKey ? `${parentKey}.${entry.key}` : entry.key;
    report(ctx, entry.keyNode, `unknown ${what} key '${entry.key}'; expected one of: ${known.join(', ')}`, {
      key,
      hint: entry.key === '<<' ? 'YAML merge keys (<<) are not supported; repeat the keys or use an *alias for a whole value' : didYouMean(entry.key, known),
    });
  }
  return ok;
}

export function readString(ctx: ReadContext, node: unknown, key: string, where?: unknown): string | undefined {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  report(ctx, node ?? where, `expected a string, found ${describeNode(node)}`, { key });
  return undefined;
}

/** A list of strings; also accepts a single string as a one-element list. */
export function readStringList(ctx: ReadContext, node: unknown, key: string, where?: unknown): { value: string; node: Node }[] | undefined {
  if (isScalar(node) && typeof node.value === 'string') return [{ value: node.value, node: node as Node }];
  if (!isSeq(node)) {
    report(ctx, node ?? where, `expected a list of strings, found ${describeNode(node)}`, { key });
    return undefined;
  }
  const out: { value: string; node: Node }[] = [];
  for (const raw of node.items) {
    const item = resolveAlias(ctx.src, raw);
    if (isScalar(item) && typeof item.value === 'string') out.push({ value: item.value, node: item as Node });
    else report(ctx, item ?? node, `expected a string in the list, found ${describeNode(item)}`, { key });
  }
  return out;
}

/** Plain JS value of a node (aliases followed), checked to be JSON-like: no NaN/Infinity, no binary. */
export function readParamValue(ctx: ReadContext, node: unknown, key: string): ParamValue | undefined {
  if (node === null || node === undefined) return null;
  const value = (node as Node).toJS(ctx.src.doc) as unknown;
  const problem = nonJsonPart(value);
  if (problem) {
    report(ctx, node, `expected a JSON-like value (null, boolean, finite number, string, list, mapping), found ${problem}`, { key });
    return undefined;
  }
  return value as ParamValue;
}

function nonJsonPart(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : String(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const p = nonJsonPart(item);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value as object)) {
      const p = nonJsonPart(item);
      if (p) return p;
    }
    return undefined;
  }
  return typeof value === 'bigint' ? 'a big integer' : `a ${(value as object).constructor?.name ?? typeof value}`;
}
