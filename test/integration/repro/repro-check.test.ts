// repro:check on a toy project (a git work tree in a temp dir), step by step: no expected records
// → drift; --update accepts them (and the user's next run is all cached); a comment-only edit is
// information; an edited param is drift naming the param old → new; a volatile out that differs
// never fails; an unseeded Math.random stage is caught, naming the stage and the file.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { parse } from 'yaml';
import { join } from 'node:path';
import { reproCheck, type ReproCheckResult } from '../../../src/pipeline/repro/repro-check.ts';
import { REPO, ToyProject } from '../pipeline/toy-project.ts';

const PIPELINE = `version: 1
default_profile: quick
profiles:
  quick: {}
  smoke:
    params: { scale: 5 }
params:
  seed: 0
  scale: 2
stages:
  a:
    run: stages/a.ts
    params: [scale]
    outs: { out: a.json }
  b:
    run: stages/b.ts
    deps: [a]
    outs: { table: b.csv, timing: timing.txt }
    volatile: [timing]
`;

const STAGE_A = `import { writeFileSync } from 'node:fs';
// a: a seeded number from the scale
export async function run(ctx: any) {
  writeFileSync(ctx.out('out'), JSON.stringify({ value: ctx.param('scale') * 2 + (ctx.seed % 7) }));
}
`;
const STAGE_B = (noise: string) => `import { readFileSync, writeFileSync } from 'node:fs';
export async function run(ctx: any) {
  const a = JSON.parse(readFileSync(ctx.input('a').outs.out, 'utf8'));
  writeFileSync(ctx.out('table'), 'k,v\\n1,' + (a.value * 3${noise}) + '\\n');
  writeFileSync(ctx.out('timing'), String(process.hrtime.bigint()));
}
`;

describe('repro:check on a toy pipeline', () => {
  let p: ToyProject;
  const lines: string[] = [];
  const check = async (update = false): Promise<ReproCheckResult> => {
    lines.length = 0;
    return reproCheck({ root: p.dir, profile: 'smoke', update, jobs: 2, log: (l) => lines.push(l) });
  };
  const output = () => lines.join('\n');

  beforeAll(() => {
    p = new ToyProject({ 'pipeline.yaml': PIPELINE, '.gitignore': 'artifacts/\n.pipeline/\nnode_modules\n', 'stages/a.ts': STAGE_A, 'stages/b.ts': STAGE_B('') });
    execFileSync('git', ['init', '-q', p.dir]);
  });
  afterAll(() => p.cleanup());

  test('without expected records: both runs agree, but every instance is drift until accepted', async () => {
    const r = await check();
    expect(r.ok).toBe(false);
    expect(r.rows.map((x) => [x.id, x.runs?.kind, x.lock?.kind])).toEqual([['a', 'same', 'new'], ['b', 'same', 'new']]);
    expect(r.summary).toBe('repro:check FAILED (smoke) — pipeline.lock has no smoke records (2 instances new)');
    expect(output()).toContain('to accept these results on purpose: npm run repro:check -- --update');
    expect(p.exists('pipeline.lock')).toBe(false);
    expect(p.exists('artifacts')).toBe(false); // the user's store is never touched by a check
  });

  test('--update writes the records and store entries; the user\'s next run is all cached; the check then passes, volatile out listed', async () => {
    const r = await check(true);
    expect(r.ok).toBe(true);
    expect(r.accepted).toMatchObject({ records: 2, entriesCopied: 2 });
    const lock = parse(p.read('pipeline.lock'));
    expect(Object.keys(lock.profiles.smoke).sort()).toEqual(['a', 'b']);
    const run = await p.run('run', '--profile', 'smoke');
    expect(run.stdout).toMatch(/0 ran, 2 cached/);

    const again = await check();
    expect(again.ok).toBe(true);
    expect(again.rows.find((x) => x.id === 'b')).toMatchObject({ runs: { kind: 'same', volatile: ['timing'] }, lock: { kind: 'match' } });
    expect(output()).toMatch(/~ b: volatile timing\.txt \(out timing\) differs between runs \(declared volatile: not compared\)/);
    expect(again.summary).toBe('repro:check OK — 2 instances identical across two runs and to pipeline.lock (smoke) (1 with volatile outs not compared)');
  });

  test('a fingerprint-only change (a comment) with identical outs passes, reported as information', async () => {
    p.write('stages/a.ts', STAGE_A.replace('// a: a seeded', '// a: still a seeded'));
    const r = await check();
    expect(r.ok).toBe(true);
    expect(r.rows[0].lock).toEqual({ kind: 'info', why: ['code changed: modified stages/a.ts'] });
    expect(output()).toContain('i a: fingerprint changed, results identical (code changed: modified stages/a.ts)');
    p.write('stages/a.ts', STAGE_A);
  });

  test('an edited param is drift naming the param, old → new, and its dependents follow', async () => {
    p.write('pipeline.yaml', PIPELINE.replace('scale: 5', 'scale: 6'));
    const r = await check();
    expect(r.ok).toBe(false);
    expect(output()).toMatch(/drift a: a\.json \(out out\) differs from pipeline\.lock\n\s+why: param scale changed: 5 → 6/);
    expect(output()).toMatch(/drift b: b\.csv \(out table\) differs from pipeline\.lock\n\s+why: input a: out out changed/);
    expect(r.summary).toBe('repro:check FAILED (smoke) — 2 drifted from pipeline.lock (a, b)');
    p.write('pipeline.yaml', PIPELINE);
  });

  test('an unseeded Math.random stage is caught through the CLI, naming the stage and the file; --update refuses', async () => {
    p.write('stages/b.ts', STAGE_B(' + Math.random()'));
    const res = await execa('node', ['--import', 'tsx', join(REPO, 'src/cli/repro-check.ts'), '--update', '-j', '2'], { cwd: p.dir, reject: false, env: { CI: '1' } });
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toMatch(/^b\s+[0-9a-f]{12}\s+DIFFERENT\s/m);
    expect(res.stdout).toMatch(/✗ b: differs between runs \(out table\) — b\.csv: sha256 .* first difference at row 1, column v: /);
    expect(res.stdout).toContain('not updating pipeline.lock: the two runs disagree');
    expect(res.stdout.trim().split('\n').at(-1)).toBe('repro:check FAILED (smoke) — 1 instance differs between two runs (b); 1 drifted from pipeline.lock (b); claims not checked (no report stage)');
    expect(parse(p.read('pipeline.lock')).profiles.smoke.b.details.code['stages/b.ts']).toBeDefined();
  });
});
