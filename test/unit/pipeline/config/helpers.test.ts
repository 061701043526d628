import { parseDepRef } from '../../../../src/pipeline/config/dep-ref.ts';
import { closestName } from '../../../../src/pipeline/config/did-you-mean.ts';
import { expandMatrix, instanceId, matrixValueProblem, parseFilterValue } from '../../../../src/pipeline/config/matrix.ts';
import { mergeParams, paramNames, parseSetArgs } from '../../../../src/pipeline/config/param-tree.ts';
import { findCycles, topologicalStageOrder } from '../../../../src/pipeline/config/stage-graph.ts';

const pos = { file: 'p.yaml', line: 1, col: 1 };

describe('config helpers', () => {
  it('suggests close names only', () => {
    expect(closestName('dpes', ['run', 'deps', 'params'])).toBe('deps');
    expect(closestName('Outs', ['outs', 'code'])).toBe('outs');
    expect(closestName('deep_vae.widht', ['deep_vae.width', 'deep_vae.depth'])).toBe('deep_vae.width');
    expect(closestName('banana', ['run', 'deps', 'params'])).toBeUndefined();
  });

  it('renders instance ids with YAML scalars in key order', () => {
    expect(instanceId('deep-vae', { sigma2: 0.1, learn: true, seed: 3 })).toBe('deep-vae[sigma2=0.1,learn=true,seed=3]');
    expect(instanceId('x', { a: 1.0e-6, b: 'adam', c: null })).toBe('x[a=0.000001,b=adam,c=null]');
    expect(instanceId('plain', {})).toBe('plain');
    expect(matrixValueProblem('a,b')).toContain("','");
    expect(matrixValueProblem([1])).toContain('scalar');
  });

  it('expands axes with the first varying slowest', () => {
    expect(expandMatrix([{ key: 'a', values: [1, 2] }, { key: 'b', values: ['x', 'y'] }])).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(expandMatrix([])).toEqual([{}]);
  });

  it('parses dep references with filters', () => {
    expect(parseDepRef('deep-vae')).toEqual({ stage: 'deep-vae', filter: {}, keyOffsets: {} });
    expect(parseDepRef('deep-vae[learn=true, sigma2=0.1,opt=adam]')).toEqual({
      stage: 'deep-vae',
      filter: { learn: true, sigma2: 0.1, opt: 'adam' },
      keyOffsets: { learn: 9, sigma2: 21, opt: 32 },
    });
    expect(parseDepRef('deep-vae[learn]')).toEqual({ error: "expected key=value in the filter of 'deep-vae[learn]', found 'learn'", offset: 9 });
    expect(parseDepRef('x[a=1')).toHaveProperty('error');
    expect(parseFilterValue('1.0')).toBe(1);
  });

  it('merges overrides and names the ones the base lacks', () => {
    const base = { seed: 0, train: { steps: 10, lr: 0.1 } };
    expect(paramNames(base)).toEqual(['seed', 'train', 'train.steps', 'train.lr']);
    const merged = mergeParams(base, { train: { steps: 2, lrr: 1 } });
    expect(merged.tree).toEqual({ seed: 0, train: { steps: 2, lr: 0.1 } });
    expect(merged.problems).toEqual([{ name: 'train.lrr', message: "param 'train.lrr' does not exist in the base params", hint: "did you mean 'train.lr'?" }]);
    expect(base.train.steps).toBe(10);
  });

  it('reads --set arguments as YAML values', () => {
    expect(parseSetArgs(['a.b=1', 'c=true', 'd=[0.1, 1]', 'e=adam', 'f='])).toEqual({ 'a.b': 1, c: true, d: [0.1, 1], e: 'adam', f: '' });
    expect(() => parseSetArgs(['nope'])).toThrow('expected name=value');
  });

  it('finds cycles with their path and orders an acyclic graph by declaration among ready stages', () => {
    const dep = (stage: string) => ({ stage, pos });
    const cyclic = [
      { name: 'a', deps: [dep('b')] },
      { name: 'b', deps: [dep('c')] },
      { name: 'c', deps: [dep('a')] },
      { name: 'd', deps: [dep('d')] },
    ];
    expect(findCycles(cyclic).map((c) => c.path.join(' -> '))).toEqual(['a -> b -> c -> a', 'd -> d']);
    const dag = [
      { name: 'report', deps: [dep('fig'), dep('table')] },
      { name: 'table', deps: [dep('data')] },
      { name: 'fig', deps: [dep('data')] },
      { name: 'data', deps: [] },
    ];
    expect(findCycles(dag)).toEqual([]);
    expect(topologicalStageOrder(dag)).toEqual(['data', 'table', 'fig', 'report']);
  });
});
