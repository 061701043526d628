import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDagMermaid, renderDagText } from '../../../../src/pipeline/dag-render.ts';
import { loadPlan } from '../../../../src/pipeline/plan.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/pipeline');
const plan = loadPlan({ root, file: 'valid.yaml', profile: 'smoke' });

describe('dag rendering', () => {
  it('lists stages by layer, folding matrix stages into one line with their instance count', () => {
    expect(renderDagText(plan)).toBe(
      [
        'valid.yaml (profile smoke): 4 stages, 12 instances',
        'layer 0',
        '  data',
        'layer 1',
        '  deep-vae[8 instances: sigma2(2) × learn(2) × seed(2)]  <- data',
        'layer 2',
        '  collapse[2 instances: seed(2)]  <- deep-vae (same seed)',
        'layer 3',
        '  summary  <- deep-vae (learn=true), collapse (all)',
        '',
      ].join('\n'),
    );
  });

  it('unfolds the instances of the stages asked for, with their instance-level deps', () => {
    const text = renderDagText(plan, { expand: ['collapse'] });
    expect(text).toContain('    collapse[seed=1]  <- deep-vae[sigma2=0.1,learn=true,seed=1], deep-vae[sigma2=0.1,learn=false,seed=1], deep-vae[sigma2=1,learn=true,seed=1], deep-vae[sigma2=1,learn=false,seed=1]\n');
    expect(text).not.toContain('    deep-vae[');
    expect(renderDagText(plan, { expand: true }).split('\n').filter((l) => l.startsWith('    '))).toHaveLength(8 + 2);
  });

  it('draws a stage-level mermaid graph with instance counts and how deps select instances', () => {
    expect(renderDagMermaid(plan)).toBe(
      [
        'graph TD',
        '  s0["data"]',
        '  s1["deep-vae ×8<br/>sigma2 × learn × seed"]',
        '  s2["collapse ×2<br/>seed"]',
        '  s3["summary"]',
        '  s0 --> s1',
        '  s1 -->|"same seed"| s2',
        '  s1 -->|"learn=true"| s3',
        '  s2 -->|"all"| s3',
        '',
      ].join('\n'),
    );
  });
});
