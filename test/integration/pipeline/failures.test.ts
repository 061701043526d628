// Failing stages, --keep-going, ctx.skip, missing outs, config errors and exit codes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { ToyProject, recordingStage, sorted } from './toy-project.ts';

const PIPELINE = `version: 1
default_profile: quick
profiles:
  quick: {}
params:
  seed: 0
stages:
  bad:
    run: stages/bad.ts
    outs: { out: bad.txt }
  after-bad:
    run: stages/echo.ts
    deps: [bad]
    outs: { out: x.txt }
  after-after-bad:
    run: stages/echo.ts
    deps: [after-bad]
    outs: { out: x.txt }
  independent:
    run: stages/echo.ts
    outs: { out: x.txt }
  skipper:
    run: stages/skipper.ts
    outs: { out: never.txt }
  after-skip:
    run: stages/after-skip.ts
    deps: [skipper]
    outs: { out: x.txt }
  forgetful:
    run: stages/forgetful.ts
    outs: { out: promised.txt }
`;

describe('failures and skips', () => {
  let p: ToyProject;
  beforeAll(() => {
    p = new ToyProject({
      'pipeline.yaml': PIPELINE,
      'stages/bad.ts': `import { appendFileSync } from 'node:fs';
export function run(ctx: any) {
  appendFileSync(ctx.root + '/runs.log', ctx.id + '\\n');
  for (let i = 0; i < 30; i++) console.log('log line ' + i);
  throw new Error('the stage broke on purpose');
}
`,
      'stages/echo.ts': recordingStage(`ctx.id`),
      'stages/skipper.ts': `export function run(ctx: any) { ctx.skip('no local copy of the data'); }\n`,
      'stages/after-skip.ts': recordingStage(`JSON.stringify(ctx.input('skipper'))`),
      'stages/forgetful.ts': `export function run() {}\n`,
    });
  });
  afterAll(() => p.cleanup());

  test('a failure prints the instance, exit code and log tail, lists skipped dependents, stops new work', async () => {
    const res = await p.run('run', 'bad', 'after-after-bad', 'independent', '-j', '1');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('bad FAILED (exit code 1)');
    expect(res.stdout).toContain('the stage broke on purpose');
    expect(res.stdout).toContain('| log line 29');
    expect(res.stdout).not.toContain('| log line 5\n'); // only the tail
    expect(res.stdout).toContain('not running 2 dependents of bad: after-bad, after-after-bad');
    // -j 1, plan order: bad runs first; without --keep-going the independent stage never starts.
    expect(p.ran()).toEqual(['bad']);
    expect(res.stdout).toMatch(/0 ran, 0 cached, 0 skipped, 1 failed in [\d.]+ s \(2 not run \(upstream failed\), 1 not started\)/);
    expect(p.exists('artifacts/bad')).toBe(false);
  });

  test('--keep-going lets an independent branch finish', async () => {
    const res = await p.run('run', 'bad', 'after-after-bad', 'independent', '-j', '1', '--keep-going');
    expect(res.code).toBe(1);
    expect(sorted(p.ran())).toEqual(['bad', 'independent']);
    expect(p.read('artifacts/independent/x.txt')).toBe('independent');
  });

  test('ctx.skip ends a stage as skipped; dependents see `skipped` on their input; cached afterwards', async () => {
    const res = await p.run('run', 'after-skip');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('skipped skipper');
    expect(res.stdout).toContain('no local copy of the data');
    const seen = JSON.parse(p.read('artifacts/after-skip/x.txt'));
    expect(seen).toMatchObject({ id: 'skipper', skipped: 'no local copy of the data', outs: {} });
    const lock = parse(p.read('pipeline.lock'));
    expect(lock.profiles.quick.skipper).toMatchObject({ status: 'skipped', reason: 'no local copy of the data' });
    p.ran();
    const again = await p.run('run', 'after-skip');
    expect(again.stdout).toMatch(/0 ran, 2 cached, 1 skipped/);
    expect(p.ran()).toEqual([]);
  });

  test('exiting 0 without writing a declared out is a failure naming the out', async () => {
    const res = await p.run('run', 'forgetful');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("did not write out 'out' (promised.txt)");
    expect(parse(p.read('pipeline.lock')).profiles.quick.forgetful).toBeUndefined();
  });

  test('an invalid pipeline.yaml exits 2 with file:line:col and runs nothing', async () => {
    p.write('pipeline.yaml', PIPELINE.replace('    deps: [bad]', '    dpes: [bad]'));
    const res = await p.run('run');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/pipeline\.yaml:\d+:\d+/);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(p.ran()).toEqual([]);
    p.write('pipeline.yaml', PIPELINE);
  });
});
