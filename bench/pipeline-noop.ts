// No-op pipeline wall time: after one full run (everything cached), time `node bin/pipeline.mjs
// run` and `npm run pipeline` several times and print the medians. A benchmark, not a test.
//   node --import tsx bench/pipeline-noop.ts [--dir D] [--runs N] [--profile P]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { dir: { type: 'string' }, runs: { type: 'string' }, profile: { type: 'string' } } });
const repo = resolve(import.meta.dirname, '..');
const dir = resolve(values.dir ?? repo);
const runs = Number(values.runs ?? 10);
const profileArgs = values.profile ? ['--profile', values.profile] : [];
const bin = resolve(repo, 'bin/pipeline.mjs');

function timeOnce(cmd: string, args: string[]): { seconds: number; stdout: string; status: number | null } {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, stdout: res.stdout + res.stderr, status: res.status };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function series(label: string, cmd: string, args: string[]): void {
  const times: number[] = [];
  let last = '';
  for (let i = 0; i < runs; i++) {
    const r = timeOnce(cmd, args);
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}:\n${r.stdout}`);
    times.push(r.seconds);
    last = r.stdout.trim().split('\n').at(-1) ?? '';
  }
  console.log(`${label.padEnd(34)} median ${median(times).toFixed(3)} s  min ${Math.min(...times).toFixed(3)} s  (${runs} runs; ${last.replace(/^\[[\d:]+\] /, '')})`);
}

console.log(`pipeline no-op benchmark in ${dir}`);
const first = timeOnce('node', [bin, 'run', ...profileArgs]);
if (first.status !== 0) throw new Error(`the initial full run failed:\n${first.stdout}`);
console.log(`initial run (fills the cache)             ${first.seconds.toFixed(1)} s: ${first.stdout.trim().split('\n').at(-1)}`);
series('node -e 0 (baseline)', 'node', ['-e', '0']);
series('node bin/pipeline.mjs run', 'node', [bin, 'run', ...profileArgs]);
series('node bin/pipeline.mjs status', 'node', [bin, 'status', ...profileArgs]);
// `npm run` alone costs ~0.35 s here (npm's own start-up), on top of the launcher.
if (existsSync(resolve(dir, 'package.json'))) series('npm run pipeline', 'npm', ['run', '--silent', 'pipeline', ...(profileArgs.length ? ['--', ...profileArgs] : [])]);
else console.log(`npm run pipeline: skipped (no package.json in ${dir})`);
