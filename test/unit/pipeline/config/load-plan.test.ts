import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlan } from '../../../../src/pipeline/plan.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/pipeline');
const load = (profile?: string, overrides?: Record<string, unknown>) => loadPlan({ root, file: 'valid.yaml', profile, overrides: overrides as never });

describe('loadPlan on a valid file', () => {
  it('expands matrices into ids with keys in declaration order and YAML-rendered values', () => {
    const plan = load();
    expect(plan.profile).toBe('quick');
    expect(plan.seed).toBe(7);
    expect(plan.file).toBe(join(root, 'valid.yaml'));
    const vae = plan.instances.filter((i) => i.stage === 'deep-vae').map((i) => i.id);
    expect(vae).toHaveLength(3 * 2 * 2);
    expect(vae.slice(0, 3)).toEqual(['deep-vae[sigma2=0.01,learn=true,seed=0]', 'deep-vae[sigma2=0.01,learn=true,seed=1]', 'deep-vae[sigma2=0.01,learn=false,seed=0]']);
    expect(vae).toContain('deep-vae[sigma2=1,learn=false,seed=1]');
    expect(plan.byId.get('collapse[seed=1]')?.matrix).toEqual({ seed: 1 });
  });

  it('gives each instance exactly its declared params (dotted or subtree) plus its matrix values', () => {
    const plan = load();
    expect(plan.byId.get('data')!.params).toEqual({ 'train.steps': 100 });
    expect(plan.byId.get('deep-vae[sigma2=0.1,learn=false,seed=1]')!.params).toEqual({ train: { steps: 100, lr: 0.001 }, sigma2: 0.1, learn: false, seed: 1 });
    expect(plan.byId.get('summary')!.params).toEqual({});
  });

  it('links fan-in, shared-key matching and filtered deps', () => {
    const plan = load();
    expect(plan.byId.get('deep-vae[sigma2=0.1,learn=true,seed=0]')!.deps).toEqual(['data']);
    // collapse[seed] shares `seed` with deep-vae: only the instances with the same seed.
    const c0 = plan.byId.get('collapse[seed=0]')!.deps;
    expect(c0).toHaveLength(6);
    expect(c0.every((id) => id.endsWith('seed=0]'))).toBe(true);
    // summary has no matrix: all learn=true instances (filter) and every collapse instance (fan-in).
    const s = plan.byId.get('summary')!.deps;
    expect(s).toHaveLength(6 + 2);
    expect(s.filter((id) => id.startsWith('deep-vae')).every((id) => id.includes('learn=true'))).toBe(true);
    expect(s.slice(-2)).toEqual(['collapse[seed=0]', 'collapse[seed=1]']);
  });

  it('orders instances topologically, deps always before dependents', () => {
    const plan = load();
    const index = new Map(plan.instances.map((inst, i) => [inst.id, i]));
    for (const inst of plan.instances) for (const dep of inst.deps) expect(index.get(dep)!).toBeLessThan(index.get(inst.id)!);
    expect(plan.instances[0].id).toBe('data');
    expect(plan.instances.at(-1)!.id).toBe('summary');
  });

  it('carries stage specs: run/cmd, code, outs, resources, publish, description', () => {
    const plan = load();
    const vae = plan.byId.get('deep-vae[sigma2=1,learn=true,seed=0]')!.spec;
    expect(vae.run).toBe('stages/noop.ts');
    expect(vae.resources).toEqual({ cpus: 2, mem: '4G' });
    expect(vae.matrix).toEqual([{ key: 'sigma2', values: [0.01, 0.1, 1] }, { key: 'learn', values: [true, false] }, { key: 'seed', values: [0, 1] }]);
    expect(vae.deps).toEqual([{ stage: 'data', filter: {}, pos: { file: 'valid.yaml', line: 27, col: 12 } }]);
    const collapse = plan.byId.get('collapse[seed=0]')!.spec;
    expect(collapse.cmd).toBe('node -e 1');
    expect(collapse.code).toEqual(['stages/noop.ts']);
    expect(collapse.resources).toEqual({ cpus: 1 });
    expect(plan.byId.get('summary')!.spec.publish).toBe('reports');
    expect(plan.byId.get('summary')!.spec.deps[0].filter).toEqual({ learn: true });
    expect(plan.byId.get('data')!.spec.description).toBe('the data');
    expect(plan.byId.get('data')!.spec.outs).toEqual({ x: 'x.npy', meta: 'meta.json' });
  });

  it('applies profile overrides (deep merge) and profile-specific matrix lists', () => {
    const smoke = load('smoke');
    expect(smoke.byId.get('data')!.params).toEqual({ 'train.steps': 2 });
    expect(smoke.byId.get('deep-vae[sigma2=0.1,learn=true,seed=0]')!.params.train).toEqual({ steps: 2, lr: 0.001 });
    expect(smoke.instances.filter((i) => i.stage === 'deep-vae')).toHaveLength(2 * 2 * 2);
    expect(smoke.byId.has('deep-vae[sigma2=1,learn=true,seed=1]')).toBe(true);
    const paper = load('paper');
    expect(paper.instances.filter((i) => i.stage === 'collapse').map((i) => i.id)).toEqual([0, 1, 2, 3, 4].map((s) => `collapse[seed=${s}]`));
  });

  it('applies --set overrides after the profile, to leaves and subtrees', () => {
    const plan = load('smoke', { 'train.steps': 5, seeds: [3], sweep: { sigma2: [0.5] } });
    expect(plan.byId.get('data')!.params).toEqual({ 'train.steps': 5 });
    expect(plan.instances.filter((i) => i.stage === 'deep-vae').map((i) => i.id)).toEqual(['deep-vae[sigma2=0.5,learn=true,seed=3]', 'deep-vae[sigma2=0.5,learn=false,seed=3]']);
    expect(load(undefined, { seed: 11 }).seed).toBe(11);
  });

  it('defaults the seed to 0 and the profile to the only one when the file has none', () => {
    const plan = loadPlan({ root, file: 'minimal.yaml' });
    expect(plan.seed).toBe(0);
    expect(plan.profile).toBe('default');
    expect(plan.instances.map((i) => i.id)).toEqual(['only']);
  });

  it('is deterministic: the same file gives the same plan', () => {
    const a = load();
    const b = load();
    expect(a.instances.map((i) => [i.id, i.deps, i.params])).toEqual(b.instances.map((i) => [i.id, i.deps, i.params]));
  });
});
