// `npm run bench`: every benchmark, printed. Nothing here is asserted; tests never time anything.
//  1. deep-VAE training step throughput (stock wasm vs our kernel fixes), bench/deep-vae-step.ts
//  2. the deep-VAE sweep's wall time as recorded by the last real run in pipeline.lock
//  3. no-op `pipeline run` wall time (everything cached), bench/pipeline-noop.ts
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const repo = resolve(import.meta.dirname, '..');
const run = (file: string, args: string[] = []) => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', resolve(repo, file), ...args], { cwd: repo, stdio: 'inherit' });
  if (res.status !== 0) process.exitCode = 1;
};

console.log('== deep-VAE training step');
run('bench/deep-vae-step.ts');

console.log('\n== deep-VAE sweep (from pipeline.lock: durations of the last real runs)');
const lockFile = resolve(repo, 'pipeline.lock');
if (!existsSync(lockFile)) console.log('no pipeline.lock yet: run `npm run pipeline` first');
else {
  const lock = parse(readFileSync(lockFile, 'utf8')) as { profiles?: Record<string, Record<string, { duration_s?: number }>> };
  for (const [profile, records] of Object.entries(lock.profiles ?? {})) {
    const sweep = Object.entries(records).filter(([id]) => id.startsWith('deep-vae['));
    if (!sweep.length) continue;
    const total = sweep.reduce((s, [, r]) => s + (r.duration_s ?? 0), 0);
    console.log(`${profile}: ${sweep.length} instances, ${total.toFixed(0)} s of stage time (≈ ${(total / 2 / 60).toFixed(1)} min wall on 2 cores at -j 2)`);
  }
}

console.log('\n== no-op pipeline run');
run('bench/pipeline-noop.ts', ['--runs', '7']);
