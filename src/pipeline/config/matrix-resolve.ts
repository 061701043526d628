// Matrix axes with their values for one resolved params tree (a param-backed axis reads its list
// from the active profile's params).
import type { ParamValue } from '../stage.ts';
import type { MatrixAxis } from './matrix.ts';
import { lookupParam, type ParamTree } from './param-tree.ts';
import type { MatrixAxisDecl, StageDecl } from './pipeline-file-types.ts';
import { matrixValuesProblem } from './stage-parser.ts';

export function resolveMatrixAxes(stage: StageDecl, params: ParamTree, onProblem: (axis: MatrixAxisDecl, message: string) => void): MatrixAxis[] {
  const axes: MatrixAxis[] = [];
  for (const axis of stage.matrix) {
    if (axis.values) {
      axes.push({ key: axis.key, values: axis.values });
      continue;
    }
    const values: ParamValue | undefined = lookupParam(params, axis.param!);
    const problem = values === undefined ? `param '${axis.param}' does not exist` : matrixValuesProblem(values);
    if (problem) onProblem(axis, `matrix '${axis.key}' over param '${axis.param}': ${problem}`);
    else axes.push({ key: axis.key, values: values as ParamValue[] });
  }
  return axes;
}
