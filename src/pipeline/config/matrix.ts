// Matrix values, instance ids (`deep-vae[sigma2=0.1,learn=true]`) and the expansion of axes into
// instances. A value renders as its YAML scalar, so the id reads like the file that made it.
import { parse as parseYaml } from 'yaml';
import type { ParamValue } from '../stage.ts';

export interface MatrixAxis {
  key: string;
  values: ParamValue[];
}

export function renderMatrixValue(value: ParamValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return String(value);
}

/** Why a value cannot be a matrix value (it must render unambiguously inside an id), or undefined. */
export function matrixValueProblem(value: ParamValue): string | undefined {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return 'a matrix value must be a scalar (number, boolean, string, null)';
  if (typeof value === 'string') {
    if (value === '' || value.trim() !== value) return `a matrix string must be non-empty without surrounding spaces, found '${value}'`;
    if (/[[\],=\s]/.test(value)) return `a matrix string must not contain '[', ']', ',', '=' or spaces (it becomes part of the instance id), found '${value}'`;
  }
  return undefined;
}

export function instanceId(stage: string, matrix: Record<string, ParamValue>): string {
  const keys = Object.keys(matrix);
  if (keys.length === 0) return stage;
  return `${stage}[${keys.map((k) => `${k}=${renderMatrixValue(matrix[k])}`).join(',')}]`;
}

/** Every combination, the first axis varying slowest; `[{}]` without axes. */
export function expandMatrix(axes: readonly MatrixAxis[]): Record<string, ParamValue>[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const axis of axes) {
    const next: Record<string, ParamValue>[] = [];
    for (const combo of combos) for (const value of axis.values) next.push({ ...combo, [axis.key]: value });
    combos = next;
  }
  return combos;
}

/** Matrix values compare by their rendering: `1` and `1.0` are the same instance. */
export function sameMatrixValue(a: ParamValue, b: ParamValue): boolean {
  return renderMatrixValue(a) === renderMatrixValue(b);
}

/** A filter value as written in `deps: [x[learn=true]]`, read as a YAML scalar. */
export function parseFilterValue(text: string): ParamValue {
  try {
    const value = parseYaml(text) as ParamValue;
    return matrixValueProblem(value) === undefined ? value : text;
  } catch {
    return text;
  }
}
