import { describe, expect, test } from '@jest/globals';
import { PipelineConfigError } from '../../../../src/pipeline/errors.ts';
import type { Plan, StageInstance, StageSpec } from '../../../../src/pipeline/plan-types.ts';
import { dependentsOf, selectInstances } from '../../../../src/pipeline/run/select.ts';

const spec = (name: string): StageSpec => ({ name, run: `stages/${name}.ts`, code: [], deps: [], params: [], matrix: [], outs: { out: 'o' }, volatile: [], resources: { cpus: 1 }, pos: { file: 'pipeline.yaml', line: 1, col: 1 } });
const inst = (id: string, stage: string, deps: string[]): StageInstance => ({ id, stage, matrix: {}, params: {}, deps, spec: spec(stage) });
const instances = [inst('data', 'data', []), inst('fit[k=1]', 'fit', ['data']), inst('fit[k=2]', 'fit', ['data']), inst('table', 'table', ['fit[k=1]', 'fit[k=2]']), inst('other', 'other', [])];
const plan: Plan = { root: '/r', file: '/r/pipeline.yaml', profile: 'quick', seed: 0, instances, byId: new Map(instances.map((i) => [i.id, i])) };

describe('selectInstances', () => {
  test('no targets: everything, in plan order', () => {
    expect(selectInstances(plan, []).map((i) => i.id)).toEqual(['data', 'fit[k=1]', 'fit[k=2]', 'table', 'other']);
  });
  test('an instance id selects it and its upstream', () => {
    expect(selectInstances(plan, ['fit[k=2]']).map((i) => i.id)).toEqual(['data', 'fit[k=2]']);
  });
  test('a stage name selects all its instances', () => {
    expect(selectInstances(plan, ['fit']).map((i) => i.id)).toEqual(['data', 'fit[k=1]', 'fit[k=2]']);
  });
  test('an unknown target is a config error with a suggestion', () => {
    expect(() => selectInstances(plan, ['tabel'])).toThrow(PipelineConfigError);
    expect(() => selectInstances(plan, ['tabel'])).toThrow(/did you mean 'table'/);
  });
  test('dependentsOf walks downstream transitively', () => {
    expect(dependentsOf('data', instances)).toEqual(['fit[k=1]', 'fit[k=2]', 'table']);
    expect(dependentsOf('other', instances)).toEqual([]);
  });
});
