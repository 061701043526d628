import { describe, expect, test } from '@jest/globals';
import { dagFromPipelineYaml, dagMermaid, dagSvg, layers } from '../../../src/report/dag.ts';
import { table1SideBySide } from '../../../src/report/table1.ts';
import type { Table1Row } from '../../../src/report/science.ts';

const YAML = `
stages:
  mnist: { run: a.ts }
  deep-vae: { run: b.ts, deps: [mnist] }
  table1: { run: c.ts, deps: ["deep-vae[learn=true]", mnist] }
  report: { run: d.ts, deps: [table1, deep-vae] }
`;

describe('dag', () => {
  test('edges from pipeline.yaml, matrix filters dropped, longest-path layers', () => {
    const dag = dagFromPipelineYaml(YAML);
    expect(dag.nodes.find((n) => n.name === 'table1')?.deps).toEqual(['deep-vae', 'mnist']);
    expect(layers(dag)).toEqual([['mnist'], ['deep-vae'], ['table1'], ['report']]);
    const m = dagMermaid({ nodes: dag.nodes.map((n) => (n.name === 'deep-vae' ? { ...n, instances: 10 } : n)) });
    expect(m.split('\n')[0]).toBe('graph LR');
    expect(m).toContain('deep_vae["deep-vae ×10"]');
    expect(m).toContain('deep_vae --> table1');
    const svg = dagSvg(dag);
    expect(svg.match(/<rect /g)?.length).toBe(4);
    expect(svg.match(/marker-end=/g)?.length).toBe(5);
  });
  test('a cycle is reported, not looped on', () => {
    expect(() => layers({ nodes: [{ name: 'a', deps: ['b'] }, { name: 'b', deps: ['a'] }] })).toThrow(/cycle/);
  });
});

describe('table1SideBySide', () => {
  const row = (over: Partial<Table1Row>): Table1Row => ({ dataset: 'mnist', sigma2_init: 1, learn_sigma2: false, elbo_mean: -1022.1, elbo_std: 5.4, ...over });
  test('joins paper and ours on (dataset, σ², learned); missing side shows —', () => {
    const v = table1SideBySide(
      [row({ elbo_mean: -1030.25, elbo_std: 2 }), row({ sigma2_init: 10, learn_sigma2: true, final_sigma2_mean: 1.3 })],
      [row({}), row({ dataset: 'celeba', sigma2_init: 0.1 })],
    );
    expect(v.rows.map((r) => r.slice(0, 3))).toEqual([
      ['MNIST', 'fixed', '1'],
      ['MNIST', 'learned', '10'],
      ['CelebA 64', 'fixed', '0.1'],
    ]);
    const elbo = v.headers.indexOf('ELBO (paper)');
    expect(v.rows[0].slice(elbo, elbo + 2)).toEqual(['−1022.1 ± 5.4', '−1030.3 ± 2.0']);
    expect(v.rows[2][elbo + 1]).toBe('—');
    expect(v.rows[1][v.headers.indexOf('final σ² (ours)')]).toBe('1.3');
  });
});
