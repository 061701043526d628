// The incremental contract on one toy project, step by step: first run runs all, second none,
// README edits nothing, a helper edit reruns exactly its importers, a stage edit reruns it and
// (if its output changes) its dependents, a param reruns only its readers, identical outputs
// cut off early, matrix instances fan in, profiles keep separate records.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ToyProject, recordingStage, sorted } from './toy-project.ts';

const PIPELINE = `version: 1
default_profile: quick
profiles:
  quick: {}
  smoke:
    params: { scale: 5 }
params:
  seed: 0
  scale: 2
  offset: 10
stages:
  a:
    run: stages/a.ts
    params: [scale]
    outs: { out: a.txt }
  b:
    run: stages/b.ts
    deps: [a]
    params: [offset]
    matrix:
      k: [1, 2]
    outs: { out: b.txt }
  c:
    run: stages/c.ts
    deps: [b]
    outs: { out: c.txt }
  shout:
    cmd: "printf '%s' {param:scale}-{seed} > {out:out} && echo {id} >> runs.log"
    params: [scale]
    outs: { out: shout.txt }
    publish: reports
`;

describe('incremental reruns on a toy pipeline', () => {
  let p: ToyProject;
  beforeAll(() => {
    p = new ToyProject({
      'pipeline.yaml': PIPELINE,
      'README.md': '# toy\n',
      'src/helper.ts': 'export const twice = (x: number): number => 2 * x;\n',
      'stages/a.ts': recordingStage(`twice(ctx.param('scale'))`, `import { twice } from '../src/helper.ts';`),
      'stages/b.ts': recordingStage(`Number(read(ctx.input('a').outs.out)) + ctx.param('offset') * ctx.param('k')`),
      'stages/c.ts': recordingStage(`ctx.inputs('b').map((i: any) => i.id + '=' + read(i.outs.out)).join(' ') + ' ' + twice(1)`, `import { twice } from '../src/helper.ts';`),
    });
  });
  afterAll(() => p.cleanup());

  test('first run runs every instance; matrix instances fan in; views and lock are written', async () => {
    const res = await p.run('run', '-j', '2');
    expect(res.code).toBe(0);
    expect(sorted(p.ran())).toEqual(['a', 'b[k=1]', 'b[k=2]', 'c', 'shout']);
    expect(res.stdout).toMatch(/5 ran, 0 cached, 0 skipped, 0 failed in [\d.]+ s/);
    expect(p.read('artifacts/a/a.txt')).toBe('4');
    expect(p.read('artifacts/b/k=1/b.txt')).toBe('14');
    expect(p.read('artifacts/b/k=2/b.txt')).toBe('24');
    expect(p.read('artifacts/c/c.txt')).toBe('b[k=1]=14 b[k=2]=24 2');
    expect(p.read('reports/shout.txt')).toMatch(/^2-\d+$/);
    const lock = parse(p.read('pipeline.lock'));
    expect(lock.schema).toBe(1);
    expect(Object.keys(lock.profiles.quick).sort()).toEqual(['a', 'b[k=1]', 'b[k=2]', 'c', 'shout']);
    expect(lock.profiles.quick.a.outs.out).toMatchObject({ path: 'a.txt', size: 1 });
    expect(lock.profiles.quick.a.details.code).toHaveProperty(['src/helper.ts']);
    expect(lock.profiles.quick['b[k=1]'].details.code).not.toHaveProperty(['src/helper.ts']);
  });

  test('second run runs nothing', async () => {
    const res = await p.run('run');
    expect(res.code).toBe(0);
    expect(p.ran()).toEqual([]);
    expect(res.stdout).toMatch(/0 ran, 5 cached/);
  });

  test('editing README reruns nothing', async () => {
    p.append('README.md', 'more words\n');
    expect((await p.run('run')).code).toBe(0);
    expect(p.ran()).toEqual([]);
  });

  test('editing an imported helper reruns exactly its importers; identical outputs cut off early', async () => {
    p.append('src/helper.ts', '// a comment: same behaviour\n');
    const why = await p.run('why', 'a');
    expect(why.stdout).toContain('code changed: modified src/helper.ts');
    const res = await p.run('run');
    expect(res.code).toBe(0);
    // a and c import the helper; b does not, and a's output is byte-identical, so b stays cached.
    expect(sorted(p.ran())).toEqual(['a', 'c']);
  });

  test('editing a stage so its output changes reruns it and its dependents only', async () => {
    p.write('stages/b.ts', recordingStage(`Number(read(ctx.input('a').outs.out)) + ctx.param('offset') * ctx.param('k') + 100`));
    const res = await p.run('run');
    expect(res.code).toBe(0);
    expect(sorted(p.ran())).toEqual(['b[k=1]', 'b[k=2]', 'c']);
    expect(p.read('artifacts/c/c.txt')).toBe('b[k=1]=114 b[k=2]=124 2');
  });

  test('changing a param reruns only the stages that read it (and what their new outputs feed)', async () => {
    p.write('pipeline.yaml', PIPELINE.replace('offset: 10', 'offset: 20'));
    const status = await p.run('status');
    expect(status.stdout).toContain('b[k=1]: param offset changed: 10 → 20');
    const why = await p.run('why', 'c');
    expect(why.stdout).toContain('upstream must run first: b[k=1], b[k=2]');
    const res = await p.run('run');
    expect(res.code).toBe(0);
    expect(sorted(p.ran())).toEqual(['b[k=1]', 'b[k=2]', 'c']);
    const lock = parse(p.read('pipeline.lock'));
    expect(lock.profiles.quick.c.details.inputs['b[k=1]'].outs.out).toBe(lock.profiles.quick['b[k=1]'].outs.out.sha256);
  });

  test('--set overrides a param for one run; --force reruns a named stage', async () => {
    const res = await p.run('run', '--set', 'scale=3');
    expect(sorted(p.ran())).toEqual(['a', 'b[k=1]', 'b[k=2]', 'c', 'shout']);
    expect(res.code).toBe(0);
    expect(p.read('reports/shout.txt')).toMatch(/^3-/);
    await p.run('run'); // back to scale 2
    p.ran();
    const forced = await p.run('run', '--force', 'a');
    expect(forced.stdout).toContain('run     a — forced (--force)');
    expect(p.ran()).toEqual(['a']); // same output: dependents cut off
  });

  test('another profile keeps its own records and does not invalidate the default', async () => {
    expect((await p.run('run', '--profile', 'smoke')).code).toBe(0);
    expect(p.ran().length).toBe(5);
    expect(p.read('artifacts/a/a.txt')).toBe('10'); // views follow the latest run
    const back = await p.run('run');
    expect(p.ran()).toEqual([]);
    expect(back.stdout).toMatch(/0 ran, 5 cached/);
    expect(p.read('artifacts/a/a.txt')).toBe('4');
  });

  test('targets select a stage and its upstream only', async () => {
    p.write('pipeline.yaml', PIPELINE.replace('offset: 10', 'offset: 30').replace('scale: 2', 'scale: 7'));
    const res = await p.run('run', 'b[k=1]');
    expect(res.code).toBe(0);
    expect(sorted(p.ran())).toEqual(['a', 'b[k=1]']);
    const unknown = await p.run('run', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown target 'nope'");
  });

  test('gc removes store entries no profile references', async () => {
    const before = readFileSync(p.path('pipeline.lock'), 'utf8');
    const res = await p.run('gc');
    expect(res.code).toBe(0);
    const removed = Number(/removed (\d+) unreferenced/.exec(res.stdout)?.[1]);
    expect(removed).toBeGreaterThan(0);
    expect(readFileSync(p.path('pipeline.lock'), 'utf8')).toBe(before);
    const again = await p.run('gc');
    expect(again.stdout).toContain('removed 0 unreferenced');
    // Everything the lock references is still there: a run of quick is a no-op.
    p.write('pipeline.yaml', PIPELINE.replace('offset: 10', 'offset: 30').replace('scale: 2', 'scale: 7'));
    await p.run('run', 'b[k=1]');
    expect(p.ran()).toEqual([]);
  });
});
