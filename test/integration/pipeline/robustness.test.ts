// Crashes and damage: kill -9 mid-stage, corrupted or missing store entries, a second concurrent
// run, and parallel stages that really overlap (checked by the order of events the stages record).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { chmodSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ToyProject, recordingStage } from './toy-project.ts';

const PIPELINE = `version: 1
default_profile: quick
profiles:
  quick: {}
params:
  seed: 0
stages:
  src:
    run: stages/src.ts
    outs: { out: data.txt }
  slow:
    run: stages/slow.ts
    deps: [src]
    outs: { out: slow.txt }
  left:
    run: stages/meet.ts
    outs: { out: x.txt }
  right:
    run: stages/meet.ts
    outs: { out: x.txt }
`;

// Writes a partial out, then waits for the file `go` before finishing: a test controls when.
const SLOW = `import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
export async function run(ctx: any) {
  writeFileSync(ctx.out('out'), 'partial');
  writeFileSync(ctx.root + '/slow.pid', String(process.pid));
  appendFileSync(ctx.root + '/runs.log', ctx.id + '\\n');
  while (!existsSync(ctx.root + '/go')) await new Promise((r) => setTimeout(r, 50));
  writeFileSync(ctx.out('out'), 'complete:' + ctx.input('src').fingerprint.length);
}
`;

// Records start, waits until the other one has started too (up to 20 s), records end.
const MEET = `import { appendFileSync, readFileSync } from 'node:fs';
export async function run(ctx: any) {
  const log = ctx.root + '/events.log';
  const other = ctx.id === 'left' ? 'right' : 'left';
  appendFileSync(log, 'start ' + ctx.id + '\\n');
  for (let i = 0; i < 400; i++) {
    if (readFileSync(log, 'utf8').includes('start ' + other)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  appendFileSync(log, 'end ' + ctx.id + '\\n');
  const fs = await import('node:fs');
  fs.writeFileSync(ctx.out('out'), ctx.id);
}
`;

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('robustness', () => {
  let p: ToyProject;
  beforeAll(() => {
    p = new ToyProject({ 'pipeline.yaml': PIPELINE, 'stages/src.ts': recordingStage(`'source data'`), 'stages/slow.ts': SLOW, 'stages/meet.ts': MEET });
  });
  afterAll(() => p.cleanup());

  test('kill -9 mid-stage: nothing partial is published; the rerun completes correctly', async () => {
    const run = p.spawn(['run', 'slow']);
    await waitFor(() => p.exists('runs.log') && p.read('runs.log').includes('slow'), 'slow to start');
    run.kill('SIGKILL');
    await run;
    expect(p.exists('artifacts/slow')).toBe(false);
    const lock = parse(p.read('pipeline.lock'));
    expect(lock.profiles.quick.src.status).toBe('ok'); // what completed is kept
    expect(lock.profiles.quick.slow).toBeUndefined();
    expect(readdirSync(p.path('artifacts/.tmp')).length).toBe(1); // the dead run's temp dir
    p.ran();
    writeFileSync(p.path('go'), '');
    const res = await p.run('run', 'slow');
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('took over a stale lock');
    expect(p.ran()).toEqual(['slow']);
    expect(p.read('artifacts/slow/slow.txt')).toBe('complete:64');
    expect(readdirSync(p.path('artifacts/.tmp'))).toEqual([]);
  });

  test('a second concurrent run is refused with the holder pid', async () => {
    rmSync(p.path('go'));
    const first = p.spawn(['run', 'slow', '--force', 'slow']);
    await waitFor(() => p.exists('runs.log') && p.read('runs.log').includes('slow'), 'slow to start');
    const second = await p.run('run');
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`pid ${first.pid}`);
    writeFileSync(p.path('go'), '');
    expect((await first).exitCode).toBe(0);
    p.ran();
  });

  test('SIGINT cancels the running stage, keeps what finished, leaves no temp dir, exits 130', async () => {
    rmSync(p.path('go'));
    const before = parse(p.read('pipeline.lock')).profiles.quick;
    const run = p.spawn(['run', 'slow', '--force', 'src', '--force', 'slow']);
    await waitFor(() => p.exists('runs.log') && p.read('runs.log').includes('slow'), 'slow to start');
    const childPid = Number(p.read('slow.pid'));
    run.kill('SIGINT');
    const res = await run;
    expect(res.exitCode).toBe(130);
    expect(String(res.stderr)).toContain('SIGINT: stopping running stages');
    expect(String(res.stdout)).toContain('interrupted');
    expect(() => process.kill(childPid, 0)).toThrow(); // the stage process is gone
    expect(readdirSync(p.path('artifacts/.tmp'))).toEqual([]);
    const after = parse(p.read('pipeline.lock')).profiles.quick;
    expect(after.slow).toEqual(before.slow); // the cancelled instance keeps its previous record
    expect(after.src.fingerprint).toBe(before.src.fingerprint);
    expect(p.ran()).toEqual(['src', 'slow']);
    writeFileSync(p.path('go'), '');
  });

  test('a stored file changed in size/mtime is detected by the cheap check and rebuilt', async () => {
    const file = resolve(p.path('artifacts'), readlinkSync(p.path('artifacts/src')), 'data.txt');
    chmodSync(file, 0o644);
    writeFileSync(file, 'tampered!');
    const res = await p.run('run', 'src');
    expect(res.stdout).toMatch(/src: stored outputs are corrupt \(out: content hash differs/);
    expect(p.ran()).toEqual(['src']);
    expect(p.read('artifacts/src/data.txt')).toBe('source data');
  });

  test('same-size, same-mtime corruption passes the stat cache but not --verify', async () => {
    const file = resolve(p.path('artifacts'), readlinkSync(p.path('artifacts/src')), 'data.txt');
    // touch -r copies the timestamp with full (ns) precision, as a careless restore tool would.
    await execa('touch', ['-r', file, p.path('stamp')]);
    chmodSync(file, 0o644);
    writeFileSync(file, 'SOURCE DATA');
    await execa('touch', ['-r', p.path('stamp'), file]);
    expect((await p.run('run', 'src')).stdout).toMatch(/0 ran, 1 cached/); // the documented cheap check
    const res = await p.run('run', 'src', '--verify');
    expect(res.stdout).toContain('stored outputs are corrupt');
    expect(p.ran()).toEqual(['src']);
    expect(p.read('artifacts/src/data.txt')).toBe('source data');
  });

  test('a missing store entry is detected and rebuilt', async () => {
    const entry = resolve(p.path('artifacts'), readlinkSync(p.path('artifacts/src')));
    rmSync(entry, { recursive: true, force: true });
    const res = await p.run('run', 'src');
    expect(res.stdout).toContain('stored outputs missing: out');
    expect(p.ran()).toEqual(['src']);
    expect(readFileSync(join(entry, 'data.txt'), 'utf8')).toBe('source data');
    expect(dirname(entry)).toContain('.store');
  });

  test('independent stages run in parallel (both start before either ends)', async () => {
    const res = await p.run('run', 'left', 'right', '-j', '2');
    expect(res.code).toBe(0);
    const events = p.read('events.log').trim().split('\n');
    expect(events.slice(0, 2).sort()).toEqual(['start left', 'start right']);
    expect(events.slice(2).sort()).toEqual(['end left', 'end right']);
  });
});
